package stringcmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

func Commands() []*command.Spec {
	return []*command.Spec{
		{Name: "get", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLString | command.ACLFast, Handler: cmdGet},
		{Name: "set", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLSlow, KeyFlags: setKeyFlags, Handler: cmdSet},
		{Name: "setnx", Arity: 3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLFast, Handler: cmdSetnx},
		{Name: "setex", Arity: 4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLSlow, Handler: cmdSetex},
		{Name: "psetex", Arity: 4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLSlow, Handler: cmdPsetex},
		{Name: "getset", Arity: 3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLFast, Handler: cmdGetset},
		{Name: "getdel", Arity: 2, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLFast, Handler: cmdGetdel},
		{Name: "getex", Arity: -2, Flags: command.FlagWrite | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLFast, Handler: cmdGetex},
		{Name: "mget", Arity: -2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: -1, Step: 1,
			ACL: command.ACLRead | command.ACLString | command.ACLFast, Handler: cmdMget},
		{Name: "mset", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: -1, Step: 2,
			ACL: command.ACLWrite | command.ACLString | command.ACLSlow, Handler: cmdMset},
		{Name: "msetnx", Arity: -3, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: -1, Step: 2,
			ACL: command.ACLWrite | command.ACLString | command.ACLSlow, Handler: cmdMsetnx},
		{Name: "strlen", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLString | command.ACLFast, Handler: cmdStrlen},
		{Name: "append", Arity: 3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLFast, Handler: cmdAppend},
		{Name: "getrange", Arity: 4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLString | command.ACLSlow, Handler: cmdGetrange},
		{Name: "substr", Arity: 4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLString | command.ACLSlow, Handler: cmdGetrange},
		{Name: "setrange", Arity: 4, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLSlow, Handler: cmdSetrange},
		{Name: "incr", Arity: 2, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLFast, Handler: cmdIncr},
		{Name: "decr", Arity: 2, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLFast, Handler: cmdDecr},
		{Name: "incrby", Arity: 3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLFast, Handler: cmdIncrby},
		{Name: "decrby", Arity: 3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLFast, Handler: cmdDecrby},
		{Name: "incrbyfloat", Arity: 3, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLString | command.ACLFast, Handler: cmdIncrbyfloat},
		{Name: "lcs", Arity: -3, Flags: command.FlagReadOnly, First: 1, Last: 2, Step: 1,
			ACL: command.ACLRead | command.ACLString | command.ACLSlow, Handler: cmdLcs},
	}
}

// stringValue returns the live string entry of key, nil when missing, or
// ErrWrongType.
func stringValue(c *command.Call, key []byte) (*keyspace.Entry, error) {
	e := c.Lookup(key)
	if e != nil && e.Kind() != keyspace.KindString {
		return nil, keyspace.ErrWrongType
	}
	return e, nil
}

// cmdGet: GET key
func cmdGet(c *command.Call) error {
	e, err := stringValue(c, c.Args[1])
	if err != nil {
		return err
	}
	if e == nil {
		c.R.Null()
		return nil
	}
	c.R.Bulk(e.Str())
	return nil
}

// SET option bits, as Redis's OBJ_* flags.
const (
	setNX = 1 << iota
	setXX
	setGet
	setKeepTTL
	setPersist
	setEX
	setPX
	setEXAT
	setPXAT
)

const setExpireFlags = setEX | setPX | setEXAT | setPXAT

// expireOpts holds the parsed options shared by SET and GETEX.
type expireOpts struct {
	flags  int
	expire []byte
	at     int64 // absolute unix ms, when an expire option was given
}

