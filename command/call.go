package command

import (
	"sort"

	"github.com/larder-db/larder/keyspace"
)

// Call is the per-command context a handler gets: its arguments, session,
// reply, and the database whose shards the dispatcher has locked for it.
// A session reuses one Call, so handlers must not keep it.
type Call struct {
	Args [][]byte
	S    *Session
	R    Reply
	D    *Dispatcher

	Spec   *Spec
	db     *keyspace.DB
	now    int64
	dirty  int
	locked []lockedShard
	Ords   []int
	keyPos []int
	block  *blockReq // set by a blocking handler that must wait
	// touchSome: the write changed only touchOnly of its keys (TouchOnly).
	touchSome bool
	touchOnly [][]byte
}

// TouchOnly names the keys a write changed when they are fewer than its key
// arguments (an SMOVE of a member the destination already has changes the
// source only): WATCH sees a change of these alone, as Redis's
// signalModifiedKey calls.
func (c *Call) TouchOnly(keys ...[]byte) { c.touchSome, c.touchOnly = true, keys }

type lockedShard struct {
	sh     *keyspace.Shard
	write  bool
	before uint64 // the shard's change counter when it was locked
}

// DB returns the session's database.
func (c *Call) DB() *keyspace.DB { return c.db }

// Store returns the keyspace.
func (c *Call) Store() *keyspace.Store { return c.D.store }

// Replaying reports whether the call replays a log or snapshot record
// (recovery, larder check), not a client's command.
func (c *Call) Replaying() bool { return c.S.replay }

// NowMs returns the time of the call in unix ms, fixed for the whole call
// (as Redis fixes it per command) so one command sees one clock.
func (c *Call) NowMs() int64 { return c.now }

// Dirty records n changes to state the keyspace does not count itself:
// FUNCTION libraries, and keyspace changes made under locks the call did
// not take through the dispatcher (SWAPDB, FLUSHALL, MOVE …). Changes to keys
// under the call's own locks are counted by the keyspace (changes).
func (c *Call) Dirty(n int) { c.dirty += n }

// changes returns how far the change counters of the shards the call writes
// under have moved since they were locked: its own locks, or EXEC's for a
// queued command (the caller's, for a script's redis.call). The keyspace counts every mutation made through its API,
// so this is the authority on "the command changed data" (DESIGN.md §7).
func (c *Call) changes() uint64 {
	held := c.locked
	if c.S.InExec && c != &c.S.call {
		held = c.S.call.locked
		if c.S.locksFrom != nil {
			held = c.S.locksFrom.locked // a script's redis.call: the caller's locks
		}
	}
	var n uint64
	for _, l := range held {
		if l.write {
			n += l.sh.Changes() - l.before
		}
	}
	return n
}

// Hit and Miss count keyspace lookups for INFO stats.
func (c *Call) Hit()  { c.D.Stats.Hits.Add(1) }
func (c *Call) Miss() { c.D.Stats.Misses.Add(1) } //nolint

// Lookup returns the live entry of key in the call's db, counting a hit or a
// miss and honouring CLIENT NO-TOUCH.
func (c *Call) Lookup(key []byte) *keyspace.Entry {
	e := c.db.LookupAt(key, c.now, c.S.noTouch)
	if e == nil {
		c.Miss()
	} else {
		c.Hit()
	}
	return e
}

// LookupWrite returns the live entry of key for a write, removing an expired
// one first (and journaling that removal).
func (c *Call) LookupWrite(key []byte) *keyspace.Entry {
	return c.db.LookupWriteAt(key, c.now, c.D.Expired(c.db.Index()))
}

// lockKeys takes the shard locks of keys (argument positions) in db, in
// ascending shard order, once each.
func (c *Call) lockKeys(db *keyspace.DB, positions []int, write bool) {
	c.Ords = c.Ords[:0]
	for _, p := range positions {
		c.Ords = append(c.Ords, c.D.Ordinal(db.Index(), c.Args[p]))
	}
	c.LockOrdinals(c.Ords, write)
}

// LockOrdinals locks shards by global ordinal (db*shards + shard), sorted and
// deduplicated; the same global order everywhere rules out deadlock.
func (c *Call) LockOrdinals(ords []int, write bool) {
	if c.S.InExec && c != &c.S.call {
		return // a queued command: EXEC holds the locks
	}
	if len(ords) > 1 {
		sort.Ints(ords)
	}
	prev := -1
	for _, o := range ords {
		if o == prev {
			continue
		}
		prev = o
		sh := c.D.shardByOrdinal(o)
		if write {
			sh.Lock()
		} else {
			sh.RLock()
		}
		c.locked = append(c.locked, lockedShard{sh, write, sh.Changes()})
	}
}

// LockAll locks every shard of db in order.
func (c *Call) LockAll(db *keyspace.DB, write bool) {
	n := c.D.store.ShardsPerDB()
	c.Ords = c.Ords[:0]
	for i := 0; i < n; i++ {
		c.Ords = append(c.Ords, db.Index()*n+i)
	}
	c.LockOrdinals(c.Ords, write)
}

func (c *Call) unlock() {
	for i := len(c.locked) - 1; i >= 0; i-- {
		l := c.locked[i]
		if l.write {
			l.sh.Unlock()
		} else {
			l.sh.RUnlock()
		}
	}
	c.locked = c.locked[:0]
}
