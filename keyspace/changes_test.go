package keyspace_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/larder-db/larder/keyspace"
)

// changes sums the change counters of every shard of the store.
func changes(st *keyspace.Store) uint64 {
	var n uint64
	for i := range st.Databases() {
		for j := range st.ShardsPerDB() {
			n += st.DB(i).Shard(j).Changes()
		}
	}
	return n
}

// used sums the bytes accounted to every shard of the store.
func used(st *keyspace.Store) int64 {
	var n int64
	for i := range st.Databases() {
		for j := range st.ShardsPerDB() {
			n += st.DB(i).Shard(j).Used()
		}
	}
	return n
}

func bs(s string) []byte { return []byte(s) }

func newList(vs ...string) keyspace.Object {
	l := keyspace.NewList()
	for _, v := range vs {
		l.PushRight(v)
	}
	return l
}

// newHash returns a hash of fields a=1, b=2 where b expires at 5000.
func newHash(maxEntries int64) func() keyspace.Object {
	return func() keyspace.Object {
		h := keyspace.NewHash()
		h.Set(bs("a"), bs("1"), false, maxEntries, 64)
		h.Set(bs("b"), bs("2"), false, maxEntries, 64)
		h.SetTTL(bs("b"), 5000)
		return h
	}
}

func newSet(ms ...string) func() keyspace.Object {
	return func() keyspace.Object {
		s := keyspace.NewSet()
		for _, m := range ms {
			s.Add(bs(m), 512)
		}
		return s
	}
}

func newZSet() keyspace.Object {
	z := keyspace.NewZSet(false)
	z.Set("a", 1)
	z.Set("b", 0)
	return z
}

type valueCase struct {
	name   string
	kind   keyspace.Kind
	build  func() keyspace.Object
	op     func(v any)
	change bool
}

