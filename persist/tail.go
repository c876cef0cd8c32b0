package persist

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// tail is larder.tail: records written before their replies leave under
// appendfsync everysec/no, until they are committed into bbolt. A frame is
// the payload length (4 bytes), the record's checksum (4), its sequence
// number (8), then the payload.
type tail struct {
	f    *os.File
	size int64
	buf  []byte
}

const frameHeader = 16

func openTail(path string) (*tail, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open tail file: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close() // already failing
		return nil, fmt.Errorf("stat tail file: %w", err)
	}
	return &tail{f: f, size: fi.Size()}, nil
}

func appendFrame(b []byte, r record) []byte {
	var h [frameHeader]byte
	binary.BigEndian.PutUint32(h[0:], uint32(len(r.buf)))
	binary.BigEndian.PutUint32(h[4:], checksum(r.seq, r.buf))
	binary.BigEndian.PutUint64(h[8:], r.seq)
	return append(append(b, h[:]...), r.buf...)
}

// write appends recs with one write. A failed or short write is cut off
// again so the file never keeps half a group.
func (t *tail) write(recs []record) error {
	t.buf = t.buf[:0]
	for _, r := range recs {
		t.buf = appendFrame(t.buf, r)
	}
	n, err := t.f.WriteAt(t.buf, t.size)
	if err != nil {
		if terr := t.f.Truncate(t.size); terr != nil {
			err = errors.Join(err, terr)
		}
		return fmt.Errorf("write tail file: %w", err)
	}
	t.size += int64(n)
	if cap(t.buf) > 1<<20 {
		t.buf = nil
	}
	return nil
}

// sync makes the written frames durable (fdatasync: the data and the
// file's size, not its timestamps).
func (t *tail) sync() error {
	if err := syscall.Fdatasync(int(t.f.Fd())); err != nil {
		return fmt.Errorf("fdatasync tail file: %w", err)
	}
	return nil
}

// reset empties the file once its records are committed into bbolt.
func (t *tail) reset() error {
	if err := t.f.Truncate(0); err != nil {
		return fmt.Errorf("truncate tail file: %w", err)
	}
	t.size = 0
	return nil
}

func (t *tail) close() error { return t.f.Close() }

// tailScan is what reading a tail file found.
type tailScan struct {
	recs    []record
	good    int64  // bytes of whole, valid frames from the start
	dropped string // a torn or damaged last frame, described; "" if none
}

// scanTail reads every frame of data. A frame cut short by the end of the
// file, or a bad last frame, is a torn tail (what a crash leaves): it is
// reported in dropped. A bad frame followed by more bytes is damage in the
// middle, returned as a *DamageError.
func scanTail(data []byte, path string) (tailScan, error) {
	var ts tailScan
	off := 0
	for off < len(data) {
		rest := data[off:]
		if len(rest) < frameHeader {
			ts.dropped = fmt.Sprintf("%d bytes of a torn frame at offset %d", len(rest), off)
			break
		}
		n := int(binary.BigEndian.Uint32(rest[0:]))
		sum := binary.BigEndian.Uint32(rest[4:])
		seq := binary.BigEndian.Uint64(rest[8:])
		if n > len(rest)-frameHeader {
			ts.dropped = fmt.Sprintf("a torn frame of %d bytes at offset %d", len(rest), off)
			break
		}
		payload := rest[frameHeader : frameHeader+n]
		if checksum(seq, payload) != sum {
			if off+frameHeader+n == len(data) {
				ts.dropped = fmt.Sprintf("a last frame with a bad checksum at offset %d", off)
				break
			}
			return ts, &DamageError{File: path, Where: fmt.Sprintf("frame at offset %d", off), Seq: seq, Reason: "checksum mismatch"}
		}
		ts.recs = append(ts.recs, record{seq, payload})
		off += frameHeader + n
		ts.good = int64(off)
	}
	return ts, nil
}

// readAllFile reads path, treating a missing file as empty.
func readAllFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read-only
	return io.ReadAll(f)
}
