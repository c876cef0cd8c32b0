package rdb

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"strings"
)

// Length encodings (the two high bits of the first byte) and the special
// string encodings of RDB_ENCVAL.
const (
	len6     = 0
	len14    = 1
	len32    = 0x80
	len64    = 0x81
	encVal   = 3
	encInt8  = 0
	encInt16 = 1
	encInt32 = 2
	encLZF   = 3
)

// AppendLen appends Redis's rdbSaveLen encoding of n.
func AppendLen(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n))
	case n < 1<<14:
		return append(b, byte(n>>8)|len14<<6, byte(n))
	case n <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(append(b, len32), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, len64), n)
}

// AppendString appends s as rdbSaveRawString does: an integer encoding for
// canonical integers of at most 11 bytes that fit 32 bits, LZF for strings
// over 20 bytes when it saves space (rdbcompression yes), else length and
// bytes.
func AppendString(b, s []byte) []byte {
	if len(s) <= 11 {
		if enc, ok := intEncoding(b, s); ok {
			return enc
		}
	}
	if len(s) > 20 {
		if c := Compress(s, len(s)-4); c != nil {
			b = append(b, encVal<<6|encLZF)
			b = AppendLen(b, uint64(len(c)))
			b = AppendLen(b, uint64(len(s)))
			return append(b, c...)
		}
	}
	return append(AppendLen(b, uint64(len(s))), s...)
}

// intEncoding is rdbTryIntegerEncoding: s as RDB_ENC_INT8/16/32 when it is
// a canonical integer in 32 bits.
func intEncoding(b, s []byte) ([]byte, bool) {
	v, ok := ParseInt(s)
	switch {
	case !ok:
		return b, false
	case v >= math.MinInt8 && v <= math.MaxInt8:
		return append(b, encVal<<6|encInt8, byte(v)), true
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return binary.LittleEndian.AppendUint16(append(b, encVal<<6|encInt16), uint16(v)), true
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return binary.LittleEndian.AppendUint32(append(b, encVal<<6|encInt32), uint32(v)), true
	}
	return b, false
}

// ParseInt is Redis's string2ll round trip (and listpack's
// lpStringToInt64): s is a signed 64-bit integer written canonically, at
// most 20 bytes, no sign but '-', no leading zeros, not "-0".
func ParseInt(s []byte) (int64, bool) {
	if len(s) == 0 || len(s) > 20 || (s[0] == '0' && len(s) > 1) || s[0] == '+' {
		return 0, false
	}
	if len(s) > 1 && s[0] == '-' && s[1] == '0' {
		return 0, false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(string(s), 10, 64)
	return v, err == nil
}

// AppendBinaryDouble appends f as 8 bytes little endian (rdbSaveBinaryDoubleValue).
func AppendBinaryDouble(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}

// Strtod reads a listpack score as Redis's zzlStrtod does (strtod on at
// most 127 bytes): leading white space skipped, then the longest prefix
// that is a number; 0 when there is none.
func Strtod(b []byte) float64 {
	s := strings.TrimLeft(string(b[:min(len(b), 127)]), " \t\n\v\f\r")
	for n := len(s); n > 0; n-- {
		if f, err := strconv.ParseFloat(s[:n], 64); err == nil || isRange(err) {
			return f
		}
	}
	return 0
}

// isRange reports a ParseFloat overflow or underflow, which strtod answers
// with ±HUGE_VAL or 0 rather than fail.
func isRange(err error) bool {
	var ne *strconv.NumError
	return errors.As(err, &ne) && ne.Err == strconv.ErrRange
}
