package command

import "strconv"

// journal logs one normalised effect record for a self-journaling command,
// while its shard locks are held (DESIGN.md §4).
func (c *Call) journal(argv ...[]byte) {
	if c.D.journal != nil {
		c.D.journal.Append(c.db.Index(), argv)
	}
}

// journalSet logs a string write as SET with an absolute PXAT (or KEEPTTL-free
// plain SET when persistent), so replay is deterministic.
func (c *Call) journalSet(key, val []byte, expireAt int64) {
	if c.D.journal == nil {
		return
	}
	if expireAt == 0 {
		c.journal([]byte("SET"), key, val)
		return
	}
	c.journal([]byte("SET"), key, val, []byte("PXAT"), strconv.AppendInt(nil, expireAt, 10))
}
