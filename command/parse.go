package command

import (
	"math"
)

// parseInt is Redis's string2ll: a canonical signed 64-bit decimal (no
// sign '+', no leading zeros, no spaces, "-0" rejected).
func parseInt(b []byte) (int64, bool) {
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

// intArg parses an integer argument with Redis's error text.
func intArg(b []byte) (int64, error) {
	n, ok := parseInt(b)
	if !ok {
		return 0, errNotInteger
	}
	return n, nil
}

// eq reports whether an argument equals an option name, ignoring case.
func eq(arg []byte, opt string) bool {
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

// int32Arg is Redis's getIntFromObjectOrReply without a custom message.
func int32Arg(b []byte) (int64, error) {
	n, ok := parseInt(b)
	if !ok {
		return 0, errNotInteger
	}
	if n != int64(int32(n)) {
		return 0, Error("ERR value is out of range, value must between -2147483648 and 2147483647")
	}
	return n, nil
}

// intPair parses two integer arguments (a start and an end), failing at the
// first bad one with Redis's error text.
func intPair(a, b []byte) (int64, int64, error) {
	x, err := intArg(a)
	if err != nil {
		return 0, 0, err
	}
	y, err := intArg(b)
	return x, y, err
}

// optionalCount parses the optional count at args[at] of SPOP, LPOP/RPOP
// and ZPOPMIN/ZPOPMAX (Redis's getPositiveLongFromObjectOrReply); -1 when
// it is absent.
func optionalCount(args [][]byte, at int) (int64, error) {
	if len(args) <= at {
		return -1, nil
	}
	n, ok := parseInt(args[at])
	if !ok || n < 0 {
		return 0, errNegativeCount
	}
	return n, nil
}
