package hll

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/larder-db/larder/internal/oracle"
	"github.com/larder-db/larder/internal/testseed"
)

// randomElement draws elements of every length class MurmurHash64A treats
// differently (empty, tails of 1-7 bytes, whole words), binary included.
func randomElement(r *rand.Rand) string {
	b := make([]byte, r.IntN(20))
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return string(b)
}

// pfadd applies PFADD's rules to v (nil: no key): create, add each element,
// mark the cache stale when anything changed. It returns the new value and
// PFADD's reply.
func pfadd(t *testing.T, v []byte, elems []string, sparseMax int) ([]byte, int) {
	t.Helper()
	updated := 0
	if v == nil {
		v, updated = New(), 1
	}
	ed := Edit(v, sparseMax)
	for _, e := range elems {
		r := ed.Add([]byte(e))
		if r < 0 {
			t.Fatalf("Add(%q) reported a corrupted value", e)
		}
		updated += r
	}
	v = ed.Bytes()
	if updated > 0 {
		Invalidate(v)
	}
	return v, min(updated, 1)
}

// pfcount applies single-key PFCOUNT's rules: the cached count, or a fresh
// estimate that is then cached.
func pfcount(t *testing.T, v []byte) uint64 {
	t.Helper()
	if card, ok := Cached(v); ok {
		return card
	}
	card, ok := Count(v)
	if !ok {
		t.Fatal("Count reported a corrupted value")
	}
	SetCached(v, card)
	return card
}

// TestAdd_MatchesRedis adds random batches of elements to one key in
// redis-server and to a value here, under several hll-sparse-max-bytes
// settings, and compares PFADD's reply, the stored bytes (GET) after every
// batch — sparse, through promotion, dense — and PFCOUNT with its cache.
func TestAdd_MatchesRedis(t *testing.T) {
	rc := oracle.Start(t)
	r := rand.New(rand.NewPCG(testseed.Seed(t), 1))
	for _, sparseMax := range []int{DefaultSparseMaxBytes, 0, 40, 300, 12000} {
		rc.MustDo(t, "CONFIG", "SET", "hll-sparse-max-bytes", strconv.Itoa(sparseMax))
		rc.MustDo(t, "DEL", "h")
		var v []byte
		total := 0
		for total < 6000 {
			n := r.IntN(150)
			if r.IntN(4) == 0 {
				n = r.IntN(3)
			}
			elems := make([]string, n)
			for i := range elems {
				elems[i] = randomElement(r)
			}
			total += n
			var reply int
			v, reply = pfadd(t, v, elems, sparseMax)
			if got := rc.MustDo(t, append([]string{"PFADD", "h"}, elems...)...); got.Str != strconv.Itoa(reply) {
				t.Fatalf("max %d, %d elements: PFADD redis %+v, here %d", sparseMax, total, got, reply)
			}
			compareValue(t, rc, v, sparseMax, total)
			if r.IntN(3) == 0 {
				card := pfcount(t, v)
				if got := rc.MustDo(t, "PFCOUNT", "h"); got.Str != strconv.FormatUint(card, 10) {
					t.Fatalf("max %d, %d elements: PFCOUNT redis %s, here %d", sparseMax, total, got.Str, card)
				}
				compareValue(t, rc, v, sparseMax, total)
			}
		}
	}
}

func compareValue(t *testing.T, rc *oracle.Redis, v []byte, sparseMax, total int) {
	t.Helper()
	got := rc.MustDo(t, "GET", "h")
	if got.Str == string(v) {
		return
	}
	at := 0
	for at < len(v) && at < len(got.Str) && got.Str[at] == v[at] {
		at++
	}
	t.Fatalf("max %d, %d elements: values differ at byte %d (redis %d bytes, here %d)\nredis %q\nhere  %q",
		sparseMax, total, at, len(got.Str), len(v), got.Str[max(0, at-8):min(len(got.Str), at+16)], v[max(0, at-8):min(len(v), at+16)])
}

