package stringcmd

import (
	"math"
	"strconv"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/internal/longdouble"
	"github.com/larder-db/larder/keyspace"
)

// cmdIncr: INCR key
func cmdIncr(c *command.Call) error { return incrDecr(c, 1) }

// cmdDecr: DECR key
func cmdDecr(c *command.Call) error { return incrDecr(c, -1) }

// cmdIncrby: INCRBY key increment
func cmdIncrby(c *command.Call) error {
	n, err := command.IntArg(c.Args[2])
	if err != nil {
		return err
	}
	return incrDecr(c, n)
}

// cmdDecrby: DECRBY key decrement
func cmdDecrby(c *command.Call) error {
	n, err := command.IntArg(c.Args[2])
	if err != nil {
		return err
	}
	if n == math.MinInt64 {
		return command.Error("ERR decrement would overflow")
	}
	return incrDecr(c, -n)
}

// incrDecr is Redis's incrDecrCommand: the value must be a canonical 64-bit
// integer, the result must not overflow, and the TTL is kept. The digits are
// written over the old buffer when it is large enough, so a counter costs
// no allocation per increment.
func incrDecr(c *command.Call, by int64) error {
	key, db := c.Args[1], c.DB()
	e := c.LookupWrite(key)
	var cur int64
	if e != nil {
		if e.Kind() != keyspace.KindString {
			return keyspace.ErrWrongType
		}
		v, ok := command.ParseInt(e.Str())
		if !ok {
			return command.ErrNotInteger
		}
		cur = v
	}
	if (by < 0 && cur < 0 && by < math.MinInt64-cur) || (by > 0 && cur > 0 && by > math.MaxInt64-cur) {
		return command.ErrOverflow
	}
	n := cur + by
	if e == nil {
		var scratch [20]byte
		db.SetString(key, strconv.AppendInt(scratch[:0], n, 10), false)
	} else {
		buf := e.Str()
		if cap(buf) < 20 {
			buf = make([]byte, 0, 20)
		}
		buf = strconv.AppendInt(buf[:0], n, 10)
		db.UpdateString(e, buf, keyspace.EncInt)
	}
	c.Notify(command.NotifyString, "incrby", key)
	c.R.Int(n)
	return nil
}

// cmdIncrbyfloat: INCRBYFLOAT key increment
//
// The sum is computed as Redis does, in 80-bit long double, and printed with
// its 17 significant digits (longdouble.IncrByFloat). The effect is journaled as
// SET … KEEPTTL of the result, so replay never redoes float arithmetic.
func cmdIncrbyfloat(c *command.Call) error {
	key, db := c.Args[1], c.DB()
	e := c.LookupWrite(key)
	var cur []byte
	if e != nil {
		if e.Kind() != keyspace.KindString {
			return keyspace.ErrWrongType
		}
		cur = e.Str()
	}
	v, err := longdouble.IncrByFloat(cur, e != nil, c.Args[2])
	if err != nil {
		return err
	}
	e = db.SetString(key, v, true)
	if len(v) <= 44 {
		db.UpdateString(e, e.Str(), keyspace.EncEmbStr) // Redis never int-encodes a float result
	}
	c.Journal([]byte("SET"), key, v, []byte("KEEPTTL"))
	c.Notify(command.NotifyString, "incrbyfloat", key)
	c.R.Bulk(v)
	return nil
}