// parseSetOptions is Redis 7.0's parseExtendedStringArgumentsOrReply: the
// same precedence rules, so the same argument lists are syntax errors.
func parseSetOptions(args [][]byte, forGetEx bool) (expireOpts, error) {
	var o expireOpts
	for j := 0; j < len(args); j++ {
		a := args[j]
		hasNext := j+1 < len(args)
		f := o.flags
		switch {
		case !forGetEx && command.Eq(a, "nx") && f&setXX == 0:
			o.flags |= setNX
		case !forGetEx && command.Eq(a, "xx") && f&setNX == 0:
			o.flags |= setXX
		case !forGetEx && command.Eq(a, "get"):
			o.flags |= setGet
		case !forGetEx && command.Eq(a, "keepttl") && f&(setPersist|setExpireFlags) == 0:
			o.flags |= setKeepTTL
		case forGetEx && command.Eq(a, "persist") && f&(setKeepTTL|setExpireFlags) == 0:
			o.flags |= setPersist
		case hasNext && expireOption(a, f) != 0:
			o.flags |= expireOption(a, f)
			o.expire = args[j+1]
			j++
		default:
			return o, command.ErrSyntax
		}
	}
	return o, nil
}

// expireOption returns the flag of an EX/PX/EXAT/PXAT option allowed after
// the flags f already seen, or 0.
func expireOption(a []byte, f int) int {
	others := func(self int) bool { return f&(setKeepTTL|setPersist|(setExpireFlags&^self)) == 0 }
	switch {
	case command.Eq(a, "ex") && others(setEX):
		return setEX
	case command.Eq(a, "px") && others(setPX):
		return setPX
	case command.Eq(a, "exat") && others(setEXAT):
		return setEXAT
	case command.Eq(a, "pxat") && others(setPXAT):
		return setPXAT
	}
	return 0
}

// resolveExpire turns the expire argument into absolute ms, with Redis's
// checks and texts (getExpireMillisecondsOrReply).
func (o *expireOpts) resolveExpire(cmd string, now int64) error {
	if o.flags&setExpireFlags == 0 {
		return nil
	}
	ms, ok := command.ParseInt(o.expire)
	if !ok {
		return command.ErrNotInteger
	}
	seconds := o.flags&(setEX|setEXAT) != 0
	if ms <= 0 || (seconds && ms > (1<<63-1)/1000) {
		return command.InvalidExpire(cmd)
	}
	if seconds {
		ms *= 1000
	}
	if o.flags&(setEX|setPX) != 0 {
		ms += now
	}
	if ms <= 0 {
		return command.InvalidExpire(cmd)
	}
	o.at = ms
	return nil
}

// setKeyFlags is Redis's setGetKeys, for COMMAND GETKEYSANDFLAGS: SET's
// key spec has variable flags, overwrite unless GET reads the old value.
func setKeyFlags(argv [][]byte) []string {
	for _, a := range argv[3:] {
		if command.Eq(a, "get") {
			return []string{"RW", "access", "update"}
		}
	}
	return []string{"OW", "update"}
}

// cmdSet: SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ms-ts | KEEPTTL]
func cmdSet(c *command.Call) error {
	o, err := parseSetOptions(c.Args[3:], false)
	if err != nil {
		return err
	}
	if err := o.resolveExpire("set", c.NowMs()); err != nil {
		return err
	}
	key, db := c.Args[1], c.DB()
	old := c.LookupWrite(key)
	if o.flags&setGet != 0 && old != nil && old.Kind() != keyspace.KindString {
		return keyspace.ErrWrongType
	}
	if (o.flags&setNX != 0 && old != nil) || (o.flags&setXX != 0 && old == nil) {
		if o.flags&setGet != 0 {
			replyOptionalBulk(c, old)
		} else {
			c.R.Null()
		}
		return nil
	}
	if o.flags&setGet != 0 {
		replyOptionalBulk(c, old)
	}
	e := db.SetString(key, c.Args[2], o.flags&setKeepTTL != 0)
	if o.at != 0 {
		db.SetExpire(e, o.at)
	}
	c.JournalSet(key, c.Args[2], e.ExpireAt())
	c.Notify(command.NotifyString, "set", key)
	if o.at != 0 {
		c.Notify(command.NotifyGeneric, "expire", key)
	}
	if o.flags&setGet == 0 {
		c.R.Simple("OK")
	}
	return nil
}

// replyOptionalBulk replies a string entry's value, or null.
func replyOptionalBulk(c *command.Call, e *keyspace.Entry) {
	if e == nil {
		c.R.Null()
		return
	}
	c.R.Bulk(e.Str())
}
