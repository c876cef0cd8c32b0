package stringcmd

import (
	"strconv"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/keyspace"
)

// cmdSetnx: SETNX key value
func cmdSetnx(c *command.Call) error {
	key := c.Args[1]
	if c.LookupWrite(key) != nil {
		c.R.Int(0)
		return nil
	}
	c.DB().SetString(key, c.Args[2], false)
	c.Notify(command.NotifyString, "set", key)
	c.R.Int(1)
	return nil
}

// cmdSetex: SETEX key seconds value
func cmdSetex(c *command.Call) error { return setWithExpire(c, setEX, "setex") }

// cmdPsetex: PSETEX key milliseconds value
func cmdPsetex(c *command.Call) error { return setWithExpire(c, setPX, "psetex") }

// setWithExpire is SETEX and PSETEX: SET with a relative expiry, journaled
// with the absolute time it resolved to.
func setWithExpire(c *command.Call, flag int, name string) error {
	o := expireOpts{flags: flag, expire: c.Args[2]}
	if err := o.resolveExpire(name, c.NowMs()); err != nil {
		return err
	}
	key, val := c.Args[1], c.Args[3]
	c.LookupWrite(key)
	e := c.DB().SetString(key, val, false)
	c.DB().SetExpire(e, o.at)
	c.JournalSet(key, val, o.at)
	c.Notify(command.NotifyString, "set", key)
	c.Notify(command.NotifyGeneric, "expire", key)
	c.R.Simple("OK")
	return nil
}

// cmdGetset: GETSET key value
func cmdGetset(c *command.Call) error {
	key := c.Args[1]
	old := c.LookupWrite(key)
	if old != nil && old.Kind() != keyspace.KindString {
		return keyspace.ErrWrongType
	}
	replyOptionalBulk(c, old)
	c.DB().SetString(key, c.Args[2], false)
	c.Notify(command.NotifyString, "set", key)
	return nil
}

// cmdGetdel: GETDEL key
func cmdGetdel(c *command.Call) error {
	key := c.Args[1]
	e, err := stringValue(c, key)
	if err != nil || e == nil {
		if err == nil {
			c.R.Null()
		}
		return err
	}
	c.R.Bulk(e.Str())
	c.DB().Delete(key)
	c.Notify(command.NotifyGeneric, "del", key)
	return nil
}

// cmdGetex: GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
// PXAT unix-time-milliseconds | PERSIST]
func cmdGetex(c *command.Call) error {
	o, err := parseSetOptions(c.Args[2:], true)
	if err != nil {
		return err
	}
	key, db := c.Args[1], c.DB()
	e, err := stringValue(c, key)
	if err != nil || e == nil {
		if err == nil {
			c.R.Null() // Redis answers a missing key before checking the expiry
		}
		return err
	}
	if err := o.resolveExpire("getex", c.NowMs()); err != nil {
		return err
	}
	c.R.Bulk(e.Str())
	switch {
	case o.flags&(setEXAT|setPXAT) != 0 && o.at <= c.NowMs():
		db.Delete(key)
		c.Journal([]byte("DEL"), key)
		c.Notify(command.NotifyGeneric, "del", key)
	case o.at != 0:
		db.SetExpire(e, o.at)
		c.Journal([]byte("PEXPIREAT"), key, strconv.AppendInt(nil, o.at, 10))
		c.Notify(command.NotifyGeneric, "expire", key)
	case o.flags&setPersist != 0 && e.ExpireAt() != 0:
		db.SetExpire(e, 0)
		c.Journal([]byte("PERSIST"), key)
		c.Notify(command.NotifyGeneric, "persist", key)
	}
	return nil
}

// cmdMget: MGET key [key ...]
func cmdMget(c *command.Call) error {
	keys := c.Args[1:]
	c.R.Array(len(keys))
	for _, k := range keys {
		e := c.Lookup(k)
		if e == nil || e.Kind() != keyspace.KindString {
			c.R.Null()
			continue
		}
		c.R.Bulk(e.Str())
	}
	return nil
}

// cmdMset: MSET key value [key value ...]
func cmdMset(c *command.Call) error {
	if len(c.Args)%2 == 0 {
		return command.WrongArgs(c.Spec.Name)
	}
	msetAll(c)
	c.R.Simple("OK")
	return nil
}

// cmdMsetnx: MSETNX key value [key value ...]
func cmdMsetnx(c *command.Call) error {
	if len(c.Args)%2 == 0 {
		return command.WrongArgs(c.Spec.Name)
	}
	for i := 1; i < len(c.Args); i += 2 {
		if c.LookupWrite(c.Args[i]) != nil {
			c.R.Int(0)
			return nil
		}
	}
	msetAll(c)
	c.R.Int(1)
	return nil
}

func msetAll(c *command.Call) {
	db := c.DB()
	for i := 1; i < len(c.Args); i += 2 {
		c.LookupWrite(c.Args[i])
		db.SetString(c.Args[i], c.Args[i+1], false)
		c.Notify(command.NotifyString, "set", c.Args[i])
	}
}
