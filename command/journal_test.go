package command

import (
	"bytes"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/keyspace"
)

// TestRecord_RoundTrip: effects encode and decode back, several per record.
func TestRecord_RoundTrip(t *testing.T) {
	var rec []byte
	rec = appendEntry(rec, 3, [][]byte{[]byte("SET"), []byte("k"), []byte("a\r\nb")})
	rec = appendEntry(rec, 0, [][]byte{[]byte("DEL"), {}})
	var got []string
	err := eachEntry(rec, func(db int, argv [][]byte) error {
		got = append(got, string(rune('0'+db))+":"+string(bytes.Join(argv, []byte("|"))))
		return nil
	})
	if err != nil || len(got) != 2 || got[0] != "3:SET|k|a\r\nb" || got[1] != "0:DEL|" {
		t.Fatalf("decoded %q, err %v", got, err)
	}
}

// FuzzRecordDecode: any bytes decode to effects or an error, never a panic,
// and a decoded record re-encodes to the same bytes.
func FuzzRecordDecode(f *testing.F) {
	f.Add(appendEntry(nil, 1, [][]byte{[]byte("SET"), []byte("k"), []byte("v")}))
	f.Add([]byte("\x00*1\r\n$-1\r\n"))
	f.Add([]byte("\x00*2\r\n$3\r\nGET\r\n$99999999999\r\n"))
	f.Fuzz(func(t *testing.T, rec []byte) {
		var again []byte
		err := eachEntry(rec, func(db int, argv [][]byte) error {
			again = appendEntry(again, db, argv)
			return nil
		})
		if err == nil && !bytes.Equal(again, rec) && len(rec) > 0 {
			// Non-canonical spellings (e.g. "$03") decode but re-encode
			// differently; they must still decode to the same effects.
			var n1, n2 int
			_ = eachEntry(rec, func(int, [][]byte) error { n1++; return nil })
			_ = eachEntry(again, func(int, [][]byte) error { n2++; return nil })
			if n1 != n2 {
				t.Fatalf("re-encoding changed the effect count: %d vs %d", n1, n2)
			}
		}
	})
}

// journaled returns a dispatcher logging to a recordJournal, and a session.
func journaled() (*Dispatcher, *recordJournal, *Session) {
	j := &recordJournal{}
	d := New(Options{Store: keyspace.New(keyspace.Options{}), Journal: j, Logger: zerolog.Nop()})
	d.EnableJournal()
	s := NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	return d, j, s
}

// digest is a sorted snapshot of every key of d, as records.
func digest(t *testing.T, d *Dispatcher, j *recordJournal) []string {
	t.Helper()
	if err := d.Snapshot(); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(j.snap))
	for i, r := range j.snap {
		_ = eachEntry(r, func(db int, argv [][]byte) error { // snapshot records are well formed
			if string(argv[0]) == "SADD" { // a set's order is its hash table's, not the data's
				sort.Slice(argv[2:], func(a, b int) bool { return string(argv[2+a]) < string(argv[2+b]) })
			}
			out[i] = string(appendEntry(nil, db, argv))
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
		if r := do(d, s, argv...); strings.HasPrefix(r, "-") {
			t.Fatalf("%v: %s", argv, r)
		}
	}
	time.Sleep(5 * time.Millisecond) // "gone" expires: its record replays as an expired key
	before := digest(t, d, j)
	multi := 0
	for _, r := range j.recs {
		if r == "SET other db" {
			multi++
		}
	}
	if multi != 1 {
		t.Fatalf("journal %q", j.recs)
	}
	d2, j2, _ := journaled()
	for _, rec := range j.raw {
		if err := d2.Replay(rec); err != nil {
			t.Fatal(err)
		}
	}
	d2.DropExpired()
	if after := digest(t, d2, j2); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Fatalf("log replay differs:\nbefore %q\nafter  %q", before, after)
	}
	d3, j3, _ := journaled()
	for _, rec := range j.snap {
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
		do(d, s, "MULTI")
		do(d, s, "SET", "a", "1")
		do(d, s, "INFO", "memory", "keyspace")
		done <- do(d, s, "EXEC")
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
