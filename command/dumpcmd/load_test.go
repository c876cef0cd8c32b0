package dumpcmd

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/larder-db/larder/command/internal/rdb"
	"github.com/larder-db/larder/keyspace"
)

// TestLoadCorrupt: mutated and truncated payload bodies of every type load
// or fail with errBadData; none panics.
func TestLoadCorrupt(t *testing.T) {
	lim := limits{intset: 512, hashEntries: 128, hashValue: 64, zsetEntries: 128, zsetValue: 64}
	l := keyspace.NewList()
	s, h, z := keyspace.NewSet(), keyspace.NewHash(), keyspace.NewZSet(false)
	for i := 0; i < 40; i++ {
		v := strconv.Itoa(i * 997)
		l.PushRight(v)
		s.Add([]byte(v), 512)
		h.Set([]byte("f"+v), []byte(v), false, 128, 64)
		z.Set("m"+v, float64(i)/3)
	}
	bodies := [][]byte{
		rdb.AppendString([]byte{typeString}, []byte("some string that compresses, some string that compresses")),
		encodeList(l, -2), encodeSet(s), encodeHash(h, 0), encodeZSet(z),
	}
	z.ToSkiplist()
	bodies = append(bodies, encodeZSet(z))
	rng := rand.New(rand.NewPCG(5, 6))
	for _, good := range bodies {
		if _, err := load(good, lim); err != nil {
			t.Fatalf("a good body of type %d does not load: %v", good[0], err)
		}
		for i := 0; i < 3000; i++ {
			b := append([]byte(nil), good...)
			for k := rng.IntN(3); k >= 0; k-- {
				b[rng.IntN(len(b))] = byte(rng.Uint32())
			}
			b = b[:1+rng.IntN(len(b))]
			if _, err := load(b, lim); err != nil && err != errBadData {
				t.Fatalf("load error %v, want errBadData", err)
			}
		}
	}
}
