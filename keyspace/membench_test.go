package keyspace

import (
	"runtime"
	"testing"
)

// reportHeapPer builds a value of n items with build and reports the heap
// bytes per item it holds (and MemSize's estimate per item), for the
// 1M-item memory comparisons with redis-server's used_memory.
func reportHeapPer(b *testing.B, n int, unit string, build func() interface{ MemSize() int64 }) {
	for range b.N {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		v := build()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "B/"+unit)
		b.ReportMetric(float64(v.MemSize())/float64(n), "memsize-B/"+unit)
		runtime.KeepAlive(v)
	}
}
