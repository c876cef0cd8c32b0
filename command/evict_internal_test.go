package command

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestEvictPool_Offer: the pool keeps the evictPoolSize best candidates
// offered (highest scores), in ascending order, each key once with its
// latest score, as Redis's evictionPoolPopulate.
func TestEvictPool_Offer(t *testing.T) {
	var ev evictor
	rng := rand.New(rand.NewPCG(1, 2))
	best := map[string]uint64{}
	for range 500 {
		c := poolEntry{key: "k" + strconv.Itoa(rng.IntN(60)), score: rng.Uint64N(1000)}
		ev.offer(c)
		best[c.key] = c.score // the latest offer of a key stands
		if !slices.IsSortedFunc(ev.pool, func(a, b poolEntry) int { return int(a.score) - int(b.score) }) {
			t.Fatalf("pool out of order: %v", ev.pool)
		}
		if len(ev.pool) > evictPoolSize {
			t.Fatalf("pool holds %d", len(ev.pool))
		}
		seen := map[string]bool{}
		for _, p := range ev.pool {
			if seen[p.key] || best[p.key] != p.score {
				t.Fatalf("pool %v: %q twice or with a stale score", ev.pool, p.key)
			}
			seen[p.key] = true
		}
	}
	ev.pool = ev.pool[:0]
	for i := range 40 {
		ev.offer(poolEntry{key: strconv.Itoa(i), score: uint64(i)})
	}
	if len(ev.pool) != evictPoolSize || ev.pool[0].score != 24 || ev.pool[evictPoolSize-1].score != 39 {
		t.Fatalf("after scores 0..39 the pool is %v, want 24..39", ev.pool)
	}
	ev.offer(poolEntry{key: "low", score: 3})
	if ev.pool[0].score != 24 {
		t.Fatalf("a candidate worse than a full pool's worst got in: %v", ev.pool)
	}
}

// TestEvictionTimeLimit is Redis's evictionTimeLimitUs.
func TestEvictionTimeLimit(t *testing.T) {
	for _, tc := range []struct {
		tenacity int64
		want     time.Duration
	}{{0, 0}, {1, 50 * time.Microsecond}, {10, 500 * time.Microsecond}, {11, 575 * time.Microsecond}, {100, 1<<63 - 1}} {
		if got := evictionTimeLimit(tc.tenacity); got != tc.want {
			t.Errorf("tenacity %d: %v, want %v", tc.tenacity, got, tc.want)
		}
	}
	if got := evictionTimeLimit(99); got < 100*time.Second || got > 150*time.Second {
		t.Errorf("tenacity 99: %v, want about two minutes", got)
	}
}
