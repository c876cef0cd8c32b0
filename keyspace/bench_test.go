package keyspace_test

import (
	"strconv"
	"testing"

	"github.com/larder-db/larder/keyspace"
)

// stored inserts v under a key of a one-shard store and returns the value
// as the command layer sees it (e.Obj()), so the benchmarks measure the
// mutating methods of values that live in a shard.
func stored(b *testing.B, kind keyspace.Kind, v keyspace.Object) keyspace.Object {
	b.Helper()
	st := keyspace.New(keyspace.Options{Databases: 1, Shards: 1})
	return st.DB(0).SetObject([]byte("k"), kind, v).Obj()
}

// names returns n distinct byte strings with the given prefix.
func names(prefix string, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(prefix + strconv.Itoa(i))
	}
	return out
}

func BenchmarkHash_Set(b *testing.B) {
	for _, c := range []struct {
		name       string
		fields     int
		maxEntries int64
	}{
		{"listpack", 8, 128},
		{"hashtable", 1024, 0},
	} {
		b.Run(c.name, func(b *testing.B) {
			h := stored(b, keyspace.KindHash, keyspace.NewHash()).(*keyspace.Hash)
			fs, val := names("field:", c.fields), []byte("value")
			for _, f := range fs {
				h.Set(f, val, false, c.maxEntries, 64)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				h.Set(fs[i%len(fs)], val, false, c.maxEntries, 64)
			}
		})
	}
}

// BenchmarkList_PushRight pushes at the tail and pops the head, so the
// list keeps its length and every iteration is two mutations.
func BenchmarkList_PushRight(b *testing.B) {
	l := stored(b, keyspace.KindList, keyspace.NewList()).(*keyspace.List)
	for i := range 64 {
		l.PushRight("element:" + strconv.Itoa(i))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		l.PushRight("element")
		l.PopLeft()
	}
}

func BenchmarkSet_Add(b *testing.B) {
	s := stored(b, keyspace.KindSet, keyspace.NewSet()).(*keyspace.Set)
	ms := names("member:", 1024)
	for _, m := range ms {
		s.Add(m, 512)
	}
	b.Run("new", func(b *testing.B) {
		extra := []byte("extra")
		b.ReportAllocs()
		for range b.N {
			s.Add(extra, 512)
			s.Remove(extra)
		}
	})
	b.Run("existing", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			s.Add(ms[i%len(ms)], 512)
		}
	})
}

func BenchmarkZSet_Set(b *testing.B) {
	z := stored(b, keyspace.KindZSet, keyspace.NewZSet(true)).(*keyspace.ZSet)
	ms := make([]string, 1024)
	for i := range ms {
		ms[i] = "member:" + strconv.Itoa(i)
		z.Set(ms[i], float64(i))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		z.Set(ms[i%len(ms)], float64(i))
	}
}

func BenchmarkStore_SetString(b *testing.B) {
	st := keyspace.New(keyspace.Options{Databases: 1, Shards: 1})
	db, key, val := st.DB(0), []byte("key"), []byte("value:0123456789")
	b.ReportAllocs()
	for range b.N {
		db.SetString(key, val, false)
	}
}
