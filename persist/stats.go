package persist

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// stats are the log's counters; Stats returns a copy.
type stats struct {
	commits, records, bytes, failures atomic.Int64
	lastCommitUs                      atomic.Int64

	mu       sync.Mutex
	snapSeq  uint64
	snapSize int64
	snapKeys int64
	snapAt   time.Time
	snapOK   bool
	snapDur  time.Duration
	snaps    int64
}

// Stats describes the log for INFO persistence.
type Stats struct {
	Policy        string
	LastSeq       uint64 // last sequence number assigned
	DoneSeq       uint64 // last at the policy's point
	Commits       int64  // bbolt commits since start
	LogRecords    int64  // records committed since the last snapshot
	LogBytes      int64  // their bytes
	Failures      int64  // failed writes since start
	LastCommitUs  int64
	WriteErr      error
	SnapshotSeq   uint64
	SnapshotBytes int64
	SnapshotKeys  int64
	SnapshotAt    time.Time // zero: none yet
	SnapshotOK    bool      // the last snapshot attempt succeeded
	SnapshotDur   time.Duration
	Snapshots     int64 // snapshots written since start
	FileBytes     int64 // size of the bbolt file
}

// Stats returns the log's figures.
func (l *Log) Stats() Stats {
	l.mu.Lock()
	st := Stats{Policy: l.o.Policy.String(), LastSeq: l.nextA.Load(), DoneSeq: l.doneA.Load(), WriteErr: l.err}
	l.mu.Unlock()
	st.Commits = l.stats.commits.Load()
	st.LogRecords = l.stats.records.Load()
	st.LogBytes = l.stats.bytes.Load()
	st.Failures = l.stats.failures.Load()
	st.LastCommitUs = l.stats.lastCommitUs.Load()
	l.stats.mu.Lock()
	st.SnapshotSeq, st.SnapshotBytes, st.SnapshotKeys = l.stats.snapSeq, l.stats.snapSize, l.stats.snapKeys
	st.SnapshotAt, st.SnapshotOK, st.SnapshotDur = l.stats.snapAt, l.stats.snapOK, l.stats.snapDur
	st.Snapshots = l.stats.snaps
	l.stats.mu.Unlock()
	if fi, err := os.Stat(l.path); err == nil {
		st.FileBytes = fi.Size()
	}
	return st
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
