package command

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/larder-db/larder/keyspace"
)

// Eviction is Redis 7.0's performEvictions: when used memory exceeds
// maxmemory, keys are deleted by maxmemory-policy before the next command
// runs. The LRU, LFU and TTL policies keep a pool of the best candidates
// seen so far (evictionPoolPopulate) and refill it every round with
// maxmemory-samples keys from every database; the random policies pick a
// random key, visiting the databases in turn. Each eviction is a DEL in the
// journal, an "evicted" keyspace event, a touch of WATCH and tracking, and
// one more evicted_keys.

// evictPoolSize is Redis's EVPOOL_SIZE.
const evictPoolSize = 16

// evictResult is performEvictions' answer.
type evictResult uint8

const (
	evictOK      evictResult = iota // under the limit (or nothing to do)
	evictRunning                    // over it, still evicting in the background
	evictFail                       // over it and nothing (more) to evict
)

// evictPolicy is maxmemory-policy, parsed.
type evictPolicy struct {
	none, volatile, random bool
	by                     keyspace.EvictBy
}

func parsePolicy(name string) evictPolicy {
	var p evictPolicy
	switch name {
	case "noeviction":
		return evictPolicy{none: true}
	case "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl":
		p.volatile = true
	}
	switch name {
	case "allkeys-lfu", "volatile-lfu":
		p.by = keyspace.EvictLFU
	case "volatile-ttl":
		p.by = keyspace.EvictTTL
	case "allkeys-random", "volatile-random":
		p.random = true
	}
	return p
}

// evictor is the eviction's state: the pool, the random policies' next
// database, the background run's flag and the evicted_keys count.
type evictor struct {
	mu         sync.Mutex // one eviction at a time; guards the rest but keys
	pool       []poolEntry
	samples    []keyspace.EvictionSample
	nextDB     int
	policy     evictPolicy // the pool's policy
	by         *Session    // whose command the running eviction makes room for
	background bool
	keys       atomic.Int64
}

// poolEntry is one candidate of the pool: the pool is kept in ascending
// score order, the best candidate last, as Redis's EvictionPoolLRU.
type poolEntry struct {
	db    int
	key   string
	score uint64
}

// EvictedKeys is INFO's evicted_keys.
func (d *Dispatcher) EvictedKeys() int64 { return d.evict.keys.Load() }

// memoryNow is used_memory from the keyspace's running totals: cheap enough
// for every command.
func (d *Dispatcher) memoryNow() int64 { return d.startupMemory + d.store.Used() }

// outOfMemory is the maxmemory step of Redis's processCommand: over the
// limit, keys are evicted by the policy before s runs any command; a
// deny-oom command is refused when that could not bring usage under the
// limit. s hears of its tracked keys evicted before the command's reply, as
// in Redis. Nothing is evicted while the data is being loaded or a script
// holds the server, as Redis's isSafeToPerformEvictions.
func (d *Dispatcher) outOfMemory(s *Session, spec *Spec, r Reply) bool {
	limit := d.MaxMemory()
	if limit <= 0 || d.memoryNow() <= limit || d.loading.Load() {
		return false
	}
	if _, busy := d.busy(); busy {
		return false
	}
	res := d.performEvictions(limit, s)
	if len(s.trkPending) > 0 && !s.InExec {
		d.trackPending(s, r)
	}
	return res == evictFail && oomRefuses(s, spec)
}

// oomRefuses is Redis's reject_cmd_on_oom: a deny-oom command, an EXEC
// whose queue holds one, and inside MULTI anything that would be queued
// (queuing takes memory too); DISCARD, EXEC of reads, QUIT and RESET run.
func oomRefuses(s *Session, spec *Spec) bool {
	switch {
	case spec.Flags&FlagDenyOOM != 0:
		return true
	case s.multi == nil:
		return false
	case spec.Flags&FlagRunsTx != 0:
		for _, q := range s.multi.cmds {
			if q.spec.Flags&FlagDenyOOM != 0 {
				return true
			}
		}
		return false
	}
	return spec.Flags&FlagTxControl == 0
}

// evictionTimeLimit is Redis's evictionTimeLimitUs for
// maxmemory-eviction-tenacity: 50 µs per step up to 10, then 15 % more per
// step, without limit at 100.
func evictionTimeLimit(tenacity int64) time.Duration {
	switch {
	case tenacity <= 10:
		return time.Duration(50*tenacity) * time.Microsecond
	case tenacity < 100:
		return time.Duration(500*math.Pow(1.15, float64(tenacity-10))) * time.Microsecond
	}
	return time.Duration(math.MaxInt64)
}

