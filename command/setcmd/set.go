package setcmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

func Commands() []*command.Spec {
	return []*command.Spec{
		{Name: "sadd", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSet | command.ACLFast, Handler: cmdSadd},
		{Name: "srem", Arity: -3, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSet | command.ACLFast, Handler: cmdSrem},
		{Name: "smove", Arity: 4, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 2, Step: 1,
			ACL: command.ACLWrite | command.ACLSet | command.ACLFast, Handler: cmdSmove},
		{Name: "scard", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSet | command.ACLFast, Handler: cmdScard},
		{Name: "sismember", Arity: 3, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSet | command.ACLFast, Handler: cmdSismember},
		{Name: "smismember", Arity: -3, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSet | command.ACLFast, Handler: cmdSmismember},
		{Name: "smembers", Arity: 2, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSet | command.ACLSlow, Handler: cmdSmembers},
		{Name: "sscan", Arity: -3, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSet | command.ACLSlow, Handler: cmdSscan},
		{Name: "spop", Arity: -2, Flags: command.FlagWrite | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSet | command.ACLFast, Handler: cmdSpop},
		{Name: "srandmember", Arity: -2, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSet | command.ACLSlow, Handler: cmdSrandmember},
		{Name: "sinter", Arity: -2, Flags: command.FlagReadOnly, First: 1, Last: -1, Step: 1,
			ACL: command.ACLRead | command.ACLSet | command.ACLSlow, Handler: cmdSinter},
		{Name: "sintercard", Arity: -3, Flags: command.FlagReadOnly | command.FlagMovableKeys,
			ACL: command.ACLRead | command.ACLSet | command.ACLSlow, Keys: sintercardKeys, Handler: cmdSintercard},
		{Name: "sinterstore", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: -1, Step: 1,
			ACL: command.ACLWrite | command.ACLSet | command.ACLSlow, Handler: cmdSinterstore},
		{Name: "sunion", Arity: -2, Flags: command.FlagReadOnly, First: 1, Last: -1, Step: 1,
			ACL: command.ACLRead | command.ACLSet | command.ACLSlow, Handler: cmdSunion},
		{Name: "sunionstore", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: -1, Step: 1,
			ACL: command.ACLWrite | command.ACLSet | command.ACLSlow, Handler: cmdSunionstore},
		{Name: "sdiff", Arity: -2, Flags: command.FlagReadOnly, First: 1, Last: -1, Step: 1,
			ACL: command.ACLRead | command.ACLSet | command.ACLSlow, Handler: cmdSdiff},
		{Name: "sdiffstore", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: -1, Step: 1,
			ACL: command.ACLWrite | command.ACLSet | command.ACLSlow, Handler: cmdSdiffstore},
	}
}

// maxIntset is the current set-max-intset-entries.
func maxIntset(c *command.Call) int64 { return c.D.Cfg.Int("set-max-intset-entries") }

// replySet writes s as a set reply (RESP3 '~', RESP2 array), in its
// iteration order.
func replySet(c *command.Call, s *keyspace.Set) {
	c.R.Set(s.Len())
	s.Each(func(m string) bool { c.R.BulkString(m); return true })
}

// cmdSadd: SADD key member [member ...]
func cmdSadd(c *command.Call) error {
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, keyspace.KindSet)
	if err != nil {
		return err
	}
	if e == nil {
		e = c.DB().SetObject(key, keyspace.KindSet, keyspace.NewSet())
	}
	s, limit, added := command.SetOf(e), maxIntset(c), 0
	for _, m := range c.Args[2:] {
		if s.Add(m, limit) {
			added++
		}
	}
	if added > 0 {
		c.Notify(command.NotifySet, "sadd", key)
	}
	c.R.Int(int64(added))
	return nil
}

// cmdSrem: SREM key member [member ...]
func cmdSrem(c *command.Call) error {
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, keyspace.KindSet)
	if err != nil || e == nil {
		if err == nil {
			c.R.Int(0)
		}
		return err
	}
	s, removed := command.SetOf(e), 0
	for _, m := range c.Args[2:] {
		if s.Remove(m) {
			removed++
			if s.Len() == 0 {
				break // Redis stops at an emptied set too
			}
		}
	}
	if removed > 0 {
		c.Notify(command.NotifySet, "srem", key)
	}
	if s.Len() == 0 {
		c.DeleteIfEmpty(key, 0)
		c.Notify(command.NotifyGeneric, "del", key)
	} else {
	}
	c.R.Int(int64(removed))
	return nil
}

// cmdSmove: SMOVE source destination member
func cmdSmove(c *command.Call) error {
	src, dst, m := c.Args[1], c.Args[2], c.Args[3]
	se := c.LookupWrite(src)
	de := c.LookupWrite(dst)
	if se == nil { // Redis answers 0 before looking at the destination's type
		c.R.Int(0)
		return nil
	}
	if se.Kind() != keyspace.KindSet || (de != nil && de.Kind() != keyspace.KindSet) {
		return keyspace.ErrWrongType
	}
	if se == de {
		c.R.Int(command.BoolInt(command.SetOf(se).Has(m)))
		return nil
	}
	ss := command.SetOf(se)
	if !ss.Remove(m) {
		c.R.Int(0)
		return nil
	}
	c.Notify(command.NotifySet, "srem", src)
	if ss.Len() == 0 {
		c.DB().Delete(src)
		c.Notify(command.NotifyGeneric, "del", src)
	}
	if de == nil {
		de = c.DB().SetObject(dst, keyspace.KindSet, keyspace.NewSet())
	}
	if command.SetOf(de).Add(m, maxIntset(c)) {
		c.Notify(command.NotifySet, "sadd", dst)
	} else {
		c.TouchOnly(src) // the destination had it: unchanged, as in Redis
	}
	c.R.Int(1)
	return nil
}

