package hashcmd

import (
	"strconv"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/keyspace"
)

// Hash field expiry: Redis 7.4's HEXPIRE HPEXPIRE HEXPIREAT HPEXPIREAT HTTL
// HPTTL HEXPIRETIME HPEXPIRETIME HPERSIST and Redis 8.0's HGETDEL HGETEX
// HSETEX. Redis 7.0 (the differential oracle) has none of them: syntax,
// replies and error texts follow the redis.io pages and Redis 8.0's
// t_hash.c, and tests/compat_hash_test.go checks them by hand.
//
// Every write here journals its normalised effect (FlagSelfJournal): times
// as absolute HPEXPIREAT/PXAT, fields deleted because their time is past as
// HDEL, so replay never depends on the clock of the original call.

// hfeMaxAbsMs is Redis's HFE_MAX_ABS_TIME_MSEC (EB_EXPIRE_TIME_MAX >> 2):
// no field may expire later than this unix ms.
const hfeMaxAbsMs = (1<<48 - 1) >> 2

// Texts of the field-expiry commands.
const (
	errFieldsMissing   command.Error = "ERR Mandatory argument FIELDS is missing or not at the right position"
	errNumFieldsMatch  command.Error = "ERR The `numfields` parameter must match the number of arguments"
	errNumFieldsPos    command.Error = "ERR Number of fields must be a positive integer"
	errNumFieldsExpire command.Error = "ERR Parameter `numFields` should be greater than 0"
	errExpireNegative  command.Error = "ERR invalid expire time, must be >= 0"
)

// Per-field reply codes of HEXPIRE (hashTypeSetEx) and HTTL/HPERSIST.
const (
	hfeNoField = -2
	hfeNoTTL   = -1
	hfeNotMet  = 0
	hfeSet     = 1
	hfeDeleted = 2
)

// HEXPIRE's conditions.
const (
	hfeCondNone = iota
	hfeCondNX
	hfeCondXX
	hfeCondGT
	hfeCondLT
)

// parseHashExpire is Redis's parseExpireTime: a non-negative integer in
// seconds (ms when ms) added to base, bounded by hfeMaxAbsMs.
func parseHashExpire(c *command.Call, arg []byte, ms bool, base int64) (int64, error) {
	v, err := command.IntArg(arg)
	if err != nil {
		return 0, err
	}
	if v < 0 {
		return 0, errExpireNegative
	}
	bad := command.Error("ERR invalid expire time in '" + c.Spec.Name + "' command")
	if !ms {
		if v > hfeMaxAbsMs/1000 {
			return 0, bad
		}
		v *= 1000
	}
	if v > hfeMaxAbsMs-base {
		return 0, bad
	}
	return v + base, nil
}

// parseFieldsBlock checks "FIELDS numfields field ..." with FIELDS at
// argument at, numfields next and exactly numfields fields after it; it
// returns the position of the first field.
func parseFieldsBlock(c *command.Call, at int, numErr command.Error) (int, error) {
	if at+1 >= len(c.Args) {
		return 0, command.WrongArgs(c.Spec.Name)
	}
	if !command.Eq(c.Args[at], "fields") {
		return 0, errFieldsMissing
	}
	n, ok := command.ParseInt(c.Args[at+1])
	if !ok || n < 1 {
		return 0, numErr
	}
	if n != int64(len(c.Args)-at-2) {
		return 0, errNumFieldsMatch
	}
	return at + 2, nil
}

// replyCodes writes the same code for every field (a missing key).
func replyCodes(c *command.Call, n int, code int64) {
	c.R.Array(n)
	for range n {
		c.R.Int(code)
	}
}

// fieldsArgv builds "CMD key [extra...] FIELDS n f..." for the journal.
func fieldsArgv(cmd string, key []byte, extra [][]byte, fields [][]byte) [][]byte {
	argv := make([][]byte, 0, 4+len(extra)+len(fields))
	argv = append(argv, []byte(cmd), key)
	argv = append(argv, extra...)
	argv = append(argv, []byte("FIELDS"), strconv.AppendInt(nil, int64(len(fields)), 10))
	return append(argv, fields...)
}

