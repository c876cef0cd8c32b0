package keyspace

import (
	"errors"
	"math/bits"
	"sync/atomic"
	"time"

	"github.com/cespare/xxhash/v2"
)

// Domain errors. The command layer maps them to Redis's texts in one place.
var (
	ErrWrongType  = errors.New("wrong type")
	ErrNotInteger = errors.New("not an integer")
	ErrOverflow   = errors.New("overflow")
)

// Options configure a Store.
type Options struct {
	Databases int              // number of databases, default 16
	Shards    int              // shards per database, rounded up to a power of two, default 64
	Now       func() time.Time // clock, default time.Now
}

// Store is the whole keyspace: a fixed set of databases.
type Store struct {
	dbs   []*DB
	mask  uint64
	now   func() time.Time
	start time.Time
	lfu   atomic.Bool
	// lfuParams: lfu-log-factor and lfu-decay-time (access.go).
	lfuParams lfuParams
	// coarse is the access clock in unix seconds, refreshed by Tick, as
	// Redis's LRU clock is by its cron; exact (an injected clock) reads the
	// clock on every access instead so tests can move time freely.
	coarse atomic.Int64
	exact  bool
	// onNew, when set, hears of every key created (Redis's dbAdd: the
	// "new" keyspace event). Set once before the store is shared.
	onNew func(db int, key string)
}

// OnNewKey sets the callback for created keys; call it before serving.
func (st *Store) OnNewKey(fn func(db int, key string)) { st.onNew = fn }

// created reports a new key to the callback.
func (db *DB) created(key string) {
	if db.st.onNew != nil {
		db.st.onNew(db.index, key)
	}
}

// DB is one numbered database: a fixed set of shards.
type DB struct {
	st     *Store
	index  int
	shards []*Shard
	acct   account // the shards' accounted bytes and volatile keys
}

// New creates an empty Store.
func New(o Options) *Store {
	if o.Databases <= 0 {
		o.Databases = 16
	}
	if o.Shards <= 0 {
		o.Shards = 64
	}
	n := 1 << bits.Len(uint(o.Shards-1))
	exact := o.Now != nil
	if o.Now == nil {
		o.Now = time.Now
	}
	st := &Store{mask: uint64(n - 1), now: o.Now, exact: exact}
	st.SetLFUParams(10, 1) // Redis's defaults
	st.start = o.Now()
	st.Tick()
	for i := 0; i < o.Databases; i++ {
		db := &DB{st: st, index: i, shards: make([]*Shard, n)}
		for j := range db.shards {
			db.shards[j] = newShard(&db.acct)
		}
		st.dbs = append(st.dbs, db)
	}
	return st
}

// Databases returns the number of databases.
func (st *Store) Databases() int { return len(st.dbs) }

// ShardsPerDB returns the number of shards in each database.
func (st *Store) ShardsPerDB() int { return int(st.mask) + 1 }

// DB returns database i; callers validate i.
func (st *Store) DB(i int) *DB { return st.dbs[i] }

// Now returns the store clock.
func (st *Store) Now() time.Time { return st.now() }

// NowMs returns the store clock in unix milliseconds.
func (st *Store) NowMs() int64 { return st.now().UnixMilli() }

// SetLFU switches the access tracking between LRU (idle time) and LFU
// (frequency), as maxmemory-policy does in Redis.
func (st *Store) SetLFU(on bool) { st.lfu.Store(on) }

// LFU reports whether frequency tracking is on.
func (st *Store) LFU() bool { return st.lfu.Load() }

// ShardIndex returns the shard a key lives in.
func (st *Store) ShardIndex(key []byte) int { return int(xxhash.Sum64(key) & st.mask) }

// Index returns the database number.
func (db *DB) Index() int { return db.index }

// Shard returns shard i of the database.
func (db *DB) Shard(i int) *Shard { return db.shards[i] }

// ShardOf returns the shard of key.
func (db *DB) ShardOf(key []byte) *Shard { return db.shards[xxhash.Sum64(key)&db.st.mask] }

// Tick refreshes the coarse access clock; the command layer calls it from
// its periodic cycle.
func (st *Store) Tick() { st.coarse.Store(st.now().Unix()) }

// Lookup returns the live entry of key, or nil. It records an access (for
// OBJECT IDLETIME/FREQ) unless noTouch. It never removes an expired entry, so
// a read lock suffices.
func (db *DB) Lookup(key []byte, noTouch bool) *Entry {
	return db.LookupAt(key, db.st.NowMs(), noTouch)
}

// LookupAt is Lookup at a given time in unix ms (a command's fixed clock).
func (db *DB) LookupAt(key []byte, now int64, noTouch bool) *Entry {
	e := db.ShardOf(key).get(string(key))
	if e == nil || (e.expireAt != 0 && e.expireAt <= now) {
		return nil
	}
	if !noTouch {
		db.st.touch(e)
	}
	return e
}

// LookupWrite is Lookup for a caller holding the write lock: an expired entry
// is removed and reported through expired (for the journal and notifications).
// That removal is not counted in the shard's Changes: the command layer
// journals expirations through expired, and Redis does not count a lazy
// expiry as the command's change.
func (db *DB) LookupWrite(key []byte, expired func(key string)) *Entry {
	return db.LookupWriteAt(key, db.st.NowMs(), expired)
}

