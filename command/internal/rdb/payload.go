package rdb

import "encoding/binary"

// Version is the RDB version of Redis 7.0, written in every payload.
const Version = 10

// Seal appends the DUMP footer to body: the RDB version as 2 bytes little
// endian, then the CRC64 of everything before it, 8 bytes little endian
// (createDumpPayload).
func Seal(body []byte) []byte {
	body = binary.LittleEndian.AppendUint16(body, Version)
	return binary.LittleEndian.AppendUint64(body, CRC64(body))
}

// Verify is verifyDumpPayload: at least the 10 footer bytes, a version no
// newer than Version and a matching CRC64. It returns the body (type byte
// and value) and whether the payload passed.
func Verify(p []byte) ([]byte, bool) {
	if len(p) < 10 {
		return nil, false
	}
	footer := p[len(p)-10:]
	if binary.LittleEndian.Uint16(footer) > Version {
		return nil, false
	}
	if binary.LittleEndian.Uint64(footer[2:]) != CRC64(p[:len(p)-8]) {
		return nil, false
	}
	return p[:len(p)-10], true
}