// valueCases are the mutating methods of every collection type, each with
// calls that change the value and calls that find nothing to do.
var valueCases = []valueCase{
	{"List.PushLeft", keyspace.KindList, func() keyspace.Object { return newList("a") }, func(v any) { v.(*keyspace.List).PushLeft("x") }, true},
	{"List.PushRight", keyspace.KindList, func() keyspace.Object { return newList("a") }, func(v any) { v.(*keyspace.List).PushRight("x") }, true},
	{"List.PopLeft", keyspace.KindList, func() keyspace.Object { return newList("a", "b") }, func(v any) { v.(*keyspace.List).PopLeft() }, true},
	{"List.PopRight", keyspace.KindList, func() keyspace.Object { return newList("a", "b") }, func(v any) { v.(*keyspace.List).PopRight() }, true},
	{"List.Set", keyspace.KindList, func() keyspace.Object { return newList("a", "b") }, func(v any) { v.(*keyspace.List).Set(1, "xyz") }, true},
	{"List.Set/equal", keyspace.KindList, func() keyspace.Object { return newList("a", "b") }, func(v any) { v.(*keyspace.List).Set(1, "b") }, true},
	{"List.Replace", keyspace.KindList, func() keyspace.Object { return newList("a", "b") }, func(v any) { v.(*keyspace.List).Replace([]string{"a"}) }, true},
	{"List.Replace/empty", keyspace.KindList, func() keyspace.Object { return newList("a", "b") }, func(v any) { v.(*keyspace.List).Replace(nil) }, true},
	{"List.Replace/equal", keyspace.KindList, func() keyspace.Object { return newList("a", "b") }, func(v any) { v.(*keyspace.List).Replace([]string{"a", "b"}) }, false},
	{"List.Trim", keyspace.KindList, func() keyspace.Object { return newList("a", "b", "c") }, func(v any) { v.(*keyspace.List).Trim(1, 1) }, true},
	{"List.Trim/all", keyspace.KindList, func() keyspace.Object { return newList("a", "b", "c") }, func(v any) { v.(*keyspace.List).Trim(2, 1) }, true},
	{"List.Trim/nothing", keyspace.KindList, func() keyspace.Object { return newList("a", "b", "c") }, func(v any) { v.(*keyspace.List).Trim(0, 5) }, false},

	{"Hash.Set/new", keyspace.KindHash, newHash(128), func(v any) { v.(*keyspace.Hash).Set(bs("c"), bs("3"), false, 128, 64) }, true},
	{"Hash.Set/overwrite", keyspace.KindHash, newHash(128), func(v any) { v.(*keyspace.Hash).Set(bs("a"), bs("9"), false, 128, 64) }, true},
	{"Hash.Set/equal", keyspace.KindHash, newHash(128), func(v any) { v.(*keyspace.Hash).Set(bs("a"), bs("1"), false, 128, 64) }, true},
	{"Hash.Set/convert", keyspace.KindHash, newHash(128), func(v any) { v.(*keyspace.Hash).Set(bs("c"), bs("3"), false, 2, 64) }, true},
	{"Hash.Set/hashtable", keyspace.KindHash, newHash(0), func(v any) { v.(*keyspace.Hash).Set(bs("c"), bs("3"), false, 0, 64) }, true},
	{"Hash.Delete", keyspace.KindHash, newHash(128), func(v any) { v.(*keyspace.Hash).Delete(bs("b")) }, true},
	{"Hash.Delete/hashtable", keyspace.KindHash, newHash(0), func(v any) { v.(*keyspace.Hash).Delete(bs("a")) }, true},
	{"Hash.Delete/missing", keyspace.KindHash, newHash(128), func(v any) { v.(*keyspace.Hash).Delete(bs("zz")) }, false},
	{"Hash.Delete/missing-hashtable", keyspace.KindHash, newHash(0), func(v any) { v.(*keyspace.Hash).Delete(bs("zz")) }, false},
	{"Hash.SetTTL", keyspace.KindHash, newHash(128), func(v any) { v.(*keyspace.Hash).SetTTL(bs("a"), 9000) }, true},
	{"Hash.Persist", keyspace.KindHash, newHash(128), func(v any) { v.(*keyspace.Hash).Persist(bs("b")) }, true},
	{"Hash.Persist/no-ttl", keyspace.KindHash, newHash(128), func(v any) { v.(*keyspace.Hash).Persist(bs("a")) }, false},
	{"Hash.Persist/missing", keyspace.KindHash, newHash(128), func(v any) { v.(*keyspace.Hash).Persist(bs("zz")) }, false},
	{"Hash.ExpiredFields", keyspace.KindHash, newHash(128), func(v any) { v.(*keyspace.Hash).ExpiredFields(6000) }, false},

	{"Set.Add/intset", keyspace.KindSet, newSet("1", "2"), func(v any) { v.(*keyspace.Set).Add(bs("3"), 512) }, true},
	{"Set.Add/convert", keyspace.KindSet, newSet("1", "2"), func(v any) { v.(*keyspace.Set).Add(bs("x"), 512) }, true},
	{"Set.Add/hashtable", keyspace.KindSet, newSet("x", "y"), func(v any) { v.(*keyspace.Set).Add(bs("z"), 512) }, true},
	{"Set.Add/existing-intset", keyspace.KindSet, newSet("1", "2"), func(v any) { v.(*keyspace.Set).Add(bs("2"), 512) }, false},
	{"Set.Add/existing-hashtable", keyspace.KindSet, newSet("x", "y"), func(v any) { v.(*keyspace.Set).Add(bs("y"), 512) }, false},
	{"Set.Remove/intset", keyspace.KindSet, newSet("1", "2"), func(v any) { v.(*keyspace.Set).Remove(bs("1")) }, true},
	{"Set.Remove/hashtable", keyspace.KindSet, newSet("x", "y"), func(v any) { v.(*keyspace.Set).Remove(bs("x")) }, true},
	{"Set.Remove/missing-intset", keyspace.KindSet, newSet("1", "2"), func(v any) { v.(*keyspace.Set).Remove(bs("7")) }, false},
	{"Set.Remove/not-int-from-intset", keyspace.KindSet, newSet("1", "2"), func(v any) { v.(*keyspace.Set).Remove(bs("x")) }, false},
	{"Set.Remove/missing-hashtable", keyspace.KindSet, newSet("x", "y"), func(v any) { v.(*keyspace.Set).Remove(bs("z")) }, false},

	{"ZSet.Set/new", keyspace.KindZSet, newZSet, func(v any) { v.(*keyspace.ZSet).Set("c", 3) }, true},
	{"ZSet.Set/score", keyspace.KindZSet, newZSet, func(v any) { v.(*keyspace.ZSet).Set("a", 2) }, true},
	{"ZSet.Set/same-score", keyspace.KindZSet, newZSet, func(v any) { v.(*keyspace.ZSet).Set("a", 1) }, false},
	{"ZSet.Set/negative-zero", keyspace.KindZSet, newZSet, func(v any) { v.(*keyspace.ZSet).Set("b", negZero()) }, false},
	{"ZSet.Remove", keyspace.KindZSet, newZSet, func(v any) { v.(*keyspace.ZSet).Remove(bs("a")) }, true},
	{"ZSet.Remove/missing", keyspace.KindZSet, newZSet, func(v any) { v.(*keyspace.ZSet).Remove(bs("zz")) }, false},
	{"ZSet.Grow", keyspace.KindZSet, newZSet, func(v any) { v.(*keyspace.ZSet).Grow(1, 64, 1) }, false},
	{"ZSet.ToSkiplist", keyspace.KindZSet, newZSet, func(v any) { v.(*keyspace.ZSet).ToSkiplist() }, false},
}

