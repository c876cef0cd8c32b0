package streamcmd

import (
	"github.com/larder-db/larder/command"
)

// groupConsumer returns consumer name of g, created (and journaled) when
// missing, with its seen time refreshed.
func groupConsumer(c *command.Call, key []byte, s *Stream, g *group, name []byte) *consumer {
	t := now(c)
	cs := g.consumers[string(name)]
	if cs == nil {
		cs = createConsumer(c, key, s, g, string(name), t)
		c.Journal([]byte("XGROUP"), []byte("CREATECONSUMER"), key, []byte(g.name), name)
	}
	cs.seenTime = t
	return cs
}

// readGroup serves one stream of XREADGROUP: the consumer's history after
// t.id, or new entries after the group's last ID, which become pending
// (unless NOACK) and move the group on.
func readGroup(c *command.Call, a readArgs, key []byte, t readTarget, count int) {
	s, g := t.s, t.g
	cs := groupConsumer(c, key, s, g, a.consumer)
	if !t.new {
		start, _ := t.id.Incr() // history is after the ID, as in streamIncrID
		readHistory(c, key, s, g, cs, start, count)
		s.changed()
		return
	}
	start, _ := g.lastID.Incr()
	items := s.rangeEntries(start, maxID, count, false)
	c.R.Array(len(items))
	tm := now(c)
	for _, it := range items {
		s.advanceGroup(g, it.id)
		replyEntry(c, it)
		if a.noack {
			continue
		}
		p := g.lookupPending(it.id)
		if p == nil {
			p = &pending{id: it.id}
			g.pel.Set(p)
			s.mem += pendingBase
		} else {
			p.owner.pel.Delete(p)
		}
		p.owner, p.delivered, p.count = cs, tm, 1
		cs.pel.Set(p)
		journalClaim(c, key, g, it.id, p)
	}
	journalSetID(c, key, g)
	s.changed()
}

// advanceGroup moves g's last ID to id with its read counter, as
// streamReplyWithRange does for each new entry it delivers.
func (s *Stream) advanceGroup(g *group, id ID) {
	if !g.lastID.Less(id) {
		return
	}
	if g.entriesRead != -1 && !s.hasTombstones(id, maxID) {
		g.entriesRead++
	} else if s.entriesAdded != 0 {
		g.entriesRead = s.estimateRead(id)
	}
	g.lastID = id
}

// hasTombstones is streamRangeHasTombstones.
func (s *Stream) hasTombstones(start, end ID) bool {
	if s.Len() == 0 || s.maxDeleted.IsZero() || s.maxDeleted.Less(s.firstID) {
		return false
	}
	return !s.maxDeleted.Less(start) && !end.Less(s.maxDeleted)
}

// estimateRead is streamEstimateDistanceFromFirstEverEntry (-1: unknown).
func (s *Stream) estimateRead(id ID) int64 {
	if s.entriesAdded == 0 {
		return 0
	}
	added := int64(s.entriesAdded)
	if s.Len() == 0 && id.Cmp(s.lastID) < 1 {
		return added
	}
	switch id.Cmp(s.lastID) {
	case 0:
		return added
	case 1:
		return -1
	}
	if s.maxDeleted.IsZero() || s.maxDeleted.Less(s.firstID) {
		switch id.Cmp(s.firstID) {
		case -1:
			return added - int64(s.Len())
		case 0:
			return added - int64(s.Len()) + 1
		}
	}
	return -1
}

// readHistory replies with the consumer's pending entries from start on: an
// entry since deleted is [id, nil]; the others count a new delivery.
func readHistory(c *command.Call, key []byte, s *Stream, g *group, cs *consumer, start ID, count int) {
	var ps []*pending
	cs.pel.Ascend(&pending{id: start}, func(p *pending) bool {
		ps = append(ps, p)
		return count <= 0 || len(ps) < count
	})
	c.R.Array(len(ps))
	tm := now(c)
	for _, p := range ps {
		e := s.get(p.id)
		if e == nil {
			c.R.Array(2)
			c.R.Bulk(p.id.Bytes())
			c.R.NullArray()
			continue
		}
		replyEntry(c, e)
		p.delivered = tm
		p.count++
		journalClaim(c, key, g, p.id, p)
	}
}
