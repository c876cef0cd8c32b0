package hll

import (
	"slices"
	"strconv"
	"strings"
)

// Sparse opcodes (HLL_SPARSE_*): ZERO 00xxxxxx (1-64 zero registers), XZERO
// 01xxxxxx yyyyyyyy (1-16384 zero registers), VAL 1vvvvvxx (1-4 registers
// of value 1-32).
const (
	xzeroBit    = 0x40
	valBit      = 0x80
	valMaxValue = 32
	valMaxLen   = 4
	zeroMaxLen  = 64
)

func isZero(op byte) bool  { return op&0xc0 == 0 }
func isXZero(op byte) bool { return op&0xc0 == xzeroBit }
func isVal(op byte) bool   { return op&valBit != 0 }

func valValue(op byte) uint8 { return (op>>2)&0x1f + 1 }
func valLen(op byte) int     { return int(op&3) + 1 }

// valOp encodes a VAL opcode: n registers (1-4) of value v (1-32).
func valOp(v uint8, n int) byte { return byte(int(v-1)<<2|(n-1)) | valBit }

// setXZero writes an XZERO opcode of n registers at p[0:2].
func setXZero(p []byte, n int) {
	n--
	p[0] = byte(n>>8) | xzeroBit
	p[1] = byte(n)
}

// opAt decodes the opcode at s[p]: its run of registers, their value (0 for
// ZERO and XZERO) and its size in bytes. An XZERO cut short by the end of s
// reads its second byte from past, the byte Redis's string holds there (see
// Editor).
func opAt(s []byte, p int, past byte) (run int, val uint8, size int) {
	op := s[p]
	switch {
	case isZero(op):
		return int(op&0x3f) + 1, 0, 1
	case isXZero(op):
		lo := past
		if p+1 < len(s) {
			lo = s[p+1]
		}
		return (int(op&0x3f)<<8 | int(lo)) + 1, 0, 2
	}
	return valLen(op), valValue(op), 1
}

// eachOp calls fn with every opcode of a sparse body until it returns
// false; past is the byte after the body (see opAt).
func eachOp(body []byte, past byte, fn func(run int, val uint8) bool) {
	for p := 0; p < len(body); {
		run, val, size := opAt(body, p, past)
		if !fn(run, val) {
			return
		}
		p += size
	}
}

// sparse adds a sparse body to the histogram (hllSparseRegHisto); false
// when its runs do not add up to 16384 registers.
func (h *histogram) sparse(body []byte) bool {
	idx := 0
	eachOp(body, 0, func(run int, val uint8) bool {
		idx += run
		h[val] += run
		return true
	})
	return idx == Registers
}

// ToDense returns the dense form of a valid HLL (hllSparseToDense): b itself
// when already dense, else a new slice with b's header (the cached
// cardinality included) and its registers; false when the sparse body does
// not cover exactly 16384 registers (a VAL past the last one included, as
// Redis refuses it since the fix of CVE-2025-32023).
func ToDense(b []byte) ([]byte, bool) { return toDense(b, 0) }

// toDense is ToDense for a value followed by the byte past (see Editor).
func toDense(b []byte, past byte) ([]byte, bool) {
	if b[4] == Dense {
		return b, true
	}
	d := make([]byte, DenseSize)
	copy(d, b[:HeaderSize])
	d[4] = Dense
	r := d[HeaderSize:]
	idx, overflow := 0, false
	eachOp(b[HeaderSize:], past, func(run int, val uint8) bool {
		if val == 0 {
			idx += run
			return true
		}
		if overflow = idx+run > Registers; overflow {
			return false
		}
		for ; run > 0; run-- {
			densePut(r, idx, val)
			idx++
		}
		return true
	})
	if overflow || idx != Registers {
		return b, false
	}
	return d, true
}

