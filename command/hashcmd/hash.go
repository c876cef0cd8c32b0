package hashcmd

import (
	"strconv"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/internal/longdouble"
	"github.com/larder-db/larder/keyspace"
)

func Commands() []*command.Spec {
	return []*command.Spec{
		{Name: "hset", Arity: -4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHset},
		{Name: "hmset", Arity: -4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHmset},
		{Name: "hsetnx", Arity: 4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHsetnx},
		{Name: "hdel", Arity: -3, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHdel},
		{Name: "hget", Arity: 3, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLFast, Handler: cmdHget},
		{Name: "hmget", Arity: -3, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLFast, Handler: cmdHmget},
		{Name: "hexists", Arity: 3, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLFast, Handler: cmdHexists},
		{Name: "hlen", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLFast, Handler: cmdHlen},
		{Name: "hstrlen", Arity: 3, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLFast, Handler: cmdHstrlen},
		{Name: "hgetall", Arity: 2, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLSlow, Handler: cmdHgetall},
		{Name: "hkeys", Arity: 2, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLSlow, Handler: cmdHkeys},
		{Name: "hvals", Arity: 2, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLSlow, Handler: cmdHvals},
		{Name: "hincrby", Arity: 4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHincrby},
		{Name: "hincrbyfloat", Arity: 4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHincrbyfloat},
		{Name: "hrandfield", Arity: -2, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLSlow, Handler: cmdHrandfield},
		{Name: "hscan", Arity: -3, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLSlow, Handler: cmdHscan},
		// Redis 7.4 field expiry and Redis 8.0 commands (not in 7.0; rows
		// from redis.io's COMMAND output for them).
		{Name: "hexpire", Arity: -6, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHexpire},
		{Name: "hpexpire", Arity: -6, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHpexpire},
		{Name: "hexpireat", Arity: -6, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHexpireat},
		{Name: "hpexpireat", Arity: -6, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHpexpireat},
		{Name: "httl", Arity: -5, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLFast, Handler: cmdHttl},
		{Name: "hpttl", Arity: -5, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLFast, Handler: cmdHpttl},
		{Name: "hexpiretime", Arity: -5, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLFast, Handler: cmdHexpiretime},
		{Name: "hpexpiretime", Arity: -5, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLHash | command.ACLFast, Handler: cmdHpexpiretime},
		{Name: "hpersist", Arity: -5, Flags: command.FlagWrite | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHpersist},
		{Name: "hgetdel", Arity: -5, Flags: command.FlagWrite | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHgetdel},
		{Name: "hgetex", Arity: -5, Flags: command.FlagWrite | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHgetex},
		{Name: "hsetex", Arity: -6, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast | command.FlagSelfJournal, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLHash | command.ACLFast, Handler: cmdHsetex},
	}
}

// Hash-only error texts (Redis 7.0's).
const (
	errHashNotInteger command.Error = "ERR hash value is not an integer"
	errHashNotFloat   command.Error = "ERR hash value is not a float"
	errIncrNaNOrInf   command.Error = "ERR value is NaN or Infinity"
)

// hashLimits returns hash-max-listpack-entries and -value.
func hashLimits(c *command.Call) (int64, int64) {
	return c.D.Cfg.Int("hash-max-listpack-entries"), c.D.Cfg.Int("hash-max-listpack-value")
}

// hashRead is the read lookup of a hash: its entry and value, nil when the
// key is missing or every field has expired (a read cannot remove them).
func hashRead(c *command.Call, key []byte) (*keyspace.Hash, error) {
	e, err := c.LookupKind(key, keyspace.KindHash)
	if e == nil || err != nil {
		return nil, err
	}
	h := command.HashOf(e)
	if h.TTLCount() > 0 && h.LiveLen(c.NowMs()) == 0 {
		return nil, nil
	}
	return h, nil
}

// hashWrite is the write lookup of a hash: the live entry of key with the
// fields whose TTL has passed removed (journaled as HDEL, as Redis
// propagates lazily expired fields), and nil when that emptied the hash,
// which is then deleted like Redis deletes a hash whose last field expires.
func hashWrite(c *command.Call, key []byte) (*keyspace.Entry, error) {
	e, err := c.LookupWriteKind(key, keyspace.KindHash)
	if e == nil || err != nil {
		return nil, err
	}
	h := command.HashOf(e)
	if h.TTLCount() == 0 {
		return e, nil
	}
	gone := h.ExpiredFields(c.NowMs())
	if len(gone) == 0 {
		return e, nil
	}
	argv := make([][]byte, 0, 2+len(gone))
	argv = append(argv, []byte("HDEL"), key)
	for _, f := range gone {
		h.Delete([]byte(f))
		argv = append(argv, []byte(f))
	}
	c.Journal(argv...)
	c.Notify(command.NotifyHash, "hexpired", key)
	if h.Len() == 0 {
		c.DB().Delete(key)
		c.Notify(command.NotifyGeneric, "del", key)
		return nil, nil
	}
	return e, nil
}

