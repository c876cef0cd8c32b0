package persist

import (
	"runtime"
	"time"

	bolt "go.etcd.io/bbolt"
)

// boltEvery is how long records may sit in the tail file before they are
// committed (and so fsync'ed) into bbolt, per policy; noBoltBytes commits
// earlier under policy no once that many bytes are waiting.
var boltEvery = [...]time.Duration{Always: time.Second, EverySec: time.Second, No: 30 * time.Second}

const noBoltBytes = 16 << 20

// retryEvery is how often a failed write is tried again (Redis retries a
// failed AOF write once a second too).
const retryEvery = time.Second

// commitLoop is the one goroutine that writes: it takes every record
// appended since its last round and writes them as one group, so many
// clients share one commit and one fsync (DESIGN.md §4).
func (l *Log) commitLoop() {
	defer close(l.stopped)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	var lastFail time.Time
	for {
		select {
		case <-l.kick:
		case <-tick.C:
		}
		if l.o.Policy == Always {
			l.linger()
		}
		l.mu.Lock()
		l.queue = append(l.queue, l.pending...)
		clear(l.pending)
		l.pending = l.pending[:0]
		cut, closing := l.cut, l.closed
		l.mu.Unlock()
		if !lastFail.IsZero() && time.Since(lastFail) < retryEvery && !closing {
			continue
		}
		done, err, retryLater := l.round(cut, closing)
		l.mu.Lock()
		if done > l.doneA.Load() {
			l.doneA.Store(done)
		}
		l.setErrLocked(err)
		l.cond.Broadcast()
		l.mu.Unlock()
		lastFail = time.Time{}
		if retryLater {
			lastFail = time.Now()
		}
		if closing && (err == nil || time.Since(l.closingAt) > 5*time.Second) {
			return
		}
	}
}

// lingerFor bounds how long a group waits for more records before its
// fsync.
const lingerFor = 200 * time.Microsecond

// linger lets the goroutines that are about to append run first, while
// records keep arriving (at most lingerFor): an fsync then covers the
// whole wave of clients answered by the last one, instead of the first
// few (a convoy of tiny groups; measured: 10k INCR/s at 50 clients on one
// CPU without it). With no new records it returns at once.
func (l *Log) linger() {
	start := time.Now()
	for time.Since(start) < lingerFor {
		before := l.nextA.Load()
		runtime.Gosched()
		if l.nextA.Load() == before {
			return
		}
	}
}

func (l *Log) setErrLocked(err error) {
	switch {
	case err != nil && l.err == nil:
		l.log.Error().Err(err).Msg("writing the log failed: refusing writes until it works again")
	case err == nil && l.err != nil:
		l.log.Warn().Msg("writing the log works again")
	}
	l.err = err
	l.failing.Store(err != nil)
}

// round writes the queue by the policy and returns the last sequence
// number now at the policy's point, the log's error state, and whether
// its own write failed (then it is retried in a second, not at once).
func (l *Log) round(cut uint64, closing bool) (uint64, error, bool) {
	var done uint64
	if len(l.queue) > 0 {
		if err := l.fault("tail"); err != nil {
			return 0, err, true
		}
		start := time.Now()
		if err := l.tails[l.cur].write(l.queue); err != nil {
			return 0, err, true
		}
		l.wstats.appendUs.addDuration(time.Since(start))
		l.wstats.groupRecs.add(int64(len(l.queue)))
		if l.o.Policy == Always {
			// One fdatasync for the whole group: every reply waiting on it
			// leaves after its record is on disk (DESIGN.md §4).
			if err := l.fault("fsync"); err != nil {
				return 0, err, true
			}
			start = time.Now()
			if err := l.tails[l.cur].sync(); err != nil {
				return 0, err, true
			}
			l.wstats.fsyncUs.addDuration(time.Since(start))
			l.failpoint("log.after-commit-before-reply")
		}
		done = l.queue[len(l.queue)-1].seq
		for _, r := range l.queue {
			l.unboltedSz += len(r.buf)
		}
		l.unbolted = append(l.unbolted, l.queue...)
		clear(l.queue)
		l.queue = l.queue[:0]
	}
	due := time.Since(l.lastBolt) >= boltEvery[l.o.Policy] || l.unboltedSz >= noBoltBytes || closing
	if len(l.unbolted) > 0 && due {
		l.handOver(closing)
	}
	return done, l.bolterErr(), false
}

