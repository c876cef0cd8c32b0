package rdb

import (
	"encoding/binary"
	"math"
	"strconv"
)

// Reader reads RDB values from a payload body. Every method fails with
// ErrFormat rather than read past the end.
type Reader struct {
	b   []byte
	pos int
}

// NewReader reads b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Left returns the number of unread bytes.
func (r *Reader) Left() int { return len(r.b) - r.pos }

// Byte reads one byte.
func (r *Reader) Byte() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, ErrFormat
	}
	r.pos++
	return r.b[r.pos-1], nil
}

// take reads n bytes (a view into the payload).
func (r *Reader) take(n uint64) ([]byte, error) {
	if n > uint64(r.Left()) {
		return nil, ErrFormat
	}
	p := r.b[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return p, nil
}

// Raw reads n bytes written without a length (a stream PEL's 16-byte IDs,
// millisecond times).
func (r *Reader) Raw(n int) ([]byte, error) { return r.take(uint64(n)) }

// lenOrEnc reads a length, or the special encoding number with enc true.
func (r *Reader) lenOrEnc() (n uint64, enc bool, err error) {
	c, err := r.Byte()
	if err != nil {
		return 0, false, err
	}
	switch c >> 6 {
	case len6:
		return uint64(c & 0x3f), false, nil
	case len14:
		c2, err := r.Byte()
		return uint64(c&0x3f)<<8 | uint64(c2), false, err
	case encVal:
		return uint64(c & 0x3f), true, nil
	}
	switch c {
	case len32:
		p, err := r.take(4)
		if err != nil {
			return 0, false, err
		}
		return uint64(binary.BigEndian.Uint32(p)), false, nil
	case len64:
		p, err := r.take(8)
		if err != nil {
			return 0, false, err
		}
		return binary.BigEndian.Uint64(p), false, nil
	}
	return 0, false, ErrFormat
}

// Len reads a length. Like Redis's rdbLoadLen, it takes an encoded-value
// byte for the six-bit length it carries.
func (r *Reader) Len() (uint64, error) {
	n, _, err := r.lenOrEnc()
	return n, err
}

// String reads a string in any of its encodings, as a fresh slice.
func (r *Reader) String() ([]byte, error) {
	n, enc, err := r.lenOrEnc()
	if err != nil {
		return nil, err
	}
	if !enc {
		p, err := r.take(n)
		return append([]byte(nil), p...), err
	}
	switch n {
	case encInt8, encInt16, encInt32:
		p, err := r.take(1 << n)
		if err != nil {
			return nil, err
		}
		var v int64
		switch n {
		case encInt8:
			v = int64(int8(p[0]))
		case encInt16:
			v = int64(int16(binary.LittleEndian.Uint16(p)))
		default:
			v = int64(int32(binary.LittleEndian.Uint32(p)))
		}
		return strconv.AppendInt(nil, v, 10), nil
	case encLZF:
		return r.lzf()
	}
	return nil, ErrFormat
}

func (r *Reader) lzf() ([]byte, error) {
	clen, err := r.Len()
	if err != nil {
		return nil, err
	}
	ulen, err := r.Len()
	if err != nil {
		return nil, err
	}
	p, err := r.take(clen)
	if err != nil || ulen == 0 || ulen > uint64(len(p))*100+64 {
		return nil, ErrFormat // LZF expands at most 264 bytes from 3: a bigger claim is a lie
	}
	return Decompress(p, int(ulen))
}

// BinaryDouble reads an 8-byte little endian double.
func (r *Reader) BinaryDouble() (float64, error) {
	p, err := r.take(8)
	if err != nil {
		return 0, err
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(p)), nil
}

// TextDouble reads the old RDB_TYPE_ZSET score: a length byte (253 nan,
// 254 inf, 255 -inf) and that many bytes of text.
func (r *Reader) TextDouble() (float64, error) {
	n, err := r.Byte()
	if err != nil {
		return 0, err
	}
	switch n {
	case 253:
		return math.NaN(), nil
	case 254:
		return math.Inf(1), nil
	case 255:
		return math.Inf(-1), nil
	}
	p, err := r.take(uint64(n))
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(string(p), 64)
	if err != nil {
		return 0, ErrFormat
	}
	return f, nil
}
