package bitcmd

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// naive helpers: one bit at a time, the definitions the word-at-a-time
// code must agree with.
func naiveCount(p []byte, lo, hi int64) int64 {
	var n int64
	for i := lo; i <= hi; i++ {
		if bitAt(p, i) {
			n++
		}
	}
	return n
}

func naiveFind(p []byte, lo, hi int64, bit bool) int64 {
	for i := lo; i <= hi; i++ {
		if bitAt(p, i) == bit {
			return i
		}
	}
	return -1
}

// randomBitmap mixes runs of zero and 0xff bytes with random ones, so the
// word skipping of bitpos meets both.
func randomBitmap(r *rand.Rand, n int) []byte {
	p := make([]byte, n)
	for i := 0; i < n; {
		run := 1 + r.IntN(20)
		fill := []int{0, 0xff, -1}[r.IntN(3)]
		for ; run > 0 && i < n; run, i = run-1, i+1 {
			if fill < 0 {
				p[i] = byte(r.Uint32())
			} else {
				p[i] = byte(fill)
			}
		}
	}
	return p
}

func TestBits_CountAndFindAgreeWithNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		p := randomBitmap(r, 1+r.IntN(90))
		n := int64(len(p)) * 8
		lo := r.Int64N(n)
		hi := lo + r.Int64N(n-lo)
		if got, want := countBits(p, lo, hi), naiveCount(p, lo, hi); got != want {
			t.Fatalf("countBits(%x, %d, %d) = %d, want %d", p, lo, hi, got, want)
		}
		for _, bit := range []bool{false, true} {
			if got, want := findBit(p, lo, hi, bit), naiveFind(p, lo, hi, bit); got != want {
				t.Fatalf("findBit(%x, %d, %d, %v) = %d, want %d", p, lo, hi, bit, got, want)
			}
		}
		if got, want := popcount(p), naiveCount(p, 0, n-1); got != want {
			t.Fatalf("popcount(%x) = %d, want %d", p, got, want)
		}
	}
}

func TestBits_BitposEnds(t *testing.T) {
	for _, c := range []struct {
		p    []byte
		bit  bool
		want int64
	}{
		{[]byte{}, true, -1}, {[]byte{}, false, 0},
		{make([]byte, 17), true, -1}, {make([]byte, 17), false, 0},
		{[]byte{0xff, 0xff, 0xff}, false, 24}, {[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, false, 64},
		{append(make([]byte, 16), 0x01), true, 16*8 + 7},
	} {
		if got := bitpos(c.p, c.bit); got != c.want {
			t.Errorf("bitpos(%x, %v) = %d, want %d", c.p, c.bit, got, c.want)
		}
	}
}

func TestBits_FieldsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		bits := 1 + r.IntN(64)
		off := r.Int64N(100)
		p := randomBitmap(r, 30)
		before := append([]byte(nil), p...)
		v := r.Uint64() & fieldMask(bits)
		setField(p, off, bits, v)
		if got := getField(p, off, bits); got != v {
			t.Fatalf("bits %d at %d: wrote %x, read %x", bits, off, v, got)
		}
		for i := int64(0); i < int64(len(p))*8; i++ {
			if (i < off || i >= off+int64(bits)) && bitAt(p, i) != bitAt(before, i) {
				t.Fatalf("bits %d at %d: bit %d outside the field changed", bits, off, i)
			}
		}
	}
	if got := getField([]byte{0xab}, 4, 12); got != 0xb00 {
		t.Fatalf("read past the end: %x, want b00", got)
	}
}

