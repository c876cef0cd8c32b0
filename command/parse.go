package command

import (
	"math"
	"strconv"
	"strings"
)

// ParseInt is Redis's string2ll: a canonical signed 64-bit decimal (no
// sign '+', no leading zeros, no spaces, "-0" rejected).
func ParseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := b[0] == '-'
	digits := b
	if neg {
		digits = b[1:]
	}
	if len(digits) == 0 || digits[0] < '1' || digits[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, ch := range digits {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		d := uint64(ch - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// IntArg parses an integer argument with Redis's error text.
func IntArg(b []byte) (int64, error) {
	n, ok := ParseInt(b)
	if !ok {
		return 0, ErrNotInteger
	}
	return n, nil
}

// Eq reports whether an argument equals an option name, ignoring case.
func Eq(arg []byte, opt string) bool {
	if len(arg) != len(opt) {
		return false
	}
	for i := 0; i < len(arg); i++ {
		c := arg[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != opt[i] {
			return false
		}
	}
	return true
}

// Int32Arg is Redis's getIntFromObjectOrReply without a custom message.
func Int32Arg(b []byte) (int64, error) {
	n, ok := ParseInt(b)
	if !ok {
		return 0, ErrNotInteger
	}
	if n != int64(int32(n)) {
		return 0, Error("ERR value is out of range, value must between -2147483648 and 2147483647")
	}
	return n, nil
}

// IntPair parses two integer arguments (a start and an end), failing at the
// first bad one with Redis's error text.
func IntPair(a, b []byte) (int64, int64, error) {
	x, err := IntArg(a)
	if err != nil {
		return 0, 0, err
	}
	y, err := IntArg(b)
	return x, y, err
}

// OptionalCount parses the optional count at args[at] of SPOP, LPOP/RPOP
// and ZPOPMIN/ZPOPMAX (Redis's getPositiveLongFromObjectOrReply); -1 when
// it is absent.
func OptionalCount(args [][]byte, at int) (int64, error) {
	if len(args) <= at {
		return -1, nil
	}
	n, ok := ParseInt(args[at])
	if !ok || n < 0 {
		return 0, errNegativeCount
	}
	return n, nil
}

func BoolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func BoolN(b bool) int {
	if b {
		return 1
	}
	return 0
}

// NumkeysPositions returns the key positions of a "numkeys key [key ...]"
// command whose numkeys is at index at; a bad numkeys gives none (the
// handler reports the error).
func NumkeysPositions(args [][]byte, at int) []int {
	if at >= len(args) {
		return nil
	}
	n, ok := ParseInt(args[at])
	if !ok || n <= 0 || n > int64(len(args)-at-1) {
		return nil
	}
	pos := make([]int, n)
	for i := range pos {
		pos[i] = at + 1 + i
	}
	return pos
}

// Strtod parses b the way C's strtod does when the whole text must be
// consumed: leading whitespace is skipped, an empty text is 0. erange
// reports an overflow (±inf) or underflow (0 or a subnormal).
func Strtod(b []byte) (v float64, ok, erange bool) {
	t := strings.TrimLeft(string(b), " \t\n\v\f\r")
	if t == "" {
		return 0, len(b) == 0, false
	}
	if strings.ContainsAny(t, "_") {
		return 0, false, false
	}
	body := strings.TrimLeft(t, "+-")
	if len(t)-len(body) > 1 {
		return 0, false, false
	}
	lower := strings.ToLower(body)
	if strings.HasPrefix(lower, "0x") && !strings.Contains(lower, "p") {
		t += "p0" // C allows a hex float without a binary exponent
	}
	if strings.HasPrefix(lower, "nan") {
		return math.NaN(), lower == "nan", false
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, isNum := err.(*strconv.NumError); isNum && ne.Err == strconv.ErrRange {
			return v, true, true
		}
		return 0, false, false
	}
	if (v == 0 || math.Abs(v) < 0x1p-1022) && hasNonZeroMantissa(lower) {
		return v, true, true // underflow
	}
	return v, true, false
}

// ParseScore is Redis's getDoubleFromObject: no leading space, the whole
// text, no NaN, no overflow or underflow to zero.
func ParseScore(b []byte) (float64, bool) {
	if len(b) == 0 || strings.ContainsRune(" \t\n\v\f\r", rune(b[0])) {
		return 0, false
	}
	v, ok, erange := Strtod(b)
	if !ok || math.IsNaN(v) || (erange && (math.IsInf(v, 0) || v == 0)) {
		return 0, false
	}
	return v, true
}

// RankSpan normalises start..end (negative from the end) against n as
// Redis does; ok is false for an empty span.
func RankSpan(start, end int64, n int) (lo, hi int, ok bool) {
	ln := int64(n)
	if start < 0 {
		start += ln
	}
	if end < 0 {
		end += ln
	}
	start = max(start, 0)
	if start > end || start >= ln {
		return 0, 0, false
	}
	return int(start), int(min(end, ln-1)), true
}

// hasNonZeroMantissa reports whether a number's mantissa has a non-zero
// digit (so a zero result is an underflow, not a literal zero).
func hasNonZeroMantissa(s string) bool {
	hex := strings.HasPrefix(s, "0x")
	if hex {
		s = s[2:]
	}
	for _, ch := range s {
		switch {
		case ch == 'p' || (!hex && ch == 'e'):
			return false
		case ch >= '1' && ch <= '9', hex && ch >= 'a' && ch <= 'f':
			return true
		}
	}
	return false
}