// hashCreate returns the hash of key for a write, creating an empty one
// when the key is missing (Redis's hashTypeLookupWriteOrCreate).
func hashCreate(c *command.Call, key []byte) (*keyspace.Entry, error) {
	e, err := hashWrite(c, key)
	if err != nil || e != nil {
		return e, err
	}
	return c.DB().SetObject(key, keyspace.KindHash, keyspace.NewHash()), nil
}

// hashChanged finishes a write that removed fields: an emptied hash is
// deleted, otherwise its size is re-accounted.
func hashChanged(c *command.Call, key []byte, e *keyspace.Entry) {
	if command.HashOf(e).Len() == 0 {
		c.DB().Delete(key)
		c.Notify(command.NotifyGeneric, "del", key)
		return
	}
	c.WatchFieldTTLs(key, command.HashOf(e))
}

// cmdHset: HSET key field value [field value ...]
func cmdHset(c *command.Call) error { return hsetGeneric(c, false) }

// cmdHmset: HMSET key field value [field value ...]
func cmdHmset(c *command.Call) error { return hsetGeneric(c, true) }

func hsetGeneric(c *command.Call, ok bool) error {
	if len(c.Args)%2 == 1 {
		return command.WrongArgs(c.Spec.Name)
	}
	key := c.Args[1]
	e, err := hashCreate(c, key)
	if err != nil {
		return err
	}
	h, created := command.HashOf(e), 0
	me, mv := hashLimits(c)
	for i := 2; i < len(c.Args); i += 2 {
		if h.Set(c.Args[i], c.Args[i+1], false, me, mv) {
			created++
		}
	}
	c.Notify(command.NotifyHash, "hset", key)
	if ok {
		c.R.Simple("OK")
	} else {
		c.R.Int(int64(created))
	}
	return nil
}

// cmdHsetnx: HSETNX key field value
func cmdHsetnx(c *command.Call) error {
	key := c.Args[1]
	e, err := hashCreate(c, key)
	if err != nil {
		return err
	}
	h := command.HashOf(e)
	if h.Has(c.Args[2], c.NowMs()) {
		c.R.Int(0)
		return nil
	}
	me, mv := hashLimits(c)
	h.Set(c.Args[2], c.Args[3], false, me, mv)
	c.Notify(command.NotifyHash, "hset", key)
	c.R.Int(1)
	return nil
}

// cmdHdel: HDEL key field [field ...]
func cmdHdel(c *command.Call) error {
	key := c.Args[1]
	e, err := hashWrite(c, key)
	if err != nil || e == nil {
		if err == nil {
			c.R.Int(0)
		}
		return err
	}
	h, deleted := command.HashOf(e), 0
	for _, f := range c.Args[2:] {
		if h.Delete(f) {
			deleted++
			if h.Len() == 0 {
				break // Redis stops at an emptied hash
			}
		}
	}
	if deleted > 0 {
		c.Notify(command.NotifyHash, "hdel", key)
		hashChanged(c, key, e)
	}
	c.R.Int(int64(deleted))
	return nil
}

// cmdHget: HGET key field
func cmdHget(c *command.Call) error {
	h, err := hashRead(c, c.Args[1])
	if err != nil {
		return err
	}
	if h == nil {
		c.R.Null()
		return nil
	}
	if v, ok := h.Get(c.Args[2], c.NowMs()); ok {
		c.R.BulkString(v)
	} else {
		c.R.Null()
	}
	return nil
}

// cmdHmget: HMGET key field [field ...]
func cmdHmget(c *command.Call) error {
	h, err := hashRead(c, c.Args[1])
	if err != nil {
		return err
	}
	c.R.Array(len(c.Args) - 2)
	for _, f := range c.Args[2:] {
		if h == nil {
			c.R.Null()
		} else if v, ok := h.Get(f, c.NowMs()); ok {
			c.R.BulkString(v)
		} else {
			c.R.Null()
		}
	}
	return nil
}

// cmdHexists: HEXISTS key field
func cmdHexists(c *command.Call) error {
	h, err := hashRead(c, c.Args[1])
	if err != nil {
		return err
	}
	c.R.Int(command.BoolInt(h != nil && h.Has(c.Args[2], c.NowMs())))
	return nil
}

