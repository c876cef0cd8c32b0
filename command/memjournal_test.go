package command

import (
	"strings"
	"sync"
)

// recordJournal is an in-memory Journal for tests: it keeps every record,
// decoded as "CMD arg …" strings (one per effect), and its raw bytes.
type recordJournal struct {
	mu   sync.Mutex
	recs []string
	raw  [][]byte
	snap [][]byte
	err  error
}

func (j *recordJournal) Append(rec []byte) uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.raw = append(j.raw, append([]byte(nil), rec...))
	_ = eachEntry(rec, func(_ int, argv [][]byte) error { // test records are well formed
		parts := make([]string, len(argv))
		for i, a := range argv {
			parts[i] = string(a)
		}
		j.recs = append(j.recs, strings.Join(parts, " "))
		return nil
	})
	return uint64(len(j.raw))
}

func (j *recordJournal) Wait(uint64) error { return nil }
func (j *recordJournal) LastSeq() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return uint64(len(j.raw))
}
func (j *recordJournal) Err() error  { return j.err }
func (j *recordJournal) Cut() uint64 { return j.LastSeq() }
func (j *recordJournal) NewSnapshot(uint64) SnapshotSink {
	j.snap = nil
	return j
}
func (j *recordJournal) Add(rec []byte)      { j.snap = append(j.snap, append([]byte(nil), rec...)) }
func (j *recordJournal) Commit(int64) error  { return nil }
func (j *recordJournal) Stats() JournalStats { return JournalStats{Policy: "always"} }
