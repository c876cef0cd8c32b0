package engine

import (
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
)

// Set is a Redis set value. Like Redis 7.0 it has two encodings: an intset
// (a sorted []int64) while every member is a canonical integer and the set
// holds at most set-max-intset-entries members, and a hashtable otherwise.
// Conversion is one-way: a hashtable never goes back to an intset.
//
// The hashtable is our own chained table rather than a Go map because SSCAN
// needs Redis's reverse-binary cursor over buckets (every member present for
// a whole scan is returned, across resizes) and SPOP/SRANDMEMBER need a
// random member in O(1) expected time.
type Set struct {
	ints []int64   // the intset encoding, sorted; used while tab == nil
	tab  *strTable // the hashtable encoding
}

// maxIntsetCap is Redis's own cap on set-max-intset-entries (intset
// internals limit it to 1G entries).
const maxIntsetCap = 1 << 30

// setOverhead approximates the fixed bytes of a Set value.
const setOverhead = 48

// NewSet returns an empty set in the intset encoding, as Redis creates the
// destination of SINTERSTORE/SUNIONSTORE/SDIFFSTORE.
func NewSet() *Set { return &Set{} }

// Len returns the number of members.
func (s *Set) Len() int {
	if s.tab != nil {
		return s.tab.n
	}
	return len(s.ints)
}

// IsIntset reports whether the set uses the intset encoding.
func (s *Set) IsIntset() bool { return s.tab == nil }

// Encoding returns the name OBJECT ENCODING reports.
func (s *Set) Encoding() string {
	if s.tab != nil {
		return "hashtable"
	}
	return "intset"
}

// MemSize returns the approximate bytes held, in O(1).
func (s *Set) MemSize() int64 {
	if s.tab != nil {
		return setOverhead + s.tab.bytes + 24*int64(len(s.tab.buckets))
	}
	return setOverhead + 8*int64(cap(s.ints))
}

// Clone returns an independent copy (COPY).
func (s *Set) Clone() any {
	if s.tab != nil {
		return &Set{tab: s.tab.clone()}
	}
	return &Set{ints: slices.Clone(s.ints)}
}

// parseSetInt is Redis's string2ll as used by isSdsRepresentableAsLongLong:
// the member goes into an intset only if it is a canonical int64.
func parseSetInt(m []byte) (int64, bool) {
	if !isCanonicalInt(m) {
		return 0, false
	}
	v, err := strconv.ParseInt(string(m), 10, 64)
	return v, err == nil
}

// Add inserts m and reports whether it was new. maxIntset is the current
// set-max-intset-entries: an intset growing past it, or receiving a member
// that is not a canonical integer, converts to a hashtable for good.
func (s *Set) Add(m []byte, maxIntset int64) bool {
	if s.tab != nil {
		return s.tab.add(string(m))
	}
	v, ok := parseSetInt(m)
	if !ok {
		s.convert()
		return s.tab.add(string(m))
	}
	i, found := slices.BinarySearch(s.ints, v)
	if found {
		return false
	}
	s.ints = slices.Insert(s.ints, i, v)
	if int64(len(s.ints)) > min(maxIntset, maxIntsetCap) {
		s.convert()
	}
	return true
}

// convert moves an intset into a hashtable.
func (s *Set) convert() {
	t := newStrTable(len(s.ints) + 1)
	for _, v := range s.ints {
		t.add(strconv.FormatInt(v, 10))
	}
	s.tab, s.ints = t, nil
}

// Remove deletes m and reports whether it was there. The encoding stays.
func (s *Set) Remove(m []byte) bool {
	if s.tab != nil {
		return s.tab.remove(m)
	}
	v, ok := parseSetInt(m)
	if !ok {
		return false
	}
	i, found := slices.BinarySearch(s.ints, v)
	if found {
		s.ints = slices.Delete(s.ints, i, i+1)
	}
	return found
}

// Has reports whether m is a member.
func (s *Set) Has(m []byte) bool {
	if s.tab != nil {
		return s.tab.has(m)
	}
	v, ok := parseSetInt(m)
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(s.ints, v)
	return found
}

// Each calls fn for every member in the encoding's order (ascending for an
// intset, as Redis iterates it) until fn returns false. The set must not
// change during the walk.
func (s *Set) Each(fn func(m string) bool) {
	if s.tab != nil {
		for _, b := range s.tab.buckets {
			for _, m := range b {
				if !fn(m) {
					return
				}
			}
		}
		return
	}
	for _, v := range s.ints {
		if !fn(strconv.FormatInt(v, 10)) {
			return
		}
	}
}

