package hll

// Dense registers: 6 bits each, packed from the least significant bit of
// each byte onwards (HLL_DENSE_GET_REGISTER / HLL_DENSE_SET_REGISTER). Redis
// reads one byte past the last register's byte (the sds terminator, always
// 0); here that byte is simply absent.

// denseGet returns register i of the packed registers r.
func denseGet(r []byte, i int) uint8 {
	at, fb := i*regBits/8, uint(i*regBits&7)
	b0 := uint(r[at])
	var b1 uint
	if at+1 < len(r) {
		b1 = uint(r[at+1])
	}
	return uint8((b0>>fb | b1<<(8-fb)) & regMax)
}

// densePut stores v (at most 63) in register i of r.
func densePut(r []byte, i int, v uint8) {
	at, fb := i*regBits/8, uint(i*regBits&7)
	r[at] &^= byte(regMax << fb)
	r[at] |= byte(uint(v) << fb)
	if at+1 < len(r) {
		r[at+1] &^= byte(regMax >> (8 - fb))
		r[at+1] |= byte(uint(v) >> (8 - fb))
	}
}

// denseSet is hllDenseSet: raise register i to count; 1 when it changed.
func denseSet(r []byte, i int, count uint8) int {
	if count <= denseGet(r, i) {
		return 0
	}
	densePut(r, i, count)
	return 1
}

// dense adds the packed registers r to the histogram, 16 registers (12
// bytes) at a time as hllDenseRegHisto.
func (h *histogram) dense(r []byte) {
	for ; len(r) >= 12; r = r[12:] {
		for k := 0; k < 12; k += 3 {
			b0, b1, b2 := r[k], r[k+1], r[k+2]
			h[b0&63]++
			h[(b0>>6|b1<<2)&63]++
			h[(b1>>4|b2<<4)&63]++
			h[b2>>2]++
		}
	}
}

// RegisterValues returns the 16384 register values of a valid dense HLL (PFDEBUG
// GETREG).
func RegisterValues(b []byte) []uint8 {
	out := make([]uint8, Registers)
	for i := range out {
		out[i] = denseGet(b[HeaderSize:], i)
	}
	return out
}

// MergeInto raises regs[i] to register i of the valid HLL b for every i
// (hllMerge). It returns false, possibly having raised some, when a sparse
// body does not cover exactly 16384 registers: a VAL past the last register
// is refused, as Redis refuses it since the fix of CVE-2025-32023.
func MergeInto(regs *[Registers]uint8, b []byte) bool {
	if b[4] == Dense {
		r := b[HeaderSize:]
		for i := range regs {
			regs[i] = max(regs[i], denseGet(r, i))
		}
		return true
	}
	i, overflow := 0, false
	eachOp(b[HeaderSize:], 0, func(run int, val uint8) bool {
		if val == 0 {
			i += run
			return true
		}
		if overflow = i+run > Registers; overflow {
			return false
		}
		for ; run > 0; run-- {
			regs[i] = max(regs[i], val)
			i++
		}
		return true
	})
	return !overflow && i == Registers
}
