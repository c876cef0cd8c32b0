// Package commandtest holds what tests of the command packages share: a
// dispatcher with every family joined, a RESP round trip through it, and a
// journal that keeps records in memory. It is imported by tests only.
package commandtest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/keyspace"
	"github.com/larder-db/larder/protocol/resp"
)

// New returns a dispatcher with every family over o (an empty Store when o
// has none; the zero Logger logs nothing) and one registered session.
func New(t testing.TB, o command.Options) (*command.Dispatcher, *command.Session) {
	t.Helper()
	if o.Store == nil {
		o.Store = keyspace.New(keyspace.Options{})
	}
	d := families.New(o)
	s := command.NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	return d, s
}

// Do runs one command for s and returns its reply as RESP bytes.
func Do(d *command.Dispatcher, s *command.Session, args ...string) string {
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	w := resp.Writer{Proto: &s.Proto}
	d.Do(s, argv, &w)
	return string(w.Buf)
}

// Journal is a command.Journal and command.SnapshotStore that keeps every
// record in memory: Recs holds each effect as its words joined by spaces,
// Raw the records as appended, Snap the records of the last snapshot.
type Journal struct {
	mu   sync.Mutex
	Recs []string
	Raw  [][]byte
	Snap [][]byte
	Fail error // returned by Err: the log's error state
}

// Append keeps rec (test records are well formed).
func (j *Journal) Append(rec []byte) uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.Raw = append(j.Raw, append([]byte(nil), rec...))
	_ = command.EachEntry(rec, func(_ int, argv [][]byte) error { // well formed: no error
		parts := make([]string, len(argv))
		for i, a := range argv {
			parts[i] = string(a)
		}
		j.Recs = append(j.Recs, strings.Join(parts, " "))
		return nil
	})
	return uint64(len(j.Raw))
}

// Wait returns at once: the records are in memory.
func (j *Journal) Wait(uint64) error { return nil }

// Err returns Fail.
func (j *Journal) Err() error { return j.Fail }

// Cut returns the number of records appended: the last sequence number.
func (j *Journal) Cut() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return uint64(len(j.Raw))
}

// NewSnapshot starts an empty snapshot.
func (j *Journal) NewSnapshot(uint64) command.SnapshotSink {
	j.Snap = nil
	return j
}

// Add keeps one snapshot record.
func (j *Journal) Add(rec []byte) { j.Snap = append(j.Snap, append([]byte(nil), rec...)) }

// Commit does nothing: the snapshot is in memory.
func (j *Journal) Commit(int64) error { return nil }
