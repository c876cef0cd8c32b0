package keyspace

import (
	"math/rand/v2"
	"slices"
	"strconv"
)

// Set is a Redis set value. Like Redis 7.0 it has two encodings: an intset
// (a sorted []int64) while every member is a canonical integer and the set
// holds at most set-max-intset-entries members, and a hashtable otherwise.
// Conversion is one-way: a hashtable never goes back to an intset.
//
// The hashtable encoding is a Table (see table.go for why not a Go map).
//
// Add and Remove of a Set stored in a shard count one change there and
// re-account the set's memory (see Owner) when they add or remove a member.
type Set struct {
	ints []int64          // the intset encoding, sorted; used while tab == nil
	tab  *Table[struct{}] // the hashtable encoding
	own  Owner
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
		return s.tab.Len()
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
		return setOverhead + s.tab.MemSize()
	}
	return setOverhead + 8*int64(cap(s.ints))
}

// Owner returns the set's link to the entry holding it (Object).
func (s *Set) Owner() *Owner { return &s.own }

// Clone returns an independent copy (COPY), owned by no entry.
func (s *Set) Clone() Object {
	if s.tab != nil {
		return &Set{tab: s.tab.Clone()}
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
	if !s.add(m, maxIntset) {
		return false
	}
	s.own.Changed(s.MemSize())
	return true
}

func (s *Set) add(m []byte, maxIntset int64) bool {
	if s.tab != nil {
		return s.tab.Set(string(m), struct{}{})
	}
	v, ok := parseSetInt(m)
	if !ok {
		s.convert()
		return s.tab.Set(string(m), struct{}{})
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
	t := NewTable[struct{}](len(s.ints) + 1)
	for _, v := range s.ints {
		t.Set(strconv.FormatInt(v, 10), struct{}{})
	}
	s.tab, s.ints = t, nil
}

// Remove deletes m and reports whether it was there. The encoding stays.
func (s *Set) Remove(m []byte) bool {
	if !s.remove(m) {
		return false
	}
	s.own.Changed(s.MemSize())
	return true
}

func (s *Set) remove(m []byte) bool {
	if s.tab != nil {
		return s.tab.Delete(m)
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
		_, ok := s.tab.Get(m)
		return ok
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
		s.tab.Each(func(m string, _ struct{}) bool { return fn(m) })
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
		m, _ := s.tab.Random()
		return m
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
		cursor = s.tab.ScanBucket(cursor, func(m string, _ struct{}) { got++; fn(m) })
		maxBuckets--
		if cursor == 0 || maxBuckets <= 0 || got >= count {
			return cursor
		}
	}
}
