package listcmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

func Commands() []*command.Spec {
	return []*command.Spec{
		{Name: "lpush", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLFast, Handler: cmdLpush},
		{Name: "rpush", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLFast, Handler: cmdRpush},
		{Name: "lpushx", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLFast, Handler: cmdLpushx},
		{Name: "rpushx", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLFast, Handler: cmdRpushx},
		{Name: "lpop", Arity: -2, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLFast, Handler: cmdLpop},
		{Name: "rpop", Arity: -2, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLFast, Handler: cmdRpop},
		{Name: "llen", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLList | command.ACLFast, Handler: cmdLlen},
		{Name: "lindex", Arity: 3, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLList | command.ACLSlow, Handler: cmdLindex},
		{Name: "lset", Arity: 4, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLSlow, Handler: cmdLset},
		{Name: "lrange", Arity: 4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLList | command.ACLSlow, Handler: cmdLrange},
		{Name: "ltrim", Arity: 4, Flags: command.FlagWrite, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLSlow, Handler: cmdLtrim},
		{Name: "linsert", Arity: 5, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLSlow, Handler: cmdLinsert},
		{Name: "lrem", Arity: 4, Flags: command.FlagWrite, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLSlow, Handler: cmdLrem},
		{Name: "lpos", Arity: -3, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLList | command.ACLSlow, Handler: cmdLpos},
		{Name: "lmove", Arity: 5, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: 2, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLSlow, Handler: cmdLmove},
		{Name: "rpoplpush", Arity: 3, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: 2, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLSlow, Handler: cmdRpoplpush},
		{Name: "lmpop", Arity: -4, Flags: command.FlagWrite | command.FlagMovableKeys,
			ACL: command.ACLWrite | command.ACLList | command.ACLSlow, Keys: command.ZmpopKeys, Handler: cmdLmpop},
		{Name: "blpop", Arity: -3, Flags: command.FlagWrite | command.FlagNoScript | command.FlagBlocking, First: 1, Last: -2, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLSlow | command.ACLBlocking, Handler: cmdBlpop},
		{Name: "brpop", Arity: -3, Flags: command.FlagWrite | command.FlagNoScript | command.FlagBlocking, First: 1, Last: -2, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLSlow | command.ACLBlocking, Handler: cmdBrpop},
		{Name: "blmove", Arity: 6, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagNoScript | command.FlagBlocking, First: 1, Last: 2, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLSlow | command.ACLBlocking, Handler: cmdBlmove},
		{Name: "brpoplpush", Arity: 4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagNoScript | command.FlagBlocking, First: 1, Last: 2, Step: 1,
			ACL: command.ACLWrite | command.ACLList | command.ACLSlow | command.ACLBlocking, Handler: cmdBrpoplpush},
		{Name: "blmpop", Arity: -5, Flags: command.FlagWrite | command.FlagBlocking | command.FlagMovableKeys,
			ACL: command.ACLWrite | command.ACLList | command.ACLSlow | command.ACLBlocking, Keys: command.BzmpopKeys, Handler: cmdBlmpop},
	}
}

// listChanged finishes a write that removed elements: an emptied list is
// deleted (with its del event), otherwise re-accounted.
func listChanged(c *command.Call, key []byte, e *keyspace.Entry) {
	if command.ListOf(e).Len() == 0 {
		c.DB().Delete(key)
		c.Notify(command.NotifyGeneric, "del", key)
		return
	}
}

func cmdLpush(c *command.Call) error  { return push(c, true, false) }
func cmdRpush(c *command.Call) error  { return push(c, false, false) }
func cmdLpushx(c *command.Call) error { return push(c, true, true) }
func cmdRpushx(c *command.Call) error { return push(c, false, true) }

// push: LPUSH|RPUSH|LPUSHX|RPUSHX key element [element ...]
func push(c *command.Call, left, onlyExisting bool) error {
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, keyspace.KindList)
	if err != nil {
		return err
	}
	if e == nil {
		if onlyExisting {
			c.R.Int(0)
			return nil
		}
		e = c.DB().SetObject(key, keyspace.KindList, keyspace.NewList())
	}
	l := command.ListOf(e)
	for _, v := range c.Args[2:] {
		if left {
			l.PushLeft(string(v))
		} else {
			l.PushRight(string(v))
		}
	}
	c.Notify(command.NotifyList, pushEvent(left), key)
	c.R.Int(int64(l.Len()))
	return nil
}

func pushEvent(left bool) string {
	if left {
		return "lpush"
	}
	return "rpush"
}

func popEvent(left bool) string {
	if left {
		return "lpop"
	}
	return "rpop"
}

