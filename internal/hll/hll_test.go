package hll

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// add adds ele in an edit of its own.
func add(b, ele []byte, sparseMax int) ([]byte, int) {
	e := Edit(b, sparseMax)
	r := e.Add(ele)
	return e.Bytes(), r
}

// set raises one register in an edit of its own.
func set(b []byte, index int, count uint8, sparseMax int) ([]byte, int) {
	e := Edit(b, sparseMax)
	r := e.Set(index, count)
	return e.Bytes(), r
}

// TestAdd_GoldenSparse: PFADD h a b c on redis-server 7.0.15 stores these
// bytes (GET h), PFCOUNT answers 3 and caches it, and PFDEBUG DECODE reads
// the opcodes below.
func TestAdd_GoldenSparse(t *testing.T) {
	b := New()
	if want := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"; string(b) != want {
		t.Fatalf("New() = %q, want %q", b, want)
	}
	for _, e := range []string{"a", "b", "c"} {
		var r int
		if b, r = add(b, []byte(e), DefaultSparseMaxBytes); r != 1 {
			t.Fatalf("Add(%q) = %d, want 1", e, r)
		}
	}
	want := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80`\xf3\x80P\xb1\x84K\xfb\x80BZ"
	if string(b) != want {
		t.Fatalf("after a b c: %q, want %q", b, want)
	}
	if _, r := add(b, []byte("a"), DefaultSparseMaxBytes); r != 0 {
		t.Fatalf("re-adding a changed a register")
	}
	card, ok := Count(b)
	if !ok || card != 3 {
		t.Fatalf("Count = %d %v, want 3 true", card, ok)
	}
	if got, want := Decode(b), "Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603"; got != want {
		t.Fatalf("Decode = %q, want %q", got, want)
	}
	SetCached(b, card)
	if c, valid := Cached(b); !valid || c != 3 || !bytes.Equal(b[8:16], []byte{3, 0, 0, 0, 0, 0, 0, 0}) {
		t.Fatalf("cache %d %v %q", c, valid, b[8:16])
	}
}

// TestDense_PutGet: every register, the last one included (its bits end in
// the last byte), keeps its value without disturbing its neighbours.
func TestDense_PutGet(t *testing.T) {
	r := make([]byte, DenseSize-HeaderSize)
	for i := 0; i < Registers; i++ {
		densePut(r, i, uint8(i*7%64))
	}
	for i := 0; i < Registers; i++ {
		if got := denseGet(r, i); got != uint8(i*7%64) {
			t.Fatalf("register %d = %d, want %d", i, got, i*7%64)
		}
	}
	densePut(r, Registers-1, 63)
	if r[len(r)-1] != 0xfc|byte(((Registers-2)*7%64)>>4) || denseGet(r, Registers-2) != uint8((Registers-2)*7%64) {
		t.Fatalf("last byte %08b", r[len(r)-1])
	}
	var h histogram
	h.dense(r)
	if h[63] != Registers/64+1 { // i*7 = 63 (mod 64) for 1 in 64, plus the last
		t.Fatalf("histogram of 63 = %d", h[63])
	}
}

// TestSparse_PromotesLargeValue: a register above 32 cannot be sparse, so
// the value turns dense with the header (and its cache) kept.
func TestSparse_PromotesLargeValue(t *testing.T) {
	b, _ := add(New(), []byte("x"), DefaultSparseMaxBytes)
	SetCached(b, 1)
	b, r := set(b, 100, 33, DefaultSparseMaxBytes)
	if r != 1 || len(b) != DenseSize || b[4] != Dense {
		t.Fatalf("r=%d len=%d enc=%d", r, len(b), b[4])
	}
	if c, ok := Cached(b); !ok || c != 1 {
		t.Fatalf("cache after promotion %d %v", c, ok)
	}
	regs := RegisterValues(b)
	ix, count := patLen([]byte("x"))
	if regs[100] != 33 || regs[ix] != count {
		t.Fatalf("registers %d %d", regs[100], regs[ix])
	}
	if _, r := set(b, 100, 20, DefaultSparseMaxBytes); r != 0 {
		t.Fatal("lowering a register changed it")
	}
}

// TestSparse_SizePromotion: with a 0-byte limit the first split promotes;
// the dense value holds the same registers as a sparse one without limit.
func TestSparse_SizePromotion(t *testing.T) {
	small, big := New(), New()
	for i := 0; i < 500; i++ {
		e := []byte{byte(i), byte(i >> 8), 'k'}
		small, _ = add(small, e, 0)
		big, _ = add(big, e, 1<<30)
	}
	if small[4] != Dense || big[4] != Sparse {
		t.Fatalf("encodings %d %d", small[4], big[4])
	}
	converted, ok := ToDense(big)
	Invalidate(small) // as PFADD does after a change; sparse edits already did
	if !ok || !bytes.Equal(converted, small) {
		t.Fatal("ToDense of the sparse value differs from the value promoted while adding")
	}
	a, _ := Count(small)
	b, _ := Count(big)
	if a != b || a < 450 || a > 550 {
		t.Fatalf("counts %d %d", a, b)
	}
}

// TestCorrupt: sparse bodies that do not cover exactly 16384 registers are
// reported by Count, ToDense and MergeInto; an XZERO cut by the end reads
// its missing byte as 0. Expectations from redis-server 7.0.15 (Debian's,
// with the fix of CVE-2025-32023): PFCOUNT of the key with a stale cache,
// PFCOUNT of it and a missing key, PFDEBUG DECODE, PFADD key a.
func TestCorrupt(t *testing.T) {
	hdr := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	cases := []struct {
		name      string
		body      string
		count     bool // Count accepts it
		merge     bool // MergeInto accepts it
		decoded   string
		addResult int // Add of "a" (register 11745): 1, 0 or -1
	}{
		{"empty body", "", false, false, "", -1},
		{"short", "\x7f\xfe", false, false, "Z:16383", 1},
		{"extra tail", "\x7f\xffhello", false, false, "Z:16384 Z:10342 Z:11373 Z:12033", 1},
		{"cut xzero", "\x7f\x00\x7f", false, false, "Z:16129 Z:16129", 1},
		{"val past end", "\x7f\xff\x80", false, false, "Z:16384 v:1,1", 1},
	}
	for _, c := range cases {
		b := []byte(hdr + c.body)
		if _, ok := Count(b); ok != c.count {
			t.Errorf("%s: Count ok=%v", c.name, ok)
		}
		var regs [Registers]uint8
		if ok := MergeInto(&regs, b); ok != c.merge {
			t.Errorf("%s: MergeInto ok=%v", c.name, ok)
		}
		if got := Decode(b); got != c.decoded {
			t.Errorf("%s: Decode %q, want %q", c.name, got, c.decoded)
		}
		if _, r := add(append([]byte(nil), b...), []byte("a"), DefaultSparseMaxBytes); r != c.addResult {
			t.Errorf("%s: Add = %d, want %d", c.name, r, c.addResult)
		}
	}
}

// TestSelfTest runs PFSELFTEST's checks.
func TestSelfTest(t *testing.T) {
	if testing.Short() {
		t.Skip("10^7 additions")
	}
	r := rand.New(rand.NewPCG(1, 2))
	if msg := SelfTest(DefaultSparseMaxBytes, r.Uint32); msg != "" {
		t.Fatal(msg)
	}
}

// FuzzSparse feeds arbitrary sparse bodies to every reader and editor: no
// panic, and edits keep the header.
func FuzzSparse(f *testing.F) {
	f.Add([]byte("\x7f\xff"), []byte("a"))
	f.Add([]byte("\x7f\x00\x7f"), []byte(""))
	f.Add([]byte("\x80\x81\x82\x7f\xfa"), []byte("zz"))
	f.Fuzz(func(t *testing.T, body, ele []byte) {
		b := append([]byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), body...)
		Count(b)
		Decode(b)
		var regs [Registers]uint8
		MergeInto(&regs, b)
		ToDense(b)
		for _, limit := range []int{0, 64, DefaultSparseMaxBytes} {
			out, _ := add(append([]byte(nil), b...), ele, limit)
			if string(out[:4]) != "HYLL" {
				t.Fatalf("header lost: %q", out)
			}
		}
	})
}