func negZero() float64 {
	z := 0.0
	return -z
}

// TestValue_Changes checks that each mutating method of a stored collection
// counts in its shard when it changes the value, and only then, and that
// the shard's memory follows the value's size.
func TestValue_Changes(t *testing.T) {
	for _, c := range valueCases {
		t.Run(c.name, func(t *testing.T) {
			st, _ := newStore(t)
			e := st.DB(0).SetObject(bs("k"), c.kind, c.build())
			v := e.Obj().(interface{ MemSize() int64 })
			before, mem := changes(st), v.MemSize()
			usedBefore := used(st)
			c.op(v)
			if got := changes(st) > before; got != c.change {
				t.Fatalf("counted a change: %v, want %v", got, c.change)
			}
			if d := used(st) - usedBefore; d != v.MemSize()-mem {
				t.Fatalf("shard memory moved by %d, value by %d", d, v.MemSize()-mem)
			}
		})
	}
}

// TestValue_Changes_Unowned checks that values not stored in a shard (built
// standalone, cloned, or cut loose by a delete, a replacement or a flush)
// count nowhere and leave every shard's memory alone.
func TestValue_Changes_Unowned(t *testing.T) {
	cut := []struct {
		name string
		cut  func(db *keyspace.DB, sh *keyspace.Shard)
	}{
		{"standalone", nil},
		{"clone", nil},
		{"deleted", func(db *keyspace.DB, _ *keyspace.Shard) { db.Delete(bs("k")) }},
		{"replaced-by-string", func(db *keyspace.DB, _ *keyspace.Shard) { db.SetString(bs("k"), bs("v"), false) }},
		{"replaced-by-value", func(db *keyspace.DB, _ *keyspace.Shard) { db.SetObject(bs("k"), keyspace.KindList, keyspace.NewList()) }},
		{"flushed", func(_ *keyspace.DB, sh *keyspace.Shard) { sh.Clear() }},
	}
	for _, c := range valueCases {
		for _, how := range cut {
			t.Run(c.name+"/"+how.name, func(t *testing.T) {
				st, _ := newStore(t)
				db := st.DB(0)
				v := c.build()
				e := db.SetObject(bs("k"), c.kind, v)
				switch how.name {
				case "standalone":
					db.Delete(bs("k"))
					v = c.build()
				case "clone":
					v = keyspace.CloneValue(e)
				default:
					how.cut(db, db.ShardOf(bs("k")))
				}
				before, usedBefore := changes(st), used(st)
				c.op(v)
				if changes(st) != before || used(st) != usedBefore {
					t.Fatalf("a value outside the keyspace counted: changes %d→%d, used %d→%d",
						before, changes(st), usedBefore, used(st))
				}
			})
		}
	}
}

// TestValue_Reads checks that no read of any collection type counts.
func TestValue_Reads(t *testing.T) {
	st, _ := newStore(t)
	db := st.DB(0)
	l := db.SetObject(bs("l"), keyspace.KindList, newList("a", "b", "c")).Obj().(*keyspace.List)
	h := db.SetObject(bs("h"), keyspace.KindHash, newHash(0)()).Obj().(*keyspace.Hash)
	s := db.SetObject(bs("s"), keyspace.KindSet, newSet("x", "y")()).Obj().(*keyspace.Set)
	z := db.SetObject(bs("z"), keyspace.KindZSet, newZSet()).Obj().(*keyspace.ZSet)
	before := changes(st)
	l.At(1)
	l.Slice(0, 2)
	l.Len()
	l.Clone()
	h.Get(bs("a"), 0)
	h.Has(bs("b"), 9000)
	h.TTL(bs("b"))
	h.LiveLen(9000)
	h.Pairs(0)
	h.Random(0)
	h.Scan(0, 10, 10, 0, func(string, string) {})
	h.Each(0, func(string, string) bool { return true })
	s.Has(bs("x"))
	s.Members()
	s.Random()
	s.Scan(0, 10, 10, func(string) {})
	z.Score(bs("a"))
	z.Rank(bs("b"))
	z.At(0)
	z.Walk(0, 1, true, func(keyspace.ZItem) bool { return true })
	z.Random()
	z.Scan(0, 10, 10, func(keyspace.ZItem) {})
	if changes(st) != before {
		t.Fatalf("reads counted %d changes", changes(st)-before)
	}
}

