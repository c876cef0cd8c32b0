package persist

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DamageError is damage that recovery does not repair by itself: the
// server refuses to start and names it, and `larder check --fix` cuts the
// log before it.
type DamageError struct {
	File   string
	Where  string
	Seq    uint64
	Reason string
}

func (e *DamageError) Error() string {
	s := fmt.Sprintf("damaged data in %s: %s", e.File, e.Where)
	if e.Seq != 0 {
		s += fmt.Sprintf(" (record %d)", e.Seq)
	}
	return s + ": " + e.Reason
}

// Apply receives one record during recovery; it must copy what it keeps.
type Apply func(rec []byte) error

// Recovered is what recovery found.
type Recovered struct {
	SnapshotSeq  uint64
	SnapshotRecs int64
	LogRecs      int64
	TailRecs     int64
	Last         uint64 // the last sequence number applied
	Dropped      string // a torn or damaged tail that was dropped, described
}

// Recover applies the current snapshot, then every log record after it, in
// sequence order, then the tail file's records. A torn tail is dropped
// with a warning; any other damage returns a *DamageError and applies
// nothing more. Bad bytes never panic: a panic inside bbolt is turned into
// a DamageError too.
func (l *Log) Recover(apply Apply) (rv Recovered, err error) {
	// A truncated file can fault inside bbolt's mmap: make that a panic
	// this goroutine recovers instead of a crash.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = &DamageError{File: filepath.Join(l.o.Dir, DBFile), Where: "bbolt pages", Reason: fmt.Sprint(p)}
		}
	}()
	pr := newProgress(l)
	err = l.db.View(func(tx *bolt.Tx) error {
		d, err := readDesc(tx)
		if err != nil {
			return err
		}
		rv.SnapshotSeq, rv.Last = d.Seq, d.Seq
		if err := l.loadSnapshot(tx, d, apply, &rv, pr); err != nil {
			return err
		}
		return l.replayLog(tx, apply, &rv, pr)
	})
	if seq, torn := IsTorn(err); torn {
		if !l.o.ReadOnly {
			if err = l.cutFrom(seq); err != nil {
				return rv, err
			}
		}
		err = nil
		rv.Dropped = fmt.Sprintf("%s: record %d (bad checksum, last in the log)", DBFile, seq)
		l.log.Warn().Uint64("seq", seq).Str("file", DBFile).Msg("dropped the last log record: bad checksum")
	}
	if err != nil {
		return rv, err
	}
	if err := l.recoverTail(apply, &rv); err != nil {
		return rv, err
	}
	l.stats.mu.Lock()
	l.stats.snapSeq = rv.SnapshotSeq
	l.stats.mu.Unlock()
	l.snapSeq.Store(rv.SnapshotSeq)
	pr.finish(rv)
	return rv, nil
}

func (l *Log) loadSnapshot(tx *bolt.Tx, d snapDesc, apply Apply, rv *Recovered, pr *progress) error {
	if d.Chunks == 0 {
		return nil
	}
	b := tx.Bucket(bucketSnap).Bucket(seqKey(d.ID))
	if b == nil {
		return &DamageError{File: DBFile, Where: fmt.Sprintf("snapshot %d", d.ID), Reason: "its chunks are missing"}
	}
	pr.total = int64(d.Chunks)
	dec := newChunkDecoder(d.Codec)
	defer dec.close()
	queued := 0
	queue := func() error { // reads and checks the next chunk, then decodes it ahead
		stored, ok := unseal(uint64(queued), b.Get(seqKey(uint64(queued))))
		if !ok {
			return &DamageError{File: DBFile, Where: chunkWhere(queued, d.Chunks), Reason: "missing or checksum mismatch"}
		}
		dec.put(stored)
		queued++
		return nil
	}
	for i := 0; i < d.Chunks; i++ {
		for queued < min(i+decodeAhead, d.Chunks) {
			if err := queue(); err != nil {
				return err
			}
		}
		chunk, err := dec.next()
		if err == nil {
			err = eachChunkRecord(chunk, func(rec []byte) error {
				rv.SnapshotRecs++
				return apply(rec)
			})
		}
		if err != nil {
			return &DamageError{File: DBFile, Where: chunkWhere(i, d.Chunks), Reason: err.Error()}
		}
		pr.step("snapshot", int64(i+1))
	}
	return nil
}

