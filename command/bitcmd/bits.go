package bitcmd

import (
	"encoding/binary"
	"math/bits"
)

// popcount returns the number of set bits in p, a 64-bit word at a time.
func popcount(p []byte) int64 {
	var n int
	for len(p) >= 32 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(p)) +
			bits.OnesCount64(binary.LittleEndian.Uint64(p[8:])) +
			bits.OnesCount64(binary.LittleEndian.Uint64(p[16:])) +
			bits.OnesCount64(binary.LittleEndian.Uint64(p[24:]))
		p = p[32:]
	}
	for len(p) >= 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(p))
		p = p[8:]
	}
	for _, b := range p {
		n += bits.OnesCount8(b)
	}
	return int64(n)
}

// bitpos is Redis's redisBitpos: the position of the first bit equal to
// bit in p, bit 0 being the most significant bit of p[0]. Looking for a 0
// in a string of ones answers len(p)*8, as if the string went on with zero
// bytes; looking for a 1 in a string of zeros answers -1.
func bitpos(p []byte, bit bool) int64 {
	var skip uint64 // the word to skip: all zeros for a 1, all ones for a 0
	if !bit {
		skip = ^uint64(0)
	}
	i := 0
	for ; i+8 <= len(p); i += 8 {
		if w := binary.BigEndian.Uint64(p[i:]); w != skip {
			return int64(i)*8 + firstBit(w, bit)
		}
	}
	var tail [8]byte
	copy(tail[:], p[i:])
	w := binary.BigEndian.Uint64(tail[:])
	if bit && w == 0 {
		return -1
	}
	return int64(i)*8 + firstBit(w, bit)
}

// firstBit returns the index, from the most significant end, of the first
// bit of w equal to bit; w must hold one.
func firstBit(w uint64, bit bool) int64 {
	if !bit {
		w = ^w
	}
	return int64(bits.LeadingZeros64(w))
}

// countBits returns the number of set bits among bits lo..hi (inclusive)
// of p, which must hold them.
func countBits(p []byte, lo, hi int64) int64 {
	first, last := lo>>3, hi>>3
	n := popcount(p[first : last+1])
	n -= int64(bits.OnesCount8(p[first] &^ (0xFF >> (lo & 7))))     // bits before lo
	n -= int64(bits.OnesCount8(p[last] & (0xFF >> ((hi & 7) + 1)))) // bits after hi
	return n
}

// findBit returns the position of the first bit equal to bit among bits
// lo..hi (inclusive) of p, which must hold them, or -1.
func findBit(p []byte, lo, hi int64, bit bool) int64 {
	for ; lo <= hi && lo&7 != 0; lo++ {
		if bitAt(p, lo) == bit {
			return lo
		}
	}
	if whole := (hi + 1) >> 3; lo>>3 < whole { // bytes entirely inside the range
		span := p[lo>>3 : whole]
		if pos := bitpos(span, bit); pos != -1 && pos < int64(len(span))*8 {
			return lo + pos
		}
		lo = whole * 8
	}
	for ; lo <= hi; lo++ {
		if bitAt(p, lo) == bit {
			return lo
		}
	}
	return -1
}

// bitAt reports bit i of p, bit 0 being the most significant of p[0].
func bitAt(p []byte, i int64) bool { return p[i>>3]&(0x80>>(i&7)) != 0 }

// clampRange is the index arithmetic BITCOUNT and BITPOS share: negative
// indexes count from the end of n units, and the range is clamped to
// 0..n-1. The result is empty when start > end.
func clampRange(start, end, n int64) (int64, int64) {
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	if end >= n {
		end = n - 1
	}
	return start, end
}
