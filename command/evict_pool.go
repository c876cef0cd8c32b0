package command

import "math/rand/v2"

// evictFromPool is the LRU, LFU and TTL policies' eviction: the pool is
// refilled with samples of every database that has evictable keys, then
// its candidates are tried from the best down; one gone since it was
// sampled (a ghost) gives way to the next, as in Redis's performEvictions.
// False when no key is evictable. The caller holds ev.mu.
func (d *Dispatcher) evictFromPool(p evictPolicy) bool {
	ev := &d.evict
	for round := 0; round < 64; round++ {
		if !d.populatePool(p) {
			return false
		}
		for len(ev.pool) > 0 {
			c := ev.pool[len(ev.pool)-1]
			ev.pool = ev.pool[:len(ev.pool)-1]
			if d.evictKey(c.db, c.key, p.volatile) {
				return true
			}
		}
	}
	return false
}

// populatePool is Redis's evictionPoolPopulate for every database with
// evictable keys: maxmemory-samples keys of each, taken from its shards
// from a random one on, each offered to the pool. False when no database
// has an evictable key.
func (d *Dispatcher) populatePool(p evictPolicy) bool {
	ev := &d.evict
	n := int(d.Cfg.Int("maxmemory-samples"))
	shards := d.store.ShardsPerDB()
	found := false
	for i := 0; i < d.store.Databases(); i++ {
		db := d.store.DB(i)
		if !d.evictable(db, p) {
			continue
		}
		found = true
		ev.samples = ev.samples[:0]
		start := rand.IntN(shards)
		for j := 0; j < shards && len(ev.samples) < n; j++ {
			sh := db.Shard((start + j) % shards)
			sh.RLock()
			ev.samples = db.SampleForEviction(sh, n-len(ev.samples), p.volatile, p.by, ev.samples)
			sh.RUnlock()
		}
		for _, s := range ev.samples {
			ev.offer(poolEntry{db: i, key: s.Key, score: s.Score})
		}
	}
	return found
}

// offer inserts c into the pool, kept in ascending score order with at
// most evictPoolSize candidates: when full, c takes the place of the worst
// candidate if it is better, and is dropped otherwise. A key already in the
// pool only has its score refreshed.
func (ev *evictor) offer(c poolEntry) {
	for i, o := range ev.pool {
		if o.db == c.db && o.key == c.key {
			ev.pool = append(ev.pool[:i], ev.pool[i+1:]...)
			break
		}
	}
	k := 0
	for k < len(ev.pool) && ev.pool[k].score < c.score {
		k++
	}
	if len(ev.pool) < evictPoolSize {
		ev.pool = append(ev.pool, poolEntry{})
		copy(ev.pool[k+1:], ev.pool[k:])
		ev.pool[k] = c
		return
	}
	if k == 0 {
		return // no better than the worst of a full pool
	}
	copy(ev.pool[:k-1], ev.pool[1:k]) // drop the worst, shift the smaller left
	ev.pool[k-1] = c
}
