// Package bitcmd is the bitmap family: SETBIT, GETBIT, BITCOUNT, BITPOS,
// BITOP, BITFIELD and BITFIELD_RO, as Redis 7.0's bitops.c. Bitmaps are
// string values: the family reads them with Entry.Str and changes them only
// through the keyspace's string API (SetString, UpdateString), so every
// change is counted, journaled and accounted. It imports the command core
// and the keyspace only.
package bitcmd
