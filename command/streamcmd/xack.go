package streamcmd

import (
	"github.com/larder-db/larder/command"
)

// lookupGroup returns the stream at key and its group name; a missing key
// or group is nil without error.
func lookupGroup(c *command.Call, key, name []byte) (*Stream, *group, error) {
	e, err := c.LookupWriteKind(key, kindStream)
	if err != nil || e == nil {
		return nil, nil, err
	}
	s := streamOf(e)
	return s, s.groups[string(name)], nil
}

// dropPending removes p from its group and consumer.
func (s *Stream) dropPending(g *group, p *pending) {
	g.pel.Delete(p)
	if p.owner != nil {
		p.owner.pel.Delete(p)
	}
	s.mem -= pendingBase
}

// cmdXack: XACK key group id [id ...]
func cmdXack(c *command.Call) error {
	s, g, err := lookupGroup(c, c.Args[1], c.Args[2])
	if err != nil {
		return err
	}
	if g == nil {
		c.R.Int(0)
		return nil
	}
	ids := make([]ID, 0, len(c.Args)-3)
	for _, arg := range c.Args[3:] {
		id, err := parseStrictID(arg, 0)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	n := 0
	for _, id := range ids {
		if p := g.lookupPending(id); p != nil {
			s.dropPending(g, p)
			n++
		}
	}
	if n > 0 {
		s.changed()
	}
	c.R.Int(int64(n))
	return nil
}

// claimOpts are XCLAIM's options.
type claimOpts struct {
	minIdle, delivery, retry int64
	force, justID            bool
	lastID                   ID
}

func parseClaim(c *command.Call, tm int64) (o claimOpts, ids []ID, err error) {
	n, ok := command.ParseInt(c.Args[4])
	if !ok {
		return o, nil, command.Error("ERR Invalid min-idle-time argument for XCLAIM")
	}
	o.minIdle, o.delivery, o.retry = max(n, 0), -1, -1
	j := 5
	for ; j < len(c.Args); j++ {
		id, err := parseStrictID(c.Args[j], 0)
		if err != nil {
			break
		}
		ids = append(ids, id)
	}
	for ; j < len(c.Args); j++ {
		more := j+1 < len(c.Args)
		opt := c.Args[j]
		switch {
		case command.Eq(opt, "force"):
			o.force = true
		case command.Eq(opt, "justid"):
			o.justID = true
		case command.Eq(opt, "idle") && more, command.Eq(opt, "time") && more, command.Eq(opt, "retrycount") && more:
			j++
			v, ok := command.ParseInt(c.Args[j])
			name := map[byte]string{'i': "IDLE", 't': "TIME", 'r': "RETRYCOUNT"}[opt[0]|0x20]
			if !ok {
				return o, nil, command.Error("ERR Invalid " + name + " option argument for XCLAIM")
			}
			switch name {
			case "IDLE":
				o.delivery = tm - v
			case "TIME":
				o.delivery = v
			default:
				o.retry = v
			}
		case command.Eq(opt, "lastid") && more:
			j++
			if o.lastID, err = parseStrictID(c.Args[j], 0); err != nil {
				return o, nil, err
			}
		default:
			return o, nil, command.Error("ERR Unrecognized XCLAIM option '" + string(opt) + "'")
		}
	}
	if o.delivery < 0 || o.delivery > tm {
		o.delivery = tm
	}
	return o, ids, nil
}

// cmdXclaim: XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]
func cmdXclaim(c *command.Call) error {
	key := c.Args[1]
	s, g, err := lookupGroup(c, key, c.Args[2])
	if err != nil {
		return err
	}
	if g == nil {
		return command.Error("NOGROUP No such key '" + string(key) + "' or consumer group '" + string(c.Args[2]) + "'")
	}
	tm := now(c)
	o, ids, err := parseClaim(c, tm)
	if err != nil {
		return err
	}
	moved, dirty, before := false, false, g.lastID
	if g.lastID.Less(o.lastID) {
		g.lastID, moved = o.lastID, true
	}
	var claimed []*entry
	var justIDs []ID
	var cs *consumer
	for _, id := range ids {
		p, e := g.lookupPending(id), s.get(id)
		if e == nil {
			if p != nil {
				journalClaim(c, key, g, id, p)
				s.dropPending(g, p)
				moved, dirty = false, true
			}
			continue
		}
		if o.force && p == nil {
			p = &pending{id: id}
			g.pel.Set(p)
			s.mem += pendingBase
		}
		if p == nil || p.owner != nil && o.minIdle > 0 && tm-p.delivered < o.minIdle {
			continue
		}
		if cs == nil {
			if cs = g.consumers[string(c.Args[3])]; cs == nil {
				cs = createConsumer(c, c.Args[1], s, g, string(c.Args[3]), tm)
			}
			cs.seenTime = tm
		}
		if p.owner != cs {
			if p.owner != nil {
				p.owner.pel.Delete(p)
			}
			p.owner = cs
			cs.pel.Set(p)
		}
		p.delivered = o.delivery
		if o.retry >= 0 {
			p.count = uint64(o.retry)
		} else if !o.justID {
			p.count++
		}
		claimed, justIDs = append(claimed, e), append(justIDs, id)
		journalClaim(c, key, g, id, p)
		moved = false
	}
	dirty = dirty || moved || g.lastID != before
	if moved {
		journalSetID(c, key, g)
	}
	if len(claimed) > 0 || moved || dirty {
		s.changed()
	}
	c.R.Array(len(claimed))
	for i, e := range claimed {
		if o.justID {
			c.R.Bulk(justIDs[i].Bytes())
		} else {
			replyEntry(c, e)
		}
	}
	return nil
}
