package rdb

import (
	"encoding/binary"
	"strconv"
)

// Listpack encodings (listpack.c).
const (
	lpHeaderSize = 6
	lpEOF        = 0xff
	lp13bitInt   = 0xc0
	lp12bitStr   = 0xe0
	lp16bitInt   = 0xf1
	lp24bitInt   = 0xf2
	lp32bitInt   = 0xf3
	lp64bitInt   = 0xf4
	lp32bitStr   = 0xf0
)

// Listpack builds a listpack blob as lpAppend does: elements that are
// canonical integers are stored as integers.
type Listpack struct {
	b []byte
	n int
}

// NewListpack returns an empty listpack.
func NewListpack() *Listpack {
	return &Listpack{b: make([]byte, lpHeaderSize, 64)}
}

// Append adds one element at the tail.
func (lp *Listpack) Append(s []byte) {
	start := len(lp.b)
	if v, ok := ParseInt(s); ok {
		lp.b = appendLpInt(lp.b, v)
	} else {
		lp.b = appendLpStr(lp.b, s)
	}
	lp.b = appendBacklen(lp.b, uint64(len(lp.b)-start))
	lp.n++
}

// Size returns the bytes of the blob as Bytes will return it.
func (lp *Listpack) Size() int { return len(lp.b) + 1 }

// Len returns the number of elements.
func (lp *Listpack) Len() int { return lp.n }

// Bytes returns the finished blob: header, entries and the end byte.
func (lp *Listpack) Bytes() []byte {
	out := append(append([]byte(nil), lp.b...), lpEOF)
	binary.LittleEndian.PutUint32(out, uint32(len(out)))
	binary.LittleEndian.PutUint16(out[4:], uint16(min(lp.n, 65535)))
	return out
}

func appendLpInt(b []byte, v int64) []byte {
	switch {
	case v >= 0 && v <= 127:
		return append(b, byte(v))
	case v >= -4096 && v <= 4095:
		u := uint64(v) & (1<<13 - 1)
		return append(b, byte(u>>8)|lp13bitInt, byte(u))
	case v >= -32768 && v <= 32767:
		return binary.LittleEndian.AppendUint16(append(b, lp16bitInt), uint16(v))
	case v >= -8388608 && v <= 8388607:
		u := uint32(v)
		return append(b, lp24bitInt, byte(u), byte(u>>8), byte(u>>16))
	case v >= -2147483648 && v <= 2147483647:
		return binary.LittleEndian.AppendUint32(append(b, lp32bitInt), uint32(v))
	}
	return binary.LittleEndian.AppendUint64(append(b, lp64bitInt), uint64(v))
}

func appendLpStr(b, s []byte) []byte {
	switch n := len(s); {
	case n < 64:
		b = append(b, 0x80|byte(n))
	case n < 4096:
		b = append(b, lp12bitStr|byte(n>>8), byte(n))
	default:
		b = binary.LittleEndian.AppendUint32(append(b, lp32bitStr), uint32(n))
	}
	return append(b, s...)
}

// appendBacklen is lpEncodeBacklen: the entry's length, 7 bits a byte,
// most significant first, every byte but the first with its high bit set.
func appendBacklen(b []byte, l uint64) []byte {
	var n int
	switch {
	case l <= 127:
		return append(b, byte(l))
	case l < 16383:
		n = 2
	case l < 2097151:
		n = 3
	case l < 268435455:
		n = 4
	default:
		n = 5
	}
	for i := n - 1; i >= 0; i-- {
		c := byte(l>>(7*i)) & 127
		if i < n-1 {
			c |= 128
		}
		b = append(b, c)
	}
	return b
}

// ParseListpack validates a listpack blob (header, every entry and its
// backlen, the end byte, the element count) and returns its elements.
func ParseListpack(p []byte) ([][]byte, error) {
	if len(p) < lpHeaderSize+1 || binary.LittleEndian.Uint32(p) != uint32(len(p)) || p[len(p)-1] != lpEOF {
		return nil, ErrFormat
	}
	count := int(binary.LittleEndian.Uint16(p[4:]))
	var out [][]byte
	for pos := lpHeaderSize; pos < len(p)-1; {
		v, size, err := lpEntry(p[pos : len(p)-1])
		if err != nil {
			return nil, err
		}
		bl := appendBacklen(nil, uint64(size))
		end := pos + size + len(bl)
		if end > len(p)-1 || string(p[pos+size:end]) != string(bl) {
			return nil, ErrFormat
		}
		out = append(out, v)
		pos = end
	}
	if count != 65535 && count != len(out) {
		return nil, ErrFormat
	}
	return out, nil
}

// lpEntry decodes the entry at the start of p: its value and the bytes of
// its encoding and data (without the backlen).
func lpEntry(p []byte) ([]byte, int, error) {
	c := p[0]
	var v int64
	var size int
	switch {
	case c < 0x80:
		return strconv.AppendInt(nil, int64(c), 10), 1, nil
	case c < 0xc0:
		return lpStr(p, 1, int(c&0x3f))
	case c < 0xe0:
		if len(p) < 2 {
			return nil, 0, ErrFormat
		}
		u := int64(c&0x1f)<<8 | int64(p[1])
		if u >= 1<<12 {
			u -= 1 << 13
		}
		return strconv.AppendInt(nil, u, 10), 2, nil
	case c < lp32bitStr:
		if len(p) < 2 {
			return nil, 0, ErrFormat
		}
		return lpStr(p, 2, int(c&0x0f)<<8|int(p[1]))
	case c == lp32bitStr:
		if len(p) < 5 {
			return nil, 0, ErrFormat
		}
		n := binary.LittleEndian.Uint32(p[1:])
		if uint64(n) > uint64(len(p)) {
			return nil, 0, ErrFormat
		}
		return lpStr(p, 5, int(n))
	case c >= lp16bitInt && c <= lp64bitInt:
		size = []int{3, 4, 5, 9}[c-lp16bitInt]
		if len(p) < size {
			return nil, 0, ErrFormat
		}
		var u uint64
		for i := size - 1; i >= 1; i-- {
			u = u<<8 | uint64(p[i])
		}
		bits := uint(8 * (size - 1))
		v = int64(u<<(64-bits)) >> (64 - bits) // sign-extend
		return strconv.AppendInt(nil, v, 10), size, nil
	}
	return nil, 0, ErrFormat
}

func lpStr(p []byte, hdr, n int) ([]byte, int, error) {
	if hdr+n > len(p) {
		return nil, 0, ErrFormat
	}
	return append([]byte(nil), p[hdr:hdr+n]...), hdr + n, nil
}
