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
}

func newShard() *Shard {
	return &Shard{keys: make(map[string]*Entry)}
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

// Used returns the bytes accounted to the shard.
func (sh *Shard) Used() int64 { return sh.used }

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
	e.size = e.computeSize()
	sh.used += e.size
}

func (sh *Shard) remove(e *Entry) {
	delete(sh.keys, e.key)
	if e.heapIdx >= 0 {
		sh.heap.remove(e)
	}
	sh.slots[e.slot] = nil
	if int(e.slot) == len(sh.slots)-1 {
		sh.trimSlots()
	} else {
		sh.free = append(sh.free, e.slot)
	}
	sh.used -= e.size
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

func (sh *Shard) resize(e *Entry) {
	n := e.computeSize()
	sh.used += n - e.size
	e.size = n
}

func (sh *Shard) setExpire(e *Entry, at int64) {
	e.expireAt = at
	switch {
	case at == 0 && e.heapIdx >= 0:
		sh.heap.remove(e)
	case at != 0 && e.heapIdx >= 0:
		sh.heap.fix(e)
	case at != 0:
		sh.heap.push(e)
	}
}

func (sh *Shard) clear() {
	sh.keys = make(map[string]*Entry)
	sh.slots, sh.free, sh.heap, sh.used = nil, nil, nil, 0
}

func (sh *Shard) swap(o *Shard) {
	sh.keys, o.keys = o.keys, sh.keys
	sh.slots, o.slots = o.slots, sh.slots
	sh.free, o.free = o.free, sh.free
	sh.heap, o.heap = o.heap, sh.heap
	sh.used, o.used = o.used, sh.used
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
