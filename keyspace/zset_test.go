package keyspace

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// TestZSetAgainstSortedSlice checks rank, order and walks against a plain
// sorted slice under random adds, updates and removals.
func TestZSetAgainstSortedSlice(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	z := NewZSet(true)
	ref := map[string]float64{}
	for i := range 5000 {
		m := "m" + strconv.Itoa(r.IntN(500))
		switch r.IntN(3) {
		case 0, 1:
			s := float64(r.IntN(50))
			z.Set(m, s)
			ref[m] = s
		default:
			z.Remove([]byte(m))
			delete(ref, m)
		}
		if i%500 != 0 {
			continue
		}
		want := make([]ZItem, 0, len(ref))
		for m, s := range ref {
			want = append(want, ZItem{s, m})
		}
		slices.SortFunc(want, func(a, b ZItem) int {
			if zless(a, b) {
				return -1
			}
			return 1
		})
		if z.Len() != len(want) {
			t.Fatalf("len %d, want %d", z.Len(), len(want))
		}
		for rank, it := range want {
			if got, _ := z.Rank([]byte(it.Member)); got != rank || z.At(rank) != it {
				t.Fatalf("rank of %v = %d, want %d", it, got, rank)
			}
		}
		var got []ZItem
		z.Walk(3, 10, true, func(it ZItem) bool { got = append(got, it); return true })
		if len(want) > 10 && (len(got) != 8 || got[0] != want[10] || got[7] != want[3]) {
			t.Fatalf("reverse walk 3..10 = %v", got)
		}
	}
}

func TestZSetListpackNegativeZero(t *testing.T) {
	small, big := NewZSet(false), NewZSet(true)
	small.Set("a", negZero())
	big.Set("a", negZero())
	if s, _ := small.Score([]byte("a")); FormatScore(s) != "0" {
		t.Fatalf("listpack -0 reads back %s", FormatScore(s))
	}
	if s, _ := big.Score([]byte("a")); FormatScore(s) != "-0" {
		t.Fatalf("skiplist -0 reads back %s", FormatScore(s))
	}
}

func negZero() float64 { z := 0.0; return -z }

func TestFormatScore(t *testing.T) {
	for f, want := range map[float64]string{1: "1", 1.5: "1.5", 0.1: "0.10000000000000001", 4503599627370496: "4503599627370496", 1e300: "1.0000000000000001e+300",
		1e17: "100000000000000000", 1 << 62: "4611686018427387904", -(1 << 62): "-4611686018427387904",
		1 << 63: "9.2233720368547758e+18", -1e15 - 0.5: "-1000000000000000.5"} {
		if got := FormatScore(f); got != want {
			t.Errorf("FormatScore(%v) = %s, want %s", f, got, want)
		}
	}
}

// BenchmarkZSetMillionMembers reports the heap bytes per member of a
// 1M-member sorted set ("member:N" scored N), for comparison with
// redis-server's used_memory for the same ZADDs.
func BenchmarkZSetMillionMembers(b *testing.B) {
	reportHeapPer(b, 1_000_000, "member", func() interface{ MemSize() int64 } {
		z := NewZSet(true)
		for i := range 1_000_000 {
			z.Set("member:"+strconv.Itoa(i), float64(i))
		}
		return z
	})
}
