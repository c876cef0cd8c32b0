package streamcmd

import (
	"github.com/larder-db/larder/command"
)

// replyEntry writes one entry: [id, [field, value, ...]].
func replyEntry(c *command.Call, e *entry) {
	c.R.Array(2)
	c.R.Bulk(e.id.Bytes())
	c.R.Array(len(e.fields))
	for _, f := range e.fields {
		c.R.BulkString(f)
	}
}

// rangeEntries returns the entries from start to end inclusive (reversed
// when rev), at most count of them when count > 0.
func (s *Stream) rangeEntries(start, end ID, count int, rev bool) []*entry {
	var out []*entry
	if end.Less(start) {
		return nil
	}
	collect := func(e *entry) bool {
		if rev && e.id.Less(start) || !rev && end.Less(e.id) {
			return false
		}
		out = append(out, e)
		return count <= 0 || len(out) < count
	}
	if rev {
		s.items.Descend(&entry{id: end}, collect)
	} else {
		s.items.Ascend(&entry{id: start}, collect)
	}
	return out
}

// parseInterval reads a range bound: "(" makes it exclusive.
func parseInterval(b []byte, missingSeq uint64) (ID, bool, error) {
	if len(b) > 1 && b[0] == '(' {
		id, err := parseStrictID(b[1:], missingSeq)
		return id, true, err
	}
	id, err := parseID(b, missingSeq)
	return id, false, err
}

// cmdXrange: XRANGE key start end [COUNT count]
func cmdXrange(c *command.Call) error { return xrange(c, false) }

// cmdXrevrange: XREVRANGE key end start [COUNT count]
func cmdXrevrange(c *command.Call) error { return xrange(c, true) }

func xrange(c *command.Call, rev bool) error {
	startArg, endArg := c.Args[2], c.Args[3]
	if rev {
		startArg, endArg = endArg, startArg
	}
	start, ex, err := parseInterval(startArg, 0)
	if err != nil {
		return err
	}
	var ok bool
	if ex {
		if start, ok = start.Incr(); !ok {
			return command.Error("ERR invalid start ID for the interval")
		}
	}
	end, ex, err := parseInterval(endArg, maxID.Seq)
	if err != nil {
		return err
	}
	if ex {
		if end, ok = end.Decr(); !ok {
			return command.Error("ERR invalid end ID for the interval")
		}
	}
	count := int64(-1)
	for j := 4; j < len(c.Args); j++ {
		if !command.Eq(c.Args[j], "count") || j+1 >= len(c.Args) {
			return command.ErrSyntax
		}
		n, ok := command.ParseInt(c.Args[j+1])
		if !ok {
			return command.ErrNotInteger
		}
		count = max(n, 0)
		j++
	}
	e, err := c.LookupKind(c.Args[1], kindStream)
	if err != nil {
		return err
	}
	if e == nil {
		c.R.Array(0)
		return nil
	}
	if count == 0 {
		c.R.NullArray()
		return nil
	}
	items := streamOf(e).rangeEntries(start, end, int(max(count, 0)), rev)
	c.R.Array(len(items))
	for _, it := range items {
		replyEntry(c, it)
	}
	return nil
}

// cmdXlen: XLEN key
func cmdXlen(c *command.Call) error {
	e, err := c.LookupKind(c.Args[1], kindStream)
	if err != nil {
		return err
	}
	if e == nil {
		c.R.Int(0)
		return nil
	}
	c.R.Int(int64(streamOf(e).Len()))
	return nil
}