// cmdScard: SCARD key
func cmdScard(c *command.Call) error {
	e, err := c.LookupKind(c.Args[1], keyspace.KindSet)
	if err != nil {
		return err
	}
	if e == nil {
		c.R.Int(0)
		return nil
	}
	c.R.Int(int64(command.SetOf(e).Len()))
	return nil
}

// cmdSismember: SISMEMBER key member
func cmdSismember(c *command.Call) error {
	e, err := c.LookupKind(c.Args[1], keyspace.KindSet)
	if err != nil {
		return err
	}
	c.R.Int(command.BoolInt(e != nil && command.SetOf(e).Has(c.Args[2])))
	return nil
}

// cmdSmismember: SMISMEMBER key member [member ...]
func cmdSmismember(c *command.Call) error {
	e, err := c.LookupKind(c.Args[1], keyspace.KindSet)
	if err != nil {
		return err
	}
	c.R.Array(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		c.R.Int(command.BoolInt(e != nil && command.SetOf(e).Has(m)))
	}
	return nil
}

// cmdSmembers: SMEMBERS key
func cmdSmembers(c *command.Call) error {
	e, err := c.LookupKind(c.Args[1], keyspace.KindSet)
	if err != nil {
		return err
	}
	if e == nil {
		c.R.Set(0)
		return nil
	}
	replySet(c, command.SetOf(e))
	return nil
}

// cmdSscan: SSCAN key cursor [MATCH pattern] [COUNT count]
func cmdSscan(c *command.Call) error {
	return command.ScanCollection(c, keyspace.KindSet, func(e *keyspace.Entry, cur uint64, o command.ScanOpts, emit func(string)) uint64 {
		return command.SetOf(e).Scan(cur, o.Count, o.Count*10, emit)
	}, 1)
}

// cmdSpop: SPOP key [count]
func cmdSpop(c *command.Call) error {
	if len(c.Args) > 3 {
		return command.ErrSyntax
	}
	key := c.Args[1]
	count, err := command.OptionalCount(c.Args, 2)
	if err != nil {
		return err
	}
	e, err := c.LookupWriteKind(key, keyspace.KindSet)
	if err != nil {
		return err
	}
	if e == nil || count == 0 {
		if count < 0 {
			c.R.Null()
		} else {
			c.R.Set(0)
		}
		return nil
	}
	s := command.SetOf(e)
	if count < 0 {
		m := s.Random()
		s.Remove([]byte(m))
		popped(c, key, e, []string{m})
		c.R.BulkString(m)
		return nil
	}
	var out []string
	if count >= int64(s.Len()) {
		out = s.Members()
		c.DB().Delete(key)
		c.Journal([]byte("DEL"), key)
		c.Notify(command.NotifySet, "spop", key)
		c.Notify(command.NotifyGeneric, "del", key)
	} else {
		out = make([]string, 0, count)
		for range count {
			m := s.Random()
			s.Remove([]byte(m))
			out = append(out, m)
		}
		popped(c, key, e, out)
	}
	c.R.Set(len(out))
	for _, m := range out {
		c.R.BulkString(m)
	}
	return nil
}

// popped finishes an SPOP of members from key: it deletes an emptied set
// and journals the effect (DEL, or SREM of what was picked).
func popped(c *command.Call, key []byte, e *keyspace.Entry, members []string) {
	c.Notify(command.NotifySet, "spop", key)
	if command.SetOf(e).Len() == 0 {
		c.DB().Delete(key)
		c.Journal([]byte("DEL"), key)
		c.Notify(command.NotifyGeneric, "del", key)
		return
	}
	argv := make([][]byte, 0, 2+len(members))
	argv = append(argv, []byte("SREM"), key)
	for _, m := range members {
		argv = append(argv, []byte(m))
	}
	c.Journal(argv...)
}

// cmdSrandmember: SRANDMEMBER key [count]
func cmdSrandmember(c *command.Call) error {
	if len(c.Args) > 3 {
		return command.ErrSyntax
	}
	if len(c.Args) == 2 {
		e, err := c.LookupKind(c.Args[1], keyspace.KindSet)
		if err != nil {
			return err
		}
		if e == nil {
			c.R.Null()
			return nil
		}
		c.R.BulkString(command.SetOf(e).Random())
		return nil
	}
	n, err := command.RandCount(c.Args[2])
	if err != nil {
		return err
	}
	e, err := c.LookupKind(c.Args[1], keyspace.KindSet)
	if err != nil {
		return err
	}
	if e == nil || n == 0 {
		c.R.Array(0)
		return nil
	}
	s := command.SetOf(e)
	picks, err := command.RandomPicks(n, s.Len(), s.Members, s.Random, func(m string) string { return m })
	if err != nil {
		return err
	}
	c.R.Array(len(picks))
	for _, m := range picks {
		c.R.BulkString(m)
	}
	return nil
}