// popFrom pops up to n elements from one end of the list at key (which
// must exist and be a list), with its events and deletion when emptied.
func popFrom(c *command.Call, key []byte, e *keyspace.Entry, left bool, n int) []string {
	l := command.ListOf(e)
	n = min(n, l.Len())
	out := make([]string, n)
	for i := range out {
		if left {
			out[i] = l.PopLeft()
		} else {
			out[i] = l.PopRight()
		}
	}
	c.Notify(command.NotifyList, popEvent(left), key)
	listChanged(c, key, e)
	return out
}

func cmdLpop(c *command.Call) error { return pop(c, true) }
func cmdRpop(c *command.Call) error { return pop(c, false) }

// pop: LPOP|RPOP key [count]
func pop(c *command.Call, left bool) error {
	if len(c.Args) > 3 {
		return command.WrongArgs(c.Spec.Name)
	}
	count, err := command.OptionalCount(c.Args, 2)
	if err != nil {
		return err
	}
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, keyspace.KindList)
	if err != nil {
		return err
	}
	switch {
	case e == nil && count < 0:
		c.R.Null()
		return nil
	case e == nil:
		c.R.NullArray()
		return nil
	case count == 0:
		c.R.Array(0)
		return nil
	case count < 0:
		c.R.BulkString(popFrom(c, key, e, left, 1)[0])
		return nil
	}
	out := popFrom(c, key, e, left, int(min(count, 1<<31)))
	c.R.Array(len(out))
	for _, v := range out {
		c.R.BulkString(v)
	}
	return nil
}

// cmdLlen: LLEN key
func cmdLlen(c *command.Call) error {
	e, err := c.LookupKind(c.Args[1], keyspace.KindList)
	if err != nil {
		return err
	}
	n := 0
	if e != nil {
		n = command.ListOf(e).Len()
	}
	c.R.Int(int64(n))
	return nil
}

// listIndex resolves a possibly negative index against n.
func listIndex(i int64, n int) (int, bool) {
	if i < 0 {
		i += int64(n)
	}
	return int(i), i >= 0 && i < int64(n)
}

// cmdLindex: LINDEX key index
func cmdLindex(c *command.Call) error {
	i, err := command.IntArg(c.Args[2])
	if err != nil {
		return err
	}
	e, err := c.LookupKind(c.Args[1], keyspace.KindList)
	if err != nil {
		return err
	}
	if e != nil {
		if j, ok := listIndex(i, command.ListOf(e).Len()); ok {
			c.R.BulkString(command.ListOf(e).At(j))
			return nil
		}
	}
	c.R.Null()
	return nil
}

// cmdLset: LSET key index element
func cmdLset(c *command.Call) error {
	i, err := command.IntArg(c.Args[2])
	if err != nil {
		return err
	}
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, keyspace.KindList)
	if err != nil {
		return err
	}
	if e == nil {
		return command.ErrNoSuchKey
	}
	j, ok := listIndex(i, command.ListOf(e).Len())
	if !ok {
		return command.Error("ERR index out of range")
	}
	command.ListOf(e).Set(j, string(c.Args[3]))
	c.Notify(command.NotifyList, "lset", key)
	c.R.Simple("OK")
	return nil
}

// cmdLrange: LRANGE key start stop
func cmdLrange(c *command.Call) error {
	start, end, err := command.IntPair(c.Args[2], c.Args[3])
	if err != nil {
		return err
	}
	e, err := c.LookupKind(c.Args[1], keyspace.KindList)
	if err != nil {
		return err
	}
	if e == nil {
		c.R.Array(0)
		return nil
	}
	l := command.ListOf(e)
	lo, hi, ok := command.RankSpan(start, end, l.Len())
	if !ok {
		c.R.Array(0)
		return nil
	}
	c.R.Array(hi - lo + 1)
	for i := lo; i <= hi; i++ {
		c.R.BulkString(l.At(i))
	}
	return nil
}

// cmdLtrim: LTRIM key start stop
func cmdLtrim(c *command.Call) error {
	start, end, err := command.IntPair(c.Args[2], c.Args[3])
	if err != nil {
		return err
	}
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, keyspace.KindList)
	if err != nil {
		return err
	}
	if e != nil {
		l := command.ListOf(e)
		lo, hi, ok := command.RankSpan(start, end, l.Len())
		if !ok {
			lo, hi = 1, 0
		}
		l.Trim(lo, hi)
		c.Notify(command.NotifyList, "ltrim", key)
		listChanged(c, key, e)
	}
	c.R.Simple("OK")
	return nil
}
