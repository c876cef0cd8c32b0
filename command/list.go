package command

import (
	"github.com/larder-db/larder/keyspace"
)

func listCommands() []*Spec {
	row := func(name string, arity int, flags Flag, acl ACL, h func(*Call) error) *Spec {
		return &Spec{Name: name, Arity: arity, Flags: flags, First: 1, Last: 1, Step: 1, ACL: acl | ACLList, Handler: h}
	}
	const (
		wf  = FlagWrite | FlagDenyOOM | FlagFast
		aw  = ACLWrite | ACLFast
		aws = ACLWrite | ACLSlow
		ars = ACLRead | ACLSlow
	)
	block := FlagWrite | FlagNoScript | FlagBlocking
	return []*Spec{
		row("lpush", -3, wf, aw, cmdLpush),
		row("rpush", -3, wf, aw, cmdRpush),
		row("lpushx", -3, wf, aw, cmdLpushx),
		row("rpushx", -3, wf, aw, cmdRpushx),
		row("lpop", -2, FlagWrite|FlagFast, aw, cmdLpop),
		row("rpop", -2, FlagWrite|FlagFast, aw, cmdRpop),
		row("llen", 2, FlagReadOnly|FlagFast, ACLRead|ACLFast, cmdLlen),
		row("lindex", 3, FlagReadOnly, ars, cmdLindex),
		row("lset", 4, FlagWrite|FlagDenyOOM, aws, cmdLset),
		row("lrange", 4, FlagReadOnly, ars, cmdLrange),
		row("ltrim", 4, FlagWrite, aws, cmdLtrim),
		row("linsert", 5, FlagWrite|FlagDenyOOM, aws, cmdLinsert),
		row("lrem", 4, FlagWrite, aws, cmdLrem),
		row("lpos", -3, FlagReadOnly, ars, cmdLpos),
		{Name: "lmove", Arity: 5, Flags: FlagWrite | FlagDenyOOM, First: 1, Last: 2, Step: 1, ACL: aws | ACLList, Handler: cmdLmove},
		{Name: "rpoplpush", Arity: 3, Flags: FlagWrite | FlagDenyOOM, First: 1, Last: 2, Step: 1, ACL: aws | ACLList, Handler: cmdRpoplpush},
		{Name: "lmpop", Arity: -4, Flags: FlagWrite | FlagMovableKeys, ACL: aws | ACLList, Keys: zmpopKeys, Handler: cmdLmpop},
		{Name: "blpop", Arity: -3, Flags: block, First: 1, Last: -2, Step: 1, ACL: aws | ACLList | ACLBlocking, Handler: cmdBlpop},
		{Name: "brpop", Arity: -3, Flags: block, First: 1, Last: -2, Step: 1, ACL: aws | ACLList | ACLBlocking, Handler: cmdBrpop},
		{Name: "blmove", Arity: 6, Flags: block | FlagDenyOOM, First: 1, Last: 2, Step: 1, ACL: aws | ACLList | ACLBlocking, Handler: cmdBlmove},
		{Name: "brpoplpush", Arity: 4, Flags: block | FlagDenyOOM, First: 1, Last: 2, Step: 1, ACL: aws | ACLList | ACLBlocking, Handler: cmdBrpoplpush},
		{Name: "blmpop", Arity: -5, Flags: FlagWrite | FlagBlocking | FlagMovableKeys, ACL: aws | ACLList | ACLBlocking, Keys: bzmpopKeys, Handler: cmdBlmpop},
	}
}

// listOf returns the list value of a list entry.
func listOf(e *keyspace.Entry) *keyspace.List { return e.Obj().(*keyspace.List) }

// listChanged finishes a write that removed elements: an emptied list is
// deleted (with its del event), otherwise re-accounted.
func (c *Call) listChanged(key []byte, e *keyspace.Entry) {
	if listOf(e).Len() == 0 {
		c.DB().Delete(key)
		c.notify(notifyGeneric, "del", key)
		return
	}
	c.DB().Resized(e)
}

func cmdLpush(c *Call) error  { return push(c, true, false) }
func cmdRpush(c *Call) error  { return push(c, false, false) }
func cmdLpushx(c *Call) error { return push(c, true, true) }
func cmdRpushx(c *Call) error { return push(c, false, true) }

