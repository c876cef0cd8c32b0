package keyspace

import (
	"math/rand/v2"
	"sync"
)

// Shard is one lock's worth of keyspace. All methods except the lock methods
// require the caller to hold the lock (read lock for the read-only ones).
type Shard struct {
	mu    sync.RWMutex
	keys  map[string]*Entry
	slots []*Entry // stable positions; nil = free
	free  []int32  // free slot positions
	heap  expiryHeap
	used  int64
	acct  *account // the database's totals, kept in step with used and heap
	home  *home    // how the collection values stored here reach the shard
	// changes counts mutations of the data. It stays with the Shard (not
	// its data) on Swap, so each shard's count only grows.
	changes uint64
}

func newShard(acct *account) *Shard {
	sh := &Shard{keys: make(map[string]*Entry), acct: acct}
	sh.home = &home{sh: sh}
	return sh
}

// Lock takes the shard's write lock.
func (sh *Shard) Lock() { sh.mu.Lock() }

// Unlock releases the write lock.
func (sh *Shard) Unlock() { sh.mu.Unlock() }

// RLock takes the shard's read lock.
func (sh *Shard) RLock() { sh.mu.RLock() }

// RUnlock releases the read lock.
func (sh *Shard) RUnlock() { sh.mu.RUnlock() }

// Len returns the number of entries, including expired ones not reclaimed
// yet (as Redis's DBSIZE does).
func (sh *Shard) Len() int { return len(sh.keys) }

// Volatile returns the number of entries with an expiry.
func (sh *Shard) Volatile() int { return len(sh.heap) }

// addUsed moves the shard's accounted bytes, and its database's, by n.
func (sh *Shard) addUsed(n int64) {
	sh.used += n
	sh.acct.used.Add(n)
}

// Used returns the bytes accounted to the shard. It is kept exact by every
// mutation, including those made through a collection value's own methods.
func (sh *Shard) Used() int64 { return sh.used }

// Changes returns the shard's change counter. It grows on every mutation of
// the shard's data made through this package (a key inserted, overwritten,
// deleted, renamed or moved, an expiry set or removed, a flush or swap, any
// mutating method of a stored List, Hash, Set or ZSet), and stays put on
// reads, on access-clock updates, on mutations that changed nothing, and on
// the removal of expired keys. Compare two readings, taken under the lock,
// to learn whether anything changed in between; the size of the step is not
// meaningful.
func (sh *Shard) Changes() uint64 { return sh.changes }

// SlotCount returns the size of the slot array: the cursor space of Scan.
func (sh *Shard) SlotCount() int { return len(sh.slots) }

func (sh *Shard) get(key string) *Entry { return sh.keys[key] }

func (sh *Shard) insert(e *Entry) {
	if n := len(sh.free); n > 0 {
		e.slot = sh.free[n-1]
		sh.free = sh.free[:n-1]
		sh.slots[e.slot] = e
	} else {
		e.slot = int32(len(sh.slots))
		sh.slots = append(sh.slots, e)
	}
	e.heapIdx = -1
	sh.keys[e.key] = e
	sh.adopt(e)
	e.size = e.computeSize()
	sh.addUsed(e.size)
	sh.changes++
}

// remove drops e without counting a change: the callers count it, except
// when the entry is removed because it expired.
func (sh *Shard) remove(e *Entry) {
	delete(sh.keys, e.key)
	release(e)
	if e.heapIdx >= 0 {
		sh.heap.remove(e)
		sh.acct.volatile.Add(-1)
	}
	sh.slots[e.slot] = nil
	if int(e.slot) == len(sh.slots)-1 {
		sh.trimSlots()
	} else {
		sh.free = append(sh.free, e.slot)
	}
	sh.addUsed(-e.size)
}

// trimSlots drops trailing free slots. Positions of live entries never move,
// which is what makes a Scan cursor safe across inserts and deletes.
func (sh *Shard) trimSlots() {
	n := len(sh.slots)
	for n > 0 && sh.slots[n-1] == nil {
		n--
	}
	if n == len(sh.slots) {
		return
	}
	sh.slots = sh.slots[:n]
	kept := sh.free[:0]
	for _, s := range sh.free {
		if int(s) < n {
			kept = append(kept, s)
		}
	}
	sh.free = kept
	if n == 0 {
		sh.slots, sh.free = nil, nil
	}
}

// resize recomputes e's accounted bytes after a change of its string or a
// replacement of its value; it counts nothing itself.
func (sh *Shard) resize(e *Entry) {
	n := e.computeSize()
	sh.addUsed(n - e.size)
	e.size = n
}

// setExpire sets e's expiry and its place in the heap; it counts nothing
// itself.
func (sh *Shard) setExpire(e *Entry, at int64) {
	e.expireAt = at
	switch {
	case at == 0 && e.heapIdx >= 0:
		sh.heap.remove(e)
		sh.acct.volatile.Add(-1)
	case at != 0 && e.heapIdx >= 0:
		sh.heap.fix(e)
	case at != 0:
		sh.heap.push(e)
		sh.acct.volatile.Add(1)
	}
}

// clear drops every entry, counting one change if there were any. The old
// home is pointed at nothing, so the dropped values stop counting without
// a walk over them.
func (sh *Shard) clear() {
	if len(sh.keys) > 0 {
		sh.changes++
	}
	sh.home.sh = nil
	sh.home = &home{sh: sh}
	sh.acct.used.Add(-sh.used)
	sh.acct.volatile.Add(-int64(len(sh.heap)))
	sh.keys = make(map[string]*Entry)
	sh.slots, sh.free, sh.heap, sh.used = nil, nil, nil, 0
}

// swap exchanges the data of two shards, counting a change on both sides.
// The homes go with the data, so the values keep counting where they now
// live; the change counters and the locks stay.
func (sh *Shard) swap(o *Shard) {
	du, dv := o.used-sh.used, int64(len(o.heap)-len(sh.heap))
	sh.acct.used.Add(du)
	o.acct.used.Add(-du)
	sh.acct.volatile.Add(dv)
	o.acct.volatile.Add(-dv)
	sh.keys, o.keys = o.keys, sh.keys
	sh.slots, o.slots = o.slots, sh.slots
	sh.free, o.free = o.free, sh.free
	sh.heap, o.heap = o.heap, sh.heap
	sh.used, o.used = o.used, sh.used
	sh.home, o.home = o.home, sh.home
	sh.home.sh, o.home.sh = sh, o
	sh.changes++
	o.changes++
}

// randomEntry returns a random live slot's entry, or nil after a bounded
// number of misses on a sparse slot array.
func (sh *Shard) randomEntry() *Entry {
	if len(sh.keys) == 0 {
		return nil
	}
	for range 64 {
		if e := sh.slots[rand.IntN(len(sh.slots))]; e != nil {
			return e
		}
	}
	start := rand.IntN(len(sh.slots))
	for i := range sh.slots {
		if e := sh.slots[(start+i)%len(sh.slots)]; e != nil {
			return e
		}
	}
	return nil
}

// Reserve sizes an empty shard for about n keys (recovery knows how many
// its snapshot holds), so loading does not grow the map and the slot
// array step by step. The caller holds the write lock.
func (sh *Shard) Reserve(n int) {
	if len(sh.keys) == 0 && n > 0 {
		sh.keys = make(map[string]*Entry, n)
		sh.slots = make([]*Entry, 0, n)
	}
}
