package resp

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// fuzzLimits picks the limits for one fuzz input: Redis's defaults, or small
// ones that short inputs can reach.
func fuzzLimits(seed uint64) Limits {
	if seed%4 == 0 {
		return DefaultLimits()
	}
	l := Limits{
		MaxBulk:         int64(seed >> 8 % 40),
		MaxInline:       1 + int(seed>>16%40),
		MaxMultibulk:    int64(seed >> 24 % 12),
		UnauthMultibulk: int64(seed >> 32 % 4),
		UnauthBulk:      int64(seed >> 36 % 16),
		MaxQuery:        1 << 20,
	}
	if seed%8 == 3 {
		l.MaxQuery = int64(seed >> 40 % 64)
	}
	return l
}

// FuzzScanner: arbitrary bytes in arbitrary pieces never panic; the frames
// (checked canonical by run) and the final error do not depend on the
// pieces; and scanning allocates at most about twice the input.
func FuzzScanner(f *testing.F) {
	for _, c := range scanCases() {
		if len(c.in) <= 4096 {
			f.Add([]byte(c.in), uint64(len(c.in)))
		}
	}
	f.Fuzz(func(t *testing.T, in []byte, seed uint64) {
		lim := fuzzLimits(seed)
		auth := seed&4 == 0
		whole, werr := run(t, lim, in, auth, nil)
		r := rand.New(rand.NewPCG(seed, 1))
		maxChunk := 1 + int(seed>>48%64)
		parts, perr := run(t, lim, in, auth, func() int { return 1 + r.IntN(maxChunk) })
		w, p := fmt.Sprint(whole), fmt.Sprint(parts)
		switch {
		case perr == ErrQueryBufferLimit:
			// A line or argument bigger than MaxQuery passes when it arrives
			// in one buffer but not in pieces; Redis depends on its reads the
			// same way. Whatever came before must agree.
			if len(parts) > len(whole) || p != fmt.Sprint(whole[:len(parts)]) {
				t.Fatalf("pieces: %v, %v; whole: %v, %v", parts, perr, whole, werr)
			}
		case w != p || !sameErr(werr, perr):
			t.Fatalf("pieces: %v, %v; whole: %v, %v", parts, perr, whole, werr)
		}
		checkAllocBound(t, lim, in, auth)
	})
}

// checkAllocBound scans in once more, measuring heap allocation. Inline
// scratch is bounded by MaxInline (≤ 64 KiB line → ≤ 32 Ki arguments), so
// the constant covers it.
func checkAllocBound(t *testing.T, lim Limits, in []byte, auth bool) {
	buf := append([]byte(nil), in...)
	s := NewScanner(lim)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for len(buf) > 0 {
		f, err := s.Scan(buf, auth)
		if err != nil || f.Kind == NeedMore {
			break
		}
		buf = buf[f.N:]
	}
	runtime.ReadMemStats(&after)
	const slack = 1<<20 + 64<<10
	if got := after.TotalAlloc - before.TotalAlloc; got > uint64(2*len(in)+slack) {
		t.Fatalf("scanning %d bytes allocated %d bytes", len(in), got)
	}
}
