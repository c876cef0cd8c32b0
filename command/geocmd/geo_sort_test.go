package geocmd

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

func randomPoints(rng *rand.Rand, n int) []point {
	p := make([]point, n)
	for i := range p {
		p[i] = point{dist: float64(rng.IntN(20)), member: strconv.Itoa(i)}
	}
	return p
}

// TestMergeSortStable: the full sort orders by distance and keeps the
// collection order of equal distances, as glibc's merge sort.
func TestMergeSortStable(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for n := range 100 {
		p := randomPoints(rng, n)
		want := slices.Clone(p)
		slices.SortStableFunc(want, func(a, b point) int { return byDist(false)(&a, &b) })
		mergeSort(p, byDist(false))
		if !slices.Equal(p, want) {
			t.Fatalf("n=%d: %v, want %v", n, p, want)
		}
	}
}

// TestPartialSort: the first k ranks hold the k nearest (or farthest)
// distances in order, and the whole is a permutation of the input.
func TestPartialSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for n := 1; n < 200; n += 7 {
		for _, desc := range []bool{false, true} {
			p := randomPoints(rng, n)
			k := 1 + rng.IntN(n)
			want := slices.Clone(p)
			mergeSort(want, byDist(desc))
			partialSort(p, byDist(desc), 0, k-1)
			for i := range k {
				if p[i].dist != want[i].dist {
					t.Fatalf("n=%d k=%d desc=%v: rank %d is %v, want %v", n, k, desc, i, p[i].dist, want[i].dist)
				}
			}
			got := slices.Clone(p)
			mergeSort(got, byDist(desc))
			slices.SortStableFunc(got, func(a, b point) int { return cmpMember(a, b) })
			slices.SortStableFunc(want, func(a, b point) int { return cmpMember(a, b) })
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d: not a permutation", n)
			}
		}
	}
}

func cmpMember(a, b point) int {
	x, _ := strconv.Atoi(a.member)
	y, _ := strconv.Atoi(b.member)
	return x - y
}
