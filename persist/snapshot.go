package persist

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// chunkSize is the size a snapshot chunk grows to before a new one starts;
// chunksPerTx bounds one bbolt transaction of a snapshot, so log commits
// interleave with a large snapshot instead of waiting for all of it.
const (
	chunkSize   = 1 << 20
	chunksPerTx = 8
)

// snapDesc describes the current snapshot (stored as JSON in meta).
type snapDesc struct {
	Seq    uint64 `json:"seq"`
	ID     uint64 `json:"id"`
	Chunks int    `json:"chunks"`
	Keys   int64  `json:"keys"`
	Bytes  int64  `json:"bytes"`
	AtMs   int64  `json:"at_ms"`
	// Codec is how the chunks are stored: chunkCodec, or "" for raw
	// chunks (written before compression).
	Codec string `json:"codec,omitempty"`
}

// Snapshot collects the records of a snapshot in memory (Add may be called
// under the caller's locks: it never touches the disk) until Commit
// stores them.
type Snapshot struct {
	l      *Log
	seq    uint64
	chunks [][]byte
	bytes  int64
	stored int64 // bytes of the chunks as stored (compressed)
	start  time.Time
}

// NewSnapshot starts a snapshot of the state at cut seq (see Cut).
func (l *Log) NewSnapshot(seq uint64) *Snapshot {
	return &Snapshot{l: l, seq: seq, start: time.Now()}
}

// Add appends one record to the snapshot.
func (s *Snapshot) Add(rec []byte) {
	n := len(s.chunks)
	if n == 0 || len(s.chunks[n-1])+len(rec)+binary.MaxVarintLen64 > chunkSize {
		s.chunks = append(s.chunks, make([]byte, 0, chunkSize))
		n++
	}
	c := binary.AppendUvarint(s.chunks[n-1], uint64(len(rec)))
	s.chunks[n-1] = append(c, rec...)
	s.bytes += int64(len(rec))
}

// Commit stores the snapshot, makes it current and drops the snapshot and
// log segments it replaces, in one transaction. keys is reported in INFO.
func (s *Snapshot) Commit(keys int64) error {
	l := s.l
	id := uint64(time.Now().UnixNano())
	err := s.store(id)
	if err == nil {
		l.failpoint("snap.after-write")
		err = s.switchTo(id, keys)
	}
	l.stats.mu.Lock()
	l.stats.snapDur = time.Since(s.start)
	if err == nil {
		l.stats.snapSeq, l.stats.snapSize = s.seq, s.bytes
		l.stats.snaps++
	}
	l.stats.mu.Unlock()
	if err != nil {
		dropErr := l.db.Update(func(tx *bolt.Tx) error {
			err := tx.Bucket(bucketSnap).DeleteBucket(seqKey(id))
			if errors.Is(err, bolterrors.ErrBucketNotFound) {
				return nil
			}
			return err
		})
		if dropErr != nil {
			l.log.Warn().Err(dropErr).Msg("could not drop a failed snapshot's chunks (dropped at the next snapshot)")
		}
		return fmt.Errorf("snapshot: %w", err)
	}
	l.stats.records.Store(0)
	l.stats.bytes.Store(0)
	l.log.Info().Uint64("seq", s.seq).Int64("keys", keys).Int64("bytes", s.bytes).
		Int64("stored_bytes", s.stored).Int("chunks", len(s.chunks)).Dur("took", time.Since(s.start)).Msg("snapshot written")
	return nil
}

// store writes the chunks, a few per transaction.
func (s *Snapshot) store(id uint64) error {
	for i := 0; i < len(s.chunks) || i == 0; i += chunksPerTx {
		if err := s.l.fault("snapshot"); err != nil {
			return err
		}
		err := s.l.db.Update(func(tx *bolt.Tx) error {
			b, err := tx.Bucket(bucketSnap).CreateBucketIfNotExists(seqKey(id))
			if err != nil {
				return err
			}
			b.FillPercent = 1
			for j := i; j < min(i+chunksPerTx, len(s.chunks)); j++ {
				stored := encodeChunk(s.chunks[j])
				s.stored += int64(len(stored))
				if err := b.Put(seqKey(uint64(j)), seal(uint64(j), stored)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// switchTo makes snapshot id current and deletes what it covers: older
// snapshots and every log segment that starts at or before its cut
// (segments never straddle a cut: see commit).
func (s *Snapshot) switchTo(id uint64, keys int64) error {
	l := s.l
	l.failpoint("snap.before-switch")
	desc, err := json.Marshal(snapDesc{Seq: s.seq, ID: id, Chunks: len(s.chunks), Keys: keys, Bytes: s.bytes, AtMs: time.Now().UnixMilli(), Codec: chunkCodec})
	if err != nil {
		return err
	}
	err = l.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(keySnap, desc); err != nil {
			return err
		}
		if err := deleteNested(tx.Bucket(bucketSnap), func(k []byte) bool { return binary.BigEndian.Uint64(k) != id }); err != nil {
			return err
		}
		return deleteNested(tx.Bucket(bucketLog), func(k []byte) bool { return binary.BigEndian.Uint64(k) <= s.seq })
	})
	if err == nil {
		l.snapSeq.Store(s.seq) // records up to the cut still in a tail file need not reach bbolt
	}
	return err
}

// deleteNested deletes the nested buckets of b whose keys drop says.
func deleteNested(b *bolt.Bucket, drop func(k []byte) bool) error {
	var keys [][]byte
	err := b.ForEachBucket(func(k []byte) error {
		if len(k) == 8 && drop(k) {
			keys = append(keys, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := b.DeleteBucket(k); err != nil {
			return err
		}
	}
	return nil
}

// readDesc returns the current snapshot's description (zero if none).
func readDesc(tx *bolt.Tx) (snapDesc, error) {
	var d snapDesc
	v := tx.Bucket(bucketMeta).Get(keySnap)
	if v == nil {
		return d, nil
	}
	if err := json.Unmarshal(v, &d); err != nil {
		return d, &DamageError{File: DBFile, Where: "snapshot description", Reason: err.Error()}
	}
	return d, nil
}

// eachChunkRecord calls fn for every record of snapshot chunk c.
func eachChunkRecord(c []byte, fn func(rec []byte) error) error {
	for len(c) > 0 {
		n, k := binary.Uvarint(c)
		if k <= 0 || n > uint64(len(c)-k) {
			return errors.New("bad record length inside chunk")
		}
		if err := fn(c[k : k+int(n)]); err != nil {
			return err
		}
		c = c[k+int(n):]
	}
	return nil
}

// SnapshotKeys is how many keys the current snapshot holds (0 without
// one), so the caller can size its keyspace before Recover loads them.
func (l *Log) SnapshotKeys() int64 {
	var d snapDesc
	err := guard(func() error {
		return l.db.View(func(tx *bolt.Tx) (err error) {
			d, err = readDesc(tx)
			return err
		})
	})
	if err != nil {
		return 0 // Recover reports the damage
	}
	return d.Keys
}
