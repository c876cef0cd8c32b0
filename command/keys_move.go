package command

import (
	"github.com/larder-db/larder/keyspace"
)

// cmdCopy: COPY source destination [DB destination-db] [REPLACE]
//
// COPY may write to another database, so it locks its two keys itself
// (FlagNoLock), in the global shard order.
func cmdCopy(c *Call) error {
	st := c.Store()
	dstDB, replace := c.DB(), false
	for j := 3; j < len(c.Args); j++ {
		switch a := c.Args[j]; {
		case eq(a, "replace"):
			replace = true
		case eq(a, "db") && j+1 < len(c.Args):
			n, err := intArg(c.Args[j+1])
			if err != nil {
				return err
			}
			if n < 0 || n >= int64(st.Databases()) {
				return errDBIndex
			}
			dstDB = st.DB(int(n))
			j++
		default:
			return errSyntax
		}
	}
	src, dst, db := c.Args[1], c.Args[2], c.DB()
	if dstDB == db && string(src) == string(dst) {
		if c.S.Upstash() {
			c.R.Int(0) // Upstash's NOT_COPIED (UPSTASH-REST.md §15)
			return nil
		}
		return errSameObject
	}
	c.lockTwo(db, src, dstDB, dst)
	e := c.Lookup(src)
	if e == nil {
		c.R.Int(0)
		return nil
	}
	if dstDB.LookupWriteAt(dst, c.NowMs(), c.D.expired(dstDB.Index())) != nil && !replace {
		c.R.Int(0)
		return nil
	}
	dstDB.Restore(dst, e, keyspace.CloneValue(e))
	c.D.touch(dstDB.Index(), dst)
	c.Dirty(1)
	c.D.notify(notifyGeneric, "copy_to", dst, dstDB.Index())
	c.R.Int(1)
	return nil
}

// cmdMove: MOVE key db
func cmdMove(c *Call) error {
	n, err := int32Arg(c.Args[2])
	if err != nil {
		return err
	}
	st := c.Store()
	if n < 0 || n >= int64(st.Databases()) {
		return errDBIndex
	}
	key, db, dstDB := c.Args[1], c.DB(), st.DB(int(n))
	if dstDB == db {
		return errSameObject
	}
	c.lockTwo(db, key, dstDB, key)
	e := c.LookupWrite(key)
	if e == nil || dstDB.LookupWriteAt(key, c.NowMs(), c.D.expired(dstDB.Index())) != nil {
		c.R.Int(0)
		return nil
	}
	dstDB.Move(key, e)
	db.Delete(key)
	c.D.touch(db.Index(), key)
	c.D.touch(dstDB.Index(), key)
	c.Dirty(1)
	c.notify(notifyGeneric, "move_from", key)
	c.D.notify(notifyGeneric, "move_to", key, dstDB.Index())
	c.R.Int(1)
	return nil
}

// lockTwo write-locks the shards of two keys that may live in different
// databases, in ascending global order (never the same shard twice).
func (c *Call) lockTwo(db1 *keyspace.DB, k1 []byte, db2 *keyspace.DB, k2 []byte) {
	c.ords = append(c.ords[:0], c.D.ordinal(db1.Index(), k1), c.D.ordinal(db2.Index(), k2))
	c.lockOrdinals(c.ords, true)
}
