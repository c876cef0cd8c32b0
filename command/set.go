package command

import (
	"github.com/larder-db/larder/keyspace"
)

func setCommands() []*Spec {
	return []*Spec{
		{Name: "sadd", Arity: -3, Flags: FlagWrite | FlagDenyOOM | FlagFast, First: 1, Last: 1, Step: 1,
			ACL: ACLWrite | ACLSet | ACLFast, Handler: cmdSadd},
		{Name: "srem", Arity: -3, Flags: FlagWrite | FlagFast, First: 1, Last: 1, Step: 1,
			ACL: ACLWrite | ACLSet | ACLFast, Handler: cmdSrem},
		{Name: "smove", Arity: 4, Flags: FlagWrite | FlagFast, First: 1, Last: 2, Step: 1,
			ACL: ACLWrite | ACLSet | ACLFast, Handler: cmdSmove},
		{Name: "scard", Arity: 2, Flags: FlagReadOnly | FlagFast, First: 1, Last: 1, Step: 1,
			ACL: ACLRead | ACLSet | ACLFast, Handler: cmdScard},
		{Name: "sismember", Arity: 3, Flags: FlagReadOnly | FlagFast, First: 1, Last: 1, Step: 1,
			ACL: ACLRead | ACLSet | ACLFast, Handler: cmdSismember},
		{Name: "smismember", Arity: -3, Flags: FlagReadOnly | FlagFast, First: 1, Last: 1, Step: 1,
			ACL: ACLRead | ACLSet | ACLFast, Handler: cmdSmismember},
		{Name: "smembers", Arity: 2, Flags: FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: ACLRead | ACLSet | ACLSlow, Handler: cmdSmembers},
		{Name: "sscan", Arity: -3, Flags: FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: ACLRead | ACLSet | ACLSlow, Handler: cmdSscan},
		{Name: "spop", Arity: -2, Flags: FlagWrite | FlagFast | FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: ACLWrite | ACLSet | ACLFast, Handler: cmdSpop},
		{Name: "srandmember", Arity: -2, Flags: FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: ACLRead | ACLSet | ACLSlow, Handler: cmdSrandmember},
		{Name: "sinter", Arity: -2, Flags: FlagReadOnly, First: 1, Last: -1, Step: 1,
			ACL: ACLRead | ACLSet | ACLSlow, Handler: cmdSinter},
		{Name: "sintercard", Arity: -3, Flags: FlagReadOnly | FlagMovableKeys,
			ACL: ACLRead | ACLSet | ACLSlow, Keys: sintercardKeys, Handler: cmdSintercard},
		{Name: "sinterstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, First: 1, Last: -1, Step: 1,
			ACL: ACLWrite | ACLSet | ACLSlow, Handler: cmdSinterstore},
		{Name: "sunion", Arity: -2, Flags: FlagReadOnly, First: 1, Last: -1, Step: 1,
			ACL: ACLRead | ACLSet | ACLSlow, Handler: cmdSunion},
		{Name: "sunionstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, First: 1, Last: -1, Step: 1,
			ACL: ACLWrite | ACLSet | ACLSlow, Handler: cmdSunionstore},
		{Name: "sdiff", Arity: -2, Flags: FlagReadOnly, First: 1, Last: -1, Step: 1,
			ACL: ACLRead | ACLSet | ACLSlow, Handler: cmdSdiff},
		{Name: "sdiffstore", Arity: -3, Flags: FlagWrite | FlagDenyOOM, First: 1, Last: -1, Step: 1,
			ACL: ACLWrite | ACLSet | ACLSlow, Handler: cmdSdiffstore},
	}
}

// setOf returns the set value of a set entry.
func setOf(e *keyspace.Entry) *keyspace.Set { return e.Obj().(*keyspace.Set) }

// maxIntset is the current set-max-intset-entries.
func (c *Call) maxIntset() int64 { return c.D.cfg.Int("set-max-intset-entries") }

// replySet writes s as a set reply (RESP3 '~', RESP2 array), in its
// iteration order.
func replySet(c *Call, s *keyspace.Set) {
	c.R.Set(s.Len())
	s.Each(func(m string) bool { c.R.BulkString(m); return true })
}

// cmdSadd: SADD key member [member ...]
func cmdSadd(c *Call) error {
	key := c.Args[1]
	e, err := c.lookupWriteKind(key, keyspace.KindSet)
	if err != nil {
		return err
	}
	if e == nil {
		e = c.DB().SetObject(key, keyspace.KindSet, keyspace.NewSet())
	}
	s, limit, added := setOf(e), c.maxIntset(), 0
	for _, m := range c.Args[2:] {
		if s.Add(m, limit) {
			added++
		}
	}
	c.DB().Resized(e)
	c.Dirty(added)
	if added > 0 {
		c.notify(notifySet, "sadd", key)
	}
	c.R.Int(int64(added))
	return nil
}

// cmdSrem: SREM key member [member ...]
func cmdSrem(c *Call) error {
	key := c.Args[1]
	e, err := c.lookupWriteKind(key, keyspace.KindSet)
	if err != nil || e == nil {
		if err == nil {
			c.R.Int(0)
		}
		return err
	}
	s, removed := setOf(e), 0
	for _, m := range c.Args[2:] {
		if s.Remove(m) {
			removed++
			if s.Len() == 0 {
				break // Redis stops at an emptied set too
			}
		}
	}
	if removed > 0 {
		c.notify(notifySet, "srem", key)
	}
	if s.Len() == 0 {
		c.deleteIfEmpty(key, 0)
		c.notify(notifyGeneric, "del", key)
	} else {
		c.DB().Resized(e)
	}
	c.Dirty(removed)
	c.R.Int(int64(removed))
	return nil
}