// sparseSet is hllSparseSet: raise register index to count in the sparse
// value, editing the opcode that covers it in place, splitting it when
// needed, then merging equal neighbouring VALs. It promotes the value to
// dense when count exceeds 32 or the split would grow it past sparseMax
// bytes.
func (e *Editor) sparseSet(index int, count uint8) int {
	if count > valMaxValue {
		return e.promote(index, count)
	}
	b, end := e.b, len(e.b)
	p, first, prev := HeaderSize, 0, -1
	var run, size int
	var val uint8
	for p < end {
		run, val, size = opAt(b, p, e.past)
		if index <= first+run-1 {
			break
		}
		prev = p
		p += size
		first += run
	}
	if run == 0 || p >= end {
		return -1
	}
	next := p + size
	if next >= end {
		next = -1
	}
	op := b[p]
	switch {
	case isVal(op) && val >= count:
		return 0
	case isVal(op) && run == 1, isZero(op) && run == 1:
		b[p] = valOp(count, 1)
		e.mergeVals(prev)
		return 1
	}
	seq, n := split(op, index, first, first+run-1, count)
	delta := n - size
	if delta > 0 && end+delta > e.sparseMax {
		return e.promote(index, count)
	}
	e.splice(p, next, seq[:n], delta)
	e.mergeVals(prev)
	return 1
}

// split returns the opcodes replacing op (covering registers first..last)
// once register index is count: at most XZERO-VAL-XZERO, 5 bytes.
func split(op byte, index, first, last int, count uint8) ([5]byte, int) {
	var seq [5]byte
	n := 0
	run := func(l int) {
		switch {
		case isVal(op):
			seq[n] = valOp(valValue(op), l)
		case l > zeroMaxLen:
			setXZero(seq[n:], l)
			n++
		default:
			seq[n] = byte(l - 1)
		}
		n++
	}
	if index != first {
		run(index - first)
	}
	seq[n] = valOp(count, 1)
	n++
	if index != last {
		run(last - index)
	}
	return seq, n
}

// splice puts seq in place of the opcode at p, moving the opcodes from next
// (-1: none) by delta bytes, as Redis does on its string: memmove, the
// length changed by delta (which writes the terminator past the new end),
// then seq copied over. For an XZERO cut short by the end of the value the
// copy reaches one byte past the new end: that byte becomes e.past.
func (e *Editor) splice(p, next int, seq []byte, delta int) {
	b, end := e.b, len(e.b)
	n := end + delta
	b = slices.Grow(b, delta+1)[:n+1]
	if next >= 0 {
		copy(b[next+delta:], b[next:end])
	}
	b[n] = 0
	copy(b[p:], seq)
	e.b, e.past = b[:n], b[n]
}

// mergeVals merges adjacent VAL opcodes of equal value whose runs fit in one,
// scanning at most 5 opcodes from prev (the opcode before the edit, -1 for
// none), then marks the cached cardinality stale: step 4 of hllSparseSet. A
// merge shortens the value, and Redis's terminator lands past its end again.
func (e *Editor) mergeVals(prev int) {
	b := e.b
	p := prev
	if p < 0 {
		p = HeaderSize
	}
	end := len(b)
	for scan := 5; p < end && scan > 0; scan-- {
		op := b[p]
		if isXZero(op) {
			p += 2
			continue
		}
		if isZero(op) {
			p++
			continue
		}
		if p+1 < end && isVal(b[p+1]) && valValue(op) == valValue(b[p+1]) {
			if n := valLen(op) + valLen(b[p+1]); n <= valMaxLen {
				b[p+1] = valOp(valValue(op), n)
				copy(b[p:], b[p+1:end])
				end--
				b = b[:end]
				e.past = 0
				continue // the merged VAL may merge with the next one
			}
		}
		p++
	}
	invalidate(b)
	e.b = b
}

// promote converts the value to dense and sets the register there.
func (e *Editor) promote(index int, count uint8) int {
	d, ok := toDense(e.b, e.past)
	if !ok {
		return -1
	}
	e.b, e.past = d, 0
	return denseSet(d[HeaderSize:], index, count)
}

// Decode describes a sparse HLL's opcodes as PFDEBUG DECODE does:
// "z:<n>" for ZERO, "Z:<n>" for XZERO, "v:<value>,<n>" for VAL.
func Decode(b []byte) string {
	var sb strings.Builder
	for p := HeaderSize; p < len(b); {
		run, val, size := opAt(b, p, 0)
		switch {
		case isZero(b[p]):
			sb.WriteString("z:")
		case isXZero(b[p]):
			sb.WriteString("Z:")
		default:
			sb.WriteString("v:")
			sb.WriteString(strconv.Itoa(int(val)))
			sb.WriteByte(',')
		}
		sb.WriteString(strconv.Itoa(run))
		sb.WriteByte(' ')
		p += size
	}
	return strings.Trim(sb.String(), " ")
}