// journalFields logs cmd for the fields it applied to, when there are any.
func journalFields(c *command.Call, cmd string, key []byte, extra [][]byte, fields [][]byte) {
	if len(fields) > 0 {
		c.Journal(fieldsArgv(cmd, key, extra, fields)...)
	}
}

// journalHdel logs the removal of fields, when there are any.
func journalHdel(c *command.Call, key []byte, fields [][]byte) {
	if len(fields) > 0 {
		argv := append([][]byte{[]byte("HDEL"), key}, fields...)
		c.Journal(argv...)
	}
}

// cmdHexpire: HEXPIRE key seconds [NX | XX | GT | LT] FIELDS numfields field [field ...]
func cmdHexpire(c *command.Call) error { return hexpireGeneric(c, false, true) }

// cmdHpexpire: HPEXPIRE key milliseconds [NX | XX | GT | LT] FIELDS numfields field [field ...]
func cmdHpexpire(c *command.Call) error { return hexpireGeneric(c, true, true) }

// cmdHexpireat: HEXPIREAT key unix-time-seconds [NX | XX | GT | LT] FIELDS numfields field [field ...]
func cmdHexpireat(c *command.Call) error { return hexpireGeneric(c, false, false) }

// cmdHpexpireat: HPEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] FIELDS numfields field [field ...]
func cmdHpexpireat(c *command.Call) error { return hexpireGeneric(c, true, false) }

// hexpireGeneric is Redis's hexpireGenericCommand: the key's type first,
// then the time, the condition, the FIELDS block; one code per field.
func hexpireGeneric(c *command.Call, ms, relative bool) error {
	key := c.Args[1]
	e, err := hashWrite(c, key)
	if err != nil {
		return err
	}
	base := int64(0)
	if relative {
		base = c.NowMs()
	}
	at, err := parseHashExpire(c, c.Args[2], ms, base)
	if err != nil {
		return err
	}
	cond, fieldsAt := hfeCondNone, 3
	for i, name := range []string{"nx", "xx", "gt", "lt"} {
		if command.Eq(c.Args[3], name) {
			cond, fieldsAt = hfeCondNX+i, 4
		}
	}
	first, err := parseFieldsBlock(c, fieldsAt, errNumFieldsExpire)
	if err != nil {
		return err
	}
	fields := c.Args[first:]
	if e == nil {
		replyCodes(c, len(fields), hfeNoField)
		return nil
	}
	h, now := command.HashOf(e), c.NowMs()
	var set, deleted [][]byte
	c.R.Array(len(fields))
	for _, f := range fields {
		code := hexpireField(h, f, at, cond, now)
		switch code {
		case hfeSet:
			set = append(set, f)
		case hfeDeleted:
			deleted = append(deleted, f)
		}
		c.R.Int(code)
	}
	if n := len(set) + len(deleted); n > 0 {
		journalHdel(c, key, deleted)
		journalFields(c, "HPEXPIREAT", key, [][]byte{strconv.AppendInt(nil, at, 10)}, set)
		c.FieldEvents(key, len(set), "hexpire", len(deleted))
		hashChanged(c, key, e)
	}
	return nil
}

// hexpireField is hashTypeSetEx for one field: -2 missing, 0 condition not
// met (a field without TTL counts as infinite for GT/LT), 2 deleted because
// at is not in the future, 1 set.
func hexpireField(h *keyspace.Hash, f []byte, at int64, cond int, now int64) int64 {
	if !h.Has(f, now) {
		return hfeNoField
	}
	prev, had := h.TTL(f)
	if !had {
		if cond == hfeCondXX || cond == hfeCondGT {
			return hfeNotMet
		}
	} else if cond == hfeCondNX || (cond == hfeCondGT && prev >= at) || (cond == hfeCondLT && prev <= at) {
		return hfeNotMet
	}
	if at <= now {
		h.Delete(f)
		return hfeDeleted
	}
	h.SetTTL(f, at)
	return hfeSet
}

