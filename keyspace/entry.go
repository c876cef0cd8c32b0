package keyspace

import (
	"sync/atomic"
)

// String encodings, as OBJECT ENCODING reports them.
const (
	EncRaw uint8 = iota
	EncInt
	EncEmbStr
)

// entryOverhead approximates the bytes a key costs beyond its key and value
// (map slot, Entry struct, slot pointer), for INFO and maxmemory: the Entry
// is 96 bytes, and the shard's map and slot array add 40 to 80 more per key
// as they fill and double (measured by TestAccounting_HeapShare).
const entryOverhead = 160

// Entry is one key. Its fields are guarded by its shard's lock, except the
// access clock and LFU counter, which readers update atomically.
type Entry struct {
	key      string
	kind     Kind
	enc      uint8
	str      []byte
	obj      Object
	expireAt int64 // unix ms; 0 = no expiry
	heapIdx  int32 // position in the shard's expiry heap, -1 when not volatile
	slot     int32 // position in the shard's slot array
	size     int64 // bytes accounted to the shard
	access   atomic.Uint32
	lfu      atomic.Uint32
}

// Key returns the entry's key.
func (e *Entry) Key() string { return e.key }

// Kind returns the entry's Redis type.
func (e *Entry) Kind() Kind { return e.kind }

// ExpireAt returns the absolute expiry in unix ms, 0 when the key is persistent.
func (e *Entry) ExpireAt() int64 { return e.expireAt }

// Str returns a string value's bytes. Callers must not keep them past the
// lock, and must not modify them: a write into them would be neither
// counted nor accounted. The one exception is building the next value in
// their spare capacity for an immediate UpdateString (see there).
func (e *Entry) Str() []byte { return e.str }

// Obj returns a non-string value (nil for a string). Its mutating methods
// may be called on it under the shard's write lock: they count the change
// and re-account the memory themselves.
func (e *Entry) Obj() Object { return e.obj }

// Encoding returns the name OBJECT ENCODING reports: a value other than a
// string reports its own (Object.Encoding), a string its int/embstr/raw.
func (e *Entry) Encoding() string {
	if e.obj != nil {
		return e.obj.Encoding()
	}
	switch e.enc {
	case EncInt:
		return "int"
	case EncEmbStr:
		return "embstr"
	}
	return "raw"
}

// StringEncoding returns the encoding Redis 7.0 picks for a fresh string
// value (tryObjectEncoding): int for canonical integers of at most 20 bytes,
// embstr up to 44 bytes, raw beyond.
func StringEncoding(b []byte) uint8 {
	if len(b) <= 20 && isCanonicalInt(b) {
		return EncInt
	}
	if len(b) <= 44 {
		return EncEmbStr
	}
	return EncRaw
}

// isCanonicalInt is Redis's string2l round-trip test: the text is a signed
// 64-bit integer printed canonically (no '+', no leading zeros, no "-0").
// One pass, no allocation: SET and MSET call it for every value.
func isCanonicalInt(b []byte) bool {
	digits := b
	if len(b) > 0 && b[0] == '-' {
		digits = b[1:]
	}
	if len(digits) == 0 || len(digits) > 19 {
		return false
	}
	if digits[0] == '0' {
		return len(b) == 1 // "0" only; "-0" and "01" are not canonical
	}
	var v uint64
	for _, ch := range digits {
		if ch < '0' || ch > '9' {
			return false
		}
		v = v*10 + uint64(ch-'0') // 19 digits cannot overflow uint64
	}
	if len(b) > len(digits) {
		return v <= 1<<63
	}
	return v <= 1<<63-1
}

// Size returns the bytes accounted to the entry (key, value and per-key
// overhead), as MEMORY USAGE reports them.
func (e *Entry) Size() int64 { return e.size }

func (e *Entry) computeSize() int64 {
	var mem int64
	if e.obj != nil {
		mem = e.obj.MemSize()
	}
	return e.sizeWith(mem)
}

// sizeWith is the entry's accounted bytes when its value object holds mem.
func (e *Entry) sizeWith(mem int64) int64 {
	return int64(len(e.key)) + int64(cap(e.str)) + entryOverhead + mem
}