// boltJob is a tail file's records for the bolter to commit into bbolt.
type boltJob struct {
	recs []record
	tail int
}

// handOver gives the current tail file's records to the bolter and
// switches writing to the other file, so replies never wait for a bbolt
// commit. If the bolter is still busy with the other
// file, the records wait for the next round (or, closing, for it).
func (l *Log) handOver(closing bool) {
	if closing {
		<-l.bolterIdle
	} else {
		select {
		case <-l.bolterIdle:
		default:
			return
		}
	}
	l.bolter <- boltJob{recs: l.unbolted, tail: l.cur}
	l.cur = 1 - l.cur
	l.unbolted, l.unboltedSz, l.lastBolt = nil, 0, time.Now()
	if closing {
		<-l.bolterIdle // wait for the last commit
		l.bolterIdle <- struct{}{}
	}
}

// boltLoop commits each handed-over tail file into bbolt (retrying once a
// second while that fails) and then empties the file.
func (l *Log) boltLoop() {
	for job := range l.bolter {
		for {
			l.mu.Lock()
			cut := l.cut
			l.mu.Unlock()
			err := l.commit(job.recs, cut)
			if err == nil {
				err = l.tails[job.tail].reset()
			}
			l.boltErr.Store(errBox{err})
			if err == nil {
				break
			}
			l.mu.Lock()
			l.setErrLocked(err)
			closed := l.closed
			l.mu.Unlock()
			if closed && time.Since(l.closingAt) > 5*time.Second {
				break
			}
			time.Sleep(retryEvery)
		}
		l.bolterIdle <- struct{}{}
	}
}

type errBox struct{ err error }

// bolterErr is the bolter's last outcome, so a failing bbolt commit keeps
// the log in its error state (MISCONF) while tail writes still work.
func (l *Log) bolterErr() error {
	if b, ok := l.boltErr.Load().(errBox); ok {
		return b.err
	}
	return nil
}

// commit writes recs in one bbolt transaction (fsync'ed by bbolt). A
// record after the snapshot cut starts a new segment, so a segment never
// holds records on both sides of a cut and can be dropped whole.
func (l *Log) commit(recs []record, cut uint64) error {
	if err := l.fault("commit"); err != nil {
		return err
	}
	start := time.Now()
	segStart := l.segStart
	var bytes int
	covered := l.snapSeq.Load()
	err := l.db.Update(func(tx *bolt.Tx) error {
		logb := tx.Bucket(bucketLog)
		var seg *bolt.Bucket
		for _, r := range recs {
			if r.seq <= covered {
				continue // the current snapshot holds its effect already
			}
			crossed := r.seq > cut && segStart <= cut
			if crossed {
				segStart = r.seq
			}
			if seg == nil || crossed {
				b, err := logb.CreateBucketIfNotExists(seqKey(segStart))
				if err != nil {
					return err
				}
				b.FillPercent = 1 // keys only ever grow
				seg = b
			}
			v := seal(r.seq, r.buf)
			if err := seg.Put(seqKey(r.seq), v); err != nil {
				return err
			}
			bytes += len(v) + 8
		}
		return nil
	})
	if err != nil {
		return err
	}
	l.segStart = segStart
	l.wstats.boltUs.addDuration(time.Since(start))
	l.stats.records.Add(int64(len(recs)))
	l.stats.bytes.Add(int64(bytes))
	return nil
}

func (l *Log) fault(op string) error {
	if l.o.Faults == nil {
		return nil
	}
	return l.o.Faults(op)
}