func chunkWhere(i, n int) string { return fmt.Sprintf("snapshot chunk %d of %d", i+1, n) }

// replayLog applies the committed records after the snapshot. A record
// with a bad checksum is a torn tail only when it is the very last one and
// the tail file holds nothing after it.
func (l *Log) replayLog(tx *bolt.Tx, apply Apply, rv *Recovered, pr *progress) error {
	logb := tx.Bucket(bucketLog)
	pr.total, pr.done = 0, 0
	_ = logb.ForEachBucket(func(k []byte) error { // counting only; errors come from the walk below
		pr.total += int64(logb.Bucket(k).Stats().KeyN)
		return nil
	})
	c := logb.Cursor()
	for sk, _ := c.First(); sk != nil; sk, _ = c.Next() {
		seg := logb.Bucket(sk)
		if seg == nil {
			continue
		}
		rc := seg.Cursor()
		for k, v := rc.First(); k != nil; k, v = rc.Next() {
			pr.done++
			if len(k) != len(seqKey(0)) {
				return &DamageError{File: DBFile, Where: fmt.Sprintf("log after record %d", rv.Last), Reason: fmt.Sprintf("a record key of %d bytes", len(k))}
			}
			seq := binary.BigEndian.Uint64(k)
			if seq <= rv.Last {
				continue
			}
			payload, ok := unseal(seq, v)
			if !ok {
				return l.badLogRecord(seq, rc, c)
			}
			if seq != rv.Last+1 {
				return &DamageError{File: DBFile, Where: fmt.Sprintf("log after record %d", rv.Last), Seq: seq, Reason: "records are missing"}
			}
			if err := apply(payload); err != nil {
				return fmt.Errorf("replay record %d: %w", seq, err)
			}
			rv.Last, rv.LogRecs = seq, rv.LogRecs+1
			pr.step("log", pr.done)
		}
	}
	return nil
}

// badLogRecord decides what a record with a bad checksum is: the last one
// in the file is reported as a torn tail (Recover's caller sees it in
// Dropped after cutting it); one with anything after it is damage.
func (l *Log) badLogRecord(seq uint64, rc, segs *bolt.Cursor) error {
	if k, _ := rc.Next(); k == nil {
		if sk, _ := segs.Next(); sk == nil {
			return &tornRecord{seq}
		}
	}
	return &DamageError{File: DBFile, Where: "log", Seq: seq, Reason: "checksum mismatch"}
}

type tornRecord struct{ seq uint64 }

func (t *tornRecord) Error() string { return fmt.Sprintf("record %d has a bad checksum", t.seq) }

// recoverTail applies the tail files' records after the log's, in
// sequence order, then moves them into bbolt and empties the files, so
// writing starts clean.
func (l *Log) recoverTail(apply Apply, rv *Recovered) error {
	var recs []record
	var sizes [2]int
	var damage error // a bad frame in the middle: what precedes it is kept
	for i := range 2 {
		path := tailPath(l.o.Dir, i)
		data, err := readAllFile(path)
		if err != nil {
			return fmt.Errorf("read tail file: %w", err)
		}
		sizes[i] = len(data)
		ts, err := scanTail(data, path)
		if err != nil && damage == nil {
			damage = err
		}
		recs = append(recs, ts.recs...)
		if ts.dropped != "" {
			rv.Dropped = strings.TrimPrefix(rv.Dropped+"; ", "; ") + filepath.Base(path) + ": " + ts.dropped
			l.log.Warn().Str("file", path).Str("dropped", ts.dropped).
				Msg("dropped a torn tail (what a crash leaves mid-write)")
		}
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].seq < recs[j].seq })
	var keep []record
	for _, r := range recs {
		if r.seq <= rv.Last {
			continue
		}
		if r.seq != rv.Last+1 {
			if damage == nil {
				damage = &DamageError{File: TailFile + ".*", Where: fmt.Sprintf("after record %d", rv.Last), Seq: r.seq, Reason: "records are missing"}
			}
			break
		}
		if err := apply(r.buf); err != nil {
			return fmt.Errorf("replay record %d: %w", r.seq, err)
		}
		rv.Last, rv.TailRecs = r.seq, rv.TailRecs+1
		keep = append(keep, r)
	}
	if l.o.ReadOnly {
		return damage
	}
	if len(keep) > 0 {
		// Into bbolt even when damage follows: they are good, and a fix
		// then empties the tail files without losing them.
		l.segStart = keep[0].seq
		if err := l.commit(keep, 0); err != nil {
			return fmt.Errorf("move tail records into the log: %w", err)
		}
	}
	if damage != nil {
		return damage
	}
	for i, n := range sizes {
		if n == 0 {
			continue
		}
		if err := os.Truncate(tailPath(l.o.Dir, i), 0); err != nil {
			return fmt.Errorf("empty tail file: %w", err)
		}
	}
	return nil
}

