package rdb

import (
	"encoding/binary"
	"strconv"
)

// ParseZiplist validates a ziplist blob (RDB versions before 10: header,
// every entry's prevlen against the entry before it, the tail offset, the
// end byte, the count) and returns its elements.
func ParseZiplist(p []byte) ([][]byte, error) {
	if len(p) < 11 || binary.LittleEndian.Uint32(p) != uint32(len(p)) || p[len(p)-1] != 0xff {
		return nil, ErrFormat
	}
	tail := int(binary.LittleEndian.Uint32(p[4:]))
	count := int(binary.LittleEndian.Uint16(p[8:]))
	var out [][]byte
	prevLen, last := 0, 10
	for pos := 10; pos < len(p)-1; {
		v, size, err := zipEntry(p[pos:len(p)-1], prevLen)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		last, prevLen = pos, size
		pos += size
	}
	if tail != last || (count != 65535 && count != len(out)) {
		return nil, ErrFormat
	}
	return out, nil
}

// zipEntry decodes the entry at the start of p, whose prevlen must be
// prevLen: its value and its total size.
func zipEntry(p []byte, prevLen int) ([]byte, int, error) {
	hdr, got := 1, 0
	switch {
	case len(p) == 0:
		return nil, 0, ErrFormat
	case p[0] < 254:
		got = int(p[0])
	case p[0] == 254 && len(p) >= 5:
		hdr, got = 5, int(binary.LittleEndian.Uint32(p[1:]))
	default:
		return nil, 0, ErrFormat
	}
	if got != prevLen || hdr >= len(p) {
		return nil, 0, ErrFormat
	}
	v, n, err := zipValue(p[hdr:])
	return v, hdr + n, err
}

// zipValue decodes an entry's encoding and data.
func zipValue(p []byte) ([]byte, int, error) {
	c := p[0]
	switch c >> 6 {
	case 0:
		return lpStr(p, 1, int(c&0x3f))
	case 1:
		if len(p) < 2 {
			return nil, 0, ErrFormat
		}
		return lpStr(p, 2, int(c&0x3f)<<8|int(p[1]))
	case 2:
		if c != 0x80 || len(p) < 5 {
			return nil, 0, ErrFormat
		}
		n := binary.BigEndian.Uint32(p[1:])
		if uint64(n) > uint64(len(p)) {
			return nil, 0, ErrFormat
		}
		return lpStr(p, 5, int(n))
	}
	if c >= 0xf1 && c <= 0xfd {
		return strconv.AppendInt(nil, int64(c&0x0f)-1, 10), 1, nil
	}
	size := map[byte]int{0xc0: 2, 0xd0: 4, 0xe0: 8, 0xf0: 3, 0xfe: 1}[c]
	if size == 0 || len(p) < 1+size {
		return nil, 0, ErrFormat
	}
	var u uint64
	for i := size; i >= 1; i-- {
		u = u<<8 | uint64(p[i])
	}
	bits := uint(8 * size)
	v := int64(u<<(64-bits)) >> (64 - bits)
	return strconv.AppendInt(nil, v, 10), 1 + size, nil
}

// ParseZipmap validates a zipmap blob (RDB_TYPE_HASH_ZIPMAP, Redis 2.x)
// and returns its keys and values alternately.
func ParseZipmap(p []byte) ([][]byte, error) {
	if len(p) < 2 || p[len(p)-1] != 0xff {
		return nil, ErrFormat
	}
	var out [][]byte
	pos, end := 1, len(p)-1
	for pos < end {
		k, n, err := zipmapLen(p[pos:end])
		if err != nil || pos+n+k > end {
			return nil, ErrFormat
		}
		pos += n
		out = append(out, append([]byte(nil), p[pos:pos+k]...))
		pos += k
		v, n, err := zipmapLen(p[pos:end])
		if err != nil || pos+n+1 > end {
			return nil, ErrFormat
		}
		free := int(p[pos+n])
		pos += n + 1
		if pos+v+free > end {
			return nil, ErrFormat
		}
		out = append(out, append([]byte(nil), p[pos:pos+v]...))
		pos += v + free
	}
	return out, nil
}

func zipmapLen(p []byte) (int, int, error) {
	switch {
	case len(p) == 0:
		return 0, 0, ErrFormat
	case p[0] < 254:
		return int(p[0]), 1, nil
	case p[0] == 254 && len(p) >= 5:
		n := binary.LittleEndian.Uint32(p[1:])
		if uint64(n) > uint64(len(p)) {
			return 0, 0, ErrFormat
		}
		return int(n), 5, nil
	}
	return 0, 0, ErrFormat
}
