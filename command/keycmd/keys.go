package keycmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

func keyCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "del", Arity: -2, Flags: command.FlagWrite, First: 1, Last: -1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLSlow, Handler: cmdDel},
		{Name: "unlink", Arity: -2, Flags: command.FlagWrite | command.FlagFast | command.FlagUpstashNoArgs, First: 1, Last: -1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLFast, Handler: cmdDel},
		{Name: "exists", Arity: -2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: -1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLFast, Handler: cmdExists},
		{Name: "touch", Arity: -2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: -1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLFast, Handler: cmdTouch},
		{Name: "type", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLFast, Handler: cmdType},
		{Name: "ttl", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLFast, Handler: cmdTTL},
		{Name: "pttl", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLFast, Handler: cmdPTTL},
		{Name: "expiretime", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLFast, Handler: cmdExpiretime},
		{Name: "pexpiretime", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLFast, Handler: cmdPexpiretime},
		{Name: "persist", Arity: 2, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLFast, Handler: cmdPersist},
		{Name: "expire", Arity: -3, Flags: command.FlagWrite | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLFast, Handler: cmdExpire},
		{Name: "pexpire", Arity: -3, Flags: command.FlagWrite | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLFast, Handler: cmdPexpire},
		{Name: "expireat", Arity: -3, Flags: command.FlagWrite | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLFast, Handler: cmdExpireat},
		{Name: "pexpireat", Arity: -3, Flags: command.FlagWrite | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLFast, Handler: cmdPexpireat},
		{Name: "rename", Arity: 3, Flags: command.FlagWrite, First: 1, Last: 2, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLSlow, Handler: cmdRename},
		{Name: "renamenx", Arity: 3, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 2, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLFast, Handler: cmdRenamenx},
		{Name: "copy", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagNoLock | command.FlagCrossDB, First: 1, Last: 2, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLSlow, Handler: cmdCopy},
		{Name: "move", Arity: 3, Flags: command.FlagWrite | command.FlagFast | command.FlagNoLock | command.FlagCrossDB, First: 1, Last: 1, Step: 1,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLFast, Handler: cmdMove},
		{Name: "keys", Arity: 2, Flags: command.FlagReadOnly | command.FlagAllShards,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLSlow | command.ACLDangerous, Handler: cmdKeys},
		{Name: "scan", Arity: -2, Flags: command.FlagReadOnly | command.FlagAllShards,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLSlow, Handler: cmdScan},
		{Name: "randomkey", Arity: 1, Flags: command.FlagReadOnly | command.FlagAllShards,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLSlow, Handler: cmdRandomkey},
		{Name: "object", Arity: -2, Flags: command.FlagNoLock, ACL: command.ACLSlow, Subs: []*command.Spec{
			{Name: "object|encoding", Arity: 3, Flags: command.FlagReadOnly, First: 2, Last: 2, Step: 1,
				ACL: command.ACLKeyspace | command.ACLRead | command.ACLSlow, Handler: cmdObjectEncoding},
			{Name: "object|freq", Arity: 3, Flags: command.FlagReadOnly, First: 2, Last: 2, Step: 1,
				ACL: command.ACLKeyspace | command.ACLRead | command.ACLSlow, Handler: cmdObjectFreq},
			{Name: "object|idletime", Arity: 3, Flags: command.FlagReadOnly, First: 2, Last: 2, Step: 1,
				ACL: command.ACLKeyspace | command.ACLRead | command.ACLSlow, Handler: cmdObjectIdletime},
			{Name: "object|refcount", Arity: 3, Flags: command.FlagReadOnly, First: 2, Last: 2, Step: 1,
				ACL: command.ACLKeyspace | command.ACLRead | command.ACLSlow, Handler: cmdObjectRefcount},
			{Name: "object|help", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLKeyspace | command.ACLSlow, Handler: cmdObjectHelp},
		}},
	}
}

// peek looks a key up without touching its access time or counting a
// hit (Redis's LOOKUP_NOTOUCH), as TTL, TYPE and OBJECT do.
func peek(c *command.Call, key []byte) *keyspace.Entry {
	return c.DB().LookupAt(key, c.NowMs(), true)
}

