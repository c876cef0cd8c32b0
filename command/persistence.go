package command

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func persistenceCommands() []*Spec {
	admin := FlagAdmin | FlagNoScript | FlagNoAsyncLoading | FlagNoLock
	adminACL := ACLAdmin | ACLSlow | ACLDangerous
	return []*Spec{
		{Name: "save", Arity: 1, Flags: admin | FlagNoMulti, ACL: adminACL, Handler: cmdSave},
		{Name: "bgsave", Arity: -1, Flags: admin, ACL: adminACL, Handler: cmdBgsave},
		{Name: "bgrewriteaof", Arity: 1, Flags: admin, ACL: adminACL, Handler: cmdBgrewriteaof},
		{Name: "lastsave", Arity: 1, Flags: FlagLoading | FlagStale | FlagFast | FlagNoLock,
			ACL: ACLAdmin | ACLFast | ACLDangerous, Handler: cmdLastsave},
	}
}

// saver runs one snapshot at a time and remembers the last outcome.
type saver struct {
	running   atomic.Bool
	scheduled atomic.Bool
	mu        sync.Mutex
	lastOK    time.Time // LASTSAVE: the last successful snapshot (or start)
	lastErr   error
	started   time.Time
	wg        sync.WaitGroup
}

const errSaveInProgress Error = "ERR Background save already in progress"

// errNoLog answers the snapshot commands when Larder runs without a log:
// Redis would write an RDB file, Larder has nothing to write to.
const errNoLog Error = "ERR Larder runs without persistence (appendonly no): there is nothing to save to"

// Snapshot writes a snapshot now (SAVE, the automatic trigger, shutdown).
// It fails when one is already running.
func (d *Dispatcher) Snapshot() error {
	if d.journal == nil {
		return errNoLog
	}
	if !d.saver.running.CompareAndSwap(false, true) {
		return errSaveInProgress
	}
	defer d.saver.running.Store(false)
	d.saver.mu.Lock()
	d.saver.started = time.Now()
	d.saver.mu.Unlock()
	err := d.writeSnapshot()
	d.saver.mu.Lock()
	d.saver.lastErr = err
	if err == nil {
		d.saver.lastOK = time.Now()
	}
	d.saver.mu.Unlock()
	if err != nil {
		d.log.Error().Err(err).Msg("snapshot failed")
	}
	return err
}

// BackgroundSnapshot starts a snapshot on its own goroutine; it reports
// false when one is already running.
func (d *Dispatcher) BackgroundSnapshot() bool {
	if d.saver.running.Load() {
		return false
	}
	d.saver.wg.Add(1)
	go func() {
		defer d.saver.wg.Done()
		if err := d.Snapshot(); err == nil && d.saver.scheduled.Swap(false) {
			_ = d.Snapshot() // a scheduled one runs once more; its outcome is recorded by Snapshot
		}
	}()
	return true
}

// WaitSnapshots waits for background snapshots to end (shutdown).
func (d *Dispatcher) WaitSnapshots() { d.saver.wg.Wait() }

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
	seq := d.journal.Cut()
	sink := d.journal.NewSnapshot(seq)
	now := st.NowMs()
	var keys int64
	var buf []byte
	for _, code := range d.libraryCodes() { // FUNCTION libraries are data too
		buf = AppendEntry(buf[:0], 0, [][]byte{[]byte("FUNCTION"), []byte("LOAD"), []byte(code)})
		sink.Add(buf)
	}
	for i := 0; i < st.Databases(); i++ {
		for j := 0; j < n; j++ {
			sh := st.DB(i).Shard(j)
			buf, keys = snapshotShard(sink, buf, i, sh, now, keys)
			sh.RUnlock()
		}
	}
	return sink.Commit(keys)
}

// cmdSave: SAVE
func cmdSave(c *Call) error {
	if err := c.D.Snapshot(); err != nil {
		var e Error
		if errors.As(err, &e) { // in progress, or no log
			return e
		}
		return Error("ERR " + err.Error())
	}
	c.R.Simple("OK")
	return nil
}

