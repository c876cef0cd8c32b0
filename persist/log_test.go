package persist

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"
	bolt "go.etcd.io/bbolt"
)

func openT(t *testing.T, dir string, p Policy) *Log {
	t.Helper()
	l, err := Open(Options{Dir: dir, Policy: p, Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// recoverAll reopens dir and returns the records recovery applies.
func recoverAll(t *testing.T, dir string, p Policy) ([]string, Recovered, *Log) {
	t.Helper()
	l := openT(t, dir, p)
	var got []string
	rv, err := l.Recover(func(rec []byte) error { got = append(got, string(rec)); return nil })
	if err != nil {
		_ = l.Close()
		t.Fatalf("recover: %v", err)
	}
	return got, rv, l
}

func appendN(l *Log, from, n int) uint64 {
	var last uint64
	for i := from; i < from+n; i++ {
		last = l.Append([]byte(fmt.Sprintf("r%d", i)))
	}
	return last
}

func want(from, n int) string {
	var s []string
	for i := from; i < from+n; i++ {
		s = append(s, fmt.Sprintf("r%d", i))
	}
	return strings.Join(s, ",")
}

// TestLog_RoundTrip: what was waited for comes back in order after a
// close and reopen, under every policy, and numbering continues.
func TestLog_RoundTrip(t *testing.T) {
	for _, p := range []Policy{Always, EverySec, No} {
		t.Run(p.String(), func(t *testing.T) {
			dir := t.TempDir()
			l := openT(t, dir, p)
			if err := l.Start(0); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 50; i++ {
						if err := l.Wait(l.Append([]byte("x"))); err != nil {
							t.Error(err)
						}
					}
				}()
			}
			wg.Wait()
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			got, rv, l2 := recoverAll(t, dir, p)
			if len(got) != 200 || rv.Last != 200 {
				t.Fatalf("recovered %d records, last %d; want 200", len(got), rv.Last)
			}
			if err := l2.Start(rv.Last); err != nil {
				t.Fatal(err)
			}
			if seq := l2.Append([]byte("y")); seq != 201 {
				t.Fatalf("next seq = %d, want 201", seq)
			}
			_ = l2.Close()
		})
	}
}

// TestLog_TailSurvivesKill: under everysec a record is in larder.tail as
// soon as Wait returns, before any bbolt commit, so a process killed then
// loses nothing (simulated by reading the files without Close).
func TestLog_TailSurvivesKill(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, EverySec)
	if err := l.Start(0); err != nil {
		t.Fatal(err)
	}
	if err := l.Wait(appendN(l, 0, 10)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(tailPath(dir, 0))
	if err != nil {
		t.Fatal(err)
	}
	ts, err := scanTail(data, TailFile)
	if err != nil || len(ts.recs) != 10 {
		t.Fatalf("tail holds %d records (err %v), want 10", len(ts.recs), err)
	}
	_ = l.Close()
}

// TestLog_Snapshot: a snapshot replaces the log records up to its cut;
// recovery applies the snapshot, then only the later records.
func TestLog_Snapshot(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, Always)
	if err := l.Start(0); err != nil {
		t.Fatal(err)
	}
	_ = l.Wait(appendN(l, 0, 5))
	cut := l.Cut()
	s := l.NewSnapshot(cut)
	s.Add([]byte("state"))
	_ = l.Wait(appendN(l, 5, 3)) // after the cut, before the commit
	if err := s.Commit(1); err != nil {
		t.Fatal(err)
	}
	_ = l.Wait(appendN(l, 8, 2))
	_ = l.Close()
	got, rv, l2 := recoverAll(t, dir, Always)
	defer func() { _ = l2.Close() }()
	if strings.Join(got, ",") != "state,"+want(5, 5) || rv.SnapshotSeq != 5 || rv.Last != 10 {
		t.Fatalf("recovered %v (snapshot %d, last %d)", got, rv.SnapshotSeq, rv.Last)
	}
	n := 0
	_ = l2.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLog).ForEachBucket(func(k []byte) error {
			n += tx.Bucket(bucketLog).Bucket(k).Stats().KeyN
			return nil
		})
	})
	if n != 5 {
		t.Fatalf("log holds %d records after the snapshot, want the 5 after its cut", n)
	}
}

