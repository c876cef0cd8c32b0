package servercmd

import (
	"errors"
	"strings"
	"time"

	"github.com/larder-db/larder/command"
)

func persistenceCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "save", Arity: 1, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagNoAsyncLoading | command.FlagNoMulti | command.FlagNoLock,
			ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdSave},
		{Name: "bgsave", Arity: -1, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagNoAsyncLoading | command.FlagNoLock,
			ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdBgsave},
		{Name: "bgrewriteaof", Arity: 1, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagNoAsyncLoading | command.FlagNoLock,
			ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdBgrewriteaof},
		{Name: "shutdown", Arity: -1, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale |
			command.FlagNoMulti | command.FlagAllowBusy | command.FlagNoLock | command.FlagTCPOnly,
			ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdShutdown},
		{Name: "lastsave", Arity: 1, Flags: command.FlagLoading | command.FlagStale | command.FlagFast | command.FlagNoLock,
			ACL: command.ACLAdmin | command.ACLFast | command.ACLDangerous, Handler: cmdLastsave},
	}
}

// cmdSave: SAVE
func cmdSave(c *command.Call) error {
	if err := c.D.Snapshot(); err != nil {
		var e command.Error
		if errors.As(err, &e) { // in progress, or no log
			return e
		}
		return command.Error("ERR " + err.Error())
	}
	c.R.Simple("OK")
	return nil
}

// cmdBgsave: BGSAVE [SCHEDULE]
func cmdBgsave(c *command.Call) error {
	schedule := false
	if len(c.Args) > 1 {
		if len(c.Args) > 2 || !command.Eq(c.Args[1], "schedule") {
			return command.ErrSyntax
		}
		schedule = true
	}
	if c.D.Snapshots == nil {
		return command.ErrNoLog
	}
	if c.D.BackgroundSnapshot() {
		c.R.Simple("Background saving started")
		return nil
	}
	if schedule {
		c.D.Saver.Scheduled.Store(true)
		c.R.Simple("Background saving scheduled")
		return nil
	}
	return command.ErrSaveInProgress
}

// cmdBgrewriteaof: BGREWRITEAOF. Larder's log is bounded by snapshots, so
// rewriting it is taking one.
func cmdBgrewriteaof(c *command.Call) error {
	if c.D.Snapshots == nil {
		return command.ErrNoLog
	}
	if c.D.BackgroundSnapshot() {
		c.R.Simple("Background append only file rewriting started")
		return nil
	}
	c.D.Saver.Scheduled.Store(true)
	c.R.Simple("Background append only file rewriting scheduled")
	return nil
}

// cmdLastsave: LASTSAVE
func cmdLastsave(c *command.Call) error {
	c.R.Int(c.D.LastSave().Unix())
	return nil
}

// infoPersistence is INFO's Persistence section: Redis's fields where they
// mean the same for Larder's log (aof_*: the log; rdb_*: snapshots), then
// Larder's own.
func infoPersistence(d *command.Dispatcher, b *strings.Builder) {
	field(b, "loading", command.BoolInt(d.Loading()))
	field(b, "async_loading", 0)
	running := d.Saver.Running.Load()
	d.Saver.Mu.Lock()
	lastErr, started := d.Saver.LastErr, d.Saver.Started
	d.Saver.Mu.Unlock()
	cur := int64(-1)
	if running {
		cur = int64(time.Since(started).Seconds())
	}
	field(b, "rdb_changes_since_last_save", d.ChangesSinceSave())
	field(b, "rdb_bgsave_in_progress", command.BoolInt(running))
	field(b, "rdb_last_save_time", d.LastSave().Unix())
	field(b, "rdb_last_bgsave_status", okErr(lastErr == nil))
	field(b, "rdb_current_bgsave_time_sec", cur)
	field(b, "aof_enabled", command.BoolInt(d.Journal != nil))
	field(b, "aof_rewrite_in_progress", command.BoolInt(running))
	field(b, "aof_rewrite_scheduled", command.BoolInt(d.Saver.Scheduled.Load()))
	field(b, "aof_current_rewrite_time_sec", cur)
	field(b, "aof_last_bgrewrite_status", okErr(lastErr == nil))
	infoLog(d, b)
}

// infoLog is the Persistence section's lines about the log itself.
func infoLog(d *command.Dispatcher, b *strings.Builder) {
	var writeErr error
	if d.Journal != nil {
		writeErr = d.Journal.Err()
	}
	ls := d.LogStats
	if ls == nil {
		field(b, "aof_last_write_status", okErr(writeErr == nil))
		return
	}
	snapshots, took := ls.SnapshotRuns()
	snapSeq, snapBytes := ls.CurrentSnapshot()
	records, bytes := ls.Backlog()
	field(b, "rdb_saves", snapshots)
	field(b, "rdb_last_bgsave_time_sec", int64(took/time.Second))
	field(b, "aof_rewrites", snapshots)
	field(b, "aof_last_write_status", okErr(writeErr == nil))
	field(b, "aof_current_size", ls.FileBytes())
	field(b, "aof_base_size", snapBytes)
	field(b, "larder_appendfsync", d.Cfg.Get("appendfsync")) // immutable: the log's policy
	field(b, "larder_log_last_seq", ls.LastSeq())
	field(b, "larder_log_durable_seq", ls.DurableSeq())
	field(b, "larder_log_records", records)
	field(b, "larder_log_bytes", bytes)
	field(b, "larder_snapshot_seq", snapSeq)
	field(b, "larder_snapshot_bytes", snapBytes)
	field(b, "larder_replay_errors", d.ReplayErrors())
	if writeErr != nil {
		field(b, "larder_last_write_error", strings.ReplaceAll(writeErr.Error(), "\r\n", " "))
	}
}

func okErr(ok bool) string {
	if ok {
		return "ok"
	}
	return "err"
}

// errShutdown is Redis's answer when the shutdown could not go ahead.
const errShutdown command.Error = "ERR Errors trying to SHUTDOWN. Check logs."

// cmdShutdown: SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]
//
// Larder's log is durable by itself, so a shutdown needs no snapshot: SAVE
// writes one first (FORCE goes on if it fails), NOSAVE and the default do
// not. Larder has no replicas to wait for, so it stops at once (NOW changes
// nothing) and there is never a shutdown in progress to ABORT. On success
// the client gets no reply: its connection closes, as in Redis.
func cmdShutdown(c *command.Call) error {
	var save, nosave, force, abort, other bool
	for _, a := range c.Args[1:] {
		switch {
		case command.Eq(a, "nosave"):
			nosave = true
		case command.Eq(a, "save"):
			save = true
		case command.Eq(a, "now"):
			other = true
		case command.Eq(a, "force"):
			force, other = true, true
		case command.Eq(a, "abort"):
			abort = true
		default:
			return command.ErrSyntax
		}
	}
	if (abort && (save || nosave || other)) || (save && nosave) {
		return command.ErrSyntax
	}
	if abort {
		return command.Error("ERR No shutdown in progress.")
	}
	if e, busy := c.D.Busy(); busy && !nosave {
		return e
	}
	log := c.D.Logger()
	if save {
		if err := c.D.Snapshot(); err != nil && !force {
			log.Warn().Err(err).Msg("SHUTDOWN SAVE: the snapshot failed, not shutting down")
			return errShutdown
		}
	}
	log.Info().Int64("client", c.S.ID).Msg("SHUTDOWN requested by a client")
	if !c.D.RequestShutdown() {
		return errShutdown
	}
	c.S.Closing = true
	return nil
}