type storeCase struct {
	name   string
	setup  func(db *keyspace.DB, clk *clock)
	op     func(db *keyspace.DB)
	change bool
}

// future and past are expiries relative to newStore's clock.
const (
	future = 1_700_000_000_000 + 10_000
	past   = 1_700_000_000_000 - 1
)

func withString(key, val string) func(db *keyspace.DB, _ *clock) {
	return func(db *keyspace.DB, _ *clock) { db.SetString(bs(key), bs(val), false) }
}

func withVolatile(key string, at int64) func(db *keyspace.DB, _ *clock) {
	return func(db *keyspace.DB, _ *clock) {
		db.SetExpire(db.SetString(bs(key), bs("v"), false), at)
	}
}

func lookup(db *keyspace.DB, key string) *keyspace.Entry {
	return db.LookupAt(bs(key), 0, true)
}

var storeCases = []storeCase{
	{"SetString/new", nil, func(db *keyspace.DB) { db.SetString(bs("k"), bs("v"), false) }, true},
	{"SetString/overwrite", withString("k", "v"), func(db *keyspace.DB) { db.SetString(bs("k"), bs("w"), false) }, true},
	{"SetString/equal", withString("k", "v"), func(db *keyspace.DB) { db.SetString(bs("k"), bs("v"), true) }, true},
	{"SetObject/new", nil, func(db *keyspace.DB) { db.SetObject(bs("k"), keyspace.KindList, newList("a")) }, true},
	{"SetObject/replace", withString("k", "v"), func(db *keyspace.DB) { db.SetObject(bs("k"), keyspace.KindSet, newSet("1")()) }, true},
	{"UpdateString", withString("k", "v"), func(db *keyspace.DB) {
		e := lookup(db, "k")
		db.UpdateString(e, append(e.Str(), "tail"...), keyspace.EncRaw)
	}, true},
	{"Delete", withString("k", "v"), func(db *keyspace.DB) { db.Delete(bs("k")) }, true},
	{"Delete/missing", withString("k", "v"), func(db *keyspace.DB) { db.Delete(bs("other")) }, false},
	{"Delete/expired", withVolatile("k", past), func(db *keyspace.DB) { db.Delete(bs("k")) }, false},
	{"SetExpire", withString("k", "v"), func(db *keyspace.DB) { db.SetExpire(lookup(db, "k"), future) }, true},
	{"SetExpire/same", withVolatile("k", future), func(db *keyspace.DB) { db.SetExpire(lookup(db, "k"), future) }, true},
	{"SetExpire/remove", withVolatile("k", future), func(db *keyspace.DB) { db.SetExpire(lookup(db, "k"), 0) }, true},
	{"SetExpire/remove-none", withString("k", "v"), func(db *keyspace.DB) { db.SetExpire(lookup(db, "k"), 0) }, false},
	{"Restore", withString("k", "v"), func(db *keyspace.DB) {
		e := lookup(db, "k")
		db.Restore(bs("copy"), e, keyspace.CloneValue(e))
	}, true},
	{"Move", withString("k", "v"), func(db *keyspace.DB) { db.Move(bs("renamed"), lookup(db, "k")) }, true},
	{"Clear", withString("k", "v"), func(db *keyspace.DB) { clearAll(db) }, true},
	{"Clear/empty", nil, func(db *keyspace.DB) { clearAll(db) }, false},
	{"Lookup", withString("k", "v"), func(db *keyspace.DB) { db.Lookup(bs("k"), false) }, false},
	{"Lookup/lfu", withString("k", "v"), func(db *keyspace.DB) { db.LookupAt(bs("k"), 0, false) }, false},
	{"LookupWrite", withString("k", "v"), func(db *keyspace.DB) { db.LookupWrite(bs("k"), nil) }, false},
	{"LookupWrite/expired", withVolatile("k", past), func(db *keyspace.DB) { db.LookupWrite(bs("k"), nil) }, false},
	{"ReclaimExpired", withVolatile("k", past), func(db *keyspace.DB) {
		for i := range 4 {
			db.Shard(i).ReclaimExpired(1<<62, 10, nil)
		}
	}, false},
	{"Scan/Each/Random", withString("k", "v"), func(db *keyspace.DB) {
		sh := db.ShardOf(bs("k"))
		sh.Scan(0, 10, 0, func(*keyspace.Entry) {})
		sh.Each(0, func(*keyspace.Entry) bool { return true })
		sh.Random(0)
		sh.LiveLen(0)
		keyspace.CloneValue(lookup(db, "k"))
	}, false},
}