// TestBits_OverflowAgainstBigInt checks the overflow rules against exact
// arithmetic: no overflow exactly when the sum fits; WRAP keeps the sum
// modulo 2^bits; SAT stores the limit crossed.
func TestBits_OverflowAgainstBigInt(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	edge := func(bits int, signed bool) int64 {
		vals := []int64{0, 1, -1, 1<<62 + r.Int64N(1<<62), -(1 << 63), 1<<63 - 1, int64(r.Uint64())}
		if bits < 64 {
			vals = append(vals, int64(fieldMask(bits)), int64(fieldMask(bits-1)), -int64(fieldMask(bits-1))-1)
		}
		return vals[r.IntN(len(vals))] + r.Int64N(3) - 1
	}
	for range 20000 {
		bits, signed := 1+r.IntN(64), r.IntN(2) == 0
		if !signed && bits == 64 {
			bits = 63
		}
		lo, hi := big.NewInt(0), new(big.Int).SetUint64(fieldMask(bits))
		if signed {
			lo = big.NewInt(-int64(fieldMask(bits-1)) - 1)
			hi = big.NewInt(int64(fieldMask(bits - 1)))
		}
		incr := edge(bits, signed)
		var value, sum *big.Int
		var limit int64
		var dir int
		if signed {
			v := signExtend(uint64(edge(bits, signed)), bits)
			value = big.NewInt(v)
			limit, dir = signedOverflow(v, incr, bits, overflowWrap)
			sat, _ := signedOverflow(v, incr, bits, overflowSat)
			checkSat(t, dir, sat, lo, hi)
		} else {
			v := uint64(edge(bits, signed)) & fieldMask(bits)
			value = new(big.Int).SetUint64(v)
			var ul uint64
			ul, dir = unsignedOverflow(v, incr, bits, overflowWrap)
			limit = int64(ul)
			sat, _ := unsignedOverflow(v, incr, bits, overflowSat)
			checkSat(t, dir, int64(sat), lo, hi)
		}
		sum = new(big.Int).Add(value, big.NewInt(incr))
		want := 0
		switch {
		case sum.Cmp(hi) > 0:
			want = 1
		case sum.Cmp(lo) < 0:
			want = -1
		}
		if dir != want {
			t.Fatalf("signed %v bits %d: %v + %d: dir %d, want %d", signed, bits, value, incr, dir, want)
		}
		if dir != 0 {
			span := new(big.Int).Lsh(big.NewInt(1), uint(bits))
			wrapped := new(big.Int).Sub(sum, lo)
			wrapped.Mod(wrapped, span).Add(wrapped, lo)
			got := big.NewInt(limit)
			if !signed {
				got.SetUint64(uint64(limit))
			}
			if got.Cmp(wrapped) != 0 {
				t.Fatalf("signed %v bits %d: %v + %d wraps to %v, want %v", signed, bits, value, incr, got, wrapped)
			}
		}
	}
}

func checkSat(t *testing.T, dir int, sat int64, lo, hi *big.Int) {
	t.Helper()
	switch {
	case dir > 0 && hi.Cmp(big.NewInt(sat)) != 0 && new(big.Int).SetUint64(uint64(sat)).Cmp(hi) != 0:
		t.Fatalf("SAT above: %d, want %v", sat, hi)
	case dir < 0 && lo.Cmp(big.NewInt(sat)) != 0:
		t.Fatalf("SAT below: %d, want %v", sat, lo)
	}
}

// naiveBitop is BITOP's definition one bit at a time: count the sources
// that have the bit (a short source has zeros past its end) and decide.
func naiveBitop(op bitOp, srcs [][]byte, n int) []byte {
	bitAt := func(p []byte, i int64) bool { return i/8 < int64(len(p)) && p[i/8]&(0x80>>(i%8)) != 0 }
	res := make([]byte, n)
	for i := int64(0); i < int64(n)*8; i++ {
		first, others := bitAt(srcs[0], i), 0
		for _, s := range srcs[1:] {
			if bitAt(s, i) {
				others++
			}
		}
		all := others
		if first {
			all++
		}
		var set bool
		switch op {
		case opAnd:
			set = all == len(srcs)
		case opOr:
			set = all > 0
		case opXor:
			set = all%2 == 1
		case opNot:
			set = !first
		case opDiff:
			set = first && others == 0
		case opDiff1:
			set = !first && others > 0
		case opAndOr:
			set = first && others > 0
		case opOne:
			set = all == 1
		}
		if set {
			res[i/8] |= 0x80 >> (i % 8)
		}
	}
	return res
}

func TestBitopComputeMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for op := opAnd; op <= opOne; op++ {
		for trial := 0; trial < 200; trial++ {
			k := 1 + r.IntN(5)
			if op == opNot {
				k = 1
			}
			srcs := make([][]byte, k)
			n := 0
			for i := range srcs {
				srcs[i] = randomBitmap(r, r.IntN(40))
				n = max(n, len(srcs[i]))
			}
			got, want := bitopCompute(op, srcs, n), naiveBitop(op, srcs, n)
			if string(got) != string(want) {
				t.Fatalf("%s over %x: got %x, want %x", bitOpNames[op], srcs, got, want)
			}
		}
	}
}

func TestParseBitOpNames(t *testing.T) {
	for i, name := range bitOpNames {
		for _, spelled := range []string{name, strings.ToLower(name)} {
			if op, ok := parseBitOp([]byte(spelled)); !ok || op != bitOp(i) {
				t.Errorf("parseBitOp(%q) = %v, %v", spelled, op, ok)
			}
		}
	}
	if _, ok := parseBitOp([]byte("NAND")); ok {
		t.Error("NAND parsed")
	}
}