// cmdDel: DEL key [key ...] (and UNLINK, which frees memory the same way in
// Larder: the garbage collector does it off the command path)
func cmdDel(c *command.Call) error {
	n := 0
	for _, k := range c.Args[1:] {
		if c.LookupWrite(k) != nil && c.DB().Delete(k) {
			n++
			c.Notify(command.NotifyGeneric, "del", k)
		}
	}
	c.R.Int(int64(n))
	return nil
}

// cmdExists: EXISTS key [key ...]
func cmdExists(c *command.Call) error {
	n := 0
	for _, k := range c.Args[1:] {
		if peek(c, k) != nil {
			c.Hit()
			n++
		} else {
			c.Miss()
		}
	}
	c.R.Int(int64(n))
	return nil
}

// cmdTouch: TOUCH key [key ...]
func cmdTouch(c *command.Call) error {
	n := 0
	for _, k := range c.Args[1:] {
		if c.Lookup(k) != nil {
			n++
		}
	}
	c.R.Int(int64(n))
	return nil
}

// cmdType: TYPE key
func cmdType(c *command.Call) error {
	e := peek(c, c.Args[1])
	if e == nil {
		c.R.Simple("none")
		return nil
	}
	c.R.Simple(e.Kind().String())
	return nil
}

// ttlReply is Redis's ttlGenericCommand: -2 missing, -1 persistent, else
// the remaining time (seconds rounded to nearest) or the absolute time.
func ttlReply(c *command.Call, ms, abs bool) error {
	e := peek(c, c.Args[1])
	switch {
	case e == nil:
		c.R.Int(-2)
	case e.ExpireAt() == 0:
		c.R.Int(-1)
	case abs && ms:
		c.R.Int(e.ExpireAt())
	case abs:
		c.R.Int(e.ExpireAt() / 1000)
	default:
		left := max(e.ExpireAt()-c.NowMs(), 0)
		if !ms {
			left = (left + 500) / 1000
		}
		c.R.Int(left)
	}
	return nil
}

// cmdTTL: TTL key
func cmdTTL(c *command.Call) error { return ttlReply(c, false, false) }

// cmdPTTL: PTTL key
func cmdPTTL(c *command.Call) error { return ttlReply(c, true, false) }

// cmdExpiretime: EXPIRETIME key
func cmdExpiretime(c *command.Call) error { return ttlReply(c, false, true) }

// cmdPexpiretime: PEXPIRETIME key
func cmdPexpiretime(c *command.Call) error { return ttlReply(c, true, true) }

// cmdPersist: PERSIST key
func cmdPersist(c *command.Call) error {
	e := c.LookupWrite(c.Args[1])
	if e == nil || e.ExpireAt() == 0 {
		c.R.Int(0)
		return nil
	}
	c.DB().SetExpire(e, 0)
	c.Notify(command.NotifyGeneric, "persist", c.Args[1])
	c.R.Int(1)
	return nil
}

// cmdRename: RENAME key newkey
func cmdRename(c *command.Call) error { return rename(c, false) }

// cmdRenamenx: RENAMENX key newkey
func cmdRenamenx(c *command.Call) error { return rename(c, true) }

// rename is Redis's renameGenericCommand: the value and its expiry move to
// the new name, replacing what was there (unless nx).
func rename(c *command.Call, nx bool) error {
	src, dst, db := c.Args[1], c.Args[2], c.DB()
	e := c.LookupWrite(src)
	if e == nil {
		return command.ErrNoSuchKey
	}
	if string(src) == string(dst) {
		if nx {
			c.R.Int(0)
		} else {
			c.R.Simple("OK")
		}
		return nil
	}
	if c.LookupWrite(dst) != nil && nx {
		c.R.Int(0)
		return nil
	}
	db.Move(dst, e)
	db.Delete(src)
	c.Notify(command.NotifyGeneric, "rename_from", src)
	c.Notify(command.NotifyGeneric, "rename_to", dst)
	if nx {
		c.R.Int(1)
	} else {
		c.R.Simple("OK")
	}
	return nil
}

// Commands returns the family's rows: the generic key commands and SORT.
func Commands() []*command.Spec { return append(keyCommands(), sortCommands()...) }
