package bitcmd

import "math"

// Integers of 1 to 64 bits at any bit offset of a string, most significant
// bit first (bit 0 is the top bit of byte 0), as SETBIT numbers bits: the
// layout of Redis's getUnsignedBitfield and setUnsignedBitfield.

// getField returns the bits bits at offset of p as an unsigned integer;
// bytes past the end of p read as zero.
func getField(p []byte, offset int64, bits int) uint64 {
	var v uint64
	for i := int64(0); i < int64(bits); i++ {
		pos := offset + i
		v <<= 1
		if pos>>3 < int64(len(p)) && p[pos>>3]&(0x80>>(pos&7)) != 0 {
			v |= 1
		}
	}
	return v
}

// setField stores the low bits bits of v at offset of p, which must hold
// them.
func setField(p []byte, offset int64, bits int, v uint64) {
	for i := 0; i < bits; i++ {
		pos := offset + int64(i)
		mask := byte(0x80) >> (pos & 7)
		if v&(1<<(bits-1-i)) != 0 {
			p[pos>>3] |= mask
		} else {
			p[pos>>3] &^= mask
		}
	}
}

// fieldMask has the low bits bits set.
func fieldMask(bits int) uint64 {
	if bits == 64 {
		return math.MaxUint64
	}
	return 1<<bits - 1
}

// signExtend reads the low bits bits of raw as a two's complement integer;
// the bits above them do not matter.
func signExtend(raw uint64, bits int) int64 {
	if bits == 64 {
		return int64(raw)
	}
	if raw&(1<<(bits-1)) != 0 {
		return int64(raw | ^fieldMask(bits))
	}
	return int64(raw & fieldMask(bits))
}

// unsignedOverflow is Redis's checkUnsignedBitfieldOverflow: whether value
// plus incr leaves the range of a bits-bit unsigned integer (1 above, -1
// below, 0 not), and for WRAP and SAT the value to store instead.
func unsignedOverflow(value uint64, incr int64, bits int, overflow int) (uint64, int) {
	maxv := fieldMask(bits)
	maxIncr := int64(maxv - value)
	minIncr := -int64(value)
	dir := 0
	switch {
	case value > maxv || (incr > 0 && incr > maxIncr):
		dir = 1
	case incr < 0 && incr < minIncr:
		dir = -1
	default:
		return 0, 0
	}
	switch overflow {
	case overflowWrap:
		return (value + uint64(incr)) & maxv, dir
	case overflowSat:
		if dir > 0 {
			return maxv, dir
		}
		return 0, dir
	}
	return 0, dir
}

// signedOverflow is Redis's checkSignedBitfieldOverflow, for a bits-bit
// two's complement integer. WRAP keeps the low bits of the sum, sign
// extended; SAT stores the limit crossed.
func signedOverflow(value, incr int64, bits int, overflow int) (int64, int) {
	maxv := int64(fieldMask(bits - 1))
	minv := -maxv - 1
	maxIncr := int64(uint64(maxv) - uint64(value)) // wraps as Redis's does; read only in range
	minIncr := minv - value
	dir := 0
	switch {
	case value > maxv || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr):
		dir = 1
	case value < minv || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr):
		dir = -1
	default:
		return 0, 0
	}
	switch overflow {
	case overflowWrap:
		return signExtend(uint64(value)+uint64(incr), bits), dir
	case overflowSat:
		if dir > 0 {
			return maxv, dir
		}
		return minv, dir
	}
	return 0, dir
}