// performEvictions evicts until used memory is at most limit, for s's
// command (nil: for none). Past the tenacity's time limit it goes on in the
// background and answers evictRunning (the command may run), as Redis's
// eviction timer proc.
func (d *Dispatcher) performEvictions(limit int64, s *Session) evictResult {
	ev := &d.evict
	ev.mu.Lock()
	defer ev.mu.Unlock()
	ev.by = s
	defer func() { ev.by = nil }()
	r := d.evictSlice(limit)
	if r != evictRunning {
		return r
	}
	if !ev.background {
		ev.background = true
		go d.evictInBackground()
	}
	return evictRunning
}

// evictInBackground goes on evicting, a tenacity's time slice at a time,
// until used memory is under maxmemory or nothing is left to evict.
func (d *Dispatcher) evictInBackground() {
	ev := &d.evict
	for {
		ev.mu.Lock()
		r := d.evictSlice(d.MaxMemory())
		if r != evictRunning {
			ev.background = false
			ev.mu.Unlock()
			return
		}
		ev.mu.Unlock()
		runtime.Gosched() // let the commands waiting for the lock in
	}
}

// evictSlice evicts until used memory is at most limit (evictOK), nothing
// is left to evict (evictFail), or the tenacity's time limit passed with
// memory still to free (evictRunning). The caller holds ev.mu.
func (d *Dispatcher) evictSlice(limit int64) evictResult {
	if limit <= 0 || d.memoryNow() <= limit {
		return evictOK
	}
	policy := parsePolicy(d.Cfg.Get("maxmemory-policy"))
	if policy.none {
		return evictFail
	}
	if policy != d.evict.policy { // scores of another policy do not compare
		d.evict.policy, d.evict.pool = policy, d.evict.pool[:0]
	}
	budget := evictionTimeLimit(d.Cfg.Int("maxmemory-eviction-tenacity"))
	start := time.Now()
	defer func() { d.noteEvent("eviction-cycle", time.Since(start), start) }()
	for n := 1; d.memoryNow() > limit; n++ {
		if !d.evictOne(policy) {
			return evictFail
		}
		if n%16 == 0 && time.Since(start) > budget {
			return evictRunning
		}
	}
	return evictOK
}

// evictOne evicts one key by the policy; false when no key is evictable.
// The caller holds ev.mu.
func (d *Dispatcher) evictOne(p evictPolicy) bool {
	if !p.random {
		return d.evictFromPool(p)
	}
	for attempt := 0; attempt < 64; attempt++ {
		db, key, ok := d.pickRandom(p)
		if !ok {
			return false
		}
		if d.evictKey(db, key, p.volatile) {
			return true
		}
	}
	return false
}

// evictKey deletes key of db for maxmemory unless it is gone (or, for a
// volatile policy, lost its expiry) since it was picked, and reports it as
// Redis does: DEL in the journal, the "evicted" event, WATCH and tracking
// touched, evicted_keys counted.
func (d *Dispatcher) evictKey(db int, key string, volatile bool) bool {
	k := []byte(key)
	kdb := d.store.DB(db)
	sh := kdb.ShardOf(k)
	sh.Lock()
	defer sh.Unlock()
	if !kdb.Evict(k, volatile) {
		return false
	}
	d.evict.keys.Add(1)
	d.appendEffect(nil, db, [][]byte{[]byte("DEL"), k})
	d.Notify(notifyEvicted, "evicted", k, db)
	if d.tracking.n.Load() > 0 {
		t := &d.tracking
		t.mu.Lock()
		t.invalidateFor(d, nil, d.evict.by, key)
		t.mu.Unlock()
	}
	d.touchWatch(db, k)
	return true
}

// evictable reports whether db has keys the policy may evict.
func (d *Dispatcher) evictable(db *keyspace.DB, p evictPolicy) bool {
	if p.volatile {
		return db.VolatileKeys() > 0
	}
	return db.Used() > 0
}

// pickRandom is the random policies' choice: a random key of the next
// database that has one.
func (d *Dispatcher) pickRandom(p evictPolicy) (int, string, bool) {
	ev := &d.evict
	n := d.store.Databases()
	for i := 0; i < n; i++ {
		ev.nextDB = (ev.nextDB + 1) % n
		db := d.store.DB(ev.nextDB)
		if !d.evictable(db, p) {
			continue
		}
		if key, ok := randomKey(db, d.store.ShardsPerDB(), p.volatile); ok {
			return ev.nextDB, key, true
		}
	}
	return 0, "", false
}

// randomKey returns a key of a random shard of db that has one, trying
// every shard from a random start.
func randomKey(db *keyspace.DB, shards int, volatile bool) (string, bool) {
	start := rand.IntN(shards)
	for i := 0; i < shards; i++ {
		sh := db.Shard((start + i) % shards)
		sh.RLock()
		key, ok := sh.RandomForEviction(volatile)
		sh.RUnlock()
		if ok {
			return key, true
		}
	}
	return "", false
}