// TestCount_MatchesRedis compares the estimate with Redis's across the
// estimator's range, up to 300000 distinct elements of a dense HLL.
func TestCount_MatchesRedis(t *testing.T) {
	rc := oracle.Start(t)
	var v []byte
	next := 0
	for step := 0; next < 300000; step++ {
		n := 1 + step*step/4
		elems := make([]string, n)
		for i := range elems {
			elems[i] = "e" + strconv.Itoa(next)
			next++
		}
		v, _ = pfadd(t, v, elems, DefaultSparseMaxBytes)
		rc.MustDo(t, append([]string{"PFADD", "h"}, elems...)...)
		card := pfcount(t, v)
		if got := rc.MustDo(t, "PFCOUNT", "h"); got.Str != strconv.FormatUint(card, 10) {
			t.Fatalf("%d elements: PFCOUNT redis %s, here %d", next, got.Str, card)
		}
	}
	compareValue(t, rc, v, DefaultSparseMaxBytes, next)
}

// corruptBody returns a sparse body that is often invalid: a valid one
// with bytes changed, cut or appended, or random bytes.
func corruptBody(r *rand.Rand) []byte {
	if r.IntN(4) == 0 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return b
	}
	v := New()
	for i := r.IntN(40); i > 0; i-- {
		v, _ = add(v, []byte(randomElement(r)), DefaultSparseMaxBytes)
	}
	body := v[HeaderSize:]
	switch r.IntN(3) {
	case 0:
		for i := 1 + r.IntN(2); i > 0; i-- {
			body[r.IntN(len(body))] = byte(r.IntN(256))
		}
	case 1:
		body = body[:r.IntN(len(body))]
	default:
		body = append(body, byte(r.IntN(256)), byte(r.IntN(256)))[:len(body)+1+r.IntN(2)]
	}
	return body
}

// TestCorrupt_MatchesRedis stores corrupted sparse values in redis-server
// and compares how each reader and editor treats them: PFCOUNT of the key
// alone (Count) and with a missing key (MergeInto), PFDEBUG TODENSE
// (ToDense) and DECODE, and PFADD (Add), with the bytes left behind.
func TestCorrupt_MatchesRedis(t *testing.T) {
	rc := oracle.Start(t)
	r := rand.New(rand.NewPCG(testseed.Seed(t), 2))
	hdr := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"
	for n := 0; n < 400; n++ {
		v := []byte(hdr + string(corruptBody(r)))
		var elems []string
		set := func() { rc.MustDo(t, "SET", "c", string(v)) }
		want := func(what string, got oracle.Reply, here string) {
			t.Helper()
			s := got.Str
			if got.Err != "" {
				s = "-" + got.Err
			}
			if s != here {
				t.Fatalf("value %q: %s: redis %q, here %q (elements %q)", v, what, s, here, elems)
			}
		}
		const invalid = "-INVALIDOBJ Corrupted HLL object detected"
		set()
		card, ok := Count(v)
		want("PFCOUNT", rc.MustDo(t, "PFCOUNT", "c"), pick(ok, strconv.FormatUint(card, 10), invalid))
		if ok {
			SetCached(v, card) // PFCOUNT cached it
		}
		var regs [Registers]uint8
		ok = MergeInto(&regs, v)
		want("PFCOUNT 2 keys", rc.MustDo(t, "PFCOUNT", "c", "none"), pick(ok, strconv.FormatUint(CountRegisters(&regs), 10), invalid))
		want("DECODE", rc.MustDo(t, "PFDEBUG", "DECODE", "c"), Decode(v))
		d, ok := ToDense(append([]byte(nil), v...))
		want("TODENSE", rc.MustDo(t, "PFDEBUG", "TODENSE", "c"), pick(ok, "1", invalid))
		want("GET after TODENSE", rc.MustDo(t, "GET", "c"), string(pick(ok, d, v)))
		v[15] |= 0x80
		set()
		elems = []string{randomElement(r), randomElement(r), randomElement(r)}
		ed, reply := Edit(append([]byte(nil), v...), DefaultSparseMaxBytes), "0"
		for _, e := range elems {
			res := ed.Add([]byte(e))
			if res < 0 {
				reply = invalid
				break
			}
			if res > 0 {
				reply = "1"
			}
		}
		after := ed.Bytes()
		want("PFADD", rc.MustDo(t, append([]string{"PFADD", "c"}, elems...)...), reply)
		want("GET after PFADD", rc.MustDo(t, "GET", "c"), string(after))
	}
}

func pick[T any](ok bool, a, b T) T {
	if ok {
		return a
	}
	return b
}
