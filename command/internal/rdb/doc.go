// Package rdb is Redis 7.0's RDB value encoding as DUMP and RESTORE use it:
// lengths, strings (integer and LZF encodings), binary and text doubles,
// CRC64, listpacks, intsets, and readers for the older ziplist and zipmap
// blobs. It is a codec only: it knows bytes, never keys or values of the
// keyspace. Every reader treats its input as hostile: a malformed blob is
// an error, never a panic, and lengths are checked against the bytes left
// before anything is allocated.
package rdb
