package keyspace

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/larder-db/larder/internal/testseed"
)

// tableMem recomputes a Table's MemSize from its entries.
func tableMem[V any](t *Table[V]) int64 {
	n := 24 * int64(len(t.buckets))
	t.Each(func(k string, _ V) bool { n += int64(len(k)) + tableEntryOverhead; return true })
	return n
}

// valueMem recomputes a value's MemSize from its contents, ignoring the
// byte counters the value keeps for itself.
func valueMem(tb testing.TB, v any) int64 {
	switch v := v.(type) {
	case nil:
		return 0
	case *List:
		n := listOverhead + 16*int64(len(v.buf)-v.n)
		for i := range v.n {
			n += int64(len(v.At(i))) + 16
		}
		return n
	case *Hash:
		n := hashOverhead + hashStrOverhead*int64(cap(v.lp))
		for f := range v.ttls {
			n += int64(len(f)) + hashTTLOverhead
		}
		for _, s := range v.lp {
			n += int64(len(s))
		}
		if v.tab != nil {
			n += tableMem(v.tab)
			v.tab.Each(func(_, val string) bool { n += int64(len(val)) + hashStrOverhead; return true })
		}
		return n
	case *Set:
		if v.tab != nil {
			return setOverhead + tableMem(v.tab)
		}
		return setOverhead + 8*int64(cap(v.ints))
	case *ZSet:
		if v.tree.Len() != v.dict.Len() {
			tb.Fatalf("zset tree holds %d items, dict %d", v.tree.Len(), v.dict.Len())
		}
		return zsetOverhead + tableMem(v.dict) + int64(v.Len())*zitemBytes
	}
	tb.Fatalf("unknown value type %T", v)
	return 0
}

// checkAccounting recomputes every entry's size and every shard's memory
// from scratch and compares them with what the keyspace keeps, and checks
// that every collection value is owned by the entry holding it.
func checkAccounting(tb testing.TB, st *Store) {
	tb.Helper()
	for d, db := range st.dbs {
		var dbUsed, dbVolatile int64
		for i, sh := range db.shards {
			dbUsed, dbVolatile = dbUsed+sh.used, dbVolatile+int64(len(sh.heap))
			if sh.home.sh != sh {
				tb.Fatalf("db %d shard %d: its home points elsewhere", d, i)
			}
			var sum int64
			for k, e := range sh.keys {
				want := int64(len(e.key)) + int64(cap(e.str)) + entryOverhead + valueMem(tb, e.obj)
				if e.size != want {
					tb.Fatalf("db %d key %q: size %d, recomputed %d", d, k, e.size, want)
				}
				if e.obj != nil && *e.obj.Owner() != (Owner{e: e, h: sh.home}) {
					tb.Fatalf("db %d key %q: the value is not owned by its entry", d, k)
				}
				sum += want
			}
			if sh.used != sum {
				tb.Fatalf("db %d shard %d: used %d, recomputed %d", d, i, sh.used, sum)
			}
		}
		if db.Used() != dbUsed || db.VolatileKeys() != dbVolatile {
			tb.Fatalf("db %d: totals used %d volatile %d, shards sum to %d and %d",
				d, db.Used(), db.VolatileKeys(), dbUsed, dbVolatile)
		}
	}
}

// model is the state of the random accounting test: the store, its clock,
// and values cut loose from it (which later mutations must not count).
type model struct {
	st    *Store
	clk   time.Time
	rng   *rand.Rand
	loose []any
}

func (m *model) key() []byte { return []byte("k" + strconv.Itoa(m.rng.IntN(40))) }

func (m *model) db() *DB { return m.st.DB(m.rng.IntN(len(m.st.dbs))) }

func (m *model) str(n int) string {
	return string(make([]byte, m.rng.IntN(n))) + strconv.Itoa(m.rng.IntN(50))
}

// cutLoose remembers the value of key in db (about to be deleted or
// replaced) as a value that no longer counts anywhere.
func (m *model) cutLoose(db *DB, key []byte) {
	if e := db.ShardOf(key).get(string(key)); e != nil && e.obj != nil {
		m.loose = append(m.loose, e.obj)
	}
}

// TestShard_Used_RandomOps drives every mutating API of the keyspace and of
// its values at random, including values cut loose from it, and after each
// step checks the memory accounting against a recomputation from scratch
// and that no shard's change counter went backwards.
func TestShard_Used_RandomOps(t *testing.T) {
	seed := testseed.Seed(t)
	m := &model{clk: time.UnixMilli(1_000_000), rng: rand.New(rand.NewPCG(seed, 0))}
	m.st = New(Options{Databases: 2, Shards: 4, Now: func() time.Time { return m.clk }})
	last := map[*Shard]uint64{}
	for step := range 20000 {
		m.step()
		checkAccounting(t, m.st)
		for _, db := range m.st.dbs {
			for _, sh := range db.shards {
				if sh.Changes() < last[sh] {
					t.Fatalf("step %d: a change counter went backwards", step)
				}
				last[sh] = sh.Changes()
			}
		}
	}
}