// TestLog_Figures: the figures INFO persistence shows follow appends and
// snapshots: the backlog counts the records committed into bbolt since the
// last snapshot (all of them once Close has handed the tail over), the
// current snapshot is the last one written, with its size.
func TestLog_Figures(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, Always)
	if err := l.Start(0); err != nil {
		t.Fatal(err)
	}
	if err := l.Wait(appendN(l, 0, 5)); err != nil {
		t.Fatal(err)
	}
	_ = l.Close()
	recs, bytes := l.Backlog()
	if l.LastSeq() != 5 || l.DurableSeq() != 5 || recs != 5 || bytes <= 0 || l.FileBytes() <= 0 {
		t.Fatalf("after 5 records: last %d, durable %d, backlog %d/%d, file %d",
			l.LastSeq(), l.DurableSeq(), recs, bytes, l.FileBytes())
	}
	if seq, size := l.CurrentSnapshot(); seq != 0 || size != 0 {
		t.Fatalf("no snapshot yet: current %d (%d bytes)", seq, size)
	}
	_, rv, l := recoverAll(t, dir, Always)
	if err := l.Start(rv.Last); err != nil {
		t.Fatal(err)
	}
	s := l.NewSnapshot(l.Cut())
	s.Add([]byte("state"))
	if err := s.Commit(1); err != nil {
		t.Fatal(err)
	}
	seq, size := l.CurrentSnapshot()
	written, took := l.SnapshotRuns()
	if recs, _ := l.Backlog(); seq != 5 || size != int64(len("state")) || written != 1 || took <= 0 || recs != 0 {
		t.Fatalf("after a snapshot: current %d (%d bytes), %d written (last took %v), backlog %d", seq, size, written, took, recs)
	}
	if err := l.Wait(appendN(l, 5, 2)); err != nil {
		t.Fatal(err)
	}
	_ = l.Close()
	if recs, _ := l.Backlog(); recs != 2 || l.LastSeq() != 7 {
		t.Fatalf("2 records after the snapshot: backlog %d, last %d", recs, l.LastSeq())
	}
}

// TestLog_TornTail: a frame cut short at the end of larder.tail is what a
// crash leaves: dropped, with what came before kept. A bad frame with more
// after it is damage.
func TestLog_TornTail(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, EverySec)
	_ = l.Start(0)
	_ = l.Wait(appendN(l, 0, 3))
	data, _ := os.ReadFile(tailPath(dir, 0))
	_ = l.Close() // commits into bbolt; put the tail back as a crash left it
	fresh := t.TempDir()
	l2 := openT(t, fresh, EverySec)
	_ = l2.Close()
	if err := os.WriteFile(tailPath(fresh, 0), data[:len(data)-2], 0o600); err != nil {
		t.Fatal(err)
	}
	got, rv, l3 := recoverAll(t, fresh, EverySec)
	_ = l3.Close()
	if strings.Join(got, ",") != want(0, 2) || rv.Dropped == "" {
		t.Fatalf("torn tail: recovered %v, dropped %q", got, rv.Dropped)
	}
	bad := append([]byte(nil), data...)
	bad[frameHeader] ^= 1 // first frame's payload
	fresh2 := t.TempDir()
	l4 := openT(t, fresh2, EverySec)
	_ = l4.Close()
	_ = os.WriteFile(tailPath(fresh2, 0), bad, 0o600)
	l5 := openT(t, fresh2, EverySec)
	defer func() { _ = l5.Close() }()
	_, err := l5.Recover(func([]byte) error { return nil })
	var de *DamageError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("damage in the middle of the tail: err = %v", err)
	}
}