// LookupWriteAt is LookupWrite at a given time in unix ms.
func (db *DB) LookupWriteAt(key []byte, now int64, expired func(key string)) *Entry {
	sh := db.ShardOf(key)
	e := sh.get(string(key))
	if e == nil {
		return nil
	}
	if e.expireAt != 0 && e.expireAt <= now {
		sh.remove(e)
		if expired != nil {
			expired(e.key)
		}
		return nil
	}
	db.st.touch(e)
	return e
}

// SetString stores a copy of val under key, replacing any value; expiry is
// cleared unless keepTTL. The new entry is returned. It always counts a
// change, even when the value is equal (Redis's SET is a write either way).
func (db *DB) SetString(key, val []byte, keepTTL bool) *Entry {
	sh := db.ShardOf(key)
	e := sh.get(string(key))
	if e == nil {
		e = &Entry{key: string(key)}
		db.st.initAccess(e)
		e.kind, e.enc = KindString, StringEncoding(val)
		e.str = append([]byte(nil), val...)
		sh.insert(e)
		db.created(e.key)
		return e
	}
	if e.obj != nil {
		release(e)
	}
	e.kind, e.enc, e.obj = KindString, StringEncoding(val), nil
	if cap(e.str) >= len(val) && cap(e.str) <= 2*len(val)+16 {
		// Overwrite in place: values never leave the shard lock by
		// reference (replies copy), so reuse is safe and saves an
		// allocation per overwrite of a same-sized value.
		e.str = append(e.str[:0], val...)
	} else {
		e.str = append([]byte(nil), val...)
	}
	if !keepTTL && e.expireAt != 0 {
		sh.setExpire(e, 0)
	}
	sh.resize(e)
	sh.changes++
	return e
}

// SetObject stores a non-string value of the given kind under key,
// replacing any value and clearing its expiry; it counts a change. The
// value becomes owned by the entry: from then on its own mutating methods
// count their changes and memory in this shard. A value lives under one key
// at a time; store a Clone to have it under two.
func (db *DB) SetObject(key []byte, kind Kind, obj Object) *Entry {
	sh := db.ShardOf(key)
	e := sh.get(string(key))
	if e == nil {
		e = &Entry{key: string(key), kind: kind, obj: obj}
		db.st.initAccess(e)
		sh.insert(e)
		db.created(e.key)
		return e
	}
	release(e)
	e.kind, e.obj, e.str = kind, obj, nil
	sh.adopt(e)
	sh.setExpire(e, 0)
	sh.resize(e)
	sh.changes++
	return e
}

// UpdateString makes val a string entry's bytes (APPEND, SETRANGE, INCR):
// expiry is kept, enc is the new encoding, and a change is counted. val may
// be built in the spare capacity of e.Str() (APPEND, SETRANGE and INCR do, to
// save an allocation); that is the one sanctioned write into those bytes, and
// it is only safe because UpdateString follows at once, under the same lock.
func (db *DB) UpdateString(e *Entry, val []byte, enc uint8) {
	e.str, e.enc = val, enc
	sh := db.ShardOf([]byte(e.key))
	sh.resize(e)
	sh.changes++
}

// RawEncoding makes a string entry report OBJECT ENCODING raw without
// counting a change: Redis's dbUnshareStringValue turns an int or embstr
// value raw before an in-place edit (PFADD, PFCOUNT) even when the edit then
// changes nothing, and that is not a write.
func (db *DB) RawEncoding(e *Entry) { e.enc = EncRaw }

// SetExpire sets an entry's absolute expiry in unix ms (0 removes it). It
// counts a change, even for an unchanged deadline (Redis counts EXPIREAT to
// the same time as a write), except when removing the expiry of a
// persistent key, which changes nothing.
func (db *DB) SetExpire(e *Entry, at int64) {
	if at == 0 && e.expireAt == 0 {
		return
	}
	sh := db.ShardOf([]byte(e.key))
	sh.setExpire(e, at)
	sh.changes++
}

// Delete removes key; it reports whether a live key was removed. Only that
// counts as a change: a key found already expired is removed silently.
func (db *DB) Delete(key []byte) bool {
	sh := db.ShardOf(key)
	e := sh.get(string(key))
	if e == nil {
		return false
	}
	sh.remove(e)
	if e.expireAt != 0 && e.expireAt <= db.st.NowMs() {
		return false
	}
	sh.changes++
	return true
}

// Restore inserts an entry copied from src (COPY, MOVE) under key in db,
// replacing any value there, and counts the change. obj becomes owned by the
// new entry, as with SetObject.
func (db *DB) Restore(key []byte, src *Entry, obj Object) *Entry {
	existed := db.Delete(key)
	e := &Entry{key: string(key), kind: src.kind, enc: src.enc, obj: obj}
	if src.str != nil {
		e.str = append([]byte(nil), src.str...)
	}
	e.access.Store(src.access.Load())
	e.lfu.Store(src.lfu.Load())
	sh := db.ShardOf(key)
	sh.insert(e)
	if src.expireAt != 0 {
		sh.setExpire(e, src.expireAt)
	}
	if !existed {
		db.created(e.key)
	}
	return e
}

// Swap exchanges the contents of two databases, counting a change in every
// shard of both. The caller holds every shard lock of both.
func (db *DB) Swap(o *DB) {
	for i := range db.shards {
		db.shards[i].swap(o.shards[i])
	}
}
