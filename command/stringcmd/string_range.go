package stringcmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

// cmdStrlen: STRLEN key
func cmdStrlen(c *command.Call) error {
	e, err := stringValue(c, c.Args[1])
	if err != nil {
		return err
	}
	if e == nil {
		c.R.Int(0)
		return nil
	}
	c.R.Int(int64(len(e.Str())))
	return nil
}

// checkStringLength is Redis's checkStringLength: a string may not grow past
// proto-max-bulk-len.
func checkStringLength(c *command.Call, size, add int64) error {
	total := size + add
	if total > c.D.Cfg.Int("proto-max-bulk-len") || total < size || total < add {
		return command.ErrStringTooLong
	}
	return nil
}

// cmdAppend: APPEND key value
func cmdAppend(c *command.Call) error {
	key, val, db := c.Args[1], c.Args[2], c.DB()
	e := c.LookupWrite(key)
	if e == nil {
		if err := command.CheckRecordSize(c, int64(len(val))); err != nil {
			return err
		}
		db.SetString(key, val, false)
		c.Notify(command.NotifyString, "append", key)
		c.R.Int(int64(len(val)))
		return nil
	}
	if e.Kind() != keyspace.KindString {
		return keyspace.ErrWrongType
	}
	cur := e.Str()
	if err := checkStringLength(c, int64(len(cur)), int64(len(val))); err != nil {
		return err
	}
	if err := command.CheckRecordSize(c, int64(len(cur)+len(val))); err != nil {
		return err
	}
	next := append(cur, val...)
	db.UpdateString(e, next, keyspace.EncRaw) // Redis appends to a raw sds
	c.Notify(command.NotifyString, "append", key)
	c.R.Int(int64(len(next)))
	return nil
}

// cmdGetrange: GETRANGE key start end (and its old name SUBSTR)
func cmdGetrange(c *command.Call) error {
	start, end, err := command.IntPair(c.Args[2], c.Args[3])
	if err != nil {
		return err
	}
	e, err := stringValue(c, c.Args[1])
	if err != nil {
		return err
	}
	if e == nil {
		c.R.BulkString("")
		return nil
	}
	s := e.Str()
	n := int64(len(s))
	if start < 0 && end < 0 && start > end {
		c.R.BulkString("")
		return nil
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		c.R.BulkString("")
		return nil
	}
	c.R.Bulk(s[start : end+1])
	return nil
}

// cmdSetrange: SETRANGE key offset value
func cmdSetrange(c *command.Call) error {
	off, err := command.IntArg(c.Args[2])
	if err != nil {
		return err
	}
	if off < 0 {
		return command.ErrOffsetRange
	}
	key, val, db := c.Args[1], c.Args[3], c.DB()
	e := c.LookupWrite(key)
	if e != nil && e.Kind() != keyspace.KindString {
		return keyspace.ErrWrongType
	}
	var cur []byte
	if e != nil {
		cur = e.Str()
	}
	if len(val) == 0 {
		c.R.Int(int64(len(cur)))
		return nil
	}
	if err := checkStringLength(c, off, int64(len(val))); err != nil {
		return err
	}
	if err := command.CheckRecordSize(c, max(int64(len(cur)), off+int64(len(val)))); err != nil {
		return err
	}
	end := int(off) + len(val)
	next := cur
	if end > len(next) {
		if end <= cap(next) {
			grown := next[:end]
			clear(grown[len(next):])
			next = grown
		} else {
			next = make([]byte, end)
			copy(next, cur)
		}
	}
	copy(next[off:], val)
	if e == nil {
		e = db.SetString(key, next, false)
		next = e.Str()
	}
	db.UpdateString(e, next, keyspace.EncRaw) // Redis edits a raw sds in place
	c.Notify(command.NotifyString, "setrange", key)
	c.R.Int(int64(len(next)))
	return nil
}
