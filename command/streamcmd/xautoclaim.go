package streamcmd

import (
	"math"

	"github.com/larder-db/larder/command"
)

// autoclaimArgs parses XAUTOCLAIM's min-idle-time, start and options.
func autoclaimArgs(args [][]byte) (minIdle int64, start ID, count int64, justID bool, err error) {
	minIdle, ok := command.ParseInt(args[4])
	if !ok {
		return 0, ID{}, 0, false, command.Error("ERR Invalid min-idle-time argument for XAUTOCLAIM")
	}
	minIdle = max(minIdle, 0)
	start, ex, err := parseInterval(args[5], 0)
	if err != nil {
		return 0, ID{}, 0, false, err
	}
	if ex {
		if start, ok = start.Incr(); !ok {
			return 0, ID{}, 0, false, command.Error("ERR invalid start ID for the interval")
		}
	}
	count = 100
	for j := 6; j < len(args); j++ {
		switch {
		case command.Eq(args[j], "count") && j+1 < len(args):
			n, ok := command.ParseInt(args[j+1])
			if !ok || n < 1 || n > math.MaxInt64/16 {
				return 0, ID{}, 0, false, command.Error("ERR COUNT must be > 0")
			}
			count = n
			j++
		case command.Eq(args[j], "justid"):
			justID = true
		default:
			return 0, ID{}, 0, false, command.ErrSyntax
		}
	}
	return minIdle, start, count, justID, nil
}

// cmdXautoclaim: XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
func cmdXautoclaim(c *command.Call) error {
	minIdle, start, count, justID, err := autoclaimArgs(c.Args)
	if err != nil {
		return err
	}
	key := c.Args[1]
	s, g, err := lookupGroup(c, key, c.Args[2])
	if err != nil {
		return err
	}
	if g == nil {
		return command.Error("NOGROUP No such key '" + string(key) + "' or consumer group '" + string(c.Args[2]) + "'")
	}
	var ps []*pending
	g.pel.Ascend(&pending{id: start}, func(p *pending) bool { ps = append(ps, p); return true })
	tm, attempts := now(c), count*10
	var claimed []*pending
	var deleted []ID
	var cs *consumer
	i := 0
	for ; attempts > 0 && count > 0 && i < len(ps); i++ {
		attempts--
		p := ps[i]
		if s.get(p.id) == nil {
			journalClaim(c, key, g, p.id, p)
			s.dropPending(g, p)
			deleted = append(deleted, p.id)
			count--
			continue
		}
		if minIdle > 0 && tm-p.delivered < minIdle {
			continue
		}
		if cs == nil {
			if cs = g.consumers[string(c.Args[3])]; cs == nil {
				cs = createConsumer(c, c.Args[1], s, g, string(c.Args[3]), tm)
			}
			cs.seenTime = tm
		}
		if p.owner != cs {
			p.owner.pel.Delete(p)
			p.owner = cs
			cs.pel.Set(p)
		}
		p.delivered = tm
		if !justID {
			p.count++
		}
		claimed = append(claimed, p)
		count--
		journalClaim(c, key, g, p.id, p)
	}
	if len(claimed) > 0 || len(deleted) > 0 || cs != nil {
		s.changed()
	}
	next := ID{}
	if i < len(ps) {
		next = ps[i].id
	}
	c.R.Array(3)
	c.R.Bulk(next.Bytes())
	c.R.Array(len(claimed))
	for _, p := range claimed {
		if justID {
			c.R.Bulk(p.id.Bytes())
		} else {
			replyEntry(c, s.get(p.id))
		}
	}
	c.R.Array(len(deleted))
	for _, id := range deleted {
		c.R.Bulk(id.Bytes())
	}
	return nil
}
