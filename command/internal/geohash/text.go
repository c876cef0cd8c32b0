package geohash

import (
	"math"
	"strconv"
	"strings"
)

const alphabet = "0123456789bcdefghjkmnpqrstuvwxyz"

// Standard is the 11-character geohash GEOHASH replies for a score: the
// point decoded and re-encoded over the standard ranges (latitude ±90,
// where scores use ±85.05…), 52 bits in base 32 and a final '0'.
func Standard(score float64) string {
	lon, lat := DecodeScore(score)
	h, _ := Encode(Range{-180, 180}, Range{-90, 90}, lon, lat, StepMax)
	var buf [11]byte
	for i := range 10 {
		buf[i] = alphabet[(h.Bits>>(52-(i+1)*5))&0x1f]
	}
	buf[10] = alphabet[0]
	return string(buf[:])
}

// Distance4 is Redis's addReplyDoubleDistance text (fixedpoint_d2string
// with 4 decimals): d×10⁴ rounded half to even as llrint does, then
// written with a point before the last four digits.
func Distance4(d float64) string {
	if d == 0 {
		return "0.0000"
	}
	r := math.RoundToEven(d * 10000)
	v := int64(math.MinInt64) // llrint's result for NaN and out of range
	if r >= -two63 && r < two63 {
		v = int64(r)
	}
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	for len(digits) < 5 {
		digits = "0" + digits
	}
	s := digits[:len(digits)-4] + "." + digits[len(digits)-4:]
	if neg {
		s = "-" + s
	}
	return s
}

// Coordinate is Redis's addReplyHumanLongDouble text of a coordinate:
// "%.17Lf" of the double, trailing zeros and point dropped, "-0" as "0".
// Coordinates are finite.
func Coordinate(f float64) string {
	s := strings.TrimRight(strconv.FormatFloat(f, 'f', 17, 64), "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" {
		return "0"
	}
	return s
}
