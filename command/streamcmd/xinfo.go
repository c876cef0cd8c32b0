package streamcmd

import (
	"github.com/larder-db/larder/command"
)

// lookupInfo returns the stream XINFO reports on (ERR no such key when
// missing).
func lookupInfo(c *command.Call) (*Stream, error) {
	e, err := c.LookupKind(c.Args[2], kindStream)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, command.ErrNoSuchKey
	}
	return streamOf(e), nil
}

// radixNodes estimates Redis's rax node count for the stream's node keys
// (16-byte big-endian master IDs): one node per key plus one per
// branching point is close for small streams; Redis's exact count
// depends on its tree's history.
func radixNodes(s *Stream) int {
	if len(s.nodes) == 0 {
		return 1
	}
	return 2*len(s.nodes) - 1 + 1
}

// cmdXinfoStream: XINFO STREAM key [FULL [COUNT count]]
func cmdXinfoStream(c *command.Call) error {
	opts := c.Args[3:]
	full, count := len(opts) > 0, int64(10)
	if full {
		if len(opts) != 1 && len(opts) != 3 || !command.Eq(opts[0], "full") {
			return subSyntaxOf(c, "XINFO")
		}
		if len(opts) == 3 {
			if !command.Eq(opts[1], "count") {
				return subSyntaxOf(c, "XINFO")
			}
			n, ok := command.ParseInt(opts[2])
			if !ok {
				return command.ErrNotInteger
			}
			if count = n; n < 0 {
				count = 10
			}
		}
	}
	s, err := lookupInfo(c)
	if err != nil {
		return err
	}
	c.R.Map(map[bool]int{false: 10, true: 9}[full])
	c.R.BulkString("length")
	c.R.Int(int64(s.Len()))
	c.R.BulkString("radix-tree-keys")
	c.R.Int(int64(len(s.nodes)))
	c.R.BulkString("radix-tree-nodes")
	c.R.Int(int64(radixNodes(s)))
	for _, f := range []struct {
		name string
		id   ID
	}{{"last-generated-id", s.lastID}, {"max-deleted-entry-id", s.maxDeleted}} {
		c.R.BulkString(f.name)
		c.R.Bulk(f.id.Bytes())
	}
	c.R.BulkString("entries-added")
	c.R.Int(int64(s.entriesAdded))
	c.R.BulkString("recorded-first-entry-id")
	c.R.Bulk(s.firstID.Bytes())
	if full {
		infoFull(c, s, int(count))
		return nil
	}
	c.R.BulkString("groups")
	c.R.Int(int64(len(s.groups)))
	for i, e := range []*entry{s.first(), s.last()} {
		c.R.BulkString([]string{"first-entry", "last-entry"}[i])
		if e == nil {
			c.R.Null()
		} else {
			replyEntry(c, e)
		}
	}
	return nil
}

// infoFull is the FULL part of XINFO STREAM: entries, then every group
// with its pending entries and consumers (at most count of each list,
// 0 for all).
func infoFull(c *command.Call, s *Stream, count int) {
	c.R.BulkString("entries")
	items := s.rangeEntries(ID{}, maxID, count, false)
	c.R.Array(len(items))
	for _, it := range items {
		replyEntry(c, it)
	}
	c.R.BulkString("groups")
	c.R.Array(len(s.groups))
	for _, name := range sortedGroups(s) {
		g := s.groups[name]
		c.R.Map(7)
		c.R.BulkString("name")
		c.R.BulkString(name)
		c.R.BulkString("last-delivered-id")
		c.R.Bulk(g.lastID.Bytes())
		replyReadAndLag(c, s, g)
		c.R.BulkString("pel-count")
		c.R.Int(int64(g.pel.Len()))
		c.R.BulkString("pending")
		ps := firstPending(g.pel, count)
		c.R.Array(len(ps))
		for _, p := range ps {
			c.R.Array(4)
			c.R.Bulk(p.id.Bytes())
			c.R.BulkString(p.owner.name)
			c.R.Int(p.delivered)
			c.R.Int(int64(p.count))
		}
		c.R.BulkString("consumers")
		c.R.Array(len(g.consumers))
		for _, cn := range sortedConsumers(g) {
			infoConsumer(c, g.consumers[cn], count)
		}
	}
}

