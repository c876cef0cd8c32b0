package persist

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// The committer's timings for monitoring: how long each group's write to
// the tail file and its fdatasync took, how many records each group held,
// and how long each bbolt commit took. Only the committer and the bolter
// record (one goroutine each, once per group, never per record), so
// atomics cost nothing in contention; a scrape reads them at any time.

// HistBuckets is the number of buckets of a Hist: bucket i counts values up
// to 2^i (microseconds for durations, records for group sizes); the last
// bucket also counts everything larger.
const HistBuckets = 25

// Hist is a power-of-two histogram safe for one writer and many readers.
type Hist struct {
	counts [HistBuckets]atomic.Int64
	sum    atomic.Int64
}

// add counts a value v ≥ 0.
func (h *Hist) add(v int64) {
	v = max(v, 0)
	i := 0
	if v > 1 {
		i = bits.Len64(uint64(v - 1)) // the least i with 2^i ≥ v
	}
	h.counts[min(i, HistBuckets-1)].Add(1)
	h.sum.Add(v)
}

func (h *Hist) addDuration(d time.Duration) { h.add(d.Microseconds()) }

// HistSnapshot is a Hist read at one moment: per-bucket counts (bucket i:
// values ≤ 2^i, the last also beyond) and the sum of the values.
type HistSnapshot struct {
	Counts [HistBuckets]int64
	Sum    int64
}

func (h *Hist) snapshot() HistSnapshot {
	var s HistSnapshot
	for i := range h.counts {
		s.Counts[i] = h.counts[i].Load()
	}
	s.Sum = h.sum.Load()
	return s
}

// writeStats are the log's write timings (see WriteStats).
type writeStats struct {
	appendUs, fsyncUs, groupRecs, boltUs Hist
}

// WriteStats are the log's write timings since start: Append is each
// group's write() to the tail file and Fsync its fdatasync (policy always
// only), both in microseconds; Group the records per group; Commit each
// bbolt commit of a tail file, in microseconds.
type WriteStats struct {
	Append, Fsync, Group, Commit HistSnapshot
}

// WriteStats returns the log's write timings.
func (l *Log) WriteStats() WriteStats {
	w := &l.wstats
	return WriteStats{Append: w.appendUs.snapshot(), Fsync: w.fsyncUs.snapshot(),
		Group: w.groupRecs.snapshot(), Commit: w.boltUs.snapshot()}
}
