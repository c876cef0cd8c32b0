package command_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
	"github.com/larder-db/larder/command/families"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/keyspace"
)

// journaled returns a dispatcher logging and snapshotting to a
// commandtest.Journal, and a session.
func journaled() (*command.Dispatcher, *commandtest.Journal, *command.Session) {
	j := &commandtest.Journal{}
	d := families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Journal: j, Snapshots: j, Logger: zerolog.Nop()})
	d.EnableJournal()
	s := command.NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	return d, j, s
}

// digest is a sorted snapshot of every key of d, as records.
func digest(t *testing.T, d *command.Dispatcher, j *commandtest.Journal) []string {
	t.Helper()
	if err := d.Snapshot(); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(j.Snap))
	for i, r := range j.Snap {
		_ = command.EachEntry(r, func(db int, argv [][]byte) error { // snapshot records are well formed
			if string(argv[0]) == "SADD" { // a set's order is its hash table's, not the data's
				sort.Slice(argv[2:], func(a, b int) bool { return string(argv[2+a]) < string(argv[2+b]) })
			}
			out[i] = string(command.AppendEntry(nil, db, argv))
			return nil
		})
	}
	sort.Strings(out)
	return out
}

// TestJournal_ReplayAndSnapshot: replaying the log of a mixed workload —
// random picks, relative TTLs, float increments, MULTI/EXEC, several
// databases — rebuilds the same data set, and so does replaying a
// snapshot of it. MULTI/EXEC is logged as one record.
func TestJournal_ReplayAndSnapshot(t *testing.T) {
	d, j, s := journaled()
	script := [][]string{
		{"SET", "s", "v", "EX", "1000"}, {"INCRBYFLOAT", "f", "1.1"}, {"INCRBYFLOAT", "f", "2.2"},
		{"SADD", "set", "a", "b", "c", "d", "e"}, {"SPOP", "set", "2"}, {"SRANDMEMBER", "set"},
		{"RPUSH", "l", "1", "2", "3"}, {"LPOP", "l"}, {"LMOVE", "l", "l2", "LEFT", "RIGHT"},
		{"ZADD", "z", "1.5", "a", "-inf", "b", "3", "c"}, {"ZINCRBY", "z", "0.1", "a"}, {"ZPOPMIN", "z"},
		{"HSET", "h", "a", "1", "b", "2"}, {"HINCRBYFLOAT", "h", "a", "0.5"}, {"HEXPIRE", "h", "500", "FIELDS", "1", "b"},
		{"EXPIRE", "l2", "300"}, {"MULTI"}, {"INCR", "n"}, {"SELECT", "2"}, {"SET", "other", "db"}, {"SELECT", "0"},
		{"DEL", "s"}, {"EXEC"}, {"SET", "gone", "x", "PX", "1"}, {"RENAME", "f", "f2"}, {"MOVE", "n", "3"},
		{"SETRANGE", "f2", "0", "9"}, {"APPEND", "f2", "!"}, {"GETEX", "f2", "PX", "100000"},
	}
	for _, argv := range script {
		if r := commandtest.Do(d, s, argv...); strings.HasPrefix(r, "-") {
			t.Fatalf("%v: %s", argv, r)
		}
	}
	time.Sleep(5 * time.Millisecond) // "gone" expires: its record replays as an expired key
	before := digest(t, d, j)
	multi := 0
	for _, r := range j.Recs {
		if r == "SET other db" {
			multi++
		}
	}
	if multi != 1 {
		t.Fatalf("journal %q", j.Recs)
	}
	d2, j2, _ := journaled()
	for _, rec := range j.Raw {
		if err := d2.Replay(rec); err != nil {
			t.Fatal(err)
		}
	}
	d2.DropExpired()
	if after := digest(t, d2, j2); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Fatalf("log replay differs:\nbefore %q\nafter  %q", before, after)
	}
	d3, j3, _ := journaled()
	for _, rec := range j.Snap {
		if err := d3.Replay(rec); err != nil {
			t.Fatal(err)
		}
	}
	if after := digest(t, d3, j3); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Fatalf("snapshot replay differs:\nbefore %q\nafter  %q", before, after)
	}
	if d2.ReplayErrors() != 0 || d3.ReplayErrors() != 0 {
		t.Fatalf("replay errors: %d, %d", d2.ReplayErrors(), d3.ReplayErrors())
	}
}

// TestExec_InfoReadsShardsItHolds: INFO memory/keyspace queued in a
// transaction read the shards EXEC holds instead of locking them again
// (this deadlocked).
func TestExec_InfoReadsShardsItHolds(t *testing.T) {
	d, _, s := journaled()
	done := make(chan string, 1)
	go func() {
		commandtest.Do(d, s, "MULTI")
		commandtest.Do(d, s, "SET", "a", "1")
		commandtest.Do(d, s, "INFO", "memory", "keyspace")
		done <- commandtest.Do(d, s, "EXEC")
	}()
	select {
	case r := <-done:
		if !strings.Contains(r, "used_memory:") || !strings.Contains(r, "db0:keys=1,") {
			t.Fatalf("EXEC = %q", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("EXEC with INFO memory did not finish")
	}
}
