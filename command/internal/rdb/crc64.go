package rdb

import "hash/crc64"

// jones is Redis's CRC-64 (crc64.c): the Jones polynomial 0xad93d23594c935a9,
// reflected, with an initial value and final xor of 0. Go's table takes the
// reflected form of the polynomial; Go's Update complements the value on the
// way in and out, which Redis does not, so the loop is spelled out here.
var jones = crc64.MakeTable(0x95ac9329ac4bc9b5)

// CRC64 returns Redis's crc64(0, p).
func CRC64(p []byte) uint64 {
	var crc uint64
	for _, b := range p {
		crc = jones[byte(crc)^b] ^ (crc >> 8)
	}
	return crc
}
