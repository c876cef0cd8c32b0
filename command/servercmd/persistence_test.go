package servercmd_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
)

// fixedStats are log figures that INFO persistence must show as they are.
type fixedStats struct{}

func (fixedStats) LastSeq() uint64                      { return 42 }
func (fixedStats) DurableSeq() uint64                   { return 41 }
func (fixedStats) Backlog() (int64, int64)              { return 7, 700 }
func (fixedStats) FileBytes() int64                     { return 65536 }
func (fixedStats) CurrentSnapshot() (uint64, int64)     { return 35, 1234 }
func (fixedStats) SnapshotRuns() (int64, time.Duration) { return 3, 2500 * time.Millisecond }

// persistenceLines returns INFO persistence's lines from the first named
// field on.
func persistenceLines(t *testing.T, d *command.Dispatcher, s *command.Session, from string) string {
	t.Helper()
	r := commandtest.Do(d, s, "info", "persistence")
	i := strings.Index(r, from+":")
	if i < 0 {
		t.Fatalf("INFO persistence has no %s: %q", from, r)
	}
	return strings.TrimSuffix(r[i:], "\r\n")
}

// TestPersistence_WithoutLog: with no journal and no snapshot store (appendonly
// no) the snapshot commands say there is nothing to save to and INFO shows
// the log disabled and healthy.
func TestPersistence_WithoutLog(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	for _, cmd := range []string{"save", "bgsave", "bgrewriteaof"} {
		if got := commandtest.Do(d, s, cmd); got != "-"+string(command.ErrNoLog)+"\r\n" {
			t.Errorf("%s = %q", cmd, got)
		}
	}
	want := "aof_enabled:0\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\n" +
		"aof_current_rewrite_time_sec:-1\r\naof_last_bgrewrite_status:ok\r\naof_last_write_status:ok\r\n"
	if got := persistenceLines(t, d, s, "aof_enabled"); got != want {
		t.Errorf("INFO persistence ends\n%q, want\n%q", got, want)
	}
}

// TestPersistence_LogFigures: INFO persistence shows the log's figures, its
// write error from the journal, and SAVE writes to the snapshot store.
func TestPersistence_LogFigures(t *testing.T) {
	j := &commandtest.Journal{}
	d, s := commandtest.New(t, command.Options{Journal: j, Snapshots: j, LogStats: fixedStats{}})
	d.EnableJournal()
	commandtest.Do(d, s, "set", "k", "v")
	if got := commandtest.Do(d, s, "save"); got != "+OK\r\n" || len(j.Snap) != 1 {
		t.Fatalf("SAVE = %q, snapshot %q", got, j.Snap)
	}
	want := "rdb_saves:3\r\nrdb_last_bgsave_time_sec:2\r\naof_rewrites:3\r\naof_last_write_status:err\r\n" +
		"aof_current_size:65536\r\naof_base_size:1234\r\nlarder_appendfsync:always\r\n" +
		"larder_log_last_seq:42\r\nlarder_log_durable_seq:41\r\nlarder_log_records:7\r\nlarder_log_bytes:700\r\n" +
		"larder_snapshot_seq:35\r\nlarder_snapshot_bytes:1234\r\nlarder_replay_errors:0\r\n" +
		"larder_last_write_error:write tail file: no space left on device\r\n"
	j.Fail = errors.New("write tail file:\r\nno space left on device")
	if got := persistenceLines(t, d, s, "rdb_saves"); got != want {
		t.Errorf("INFO persistence ends\n%q, want\n%q", got, want)
	}
}
