package metrics

import (
	"math"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/larder-db/larder/persist"
)

// The append log's figures: its write timings and INFO persistence's.
var (
	dAppend      = desc("log_append_seconds", "Each group commit's write() to the tail file.")
	dFsync       = desc("log_fsync_seconds", "Each group commit's fdatasync of the tail file (appendfsync always).")
	dCommit      = desc("log_commit_seconds", "Each commit of a tail file into bbolt.")
	dGroup       = desc("log_group_records", "Records per group commit.")
	dBacklogRecs = desc("log_backlog_records", "Records logged since the last snapshot.")
	dBacklog     = desc("log_backlog_bytes", "Bytes logged since the last snapshot.")
	dFile        = desc("log_file_bytes", "Size of the log file (larder.db).")
	dLastSeq     = desc("log_last_seq", "The last record's sequence number.")
	dDurableSeq  = desc("log_durable_seq", "The last sequence number at the appendfsync policy's point.")
	dSnaps       = desc("snapshots_total", "Snapshots written since start.")
	dSnapDur     = desc("snapshot_last_duration_seconds", "How long the last snapshot attempt took.")
	dSnapSize    = desc("snapshot_size_bytes", "Size of the current snapshot (0 until one is written after start).")
)

// logCollector reads the append log at scrape time.
type logCollector struct{ l LogSource }

func (c logCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dAppend, dFsync, dCommit, dGroup, dBacklogRecs, dBacklog,
		dFile, dLastSeq, dDurableSeq, dSnaps, dSnapDur, dSnapSize} {
		ch <- d
	}
}

func (c logCollector) Collect(ch chan<- prometheus.Metric) {
	w := c.l.WriteStats()
	ch <- histogram(dAppend, w.Append, 1e-6)
	ch <- histogram(dFsync, w.Fsync, 1e-6)
	ch <- histogram(dCommit, w.Commit, 1e-6)
	ch <- histogram(dGroup, w.Group, 1)
	recs, bytes := c.l.Backlog()
	ch <- gauge(dBacklogRecs, float64(recs))
	ch <- gauge(dBacklog, float64(bytes))
	ch <- gauge(dFile, float64(c.l.FileBytes()))
	ch <- gauge(dLastSeq, float64(c.l.LastSeq()))
	ch <- gauge(dDurableSeq, float64(c.l.DurableSeq()))
	written, took := c.l.SnapshotRuns()
	ch <- counter(dSnaps, written)
	ch <- gauge(dSnapDur, took.Seconds())
	_, size := c.l.CurrentSnapshot()
	ch <- gauge(dSnapSize, float64(size))
}

// histogram turns a log histogram (bucket i: values up to 2^i, the last
// beyond) into a Prometheus one, its values multiplied by unit.
func histogram(d *prometheus.Desc, h persist.HistSnapshot, unit float64) prometheus.Metric {
	buckets := make(map[float64]uint64, persist.HistBuckets-1)
	total := uint64(0)
	for i := range persist.HistBuckets - 1 {
		total += uint64(h.Counts[i])
		buckets[math.Ldexp(unit, i)] = total
	}
	total += uint64(h.Counts[persist.HistBuckets-1])
	return prometheus.MustNewConstHistogram(d, total, float64(h.Sum)*unit, buckets)
}
