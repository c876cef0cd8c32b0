package streamcmd

import (
	"strconv"

	"github.com/larder-db/larder/command"
)

// pendingRange is XPENDING's extended form: [IDLE min-idle] start end count [consumer].
type pendingRange struct {
	minIdle, count int64
	start, end     ID
	consumer       []byte
}

func parsePendingRange(args [][]byte) (r pendingRange, err error) {
	at := 3
	if command.Eq(args[3], "idle") {
		n, ok := command.ParseInt(args[4])
		if !ok {
			return r, command.ErrNotInteger
		}
		if len(args) < 8 {
			return r, command.ErrSyntax
		}
		r.minIdle, at = n, 5
	}
	n, ok := command.ParseInt(args[at+2])
	if !ok {
		return r, command.ErrNotInteger
	}
	r.count = max(n, 0)
	start, ex, err := parseInterval(args[at], 0)
	if err != nil {
		return r, err
	}
	if ex {
		if start, ok = start.Incr(); !ok {
			return r, command.Error("ERR invalid start ID for the interval")
		}
	}
	end, ex, err := parseInterval(args[at+1], maxID.Seq)
	if err != nil {
		return r, err
	}
	if ex {
		if end, ok = end.Decr(); !ok {
			return r, command.Error("ERR invalid end ID for the interval")
		}
	}
	r.start, r.end = start, end
	if at+3 < len(args) {
		r.consumer = args[at+3]
	}
	return r, nil
}

// cmdXpending: XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
func cmdXpending(c *command.Call) error {
	n := len(c.Args)
	if n != 3 && (n < 6 || n > 9) {
		return command.ErrSyntax
	}
	var r pendingRange
	if n >= 6 {
		var err error
		if r, err = parsePendingRange(c.Args); err != nil {
			return err
		}
	}
	e, err := c.LookupKind(c.Args[1], kindStream)
	if err != nil {
		return err
	}
	var g *group
	if e != nil {
		g = streamOf(e).groups[string(c.Args[2])]
	}
	if g == nil {
		return command.Error("NOGROUP No such key '" + string(c.Args[1]) + "' or consumer group '" + string(c.Args[2]) + "'")
	}
	if n == 3 {
		pendingSummary(c, g)
		return nil
	}
	pel := g.pel
	if r.consumer != nil {
		cs := g.consumers[string(r.consumer)]
		if cs == nil {
			c.R.Array(0)
			return nil
		}
		pel = cs.pel
	}
	tm := now(c)
	var out []*pending
	pel.Ascend(&pending{id: r.start}, func(p *pending) bool {
		if int64(len(out)) >= r.count || r.end.Less(p.id) {
			return false
		}
		if r.minIdle == 0 || tm-p.delivered >= r.minIdle {
			out = append(out, p)
		}
		return true
	})
	c.R.Array(len(out))
	for _, p := range out {
		c.R.Array(4)
		c.R.Bulk(p.id.Bytes())
		c.R.BulkString(p.owner.name)
		c.R.Int(max(tm-p.delivered, 0))
		c.R.Int(int64(p.count))
	}
	return nil
}

// pendingSummary is XPENDING's short form: count, first and last ID, and
// the pending count of each consumer that has some.
func pendingSummary(c *command.Call, g *group) {
	c.R.Array(4)
	c.R.Int(int64(g.pel.Len()))
	if g.pel.Len() == 0 {
		c.R.Null()
		c.R.Null()
		c.R.NullArray()
		return
	}
	lo, _ := g.pel.Min()
	hi, _ := g.pel.Max()
	c.R.Bulk(lo.id.Bytes())
	c.R.Bulk(hi.id.Bytes())
	names := sortedConsumers(g)
	withPending := names[:0]
	for _, cn := range names {
		if g.consumers[cn].pel.Len() > 0 {
			withPending = append(withPending, cn)
		}
	}
	c.R.Array(len(withPending))
	for _, cn := range withPending {
		c.R.Array(2)
		c.R.BulkString(cn)
		c.R.Bulk(strconv.AppendInt(nil, int64(g.consumers[cn].pel.Len()), 10))
	}
}
