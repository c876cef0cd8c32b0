package keyspace

// Scan calls fn for live entries in slot positions [from, from+count) and
// returns the next position, or -1 when the shard is exhausted. Entries
// never change position while they live, so an entry present for a whole
// scan is visited exactly once. The caller holds at least the read lock.
func (sh *Shard) Scan(from, count int, now int64, fn func(e *Entry)) int {
	end := min(from+count, len(sh.slots))
	for i := from; i < end; i++ {
		if e := sh.slots[i]; e != nil && (e.expireAt == 0 || e.expireAt > now) {
			fn(e)
		}
	}
	if end >= len(sh.slots) {
		return -1
	}
	return end
}

// Each calls fn for every live entry until fn returns false.
func (sh *Shard) Each(now int64, fn func(e *Entry) bool) {
	for _, e := range sh.slots {
		if e != nil && (e.expireAt == 0 || e.expireAt > now) {
			if !fn(e) {
				return
			}
		}
	}
}

// LiveLen counts live entries (DBSIZE counts all entries, as Redis does;
// this is for callers that must not count the expired ones).
func (sh *Shard) LiveLen(now int64) int {
	if len(sh.heap) == 0 || sh.heap[0].expireAt > now {
		return len(sh.keys)
	}
	n := 0
	sh.Each(now, func(*Entry) bool { n++; return true })
	return n
}

// Random returns a random live entry, or nil if none is found after a
// bounded number of tries.
func (sh *Shard) Random(now int64) *Entry {
	for range 16 {
		e := sh.randomEntry()
		if e == nil {
			return nil
		}
		if e.expireAt == 0 || e.expireAt > now {
			return e
		}
	}
	var found *Entry
	sh.Each(now, func(e *Entry) bool { found = e; return false })
	return found
}

// ReclaimExpired removes up to max entries whose expiry is at or before now,
// earliest first, calling fn with each removed key. It returns how many it
// removed. The caller holds the write lock. Removals of expired keys are
// not counted in Changes; fn is how the caller learns of them.
func (sh *Shard) ReclaimExpired(now int64, max int, fn func(key string)) int {
	n := 0
	for n < max && len(sh.heap) > 0 && sh.heap[0].expireAt <= now {
		e := sh.heap[0]
		sh.remove(e)
		if fn != nil {
			fn(e.key)
		}
		n++
	}
	return n
}

// NextExpiry returns the earliest expiry in the shard, 0 if none.
func (sh *Shard) NextExpiry() int64 {
	if len(sh.heap) == 0 {
		return 0
	}
	return sh.heap[0].expireAt
}

// Clear removes every entry (FLUSHDB, FLUSHALL), counting a change if there
// was any. The caller holds the write lock.
func (sh *Shard) Clear() { sh.clear() }