func (m *model) step() {
	db, key := m.db(), m.key()
	switch op := m.rng.IntN(100); {
	case op < 12:
		m.cutLoose(db, key)
		db.SetString(key, []byte(m.str(60)), m.rng.IntN(2) == 0)
	case op < 18:
		if e := db.LookupWrite(key, nil); e != nil && e.kind == KindString {
			db.UpdateString(e, append(e.Str(), m.str(30)...), EncRaw)
		}
	case op < 28:
		m.cutLoose(db, key)
		kind, v := m.newValue()
		db.SetObject(key, kind, v)
	case op < 68:
		if e := db.LookupWrite(key, nil); e != nil && e.obj != nil {
			m.mutate(e.obj)
			m.dropIfEmpty(db, e)
		}
	case op < 72:
		m.cutLoose(db, key)
		db.Delete(key)
	case op < 78:
		if e := db.LookupWrite(key, nil); e != nil {
			db.SetExpire(e, m.expiry())
		}
	case op < 82:
		m.clk = m.clk.Add(time.Duration(m.rng.IntN(3000)) * time.Millisecond)
		sh := db.ShardOf(key)
		sh.ReclaimExpired(m.st.NowMs(), m.rng.IntN(4), nil)
	case op < 90:
		m.copyOrMove(db, key)
	case op < 92 && len(m.loose) > 0:
		m.mutate(m.loose[m.rng.IntN(len(m.loose))])
	case op < 93:
		sh := db.ShardOf(key)
		for _, e := range sh.keys {
			m.loose = append(m.loose, e.obj)
		}
		sh.Clear()
	case op < 94:
		m.st.DB(0).Swap(m.st.DB(1))
	case op < 96:
		sh := db.ShardOf(key)
		for _, c := range db.SampleForEviction(sh, 3, m.rng.IntN(2) == 0, EvictLRU, nil) {
			volatile := m.rng.IntN(2) == 0
			if e := sh.get(c.Key); !volatile || e.expireAt != 0 {
				m.cutLoose(db, []byte(c.Key))
			}
			db.Evict([]byte(c.Key), volatile)
		}
	default:
		db.LookupWrite(key, nil)
	}
}

func (m *model) expiry() int64 {
	if m.rng.IntN(4) == 0 {
		return 0
	}
	return m.st.NowMs() + int64(m.rng.IntN(5000))
}

// copyOrMove is COPY (a clone restored under another key) or RENAME/MOVE
// (the value re-homed, then the source deleted).
func (m *model) copyOrMove(db *DB, key []byte) {
	e := db.LookupWrite(key, nil)
	if e == nil {
		return
	}
	dstDB, dst := m.db(), m.key()
	if dstDB == db && string(dst) == e.key {
		return
	}
	m.cutLoose(dstDB, dst)
	if m.rng.IntN(2) == 0 {
		dstDB.Restore(dst, e, CloneValue(e))
		return
	}
	dstDB.Move(dst, e)
	db.Delete(key)
}

// dropIfEmpty deletes a collection key left empty, as the command layer does.
func (m *model) dropIfEmpty(db *DB, e *Entry) {
	if v, ok := e.obj.(interface{ Len() int }); ok && v.Len() == 0 && m.rng.IntN(2) == 0 {
		m.cutLoose(db, []byte(e.key))
		db.Delete([]byte(e.key))
	}
}

// newValue builds a collection standalone, as the *STORE commands do.
func (m *model) newValue() (Kind, Object) {
	kinds := []Kind{KindList, KindHash, KindSet, KindZSet}
	kind := kinds[m.rng.IntN(len(kinds))]
	var v Object
	switch kind {
	case KindList:
		v = NewList()
	case KindHash:
		v = NewHash()
	case KindSet:
		v = NewSet()
	case KindZSet:
		v = NewZSet(m.rng.IntN(2) == 0)
	}
	for range m.rng.IntN(6) {
		m.mutate(v)
	}
	return kind, v
}

func (m *model) mutate(v any) {
	switch v := v.(type) {
	case *List:
		m.mutateList(v)
	case *Hash:
		m.mutateHash(v)
	case *Set:
		m.mutateSet(v)
	case *ZSet:
		m.mutateZSet(v)
	}
}

func (m *model) mutateList(l *List) {
	op := m.rng.IntN(7)
	if l.Len() == 0 {
		op = m.rng.IntN(2)
	}
	switch op {
	case 0:
		l.PushLeft(m.str(40))
	case 1:
		for range 1 + m.rng.IntN(80) {
			l.PushRight(m.str(40))
		}
	case 2:
		l.PopLeft()
	case 3:
		l.PopRight()
	case 4:
		l.Set(m.rng.IntN(l.Len()), m.str(40))
	case 5:
		l.Trim(m.rng.IntN(l.Len()), m.rng.IntN(l.Len()+2)-1)
	case 6:
		vs := l.Slice(0, l.Len()-1)
		l.Replace(vs[:m.rng.IntN(len(vs)+1)])
	}
}

func (m *model) mutateHash(h *Hash) {
	f := []byte("f" + strconv.Itoa(m.rng.IntN(6)))
	limit := []int64{4, 128}[m.rng.IntN(2)]
	switch m.rng.IntN(7) {
	case 0, 1:
		h.Set(f, []byte(m.str(24)), m.rng.IntN(2) == 0, limit, 16)
	case 2:
		h.Delete(f)
	case 3, 4:
		if h.Has(f, 0) {
			h.SetTTL(f, m.st.NowMs()+int64(m.rng.IntN(4000)))
		}
	case 5:
		h.Persist(f)
	case 6:
		for _, g := range h.ExpiredFields(m.st.NowMs()) {
			h.Delete([]byte(g))
		}
	}
}

func (m *model) mutateSet(s *Set) {
	mem := []byte(strconv.Itoa(m.rng.IntN(30)))
	if m.rng.IntN(5) == 0 {
		mem = append([]byte("m"), mem...)
	}
	if m.rng.IntN(3) == 0 {
		s.Remove(mem)
		return
	}
	s.Add(mem, 8)
}

func (m *model) mutateZSet(z *ZSet) {
	mem := "m" + strconv.Itoa(m.rng.IntN(30))
	switch m.rng.IntN(4) {
	case 0:
		z.Remove([]byte(mem))
	case 1:
		z.Grow(8, 16, len(mem))
		fallthrough
	default:
		z.Set(mem, float64(m.rng.IntN(5)))
	}
}
