// Package hll is Redis 7.0's HyperLogLog (hyperloglog.c) over the very bytes
// Redis stores: a value here is the Redis string of an HLL, so a GET of it
// matches redis-server byte for byte and a value copied from Redis is read as
// Redis reads it.
//
// The layout: a 16-byte header ("HYLL", the encoding byte — 0 dense, 1
// sparse —, three unused bytes, the cached cardinality as a little-endian
// uint64 whose top bit marks it stale), then the registers: dense, 16384
// 6-bit registers packed from the least significant bit (12288 bytes);
// sparse, a run-length list of ZERO (00xxxxxx), XZERO (01xxxxxx yyyyyyyy)
// and VAL (1vvvvvxx) opcodes. Elements are hashed with MurmurHash64A (seed
// 0xadc83b19): the low 14 bits pick the register, the trailing zeros of the
// rest (plus one) are its candidate value. The estimator is Ertl's
// (arXiv:1702.01284), as Redis 7.0's hllCount.
//
// Edits work on a caller's byte slice and may change it in place, grow it or
// replace it (a promotion to dense); the caller stores the slice returned.
// Corrupted values behave as in Redis 7.0.15 with the fix of CVE-2025-32023
// (Debian's build, the differential tests' oracle): the same inputs are
// refused, and the byte Redis reads past a value's end (its string's
// terminator) is 0 at the start of each command (see Editor).
//
// The package imports no Larder package and keeps no state.
package hll
