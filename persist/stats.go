package persist

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// stats are the counters behind the log's figures (the methods below).
type stats struct {
	records, bytes atomic.Int64 // committed since the last snapshot

	mu       sync.Mutex
	snapSeq  uint64 // the current snapshot's cut
	snapSize int64  // its bytes, when written since start
	snapDur  time.Duration
	snaps    int64
}

// DurableSeq returns the last sequence number at the policy's point.
func (l *Log) DurableSeq() uint64 { return l.doneA.Load() }

// Backlog returns the records and bytes committed to the log since the
// last snapshot: what the next one folds away.
func (l *Log) Backlog() (records, bytes int64) {
	return l.stats.records.Load(), l.stats.bytes.Load()
}

// FileBytes returns the size of the bbolt file (0 when it cannot be read).
func (l *Log) FileBytes() int64 {
	if fi, err := os.Stat(l.path); err == nil {
		return fi.Size()
	}
	return 0
}

// CurrentSnapshot returns the current snapshot's cut (0: none) and its
// size in bytes, known only for a snapshot written since start (0 for
// one recovered).
func (l *Log) CurrentSnapshot() (seq uint64, bytes int64) {
	l.stats.mu.Lock()
	defer l.stats.mu.Unlock()
	return l.stats.snapSeq, l.stats.snapSize
}

// SnapshotRuns returns how many snapshots were written since start and how
// long the last attempt, failed or not, took.
func (l *Log) SnapshotRuns() (written int64, took time.Duration) {
	l.stats.mu.Lock()
	defer l.stats.mu.Unlock()
	return l.stats.snaps, l.stats.snapDur
}

// failpoints are the named points where a crash test kills the process.
type failpoints struct {
	mu    *sync.Mutex
	at    map[string]int // pass number that kills (1 = first)
	count map[string]int
}

func parseFailpoints(spec string) failpoints {
	fp := failpoints{mu: new(sync.Mutex), at: map[string]int{}, count: map[string]int{}}
	for _, f := range strings.Split(spec, ",") {
		name, n, _ := strings.Cut(strings.TrimSpace(f), "@")
		if name == "" {
			continue
		}
		k, err := strconv.Atoi(n)
		if err != nil || k < 1 {
			k = 1
		}
		fp.at[name] = k
	}
	return fp
}

// failpoint kills the process, as a crash would, when name is armed and
// this is its pass.
func (l *Log) failpoint(name string) {
	fp := &l.fp
	if len(fp.at) == 0 {
		return
	}
	fp.mu.Lock()
	fp.count[name]++
	hit := fp.at[name] != 0 && fp.count[name] == fp.at[name]
	fp.mu.Unlock()
	if hit {
		l.log.Warn().Str("failpoint", name).Msg("failpoint reached: exiting as a crash")
		os.Exit(137)
	}
}
