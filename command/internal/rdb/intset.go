package rdb

import (
	"encoding/binary"
	"math"
	"strconv"
)

// Intset returns the intset blob of vs (sorted ascending, distinct): the
// element width (2, 4 or 8 bytes: the narrowest that holds them all), the
// count, then the elements, all little endian.
func Intset(vs []int64) []byte {
	width := 2
	for _, v := range vs {
		switch {
		case v < math.MinInt32 || v > math.MaxInt32:
			width = 8
		case (v < math.MinInt16 || v > math.MaxInt16) && width < 4:
			width = 4
		}
	}
	b := make([]byte, 0, 8+width*len(vs))
	b = binary.LittleEndian.AppendUint32(b, uint32(width))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vs)))
	for _, v := range vs {
		switch width {
		case 2:
			b = binary.LittleEndian.AppendUint16(b, uint16(v))
		case 4:
			b = binary.LittleEndian.AppendUint32(b, uint32(v))
		default:
			b = binary.LittleEndian.AppendUint64(b, uint64(v))
		}
	}
	return b
}

// ParseIntset validates an intset blob (a known width, a length that
// matches, strictly ascending elements) and returns its members as text.
func ParseIntset(p []byte) ([][]byte, error) {
	if len(p) < 8 {
		return nil, ErrFormat
	}
	width := binary.LittleEndian.Uint32(p)
	n := uint64(binary.LittleEndian.Uint32(p[4:]))
	if (width != 2 && width != 4 && width != 8) || uint64(len(p)-8) != n*uint64(width) {
		return nil, ErrFormat
	}
	out := make([][]byte, 0, n)
	var prev int64
	for i := 0; i < int(n); i++ {
		q := p[8+i*int(width):]
		var v int64
		switch width {
		case 2:
			v = int64(int16(binary.LittleEndian.Uint16(q)))
		case 4:
			v = int64(int32(binary.LittleEndian.Uint32(q)))
		default:
			v = int64(binary.LittleEndian.Uint64(q))
		}
		if i > 0 && v <= prev {
			return nil, ErrFormat
		}
		prev = v
		out = append(out, strconv.AppendInt(nil, v, 10))
	}
	return out, nil
}
