package keyspace

import (
	"runtime"
	"strconv"
	"testing"
)

// TestAccounting_HeapShare: for string keys the keyspace's accounting (what
// used_memory and maxmemory count) is within 15 % of the Go heap the keys
// really take, measured as HeapAlloc after a GC before and after building
// the keyspace, for short, medium and long values and several key counts
// (the maps and slot arrays grow by doubling, so the share per key moves
// with the count).
func TestAccounting_HeapShare(t *testing.T) {
	for _, n := range []int{30_000, 100_000} {
		for _, vlen := range []int{10, 1000} {
			heap, used := heapPerKey(n, vlen)
			t.Logf("%d keys of %d-byte values: heap %.0f B/key, accounted %.0f B/key (%+.1f %%)",
				n, vlen, heap, used, 100*(used-heap)/heap)
			if used < 0.85*heap || used > 1.15*heap {
				t.Errorf("%d keys of %d-byte values: accounted %.0f B/key, heap %.0f", n, vlen, used, heap)
			}
		}
	}
}

func heapPerKey(n, vlen int) (heap, used float64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	st := New(Options{})
	db := st.DB(0)
	v := make([]byte, vlen)
	for i := range n {
		db.SetString([]byte("key:"+strconv.Itoa(i)), v, false)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(st)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(n), float64(st.Used()) / float64(n)
}