// cmdHttl: HTTL key FIELDS numfields field [field ...]
func cmdHttl(c *command.Call) error { return httlGeneric(c, false, true) }

// cmdHpttl: HPTTL key FIELDS numfields field [field ...]
func cmdHpttl(c *command.Call) error { return httlGeneric(c, true, true) }

// cmdHexpiretime: HEXPIRETIME key FIELDS numfields field [field ...]
func cmdHexpiretime(c *command.Call) error { return httlGeneric(c, false, false) }

// cmdHpexpiretime: HPEXPIRETIME key FIELDS numfields field [field ...]
func cmdHpexpiretime(c *command.Call) error { return httlGeneric(c, true, false) }

// httlGeneric replies per field -2 (missing or expired), -1 (no TTL) or
// the TTL / expiry time; seconds are rounded up as Redis does.
func httlGeneric(c *command.Call, ms, relative bool) error {
	h, err := hashRead(c, c.Args[1])
	if err != nil {
		return err
	}
	first, err := parseFieldsBlock(c, 2, errNumFieldsPos)
	if err != nil {
		return err
	}
	fields := c.Args[first:]
	if h == nil {
		replyCodes(c, len(fields), hfeNoField)
		return nil
	}
	now, base := c.NowMs(), int64(0)
	if relative {
		base = now
	}
	c.R.Array(len(fields))
	for _, f := range fields {
		at, had := h.TTL(f)
		switch {
		case !h.Has(f, now):
			c.R.Int(hfeNoField)
		case !had:
			c.R.Int(hfeNoTTL)
		case ms:
			c.R.Int(at - base)
		default:
			c.R.Int((at + 999 - base) / 1000)
		}
	}
	return nil
}

// hashFieldsWrite starts a write of the form "key FIELDS numfields
// field ...": the hash (nil when missing, after its expired fields went)
// and the fields.
func hashFieldsWrite(c *command.Call, key []byte) (*keyspace.Entry, [][]byte, error) {
	e, err := hashWrite(c, key)
	if err != nil {
		return nil, nil, err
	}
	first, err := parseFieldsBlock(c, 2, errNumFieldsPos)
	if err != nil {
		return nil, nil, err
	}
	return e, c.Args[first:], nil
}

// cmdHpersist: HPERSIST key FIELDS numfields field [field ...]
func cmdHpersist(c *command.Call) error {
	key := c.Args[1]
	e, fields, err := hashFieldsWrite(c, key)
	if err != nil {
		return err
	}
	if e == nil {
		replyCodes(c, len(fields), hfeNoField)
		return nil
	}
	h, now := command.HashOf(e), c.NowMs()
	var done [][]byte
	c.R.Array(len(fields))
	for _, f := range fields {
		switch {
		case !h.Has(f, now):
			c.R.Int(hfeNoField)
		case !h.Persist(f):
			c.R.Int(hfeNoTTL)
		default:
			done = append(done, f)
			c.R.Int(1)
		}
	}
	if len(done) > 0 {
		journalFields(c, "HPERSIST", key, nil, done)
		c.Notify(command.NotifyHash, "hpersist", key)
	}
	return nil
}

// cmdHgetdel: HGETDEL key FIELDS numfields field [field ...]
func cmdHgetdel(c *command.Call) error {
	key := c.Args[1]
	e, fields, err := hashFieldsWrite(c, key)
	if err != nil {
		return err
	}
	now := c.NowMs()
	var deleted [][]byte
	c.R.Array(len(fields))
	for _, f := range fields {
		var v string
		ok := e != nil
		if ok {
			v, ok = command.HashOf(e).Get(f, now)
		}
		if !ok {
			c.R.Null()
			continue
		}
		c.R.BulkString(v)
		command.HashOf(e).Delete(f)
		deleted = append(deleted, f)
	}
	if len(deleted) > 0 {
		journalHdel(c, key, deleted)
		c.Notify(command.NotifyHash, "hdel", key)
		hashChanged(c, key, e)
	}
	return nil
}