// cmdSmove: SMOVE source destination member
func cmdSmove(c *Call) error {
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
		c.R.Int(boolInt(setOf(se).Has(m)))
		return nil
	}
	ss := setOf(se)
	if !ss.Remove(m) {
		c.R.Int(0)
		return nil
	}
	c.notify(notifySet, "srem", src)
	if ss.Len() == 0 {
		c.DB().Delete(src)
		c.notify(notifyGeneric, "del", src)
	} else {
		c.DB().Resized(se)
	}
	if de == nil {
		de = c.DB().SetObject(dst, keyspace.KindSet, keyspace.NewSet())
	}
	c.Dirty(1)
	if setOf(de).Add(m, c.maxIntset()) {
		c.DB().Resized(de)
		c.Dirty(1)
		c.notify(notifySet, "sadd", dst)
	}
	c.R.Int(1)
	return nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// cmdScard: SCARD key
func cmdScard(c *Call) error {
	e, err := c.lookupKind(c.Args[1], keyspace.KindSet)
	if err != nil {
		return err
	}
	if e == nil {
		c.R.Int(0)
		return nil
	}
	c.R.Int(int64(setOf(e).Len()))
	return nil
}

// cmdSismember: SISMEMBER key member
func cmdSismember(c *Call) error {
	e, err := c.lookupKind(c.Args[1], keyspace.KindSet)
	if err != nil {
		return err
	}
	c.R.Int(boolInt(e != nil && setOf(e).Has(c.Args[2])))
	return nil
}

// cmdSmismember: SMISMEMBER key member [member ...]
func cmdSmismember(c *Call) error {
	e, err := c.lookupKind(c.Args[1], keyspace.KindSet)
	if err != nil {
		return err
	}
	c.R.Array(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		c.R.Int(boolInt(e != nil && setOf(e).Has(m)))
	}
	return nil
}

// cmdSmembers: SMEMBERS key
func cmdSmembers(c *Call) error {
	e, err := c.lookupKind(c.Args[1], keyspace.KindSet)
	if err != nil {
		return err
	}
	if e == nil {
		c.R.Set(0)
		return nil
	}
	replySet(c, setOf(e))
	return nil
}

// errSrandRange is SRANDMEMBER's count range error (Redis accepts
// -LONG_MAX..LONG_MAX).
const errSrandRange Error = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"

// maxRandomReply caps SRANDMEMBER/HRANDFIELD/ZRANDMEMBER with a negative
// count: Redis tries to send |count| elements and runs out of memory for a
// huge one; Larder refuses instead of taking the server down.
const maxRandomReply = 1 << 26

// cmdSscan: SSCAN key cursor [MATCH pattern] [COUNT count]
func cmdSscan(c *Call) error {
	return scanCollection(c, keyspace.KindSet, func(e *keyspace.Entry, cur uint64, o scanOpts, emit func(string)) uint64 {
		return setOf(e).Scan(cur, o.count, o.count*10, emit)
	}, 1)
}

// cmdSpop: SPOP key [count]
func cmdSpop(c *Call) error {
	if len(c.Args) > 3 {
		return errSyntax
	}
	key := c.Args[1]
	count, err := optionalCount(c.Args, 2)
	if err != nil {
		return err
	}
	e, err := c.lookupWriteKind(key, keyspace.KindSet)
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
	s := setOf(e)
	if count < 0 {
		m := s.Random()
		s.Remove([]byte(m))
		c.popped(key, e, []string{m})
		c.R.BulkString(m)
		return nil
	}
	var out []string
	if count >= int64(s.Len()) {
		out = s.Members()
		c.DB().Delete(key)
		c.Dirty(len(out))
		c.journal([]byte("DEL"), key)
		c.notify(notifySet, "spop", key)
		c.notify(notifyGeneric, "del", key)
	} else {
		out = make([]string, 0, count)
		for range count {
			m := s.Random()
			s.Remove([]byte(m))
			out = append(out, m)
		}
		c.popped(key, e, out)
	}
	c.R.Set(len(out))
	for _, m := range out {
		c.R.BulkString(m)
	}
	return nil
}

// popped finishes an SPOP of members from key: it deletes an emptied set
// and journals the effect (DEL, or SREM of what was picked).
func (c *Call) popped(key []byte, e *keyspace.Entry, members []string) {
	c.Dirty(len(members))
	c.notify(notifySet, "spop", key)
	if setOf(e).Len() == 0 {
		c.DB().Delete(key)
		c.journal([]byte("DEL"), key)
		c.notify(notifyGeneric, "del", key)
		return
	}
	c.DB().Resized(e)
	argv := make([][]byte, 0, 2+len(members))
	argv = append(argv, []byte("SREM"), key)
	for _, m := range members {
		argv = append(argv, []byte(m))
	}
	c.journal(argv...)
}

// cmdSrandmember: SRANDMEMBER key [count]
func cmdSrandmember(c *Call) error {
	if len(c.Args) > 3 {
		return errSyntax
	}
	if len(c.Args) == 2 {
		e, err := c.lookupKind(c.Args[1], keyspace.KindSet)
		if err != nil {
			return err
		}
		if e == nil {
			c.R.Null()
			return nil
		}
		c.R.BulkString(setOf(e).Random())
		return nil
	}
	n, err := randCount(c.Args[2])
	if err != nil {
		return err
	}
	e, err := c.lookupKind(c.Args[1], keyspace.KindSet)
	if err != nil {
		return err
	}
	if e == nil || n == 0 {
		c.R.Array(0)
		return nil
	}
	s := setOf(e)
	picks, err := randomPicks(n, s.Len(), s.Members, s.Random, func(m string) string { return m })
	if err != nil {
		return err
	}
	c.R.Array(len(picks))
	for _, m := range picks {
		c.R.BulkString(m)
	}
	return nil
}
