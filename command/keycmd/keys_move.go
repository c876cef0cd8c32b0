package keycmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

// cmdCopy: COPY source destination [DB destination-db] [REPLACE]
//
// COPY may write to another database, so it locks its two keys itself
// (FlagNoLock), in the global shard order.
func cmdCopy(c *command.Call) error {
	st := c.Store()
	dstDB, replace := c.DB(), false
	for j := 3; j < len(c.Args); j++ {
		switch a := c.Args[j]; {
		case command.Eq(a, "replace"):
			replace = true
		case command.Eq(a, "db") && j+1 < len(c.Args):
			n, err := command.IntArg(c.Args[j+1])
			if err != nil {
				return err
			}
			if n < 0 || n >= int64(st.Databases()) {
				return command.ErrDBIndex
			}
			dstDB = st.DB(int(n))
			j++
		default:
			return command.ErrSyntax
		}
	}
	src, dst, db := c.Args[1], c.Args[2], c.DB()
	if dstDB == db && string(src) == string(dst) {
		if c.S.Upstash() {
			c.R.Int(0) // Upstash's NOT_COPIED (UPSTASH-REST.md §15)
			return nil
		}
		return command.ErrSameObject
	}
	lockTwo(c, db, src, dstDB, dst)
	e := c.Lookup(src)
	if e == nil {
		c.R.Int(0)
		return nil
	}
	if dstDB.LookupWriteAt(dst, c.NowMs(), c.D.Expired(dstDB.Index())) != nil && !replace {
		c.R.Int(0)
		return nil
	}
	dstDB.Restore(dst, e, keyspace.CloneValue(e))
	c.D.Touch(dstDB.Index(), dst)
	c.WakeKey(dstDB.Index(), dst)
	c.Dirty(1)
	c.D.Notify(command.NotifyGeneric, "copy_to", dst, dstDB.Index())
	c.R.Int(1)
	return nil
}

// cmdMove: MOVE key db
func cmdMove(c *command.Call) error {
	n, err := command.Int32Arg(c.Args[2])
	if err != nil {
		return err
	}
	st := c.Store()
	if n < 0 || n >= int64(st.Databases()) {
		return command.ErrDBIndex
	}
	key, db, dstDB := c.Args[1], c.DB(), st.DB(int(n))
	if dstDB == db {
		return command.ErrSameObject
	}
	lockTwo(c, db, key, dstDB, key)
	e := c.LookupWrite(key)
	if e == nil || dstDB.LookupWriteAt(key, c.NowMs(), c.D.Expired(dstDB.Index())) != nil {
		c.R.Int(0)
		return nil
	}
	dstDB.Move(key, e)
	db.Delete(key)
	c.D.Touch(db.Index(), key)
	c.D.Touch(dstDB.Index(), key)
	c.WakeKey(dstDB.Index(), key)
	c.Dirty(1)
	c.Notify(command.NotifyGeneric, "move_from", key)
	c.D.Notify(command.NotifyGeneric, "move_to", key, dstDB.Index())
	c.R.Int(1)
	return nil
}

// lockTwo write-locks the shards of two keys that may live in different
// databases, in ascending global order (never the same shard twice).
func lockTwo(c *command.Call, db1 *keyspace.DB, k1 []byte, db2 *keyspace.DB, k2 []byte) {
	c.Ords = append(c.Ords[:0], c.D.Ordinal(db1.Index(), k1), c.D.Ordinal(db2.Index(), k2))
	c.LockOrdinals(c.Ords, true)
}
