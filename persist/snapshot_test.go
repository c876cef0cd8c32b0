package persist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// snapshotOf writes a snapshot of n records ("k<i>=<padding>", enough to
// fill several chunks) into a fresh log in dir and closes it.
func snapshotOf(t *testing.T, dir string, n int) []string {
	t.Helper()
	l := openT(t, dir, Always)
	if err := l.Start(0); err != nil {
		t.Fatal(err)
	}
	s := l.NewSnapshot(l.Cut())
	var recs []string
	pad := strings.Repeat("v", 200)
	for i := range n {
		r := fmt.Sprintf("k%d=%s", i, pad)
		recs = append(recs, r)
		s.Add([]byte(r))
	}
	if err := s.Commit(int64(n)); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestSnapshot_Compressed: chunks are stored compressed (smaller than
// their records) and come back record for record.
func TestSnapshot_Compressed(t *testing.T) {
	dir := t.TempDir()
	recs := snapshotOf(t, dir, 20000) // ~4 MB of records: several chunks
	got, rv, l := recoverAll(t, dir, Always)
	defer func() { _ = l.Close() }()
	if strings.Join(got, ",") != strings.Join(recs, ",") || rv.SnapshotRecs != int64(len(recs)) {
		t.Fatalf("recovered %d records, want %d", len(got), len(recs))
	}
	var stored, raw int
	_ = l.db.View(func(tx *bolt.Tx) error {
		d, err := readDesc(tx)
		if err != nil || d.Codec != chunkCodec || d.Chunks < 2 {
			t.Fatalf("description %+v (%v), want codec %q and several chunks", d, err, chunkCodec)
		}
		raw = int(d.Bytes)
		return tx.Bucket(bucketSnap).Bucket(seqKey(d.ID)).ForEach(func(_, v []byte) error {
			stored += len(v)
			return nil
		})
	})
	if stored*4 > raw {
		t.Fatalf("chunks hold %d bytes for %d bytes of records: not compressed", stored, raw)
	}
}

// TestSnapshot_RawChunksLoad: a data dir written before chunks were
// compressed (raw chunks, a description without a codec) still loads.
func TestSnapshot_RawChunksLoad(t *testing.T) {
	dir := t.TempDir()
	recs := snapshotOf(t, dir, 20000)
	l := openT(t, dir, Always)
	err := l.db.Update(func(tx *bolt.Tx) error { // rewrite it the old way
		d, err := readDesc(tx)
		if err != nil {
			return err
		}
		b := tx.Bucket(bucketSnap).Bucket(seqKey(d.ID))
		for i := range d.Chunks {
			stored, ok := unseal(uint64(i), b.Get(seqKey(uint64(i))))
			if !ok {
				return fmt.Errorf("chunk %d unreadable", i)
			}
			raw, err := decodeChunk(d.Codec, stored)
			if err != nil {
				return err
			}
			if err := b.Put(seqKey(uint64(i)), seal(uint64(i), bytes.Clone(raw))); err != nil {
				return err
			}
		}
		old, err := json.Marshal(map[string]any{"seq": d.Seq, "id": d.ID, "chunks": d.Chunks, "keys": d.Keys, "bytes": d.Bytes, "at_ms": d.AtMs})
		if err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySnap, old)
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = l.Close()
	got, rv, l2 := recoverAll(t, dir, Always)
	defer func() { _ = l2.Close() }()
	if strings.Join(got, ",") != strings.Join(recs, ",") || rv.SnapshotRecs != int64(len(recs)) {
		t.Fatalf("recovered %d records from raw chunks, want %d", len(got), len(recs))
	}
}

// TestSnapshot_BadCodec: a description naming a codec this larder does
// not know is damage, not a misread.
func TestSnapshot_BadCodec(t *testing.T) {
	dir := t.TempDir()
	snapshotOf(t, dir, 10)
	l := openT(t, dir, Always)
	err := l.db.Update(func(tx *bolt.Tx) error {
		d, err := readDesc(tx)
		if err != nil {
			return err
		}
		d.Codec = "lz9"
		v, err := json.Marshal(d)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySnap, v)
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Recover(func([]byte) error { return nil })
	_ = l.Close()
	if de, ok := err.(*DamageError); !ok || !strings.Contains(de.Reason, "lz9") {
		t.Fatalf("recover with an unknown codec: %v, want a DamageError naming it", err)
	}
}