func infoConsumer(c *command.Call, cs *consumer, count int) {
	c.R.Map(4)
	c.R.BulkString("name")
	c.R.BulkString(cs.name)
	c.R.BulkString("seen-time")
	c.R.Int(cs.seenTime)
	c.R.BulkString("pel-count")
	c.R.Int(int64(cs.pel.Len()))
	c.R.BulkString("pending")
	ps := firstPending(cs.pel, count)
	c.R.Array(len(ps))
	for _, p := range ps {
		c.R.Array(3)
		c.R.Bulk(p.id.Bytes())
		c.R.Int(p.delivered)
		c.R.Int(int64(p.count))
	}
}

// firstPending returns the first count pending entries (all when 0).
func firstPending(pel interface {
	Scan(func(*pending) bool)
}, count int) []*pending {
	var out []*pending
	pel.Scan(func(p *pending) bool {
		out = append(out, p)
		return count <= 0 || len(out) < count
	})
	return out
}

// replyReadAndLag writes a group's entries-read and lag fields.
func replyReadAndLag(c *command.Call, s *Stream, g *group) {
	c.R.BulkString("entries-read")
	if g.entriesRead != -1 {
		c.R.Int(g.entriesRead)
	} else {
		c.R.Null()
	}
	c.R.BulkString("lag")
	switch {
	case s.entriesAdded == 0:
		c.R.Int(0)
	case g.entriesRead != -1 && !s.hasTombstones(g.lastID, maxID):
		c.R.Int(int64(s.entriesAdded) - g.entriesRead)
	default:
		if read := s.estimateRead(g.lastID); read != -1 {
			c.R.Int(int64(s.entriesAdded) - read)
		} else {
			c.R.Null()
		}
	}
}

// cmdXinfoGroups: XINFO GROUPS key
func cmdXinfoGroups(c *command.Call) error {
	s, err := lookupInfo(c)
	if err != nil {
		return err
	}
	c.R.Array(len(s.groups))
	for _, name := range sortedGroups(s) {
		g := s.groups[name]
		c.R.Map(6)
		c.R.BulkString("name")
		c.R.BulkString(name)
		c.R.BulkString("consumers")
		c.R.Int(int64(len(g.consumers)))
		c.R.BulkString("pending")
		c.R.Int(int64(g.pel.Len()))
		c.R.BulkString("last-delivered-id")
		c.R.Bulk(g.lastID.Bytes())
		replyReadAndLag(c, s, g)
	}
	return nil
}

// cmdXinfoConsumers: XINFO CONSUMERS key group
func cmdXinfoConsumers(c *command.Call) error {
	s, err := lookupInfo(c)
	if err != nil {
		return err
	}
	g := s.groups[string(c.Args[3])]
	if g == nil {
		return command.Error("NOGROUP No such consumer group '" + string(c.Args[3]) +
			"' for key name '" + string(c.Args[2]) + "'")
	}
	tm := now(c)
	c.R.Array(len(g.consumers))
	for _, cn := range sortedConsumers(g) {
		cs := g.consumers[cn]
		c.R.Map(3)
		c.R.BulkString("name")
		c.R.BulkString(cn)
		c.R.BulkString("pending")
		c.R.Int(int64(cs.pel.Len()))
		c.R.BulkString("idle")
		c.R.Int(max(tm-cs.seenTime, 0))
	}
	return nil
}

// cmdXinfoHelp: XINFO HELP
func cmdXinfoHelp(c *command.Call) error {
	command.ReplyHelp(c, "XINFO", []string{
		"CONSUMERS <key> <groupname>",
		"    Show consumers of <groupname>.",
		"GROUPS <key>",
		"    Show the stream consumer groups.",
		"STREAM <key> [FULL [COUNT <count>]",
		"    Show information about the stream.",
	})
	return nil
}
