package engine

import (
	"strconv"
	"sync/atomic"
)

// Kind is the Redis type of a value.
type Kind uint8

// The Redis types. KindNone is what Lookup reports for a missing key.
const (
	KindNone Kind = iota
	KindString
	KindList
	KindSet
	KindZSet
	KindHash
	KindStream
)

// String returns the name TYPE reports.
func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindList:
		return "list"
	case KindSet:
		return "set"
	case KindZSet:
		return "zset"
	case KindHash:
		return "hash"
	case KindStream:
		return "stream"
	}
	return "none"
}

// String encodings, as OBJECT ENCODING reports them.
const (
	EncRaw uint8 = iota
	EncInt
	EncEmbStr
)

// entryOverhead approximates the bytes a key costs beyond its key and value
// (map slot, Entry struct, slot pointer), for INFO and maxmemory.
const entryOverhead = 96

// Entry is one key. Its fields are guarded by its shard's lock, except the
// access clock and LFU counter, which readers update atomically.
type Entry struct {
	key      string
	kind     Kind
	enc      uint8
	str      []byte
	obj      any
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

// Str returns a string value's bytes. Callers must not keep them past the lock.
func (e *Entry) Str() []byte { return e.str }

// Obj returns a non-string value.
func (e *Entry) Obj() any { return e.obj }

// Encoding returns the name OBJECT ENCODING reports for a string value.
func (e *Entry) Encoding() string {
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

// isCanonicalInt is Redis's string2l round-trip test: the text parses as a
// signed 64-bit integer and prints back identically.
func isCanonicalInt(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return false
	}
	var buf [24]byte
	return string(strconv.AppendInt(buf[:0], n, 10)) == string(b)
}

func (e *Entry) computeSize() int64 {
	n := int64(len(e.key)) + int64(cap(e.str)) + entryOverhead
	if s, ok := e.obj.(interface{ MemSize() int64 }); ok {
		n += s.MemSize()
	}
	return n
}
