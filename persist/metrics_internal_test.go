package persist

import "testing"

// TestHist_Buckets: bucket i counts the values up to 2^i, the last also
// every larger one, and the sum is the values'.
func TestHist_Buckets(t *testing.T) {
	var h Hist
	for _, v := range []int64{-5, 0, 1, 2, 3, 4, 5, 1 << 23, 1<<23 + 1, 1 << 40} {
		h.add(v)
	}
	s := h.snapshot()
	want := map[int]int64{0: 3, 1: 1, 2: 2, 3: 1, 23: 1, HistBuckets - 1: 2}
	for i, n := range s.Counts {
		if n != want[i] {
			t.Errorf("bucket %d (≤ %d): %d, want %d", i, int64(1)<<i, n, want[i])
		}
	}
	if wantSum := int64(0 + 0 + 1 + 2 + 3 + 4 + 5 + 1<<23 + 1<<23 + 1 + 1<<40); s.Sum != wantSum {
		t.Errorf("sum %d, want %d", s.Sum, wantSum)
	}
}