func clearAll(db *keyspace.DB) {
	for i := range 4 {
		db.Shard(i).Clear()
	}
}

// TestStore_Changes checks the keyspace operations on keys: each counts
// when it changes data, and reads, no-ops and the removal of expired keys
// do not.
func TestStore_Changes(t *testing.T) {
	for _, c := range storeCases {
		t.Run(c.name, func(t *testing.T) {
			st, clk := newStore(t)
			st.SetLFU(c.name == "Lookup/lfu")
			db := st.DB(0)
			if c.setup != nil {
				c.setup(db, clk)
			}
			before := changes(st)
			c.op(db)
			if got := changes(st) > before; got != c.change {
				t.Fatalf("counted a change: %v, want %v", got, c.change)
			}
		})
	}
}

// TestStore_Changes_ExpiredCallback checks that the removal of an expired
// key is reported through the callback while not counted as a change.
func TestStore_Changes_ExpiredCallback(t *testing.T) {
	st, clk := newStore(t)
	db := st.DB(0)
	for i := range 8 {
		db.SetExpire(db.SetString(bs("k"+strconv.Itoa(i)), bs("v"), false), st.NowMs()+1000)
	}
	clk.t = clk.t.Add(2 * time.Second)
	before := changes(st)
	var gone []string
	db.LookupWrite(bs("k0"), func(k string) { gone = append(gone, k) })
	for i := range st.ShardsPerDB() {
		db.Shard(i).ReclaimExpired(st.NowMs(), 100, func(k string) { gone = append(gone, k) })
	}
	if len(gone) != 8 || changes(st) != before || used(st) != 0 {
		t.Fatalf("reported %v; changes %d→%d; used %d", gone, before, changes(st), used(st))
	}
}

// TestDB_Swap_Changes checks that a swap counts on both sides, and that a
// value keeps counting in the shard that holds it after the swap.
func TestDB_Swap_Changes(t *testing.T) {
	st, _ := newStore(t)
	a, b := st.DB(0), st.DB(1)
	l := a.SetObject(bs("k"), keyspace.KindList, newList("x")).Obj().(*keyspace.List)
	var before [2][4]uint64
	for d := range 2 {
		for i := range 4 {
			before[d][i] = st.DB(d).Shard(i).Changes()
		}
	}
	a.Swap(b)
	for d := range 2 {
		for i := range 4 {
			if st.DB(d).Shard(i).Changes() <= before[d][i] {
				t.Fatalf("db %d shard %d did not count the swap", d, i)
			}
		}
	}
	sa, sb := a.ShardOf(bs("k")), b.ShardOf(bs("k"))
	ca, cb, ua, ub := sa.Changes(), sb.Changes(), sa.Used(), sb.Used()
	l.PushRight("a longer element than the first")
	if sa.Changes() != ca || sa.Used() != ua {
		t.Fatal("the value counted in the shard it left")
	}
	if sb.Changes() <= cb || sb.Used() <= ub {
		t.Fatal("the value did not count in the shard it moved to")
	}
}

// TestDB_Move_Changes checks RENAME's sequence, Move then Delete of the
// source: the value counts under its new key, not cut loose by the delete.
func TestDB_Move_Changes(t *testing.T) {
	st, _ := newStore(t)
	db := st.DB(0)
	src := db.SetObject(bs("src"), keyspace.KindSet, newSet("1")())
	s := src.Obj().(*keyspace.Set)
	db.Move(bs("dst"), src)
	db.Delete(bs("src"))
	sh := db.ShardOf(bs("dst"))
	before, u := sh.Changes(), sh.Used()
	s.Add(bs("not an integer, so the set converts"), 512)
	if sh.Changes() <= before || sh.Used() <= u {
		t.Fatal("a renamed value stopped counting")
	}
}