// cmdHlen: HLEN key
func cmdHlen(c *command.Call) error {
	h, err := hashRead(c, c.Args[1])
	if err != nil {
		return err
	}
	if h == nil {
		c.R.Int(0)
		return nil
	}
	c.R.Int(int64(h.LiveLen(c.NowMs())))
	return nil
}

// cmdHstrlen: HSTRLEN key field
func cmdHstrlen(c *command.Call) error {
	h, err := hashRead(c, c.Args[1])
	if err != nil {
		return err
	}
	n := 0
	if h != nil {
		v, _ := h.Get(c.Args[2], c.NowMs())
		n = len(v)
	}
	c.R.Int(int64(n))
	return nil
}

// cmdHgetall: HGETALL key
func cmdHgetall(c *command.Call) error {
	h, err := hashRead(c, c.Args[1])
	if err != nil {
		return err
	}
	if h == nil {
		c.R.Map(0)
		return nil
	}
	now := c.NowMs()
	c.R.Map(h.LiveLen(now))
	h.Each(now, func(f, v string) bool {
		c.R.BulkString(f)
		c.R.BulkString(v)
		return true
	})
	return nil
}

// cmdHkeys: HKEYS key
func cmdHkeys(c *command.Call) error { return hkeysVals(c, true) }

// cmdHvals: HVALS key
func cmdHvals(c *command.Call) error { return hkeysVals(c, false) }

func hkeysVals(c *command.Call, keys bool) error {
	h, err := hashRead(c, c.Args[1])
	if err != nil {
		return err
	}
	if h == nil {
		c.R.Array(0)
		return nil
	}
	now := c.NowMs()
	c.R.Array(h.LiveLen(now))
	h.Each(now, func(f, v string) bool {
		if keys {
			c.R.BulkString(f)
		} else {
			c.R.BulkString(v)
		}
		return true
	})
	return nil
}

// cmdHincrby: HINCRBY key field increment
func cmdHincrby(c *command.Call) error {
	by, err := command.IntArg(c.Args[3])
	if err != nil {
		return err
	}
	key, field := c.Args[1], c.Args[2]
	e, err := hashCreate(c, key)
	if err != nil {
		return err
	}
	h := command.HashOf(e)
	var cur int64
	if v, ok := h.Get(field, c.NowMs()); ok {
		n, ok := command.ParseInt([]byte(v))
		if !ok {
			c.DeleteIfEmpty(key, h.Len())
			return errHashNotInteger
		}
		cur = n
	}
	if (by < 0 && cur < 0 && by < -1<<63-cur) || (by > 0 && cur > 0 && by > 1<<63-1-cur) {
		c.DeleteIfEmpty(key, h.Len())
		return command.ErrOverflow
	}
	n := cur + by
	me, mv := hashLimits(c)
	h.Set(field, strconv.AppendInt(nil, n, 10), true, me, mv)
	c.Notify(command.NotifyHash, "hincrby", key)
	c.R.Int(n)
	return nil
}

// cmdHincrbyfloat: HINCRBYFLOAT key field increment
//
// The sum is Redis's: 80-bit long double arithmetic printed with its 17
// significant digits (longdouble.Value, as INCRBYFLOAT). It is journaled
// as HSET key field <result> (HSETEX key KEEPTTL FIELDS 1 field <result>
// when the field has a TTL, as Redis 8 propagates it), so replay never
// redoes float arithmetic and keeps the field's TTL.
func cmdHincrbyfloat(c *command.Call) error {
	incr, err := longdouble.Parse(c.Args[3])
	if err != nil {
		return command.ErrNotFloat
	}
	if incr.IsInf() {
		return errIncrNaNOrInf
	}
	key, field := c.Args[1], c.Args[2]
	e, err := hashCreate(c, key)
	if err != nil {
		return err
	}
	h := command.HashOf(e)
	var cur longdouble.Value
	if v, ok := h.Get(field, c.NowMs()); ok {
		if cur, err = longdouble.Parse([]byte(v)); err != nil {
			c.DeleteIfEmpty(key, h.Len())
			return errHashNotFloat
		}
	}
	sum, err := cur.Add(incr)
	if err != nil {
		c.DeleteIfEmpty(key, h.Len())
		return command.ErrNaNOrInf
	}
	out := sum.AppendText(make([]byte, 0, 32))
	me, mv := hashLimits(c)
	h.Set(field, out, true, me, mv)
	c.Notify(command.NotifyHash, "hincrbyfloat", key)
	if _, ttl := h.TTL(field); ttl {
		c.Journal([]byte("HSETEX"), key, []byte("KEEPTTL"), []byte("FIELDS"), []byte("1"), field, out)
	} else {
		c.Journal([]byte("HSET"), key, field, out)
	}
	c.R.Bulk(out)
	return nil
}
