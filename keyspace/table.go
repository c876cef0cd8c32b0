package keyspace

import (
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// Table is the hashtable encoding of sets, hashes and sorted sets: a
// chained hash table with a power-of-two bucket count. It is ours rather
// than a Go map because the SCAN family needs Redis's reverse-binary cursor
// over buckets (every member present for a whole scan is returned, across
// resizes) and random picks need a random member in O(1) expected time.
type Table[V any] struct {
	buckets [][]tableEntry[V]
	n       int
	bytes   int64 // key bytes plus per-entry overhead, for MemSize
	// chainCap bounds every chain's length (raised by Set, recomputed
	// by rehash, never lowered by Delete): Random's rejection bound.
	chainCap int
}

type tableEntry[V any] struct {
	key string
	val V
}

// tableEntryOverhead approximates an entry's bytes beyond its key.
const tableEntryOverhead = 24

var tableSeed = maphash.MakeSeed()

const minBuckets = 4

// NewTable returns a table sized for about hint entries.
func NewTable[V any](hint int) *Table[V] {
	return &Table[V]{buckets: make([][]tableEntry[V], nextPow2(max(hint, minBuckets)))}
}

func nextPow2(n int) int {
	if n <= 1 {
		return 1
	}
	return 1 << bits.Len(uint(n-1))
}

// Len returns the number of entries.
func (t *Table[V]) Len() int { return t.n }

// MemSize returns the approximate bytes held.
func (t *Table[V]) MemSize() int64 { return t.bytes + 24*int64(len(t.buckets)) }

func (t *Table[V]) slot(h uint64) int { return int(h & uint64(len(t.buckets)-1)) }

// Get returns the value at key.
func (t *Table[V]) Get(key []byte) (V, bool) {
	for _, x := range t.buckets[t.slot(maphash.Bytes(tableSeed, key))] {
		if x.key == string(key) {
			return x.val, true
		}
	}
	var zero V
	return zero, false
}

// Set stores val at key and reports whether the key was new.
func (t *Table[V]) Set(key string, val V) bool {
	i := t.slot(maphash.String(tableSeed, key))
	for j := range t.buckets[i] {
		if t.buckets[i][j].key == key {
			t.buckets[i][j].val = val
			return false
		}
	}
	t.buckets[i] = append(t.buckets[i], tableEntry[V]{key, val})
	t.chainCap = max(t.chainCap, len(t.buckets[i]))
	t.n++
	t.bytes += int64(len(key)) + tableEntryOverhead
	if t.n > len(t.buckets) {
		t.rehash(nextPow2(t.n * 2))
	}
	return true
}

// Delete removes key and reports whether it was there.
func (t *Table[V]) Delete(key []byte) bool {
	i := t.slot(maphash.Bytes(tableSeed, key))
	b := t.buckets[i]
	for j, x := range b {
		if x.key != string(key) {
			continue
		}
		last := len(b) - 1
		b[j], b[last] = b[last], tableEntry[V]{}
		t.buckets[i] = b[:last]
		if last == 0 {
			t.buckets[i] = nil // free the chain's array
		}
		t.n--
		t.bytes -= int64(len(key)) + tableEntryOverhead
		// Shrink below 10% fill, as Redis's htNeedsResize, so random
		// picks stay cheap; a shrink keeps scans correct (the cursor is
		// reverse-binary).
		if len(t.buckets) > minBuckets && t.n*10 < len(t.buckets) {
			t.rehash(nextPow2(max(t.n*2, minBuckets)))
		}
		return true
	}
	return false
}

func (t *Table[V]) rehash(size int) {
	old := t.buckets
	t.buckets = make([][]tableEntry[V], size)
	t.chainCap = 0
	for _, b := range old {
		for _, x := range b {
			i := t.slot(maphash.String(tableSeed, x.key))
			t.buckets[i] = append(t.buckets[i], x)
			t.chainCap = max(t.chainCap, len(t.buckets[i]))
		}
	}
}

// Each calls fn for every entry until it returns false. The table must not
// change during the walk.
func (t *Table[V]) Each(fn func(key string, val V) bool) {
	for _, b := range t.buckets {
		for _, x := range b {
			if !fn(x.key, x.val) {
				return
			}
		}
	}
}

// Random returns an entry, every entry equally likely; the table must not
// be empty. It draws a bucket and a chain position below chainCap until
// the position holds an entry (picking a chain, then an entry of it, would
// favour entries of short chains); fill is kept at 10% or more and chains
// are short, so few draws are needed.
func (t *Table[V]) Random() (string, V) {
	for {
		b := t.buckets[rand.IntN(len(t.buckets))]
		if j := rand.IntN(t.chainCap); j < len(b) {
			return b[j].key, b[j].val
		}
	}
}

// ScanBucket visits the bucket at cursor and returns the next cursor
// (Redis's dictScan for a single table: increment the reversed cursor).
func (t *Table[V]) ScanBucket(cursor uint64, fn func(key string, val V)) uint64 {
	mask := uint64(len(t.buckets) - 1)
	for _, x := range t.buckets[cursor&mask] {
		fn(x.key, x.val)
	}
	cursor |= ^mask
	cursor = bits.Reverse64(cursor)
	cursor++
	return bits.Reverse64(cursor)
}

// Clone returns an independent copy.
func (t *Table[V]) Clone() *Table[V] {
	c := &Table[V]{buckets: make([][]tableEntry[V], len(t.buckets)), n: t.n, bytes: t.bytes, chainCap: t.chainCap}
	for i, b := range t.buckets {
		if len(b) > 0 {
			c.buckets[i] = slices.Clone(b)
		}
	}
	return c
}
