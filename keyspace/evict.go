package keyspace

import (
	"math"
	"math/rand/v2"
	"sync/atomic"
)

// account is a database's running totals, moved by its shards under their
// own locks and read without any: the bytes accounted to its keys and the
// number of keys with an expiry. They make the maxmemory test and the
// eviction's choice of databases O(databases), not O(shards).
type account struct{ used, volatile atomic.Int64 }

// Used returns the bytes accounted to the database's keys, as the sum of
// its shards' Used, read without locks.
func (db *DB) Used() int64 { return db.acct.used.Load() }

// VolatileKeys returns the number of the database's keys with an expiry,
// including expired ones not reclaimed yet, read without locks.
func (db *DB) VolatileKeys() int64 { return db.acct.volatile.Load() }

// Used returns the bytes accounted to every key of every database, read
// without locks (a sum of atomic totals, not a walk over the shards).
func (st *Store) Used() int64 {
	var n int64
	for _, db := range st.dbs {
		n += db.acct.used.Load()
	}
	return n
}

// EvictBy is what makes a key a better candidate for eviction: its idle
// time (LRU), its low access frequency (LFU) or its near expiry (TTL).
type EvictBy uint8

// The eviction scores, as Redis's evictionPoolPopulate computes them.
const (
	EvictLRU EvictBy = iota // seconds since the last access
	EvictLFU                // 255 less the decayed LFU counter
	EvictTTL                // the sooner the expiry, the higher
)

// EvictionSample is a key sampled for eviction with its score: the higher
// the score, the better the candidate.
type EvictionSample struct {
	Key   string
	Score uint64
}

// SampleForEviction appends up to n distinct keys of shard sh (one of db's)
// picked at random, with their scores by by: among every key, or with
// volatile only among the keys with an expiry. The caller holds sh's read
// lock. A key appears at most once; fewer than n come back from a shard
// with fewer keys.
func (db *DB) SampleForEviction(sh *Shard, n int, volatile bool, by EvictBy, out []EvictionSample) []EvictionSample {
	pool := len(sh.keys)
	if volatile {
		pool = len(sh.heap)
	}
	first := len(out)
	if n >= pool { // the whole shard: take every key rather than hope to draw it
		return db.sampleAll(sh, volatile, by, out)
	}
	for tries := 0; len(out)-first < n && tries < 4*n+8; tries++ {
		var e *Entry
		if volatile {
			e = sh.heap[rand.IntN(len(sh.heap))]
		} else {
			e = sh.randomEntry()
		}
		if e == nil || sampled(out[first:], e.key) {
			continue
		}
		out = append(out, EvictionSample{Key: e.key, Score: db.st.evictScore(e, by)})
	}
	return out
}

// sampleAll appends every key of sh (with volatile, every key with an
// expiry) with its score.
func (db *DB) sampleAll(sh *Shard, volatile bool, by EvictBy, out []EvictionSample) []EvictionSample {
	if volatile {
		for _, e := range sh.heap {
			out = append(out, EvictionSample{Key: e.key, Score: db.st.evictScore(e, by)})
		}
		return out
	}
	for _, e := range sh.keys {
		out = append(out, EvictionSample{Key: e.key, Score: db.st.evictScore(e, by)})
	}
	return out
}

func sampled(s []EvictionSample, key string) bool {
	for _, c := range s {
		if c.Key == key {
			return true
		}
	}
	return false
}

// evictScore is the entry's idle score in Redis's eviction pool.
func (st *Store) evictScore(e *Entry, by EvictBy) uint64 {
	switch by {
	case EvictLFU:
		return 255 - uint64(st.decayedFreq(e))
	case EvictTTL:
		return math.MaxUint64 - uint64(e.expireAt)
	}
	return uint64(max(st.unix()-int64(e.access.Load()), 0))
}

// RandomForEviction returns a random key of shard sh, or with volatile a
// random key with an expiry, and whether there was one. The caller holds
// sh's read lock.
func (sh *Shard) RandomForEviction(volatile bool) (string, bool) {
	if volatile {
		if len(sh.heap) == 0 {
			return "", false
		}
		return sh.heap[rand.IntN(len(sh.heap))].key, true
	}
	if e := sh.randomEntry(); e != nil {
		return e.key, true
	}
	return "", false
}

// Evict removes key for maxmemory, and reports whether it did: a key gone
// since it was sampled, or with volatile a key that lost its expiry, stays.
// A key found already expired is evicted too, as Redis's performEvictions
// deletes what the pool names. The removal counts as a change; the caller
// holds the shard's write lock and journals and notifies it.
func (db *DB) Evict(key []byte, volatile bool) bool {
	sh := db.ShardOf(key)
	e := sh.get(string(key))
	if e == nil || (volatile && e.expireAt == 0) {
		return false
	}
	sh.remove(e)
	sh.changes++
	return true
}