// progress logs a long recovery's pace (records/s, percent) every second.
type progress struct {
	l           *Log
	start, last time.Time
	total, done int64
}

func newProgress(l *Log) *progress {
	now := time.Now()
	return &progress{l: l, start: now, last: now}
}

func (p *progress) step(phase string, done int64) {
	if time.Since(p.last) < time.Second {
		return
	}
	p.last = time.Now()
	pct := 0.0
	if p.total > 0 {
		pct = 100 * float64(done) / float64(p.total)
	}
	p.l.log.Info().Str("phase", phase).Int64("done", done).Int64("total", p.total).
		Str("percent", fmt.Sprintf("%.1f", pct)).Dur("elapsed", time.Since(p.start)).Msg("loading")
}

func (p *progress) finish(rv Recovered) {
	secs := time.Since(p.start).Seconds()
	n := rv.SnapshotRecs + rv.LogRecs + rv.TailRecs
	rate := 0.0
	if secs > 0 {
		rate = float64(n) / secs
	}
	p.l.log.Info().Uint64("snapshot_seq", rv.SnapshotSeq).Int64("snapshot_records", rv.SnapshotRecs).
		Int64("log_records", rv.LogRecs).Int64("tail_records", rv.TailRecs).Uint64("last_seq", rv.Last).
		Str("records_per_sec", fmt.Sprintf("%.0f", rate)).Dur("took", time.Since(p.start)).Msg("data loaded")
}

// cutFrom deletes every log record from seq on (a torn tail, or check
// --fix cutting before damage). Damaged pages can point outside the file's
// mapping: the fault that reading them raises becomes an error here (with
// SetPanicOnFault for this goroutine, where bbolt's Update runs), not a
// crash, and the transaction rolls back.
func (l *Log) cutFrom(seq uint64) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("damaged bbolt pages (%v): the log cannot be cut; restore the data dir from a copy", r)
		}
	}()
	return l.db.Update(func(tx *bolt.Tx) error {
		logb := tx.Bucket(bucketLog)
		var segs [][]byte
		if err := logb.ForEachBucket(func(k []byte) error {
			if len(k) != len(seqKey(0)) { // a damaged length: do not copy it
				return &DamageError{File: DBFile, Where: "log", Reason: fmt.Sprintf("a segment key of %d bytes", len(k))}
			}
			segs = append(segs, append([]byte(nil), k...))
			return nil
		}); err != nil {
			return err
		}
		for _, sk := range segs {
			seg := logb.Bucket(sk)
			var dead [][]byte
			c := seg.Cursor()
			for k, _ := c.Seek(seqKey(seq)); k != nil; k, _ = c.Next() {
				if len(k) != len(seqKey(0)) { // a damaged length: do not copy it
					return &DamageError{File: DBFile, Where: "log", Reason: fmt.Sprintf("a record key of %d bytes", len(k))}
				}
				dead = append(dead, append([]byte(nil), k...))
			}
			for _, k := range dead {
				if err := seg.Delete(k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// IsTorn reports whether err is a torn last record of the log (dropped by
// DropTorn), as opposed to damage.
func IsTorn(err error) (uint64, bool) {
	var t *tornRecord
	if errors.As(err, &t) {
		return t.seq, true
	}
	return 0, false
}
