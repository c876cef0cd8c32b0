package hll

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Geometry and encodings, Redis's HLL_* constants.
const (
	precision  = 14                      // HLL_P
	q          = 64 - precision          // HLL_Q: hash bits left for the zero run
	Registers  = 1 << precision          // HLL_REGISTERS
	regBits    = 6                       // HLL_BITS
	regMax     = 1<<regBits - 1          // HLL_REGISTER_MAX
	HeaderSize = 16                      // HLL_HDR_SIZE
	DenseSize  = HeaderSize + 12288      // HLL_DENSE_SIZE: 16384 registers of 6 bits
	seed       = 0xadc83b19              // MurmurHash64A seed of hllPatLen
	alphaInf   = 0.721347520444481703680 // HLL_ALPHA_INF, 0.5/ln(2)

	// Dense and Sparse are the values of the header's encoding byte.
	Dense  = 0
	Sparse = 1
)

// DefaultSparseMaxBytes is Redis's default hll-sparse-max-bytes: a sparse
// value that would grow past it (header included) is promoted to dense.
const DefaultSparseMaxBytes = 3000

// Valid reports whether b is a string Redis accepts as an HLL
// (isHLLObjectOrReply): a full header, the magic, a known encoding, and the
// exact length when dense. A sparse body is checked only when read.
func Valid(b []byte) bool {
	if len(b) < HeaderSize || string(b[:4]) != "HYLL" || b[4] > Sparse {
		return false
	}
	return b[4] != Dense || len(b) == DenseSize
}

// New returns an empty HLL as Redis creates one (createHLLObject): sparse,
// one XZERO opcode covering every register, the cached cardinality 0 and
// valid.
func New() []byte {
	b := make([]byte, HeaderSize+2)
	copy(b, "HYLL")
	b[4] = Sparse
	setXZero(b[HeaderSize:], Registers)
	return b
}

// IsSparse reports whether a valid HLL uses the sparse encoding.
func IsSparse(b []byte) bool { return b[4] == Sparse }

// Cached returns the cached cardinality and whether it is still valid.
func Cached(b []byte) (uint64, bool) {
	return binary.LittleEndian.Uint64(b[8:16]), b[15]&0x80 == 0
}

// SetCached stores card as the valid cached cardinality.
func SetCached(b []byte, card uint64) { binary.LittleEndian.PutUint64(b[8:16], card) }

// invalidate marks the cached cardinality stale (HLL_INVALIDATE_CACHE): only
// the flag bit is set, the other bytes keep the old count.
func invalidate(b []byte) { b[15] |= 0x80 }

// Invalidate marks b's cached cardinality stale, as PFMERGE does at its end.
func Invalidate(b []byte) { invalidate(b) }

// murmur64A is MurmurHash64A as Redis has it (endian-neutral: words are read
// little-endian).
func murmur64A(key []byte, seed uint64) uint64 {
	const m, r = 0xc6a4a7935bd1e995, 47
	h := seed ^ (uint64(len(key)) * m)
	n := len(key) &^ 7
	for i := 0; i < n; i += 8 {
		k := binary.LittleEndian.Uint64(key[i:])
		k *= m
		k ^= k >> r
		k *= m
		h ^= k
		h *= m
	}
	if tail := key[n:]; len(tail) > 0 {
		for i := len(tail) - 1; i >= 0; i-- {
			h ^= uint64(tail[i]) << (8 * i)
		}
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}

// patLen is hllPatLen: the register ele hashes to, and the length of the
// 000…1 pattern after the index bits (1 to q+1).
func patLen(ele []byte) (int, uint8) {
	h := murmur64A(ele, seed)
	index := int(h & (Registers - 1))
	h >>= precision
	h |= 1 << q // the run ends by bit q at the latest
	return index, uint8(bits.TrailingZeros64(h)) + 1
}

// Editor applies one command's edits to a valid HLL value: PFADD's
// elements, PFMERGE's registers. Besides the bytes it carries the byte that
// Redis's string holds just past them, which Redis reads as the second byte
// of an XZERO cut short by the end of a corrupted value: the terminator, 0,
// until a split of such an opcode writes over it. Larder keeps that byte
// for one command only; a later command reads 0 there, where Redis reads
// what the split left.
type Editor struct {
	b         []byte
	past      byte
	sparseMax int
}

// Edit starts editing b, which the edits may change in place; a sparse
// value is promoted to dense when a register would exceed 32 or the value
// would grow past sparseMax bytes (hll-sparse-max-bytes).
func Edit(b []byte, sparseMax int) Editor { return Editor{b: b, sparseMax: sparseMax} }

// Bytes returns the value: b edited in place, b grown, or a new dense
// slice after a promotion.
func (e *Editor) Bytes() []byte { return e.b }

// Add adds ele (hllAdd): 1 when a register changed, 0 when none did, -1
// when a sparse value is corrupted (earlier edits stay, as in Redis). A
// sparse edit marks the cached cardinality stale, as hllSparseSet does;
// otherwise the cache is the caller's.
func (e *Editor) Add(ele []byte) int {
	index, count := patLen(ele)
	return e.Set(index, count)
}

// Set raises register index to count if it is lower (hllDenseSet,
// hllSparseSet); results as Add.
func (e *Editor) Set(index int, count uint8) int {
	if e.b[4] == Dense {
		return denseSet(e.b[HeaderSize:], index, count)
	}
	return e.sparseSet(index, count)
}

// Count returns the estimated cardinality of the valid HLL b (hllCount),
// and false when a sparse body does not cover exactly 16384 registers.
func Count(b []byte) (uint64, bool) {
	var h histogram
	ok := true
	if b[4] == Dense {
		h.dense(b[HeaderSize:])
	} else {
		ok = h.sparse(b[HeaderSize:])
	}
	return h.estimate(), ok
}

// CountRegisters is hllCount of the internal raw encoding: one byte per
// register (PFCOUNT of several keys).
func CountRegisters(regs *[Registers]uint8) uint64 {
	var h histogram
	for _, v := range regs {
		h[v&63]++
	}
	return h.estimate()
}

// histogram counts registers by value. 64 slots hold any 6-bit value, as
// Redis sizes reghisto.
type histogram [64]int

// estimate is the cardinality estimate of Ertl's "New cardinality estimation
// algorithms for HyperLogLog sketches" as Redis 7.0 computes it. The
// float64 conversions keep each product rounded on its own (no fused
// multiply-add), as the C code compiles.
func (h *histogram) estimate() uint64 {
	m := float64(Registers)
	z := m * tau((m-float64(h[q+1]))/m)
	for j := q; j >= 1; j-- {
		z += float64(h[j])
		z *= 0.5
	}
	z += float64(m * sigma(float64(h[0])/m))
	return uint64(math.Round(alphaInf * m * m / z))
}

// sigma is hllSigma.
func sigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		prev := z
		z += float64(x * y)
		y += y
		if prev == z {
			return z
		}
	}
}

// tau is hllTau. The loop converges in a few dozen steps for x in [0, 1],
// the only inputs a histogram gives; the cap only guards against NaN.
func tau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for i := 0; i < 10000; i++ {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		d := 1 - x
		z -= float64(float64(d*d) * y)
		if prev == z {
			break
		}
	}
	return z / 3
}