// cmdBgsave: BGSAVE [SCHEDULE]
func cmdBgsave(c *Call) error {
	schedule := false
	if len(c.Args) > 1 {
		if len(c.Args) > 2 || !Eq(c.Args[1], "schedule") {
			return ErrSyntax
		}
		schedule = true
	}
	if c.D.journal == nil {
		return errNoLog
	}
	if c.D.BackgroundSnapshot() {
		c.R.Simple("Background saving started")
		return nil
	}
	if schedule {
		c.D.saver.scheduled.Store(true)
		c.R.Simple("Background saving scheduled")
		return nil
	}
	return errSaveInProgress
}

// cmdBgrewriteaof: BGREWRITEAOF. Larder's log is bounded by snapshots, so
// rewriting it is taking one.
func cmdBgrewriteaof(c *Call) error {
	if c.D.journal == nil {
		return errNoLog
	}
	if c.D.BackgroundSnapshot() {
		c.R.Simple("Background append only file rewriting started")
		return nil
	}
	c.D.saver.scheduled.Store(true)
	c.R.Simple("Background append only file rewriting scheduled")
	return nil
}

// cmdLastsave: LASTSAVE
func cmdLastsave(c *Call) error {
	c.R.Int(c.D.lastSave().Unix())
	return nil
}

func (d *Dispatcher) lastSave() time.Time {
	d.saver.mu.Lock()
	defer d.saver.mu.Unlock()
	if d.saver.lastOK.IsZero() {
		return d.started // at start the data counts as saved, as in Redis
	}
	return d.saver.lastOK
}

// infoPersistence is INFO's Persistence section: Redis's fields where they
// mean the same for Larder's log (aof_*: the log; rdb_*: snapshots), then
// Larder's own.
func infoPersistence(d *Dispatcher, b *strings.Builder) {
	field(b, "loading", BoolInt(d.loading.Load()))
	field(b, "async_loading", 0)
	running := d.saver.running.Load()
	d.saver.mu.Lock()
	lastErr, started := d.saver.lastErr, d.saver.started
	d.saver.mu.Unlock()
	cur := int64(-1)
	if running {
		cur = int64(time.Since(started).Seconds())
	}
	field(b, "rdb_bgsave_in_progress", BoolInt(running))
	field(b, "rdb_last_save_time", d.lastSave().Unix())
	field(b, "rdb_last_bgsave_status", okErr(lastErr == nil))
	field(b, "rdb_current_bgsave_time_sec", cur)
	field(b, "aof_enabled", BoolInt(d.journal != nil))
	field(b, "aof_rewrite_in_progress", BoolInt(running))
	field(b, "aof_rewrite_scheduled", BoolInt(d.saver.scheduled.Load()))
	field(b, "aof_current_rewrite_time_sec", cur)
	field(b, "aof_last_bgrewrite_status", okErr(lastErr == nil))
	if d.journal == nil {
		field(b, "aof_last_write_status", "ok")
		return
	}
	js := d.journal.Stats()
	field(b, "rdb_saves", js.Snapshots)
	field(b, "rdb_last_bgsave_time_sec", js.SnapshotSecs)
	field(b, "aof_rewrites", js.Snapshots)
	field(b, "aof_last_write_status", okErr(js.WriteErr == nil))
	field(b, "aof_current_size", js.FileBytes)
	field(b, "aof_base_size", js.SnapshotBytes)
	field(b, "larder_appendfsync", js.Policy)
	field(b, "larder_log_last_seq", js.LastSeq)
	field(b, "larder_log_durable_seq", js.DoneSeq)
	field(b, "larder_log_records", js.LogRecords)
	field(b, "larder_log_bytes", js.LogBytes)
	field(b, "larder_snapshot_seq", js.SnapshotSeq)
	field(b, "larder_snapshot_bytes", js.SnapshotBytes)
	field(b, "larder_replay_errors", d.replayErrors.Load())
	if js.WriteErr != nil {
		field(b, "larder_last_write_error", strings.ReplaceAll(js.WriteErr.Error(), "\r\n", " "))
	}
}

func okErr(ok bool) string {
	if ok {
		return "ok"
	}
	return "err"
}

// DropExpired removes the keys (and hash fields) already expired once
// recovery is over: nothing expires while loading (as in Redis).
func (d *Dispatcher) DropExpired() int { return d.ExpireCycle() }

// ReplayErrors counts replayed records that answered an error.
func (d *Dispatcher) ReplayErrors() int64 { return d.replayErrors.Load() }
