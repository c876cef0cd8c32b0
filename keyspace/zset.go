package keyspace

import (
	"math"
	"sort"
	"strconv"
	"sync/atomic"

	"github.com/tidwall/btree"
)

// ZSet is a Redis sorted set: a member → score Table for O(1) lookups and
// a counted B-tree of (score, member) for order, rank and ranges in
// O(log n). Redis 7.0 reports "listpack" for small sets and "skiplist"
// beyond zset-max-listpack-entries / zset-max-listpack-value; Larder keeps
// one representation and tracks the name Redis would report, converting
// one way as Redis does.
//
// Set and Remove of a ZSet stored in a shard count one change there and
// re-account the set's memory (see Owner) when they change a member or a
// score. Grow and ToSkiplist change only the reported encoding name: they
// count nothing (SORT_RO calls ToSkiplist under a read lock).
type ZSet struct {
	dict *Table[float64]
	tree *btree.BTreeG[ZItem]
	big  atomic.Bool // Redis would hold it as a skiplist (SORT_RO sets it under a read lock)
	own  Owner
}

// ZItem is one member with its score.
type ZItem struct {
	Score  float64
	Member string
}

// zsetOverhead approximates the fixed bytes of a ZSet value; zitemBytes a
// tree item's share of the B-tree (item plus node slack).
const (
	zsetOverhead = 96
	zitemBytes   = 32
)

func zless(a, b ZItem) bool {
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	return a.Member < b.Member
}

// NewZSet returns an empty sorted set; big selects the skiplist name.
func NewZSet(big bool) *ZSet {
	z := &ZSet{
		dict: NewTable[float64](0),
		tree: btree.NewBTreeGOptions(zless, btree.Options{NoLocks: true}),
	}
	z.big.Store(big)
	return z
}

// Len returns the number of members.
func (z *ZSet) Len() int { return z.dict.Len() }

// Encoding returns the name OBJECT ENCODING reports.
func (z *ZSet) Encoding() string {
	if z.big.Load() {
		return "skiplist"
	}
	return "listpack"
}

// IsListpack reports whether Redis would hold the set as a listpack.
func (z *ZSet) IsListpack() bool { return !z.big.Load() }

// Grow is checked before adding a member of length memberLen: the set
// becomes a skiplist when the listpack would pass its limits. The change
// is one-way.
func (z *ZSet) Grow(maxEntries, maxValue int64, memberLen int) {
	if !z.big.Load() && (int64(z.Len())+1 > maxEntries || int64(memberLen) > maxValue) {
		z.big.Store(true)
	}
}

// ToSkiplist names the set a skiplist from now on, as Redis's SORT
// converts the sorted sets it sorts (zsetConvert before loading them).
func (z *ZSet) ToSkiplist() { z.big.Store(true) }

// MemSize returns the approximate bytes held, in O(1).
func (z *ZSet) MemSize() int64 {
	return zsetOverhead + z.dict.MemSize() + int64(z.Len())*zitemBytes
}

// Owner returns the sorted set's link to the entry holding it (Object).
func (z *ZSet) Owner() *Owner { return &z.own }

// Clone returns an independent copy (COPY), owned by no entry.
func (z *ZSet) Clone() Object {
	c := &ZSet{dict: z.dict.Clone(), tree: z.tree.Copy()}
	c.big.Store(z.big.Load())
	return c
}

// Score returns the score of member.
func (z *ZSet) Score(member []byte) (float64, bool) { return z.dict.Get(member) }

// Set gives member the score, adding it if needed, and reports whether it
// was added. Setting the score a member already has changes nothing and
// counts nothing, as Redis's ZADD does not count it.
//
// A listpack stores a score as text and reads "-0" back as the integer 0,
// so Redis reports -0 as 0 there (and keeps -0 in a skiplist).
func (z *ZSet) Set(member string, score float64) bool {
	if !z.big.Load() && score == 0 {
		score = 0
	}
	if old, ok := z.dict.Get([]byte(member)); ok {
		if old != score { // -0 == 0: Redis keeps the old score
			z.tree.Delete(ZItem{old, member})
			z.tree.Set(ZItem{score, member})
			z.dict.Set(member, score)
			z.own.Changed(z.MemSize())
		}
		return false
	}
	z.dict.Set(member, score)
	z.tree.Set(ZItem{score, member})
	z.own.Changed(z.MemSize())
	return true
}

// Remove deletes member and reports whether it was there.
func (z *ZSet) Remove(member []byte) bool {
	score, ok := z.dict.Get(member)
	if !ok {
		return false
	}
	z.dict.Delete(member)
	z.tree.Delete(ZItem{score, string(member)})
	z.own.Changed(z.MemSize())
	return true
}

// At returns the item at rank i (0 = lowest score); i must be in range.
func (z *ZSet) At(i int) ZItem {
	it, _ := z.tree.GetAt(i)
	return it
}

// Rank returns member's 0-based rank from the lowest score.
func (z *ZSet) Rank(member []byte) (int, bool) {
	score, ok := z.dict.Get(member)
	if !ok {
		return 0, false
	}
	target := ZItem{score, string(member)}
	return z.Search(func(it ZItem) bool { return !zless(it, target) }), true
}

// Search returns the smallest rank whose item satisfies pred, or Len() if
// none does; pred must be false then true along the order.
func (z *ZSet) Search(pred func(it ZItem) bool) int {
	return sort.Search(z.Len(), func(i int) bool { return pred(z.At(i)) })
}

// Walk calls fn for the items of ranks lo..hi (inclusive), ascending, or
// descending from hi when rev, until fn returns false.
func (z *ZSet) Walk(lo, hi int, rev bool, fn func(it ZItem) bool) {
	if lo > hi || lo >= z.Len() || hi < 0 {
		return
	}
	n := hi - lo + 1
	iter := func(it ZItem) bool {
		n--
		return fn(it) && n > 0
	}
	if rev {
		z.tree.Descend(z.At(hi), iter)
		return
	}
	z.tree.Ascend(z.At(lo), iter)
}

// Each calls fn for every item in order until fn returns false.
func (z *ZSet) Each(fn func(it ZItem) bool) { z.tree.Scan(fn) }

// Random returns a random member and its score; the set must not be empty.
func (z *ZSet) Random() ZItem {
	m, s := z.dict.Random()
	return ZItem{s, m}
}

// Scan is one ZSCAN step, as Set.Scan: a listpack-named set returns
// everything at once in order with cursor 0; otherwise the member table's
// buckets are walked with Redis's reverse-binary cursor.
func (z *ZSet) Scan(cursor uint64, count, maxBuckets int, fn func(it ZItem)) uint64 {
	if !z.big.Load() {
		z.Each(func(it ZItem) bool { fn(it); return true })
		return 0
	}
	got := 0
	for {
		cursor = z.dict.ScanBucket(cursor, func(m string, s float64) { got++; fn(ZItem{s, m}) })
		maxBuckets--
		if cursor == 0 || maxBuckets <= 0 || got >= count {
			return cursor
		}
	}
}

// FormatScore is Redis 7.0's d2string, the text ZSCAN and stored listpack
// scores use (so DUMP's bytes too): integral values in ±2^62 as integers
// (double2ll), others as %.17g.
func FormatScore(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f == 0:
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	case f >= -(1<<62) && f <= 1<<62 && f == math.Trunc(f):
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}