// push: LPUSH|RPUSH|LPUSHX|RPUSHX key element [element ...]
func push(c *Call, left, onlyExisting bool) error {
	key := c.Args[1]
	e, err := c.lookupWriteKind(key, keyspace.KindList)
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
	l := listOf(e)
	for _, v := range c.Args[2:] {
		if left {
			l.PushLeft(string(v))
		} else {
			l.PushRight(string(v))
		}
	}
	c.DB().Resized(e)
	c.Dirty(len(c.Args) - 2)
	c.notify(notifyList, pushEvent(left), key)
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
func (c *Call) popFrom(key []byte, e *keyspace.Entry, left bool, n int) []string {
	l := listOf(e)
	n = min(n, l.Len())
	out := make([]string, n)
	for i := range out {
		if left {
			out[i] = l.PopLeft()
		} else {
			out[i] = l.PopRight()
		}
	}
	c.Dirty(n)
	c.notify(notifyList, popEvent(left), key)
	c.listChanged(key, e)
	return out
}

func cmdLpop(c *Call) error { return pop(c, true) }
func cmdRpop(c *Call) error { return pop(c, false) }

// pop: LPOP|RPOP key [count]
func pop(c *Call, left bool) error {
	if len(c.Args) > 3 {
		return wrongArgs(c.spec.Name)
	}
	count, err := optionalCount(c.Args, 2)
	if err != nil {
		return err
	}
	key := c.Args[1]
	e, err := c.lookupWriteKind(key, keyspace.KindList)
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
		c.R.BulkString(c.popFrom(key, e, left, 1)[0])
		return nil
	}
	out := c.popFrom(key, e, left, int(min(count, 1<<31)))
	c.R.Array(len(out))
	for _, v := range out {
		c.R.BulkString(v)
	}
	return nil
}

// cmdLlen: LLEN key
func cmdLlen(c *Call) error {
	e, err := c.lookupKind(c.Args[1], keyspace.KindList)
	if err != nil {
		return err
	}
	n := 0
	if e != nil {
		n = listOf(e).Len()
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
func cmdLindex(c *Call) error {
	i, err := intArg(c.Args[2])
	if err != nil {
		return err
	}
	e, err := c.lookupKind(c.Args[1], keyspace.KindList)
	if err != nil {
		return err
	}
	if e != nil {
		if j, ok := listIndex(i, listOf(e).Len()); ok {
			c.R.BulkString(listOf(e).At(j))
			return nil
		}
	}
	c.R.Null()
	return nil
}

// cmdLset: LSET key index element
func cmdLset(c *Call) error {
	i, err := intArg(c.Args[2])
	if err != nil {
		return err
	}
	key := c.Args[1]
	e, err := c.lookupWriteKind(key, keyspace.KindList)
	if err != nil {
		return err
	}
	if e == nil {
		return errNoSuchKey
	}
	j, ok := listIndex(i, listOf(e).Len())
	if !ok {
		return Error("ERR index out of range")
	}
	listOf(e).Set(j, string(c.Args[3]))
	c.DB().Resized(e)
	c.Dirty(1)
	c.notify(notifyList, "lset", key)
	c.R.Simple("OK")
	return nil
}

// cmdLrange: LRANGE key start stop
func cmdLrange(c *Call) error {
	start, end, err := intPair(c.Args[2], c.Args[3])
	if err != nil {
		return err
	}
	e, err := c.lookupKind(c.Args[1], keyspace.KindList)
	if err != nil {
		return err
	}
	if e == nil {
		c.R.Array(0)
		return nil
	}
	l := listOf(e)
	lo, hi, ok := rankSpan(start, end, l.Len())
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
func cmdLtrim(c *Call) error {
	start, end, err := intPair(c.Args[2], c.Args[3])
	if err != nil {
		return err
	}
	key := c.Args[1]
	e, err := c.lookupWriteKind(key, keyspace.KindList)
	if err != nil {
		return err
	}
	if e != nil {
		l := listOf(e)
		before := l.Len()
		lo, hi, ok := rankSpan(start, end, l.Len())
		if !ok {
			lo, hi = 1, 0
		}
		l.Trim(lo, hi)
		c.notify(notifyList, "ltrim", key)
		c.Dirty(before - l.Len())
		c.listChanged(key, e)
	}
	c.R.Simple("OK")
	return nil
}