// Members returns every member, in Each's order.
func (s *Set) Members() []string {
	out := make([]string, 0, s.Len())
	s.Each(func(m string) bool { out = append(out, m); return true })
	return out
}

// Random returns a random member; the set must not be empty.
func (s *Set) Random() string {
	if s.tab != nil {
		return s.tab.random()
	}
	return strconv.FormatInt(s.ints[rand.IntN(len(s.ints))], 10)
}

// Scan is one SSCAN step: an intset returns everything at once with cursor
// 0, as Redis does for its small encodings; a hashtable visits one bucket
// per call of visit, following Redis's reverse-binary cursor, until it has
// visited count buckets' worth of members or maxBuckets buckets.
func (s *Set) Scan(cursor uint64, count, maxBuckets int, fn func(m string)) uint64 {
	if s.tab == nil {
		s.Each(func(m string) bool { fn(m); return true })
		return 0
	}
	got := 0
	for {
		cursor = s.tab.scanBucket(cursor, func(m string) { got++; fn(m) })
		maxBuckets--
		if cursor == 0 || maxBuckets <= 0 || got >= count {
			return cursor
		}
	}
}

// ---- the hashtable --------------------------------------------------------

var setSeed = maphash.MakeSeed()

// strTable is a chained hash table with a power-of-two bucket count.
type strTable struct {
	buckets [][]string
	n       int
	bytes   int64 // member bytes plus string headers, for MemSize
}

const minBuckets = 4

func newStrTable(hint int) *strTable {
	return &strTable{buckets: make([][]string, nextPow2(max(hint, minBuckets)))}
}

func nextPow2(n int) int {
	if n <= 1 {
		return 1
	}
	return 1 << bits.Len(uint(n-1))
}

func (t *strTable) slot(h uint64) int { return int(h & uint64(len(t.buckets)-1)) }

func (t *strTable) has(m []byte) bool {
	for _, x := range t.buckets[t.slot(maphash.Bytes(setSeed, m))] {
		if x == string(m) {
			return true
		}
	}
	return false
}

func (t *strTable) add(m string) bool {
	i := t.slot(maphash.String(setSeed, m))
	for _, x := range t.buckets[i] {
		if x == m {
			return false
		}
	}
	t.buckets[i] = append(t.buckets[i], m)
	t.n++
	t.bytes += int64(len(m)) + 16
	if t.n > len(t.buckets) {
		t.rehash(nextPow2(t.n * 2))
	}
	return true
}

func (t *strTable) remove(m []byte) bool {
	i := t.slot(maphash.Bytes(setSeed, m))
	b := t.buckets[i]
	for j, x := range b {
		if x == string(m) {
			last := len(b) - 1
			b[j], b[last] = b[last], ""
			t.buckets[i] = b[:last]
			if last == 0 {
				t.buckets[i] = nil // free the chain's array
			}
			t.n--
			t.bytes -= int64(len(m)) + 16
			// Shrink below 10% fill, as Redis's htNeedsResize, so random
			// picks stay cheap; a shrink keeps scans correct (the cursor
			// is reverse-binary).
			if len(t.buckets) > minBuckets && t.n*10 < len(t.buckets) {
				t.rehash(nextPow2(max(t.n*2, minBuckets)))
			}
			return true
		}
	}
	return false
}

func (t *strTable) rehash(size int) {
	old := t.buckets
	t.buckets = make([][]string, size)
	for _, b := range old {
		for _, m := range b {
			i := t.slot(maphash.String(setSeed, m))
			t.buckets[i] = append(t.buckets[i], m)
		}
	}
}

// random picks a non-empty bucket at random, then a member of its chain.
// Fill is kept at 10% or more, so few probes are needed.
func (t *strTable) random() string {
	for {
		b := t.buckets[rand.IntN(len(t.buckets))]
		if len(b) > 0 {
			return b[rand.IntN(len(b))]
		}
	}
}

// scanBucket visits the bucket at cursor and returns the next cursor
// (Redis's dictScan for a single table: increment the reversed cursor).
func (t *strTable) scanBucket(cursor uint64, fn func(m string)) uint64 {
	mask := uint64(len(t.buckets) - 1)
	for _, m := range t.buckets[cursor&mask] {
		fn(m)
	}
	cursor |= ^mask
	cursor = bits.Reverse64(cursor)
	cursor++
	return bits.Reverse64(cursor)
}

func (t *strTable) clone() *strTable {
	c := &strTable{buckets: make([][]string, len(t.buckets)), n: t.n, bytes: t.bytes}
	for i, b := range t.buckets {
		if len(b) > 0 {
			c.buckets[i] = slices.Clone(b)
		}
	}
	return c
}