// TestLog_BitFlip: a flipped bit in a committed record is damage in the
// middle (refused, named) or, for the last record, a dropped tail.
func TestLog_BitFlip(t *testing.T) {
	for _, tc := range []struct {
		name   string
		victim uint64
		torn   bool
	}{{"middle", 2, false}, {"last", 4, true}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			l := openT(t, dir, Always)
			_ = l.Start(0)
			_ = l.Wait(appendN(l, 0, 4))
			_ = l.Close() // moves the tail file's records into bbolt
			db, err := bolt.Open(filepath.Join(dir, DBFile), 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = db.Update(func(tx *bolt.Tx) error {
				seg := tx.Bucket(bucketLog).Bucket(seqKey(1))
				v := append([]byte(nil), seg.Get(seqKey(tc.victim))...)
				v[len(v)-1] ^= 0x10
				return seg.Put(seqKey(tc.victim), v)
			})
			if err != nil {
				t.Fatal(err)
			}
			_ = db.Close()
			l2 := openT(t, dir, Always)
			defer func() { _ = l2.Close() }()
			var got []string
			rv, err := l2.Recover(func(rec []byte) error { got = append(got, string(rec)); return nil })
			if tc.torn {
				if err != nil || len(got) != 3 || rv.Dropped == "" {
					t.Fatalf("last record flipped: err %v, got %v, dropped %q", err, got, rv.Dropped)
				}
				return
			}
			var de *DamageError
			if !errors.As(err, &de) || de.Seq != tc.victim {
				t.Fatalf("middle record flipped: err = %v", err)
			}
		})
	}
}

// TestLog_BadKeyLength: a log key whose length is not a sequence number's
// (a damaged page) is damage to Recover and to the cut --fix makes, and
// neither copies it.
func TestLog_BadKeyLength(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, Always)
	_ = l.Start(0)
	_ = l.Wait(appendN(l, 0, 4))
	_ = l.Close()
	db, err := bolt.Open(filepath.Join(dir, DBFile), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLog).Bucket(seqKey(1)).Put([]byte("\x00\x00\x00\x00\x00\x00\x00\x03x"), []byte("v"))
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	l2 := openT(t, dir, Always)
	defer func() { _ = l2.Close() }()
	var de *DamageError
	if _, err := l2.Recover(func([]byte) error { return nil }); !errors.As(err, &de) || !strings.Contains(de.Reason, "key of 9 bytes") {
		t.Fatalf("recover: err = %v", err)
	}
	if err := l2.cutFrom(2); !errors.As(err, &de) || !strings.Contains(de.Reason, "key of 9 bytes") {
		t.Fatalf("cut: err = %v", err)
	}
}

// TestLog_WriteFailure: a failing disk sets Err and holds Wait (nothing is
// acknowledged) until a retry succeeds; then everything is there.
func TestLog_WriteFailure(t *testing.T) {
	for _, p := range []Policy{Always, EverySec} {
		t.Run(p.String(), func(t *testing.T) {
			dir := t.TempDir()
			var failing atomic.Bool
			l, err := Open(Options{Dir: dir, Policy: p, Logger: zerolog.Nop(), Faults: func(op string) error {
				if failing.Load() {
					return &os.PathError{Op: op, Path: dir, Err: syscall.ENOSPC}
				}
				return nil
			}})
			if err != nil {
				t.Fatal(err)
			}
			_ = l.Start(0)
			_ = l.Wait(appendN(l, 0, 2))
			failing.Store(true)
			seq := appendN(l, 2, 2)
			waited := make(chan error, 1)
			go func() { waited <- l.Wait(seq) }()
			for l.Err() == nil {
				time.Sleep(5 * time.Millisecond)
			}
			if !errors.Is(l.Err(), syscall.ENOSPC) {
				t.Fatalf("Err = %v", l.Err())
			}
			select {
			case <-waited:
				if p == Always {
					t.Fatal("Wait returned while the disk failed")
				}
			default:
			}
			failing.Store(false)
			if err := <-waited; err != nil {
				t.Fatal(err)
			}
			for l.Err() != nil {
				time.Sleep(5 * time.Millisecond)
			}
			_ = l.Close()
			got, _, l2 := recoverAll(t, dir, p)
			_ = l2.Close()
			if strings.Join(got, ",") != want(0, 4) {
				t.Fatalf("recovered %v", got)
			}
		})
	}
}

// TestLog_DirInUse: one process per data dir, with a clear error.
func TestLog_DirInUse(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, Always)
	defer func() { _ = l.Close() }()
	_, err := Open(Options{Dir: dir, Logger: zerolog.Nop(), OpenTimeout: 50 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second open: %v", err)
	}
}
