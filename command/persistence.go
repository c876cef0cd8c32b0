package command

import (
	"sync"
	"sync/atomic"
	"time"
)

// SnapshotStore keeps snapshots (persist.Log in the server, behind a
// one-method adapter in cmd/larder; commandtest.Journal in tests).
type SnapshotStore interface {
	// Cut marks a snapshot cut and returns its sequence number; the caller
	// holds every shard lock, so no record is being appended.
	Cut() uint64
	// NewSnapshot collects the records of the snapshot at cut seq.
	NewSnapshot(seq uint64) SnapshotSink
}

// SnapshotSink receives a snapshot's records (Add never touches the disk,
// so it may run under shard locks) and stores them on Commit.
type SnapshotSink interface {
	Add(rec []byte)
	Commit(keys int64) error
}

// LogStats are the log's figures INFO persistence shows (persist.Log has
// these methods); its write error is the Journal's Err.
type LogStats interface {
	// LastSeq is the last sequence number assigned, DurableSeq the last at
	// the appendfsync policy's point.
	LastSeq() uint64
	DurableSeq() uint64
	// Backlog is the records and bytes logged since the last snapshot.
	Backlog() (records, bytes int64)
	// FileBytes is the size of the log's file.
	FileBytes() int64
	// CurrentSnapshot is the current snapshot's cut and size in bytes.
	CurrentSnapshot() (seq uint64, bytes int64)
	// SnapshotRuns is how many snapshots were written since start and how
	// long the last attempt took.
	SnapshotRuns() (written int64, took time.Duration)
}

// saver runs one snapshot at a time and remembers the last outcome.
type saver struct {
	Running   atomic.Bool
	Scheduled atomic.Bool
	Mu        sync.Mutex
	lastOK    time.Time // LASTSAVE: the last successful snapshot (or start)
	LastErr   error
	Started   time.Time
	wg        sync.WaitGroup
}

const ErrSaveInProgress Error = "ERR Background save already in progress"

// errNoLog answers the snapshot commands when Larder runs without a log:
// Redis would write an RDB file, Larder has nothing to write to.
const ErrNoLog Error = "ERR Larder runs without persistence (appendonly no): there is nothing to save to"

// Snapshot writes a snapshot now (SAVE, the automatic trigger, shutdown).
// It fails when one is already running.
func (d *Dispatcher) Snapshot() error {
	if d.Snapshots == nil {
		return ErrNoLog
	}
	if !d.Saver.Running.CompareAndSwap(false, true) {
		return ErrSaveInProgress
	}
	defer d.Saver.Running.Store(false)
	d.Saver.Mu.Lock()
	d.Saver.Started = time.Now()
	d.Saver.Mu.Unlock()
	dirty := d.dirty.Load()
	err := d.writeSnapshot()
	if err == nil {
		d.savedDirty.Store(dirty)
	}
	d.Saver.Mu.Lock()
	d.Saver.LastErr = err
	if err == nil {
		d.Saver.lastOK = time.Now()
	}
	d.Saver.Mu.Unlock()
	if err != nil {
		d.log.Error().Err(err).Msg("snapshot failed")
	}
	return err
}

// BackgroundSnapshot starts a snapshot on its own goroutine; it reports
// false when one is already running.
func (d *Dispatcher) BackgroundSnapshot() bool {
	if d.Saver.Running.Load() {
		return false
	}
	d.Saver.wg.Add(1)
	go func() {
		defer d.Saver.wg.Done()
		if err := d.Snapshot(); err == nil && d.Saver.Scheduled.Swap(false) {
			_ = d.Snapshot() // a scheduled one runs once more; its outcome is recorded by Snapshot
		}
	}()
	return true
}

// WaitSnapshots waits for background snapshots to end (shutdown).
func (d *Dispatcher) WaitSnapshots() { d.Saver.wg.Wait() }

// writeSnapshot takes a consistent cut of every database: it read-locks
// every shard in the global order, takes the cut, then serializes shard by
// shard, releasing each as soon as it is written (DESIGN.md §4). A writer
// waits only until the shards it needs are serialized.
func (d *Dispatcher) writeSnapshot() error {
	st := d.store
	n := st.ShardsPerDB()
	for i := 0; i < st.Databases(); i++ {
		for j := 0; j < n; j++ {
			st.DB(i).Shard(j).RLock()
		}
	}
	seq := d.Snapshots.Cut()
	sink := d.Snapshots.NewSnapshot(seq)
	now := st.NowMs()
	var keys int64
	var buf []byte
	d.snapshotCommands(func(argv ...[]byte) { // state beside the keyspace (FUNCTION libraries) is data too
		buf = AppendEntry(buf[:0], 0, argv)
		sink.Add(buf)
	})
	for i := 0; i < st.Databases(); i++ {
		for j := 0; j < n; j++ {
			sh := st.DB(i).Shard(j)
			buf, keys = d.snapshotShard(sink, buf, i, sh, now, keys)
			sh.RUnlock()
		}
	}
	return sink.Commit(keys)
}

func (d *Dispatcher) LastSave() time.Time {
	d.Saver.Mu.Lock()
	defer d.Saver.Mu.Unlock()
	if d.Saver.lastOK.IsZero() {
		return d.Started // at start the data counts as saved, as in Redis
	}
	return d.Saver.lastOK
}

// DropExpired removes the keys (and hash fields) already expired once
// recovery is over: nothing expires while loading (as in Redis).
func (d *Dispatcher) DropExpired() int { return d.expireCycle() }

// ReplayErrors counts replayed records that answered an error.
func (d *Dispatcher) ReplayErrors() int64 { return d.replayErrors.Load() }

// ReserveKeys sizes database 0's shards for n keys before recovery loads
// a snapshot of n keys (most data sets live there; other databases grow
// as they load), with an eighth more for the shards' uneven shares.
func (d *Dispatcher) ReserveKeys(n int64) {
	shards := d.store.ShardsPerDB()
	per := int(n/int64(shards)) + int(n/int64(shards)/8)
	for j := 0; j < shards; j++ {
		sh := d.store.DB(0).Shard(j)
		sh.Lock()
		sh.Reserve(per)
		sh.Unlock()
	}
}
