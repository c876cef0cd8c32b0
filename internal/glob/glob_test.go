package glob

import (
	"bytes"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/larder-db/larder/internal/oracle"
	"github.com/larder-db/larder/internal/testseed"
)

// refMatch is a direct transliteration of Redis 7.0.15's stringmatchlen_impl
// (util.c, with the CVE-2022-36021 skipLongerMatches and the CVE-2024-31228
// nesting limit that Debian backports), used as the oracle for Match.
// steps counts loop iterations; once it passes limit the result is invalid
// and ok reports false.
type refMatch struct {
	nocase bool
	skip   bool
	steps  int
	limit  int
}

func (r *refMatch) match(p, s []byte) (matched, ok bool) {
	m := r.impl(p, s, 0)
	return m, r.steps <= r.limit
}

// at mimics reading the NUL-terminated sds one byte past the end.
func refAt(p []byte, i int) int {
	if i < len(p) {
		return int(int8(p[i]))
	}
	return 0
}

func (r *refMatch) impl(p, s []byte, nesting int) bool {
	if nesting > 1000 {
		return false
	}
	for len(p) > 0 && len(s) > 0 {
		if r.steps++; r.steps > r.limit {
			return false
		}
		// Each case leaves p on the token's last byte, like the C code does
		// before its common pattern++.
		switch p[0] {
		case '*':
			for len(p) > 0 && refAt(p, 1) == '*' {
				p = p[1:]
			}
			if len(p) == 1 {
				return true
			}
			for len(s) > 0 {
				if r.impl(p[1:], s, nesting+1) {
					return true
				}
				if r.skip || r.steps > r.limit {
					return false
				}
				s = s[1:]
			}
			r.skip = true
			return false
		case '?':
			s = s[1:]
		case '[':
			var ok bool
			if p, ok = r.class(p, s[0]); !ok {
				return false
			}
			s = s[1:]
		default:
			if p[0] == '\\' && len(p) >= 2 {
				p = p[1:]
			}
			if !r.eq(p[0], s[0]) {
				return false
			}
			s = s[1:]
		}
		p = p[1:]
		if len(s) == 0 {
			for refAt(p, 0) == '*' {
				p = p[1:]
			}
			break
		}
	}
	return len(p) == 0 && len(s) == 0
}

// class matches the class starting at p[0] == '[' and returns p positioned
// on the class's last byte. i indexes p so that the C code's pattern-- (back
// onto the last byte of an unterminated class) is just i--.
func (r *refMatch) class(p []byte, c byte) ([]byte, bool) {
	i := 1
	not := refAt(p, i) == '^'
	if not {
		i++
	}
	match := false
	for {
		rem := len(p) - i
		switch {
		case refAt(p, i) == '\\' && rem >= 2:
			i++
			if p[i] == c {
				match = true
			}
		case refAt(p, i) == ']':
			return p[i:], match != not
		case rem == 0:
			return p[i-1:], match != not
		case rem >= 3 && p[i+1] == '-':
			start, end, v := int(int8(p[i])), int(int8(p[i+2])), int(int8(c))
			if start > end {
				start, end = end, start
			}
			if r.nocase {
				start, end, v = cTolower(start), cTolower(end), cTolower(v)
			}
			i += 2
			if v >= start && v <= end {
				match = true
			}
		default:
			if r.eq(p[i], c) {
				match = true
			}
		}
		i++
	}
}

func (r *refMatch) eq(a, b byte) bool {
	if !r.nocase {
		return a == b
	}
	return cTolower(int(int8(a))) == cTolower(int(int8(b)))
}

// cTolower is glibc's C-locale tolower over the range of a signed char
// (checked with a C program: tolower(-128) == 128, tolower(-1) == -1).
func cTolower(v int) int {
	if v >= 'A' && v <= 'Z' {
		return v + 32
	}
	if v < -1 {
		return v + 256
	}
	return v
}

func refGlob(p, s []byte, nocase bool, limit int) (matched, ok bool) {
	r := &refMatch{nocase: nocase, limit: limit}
	return r.match(p, s)
}

func TestGlobMatch_Cases(t *testing.T) {
	tests := []struct {
		name, pattern, s string
		nocase, want     bool
	}{
		{"empty both", "", "", false, true},
		{"star vs empty", "*", "", false, false},
		{"empty pattern", "", "a", false, false},
		{"star", "*", "abc", false, true},
		{"stars", "***", "abc", false, true},
		{"prefix", "ab*", "abc", false, true},
		{"prefix exact", "ab*", "ab", false, true},
		{"suffix", "*bc", "abc", false, true},
		{"middle", "a*c", "abbbc", false, true},
		{"middle miss", "a*c", "abbbd", false, false},
		{"question", "a?c", "abc", false, true},
		{"question short", "a?", "a", false, false},
		{"class", "h[ae]llo", "hallo", false, true},
		{"class miss", "h[ae]llo", "hillo", false, false},
		{"negated", "h[^e]llo", "hallo", false, true},
		{"negated miss", "h[^e]llo", "hello", false, false},
		{"range", "h[a-b]llo", "hbllo", false, true},
		{"reversed range", "h[b-a]llo", "hallo", false, true},
		{"escaped star", "a\\*", "a*", false, true},
		{"escaped star miss", "a\\*", "ab", false, false},
		{"trailing backslash", "a\\", "a\\", false, true},
		{"escape in class", "[\\]]", "]", false, true},
		{"escape in class nocase", "[\\A]", "a", true, false},
		{"unterminated class", "[abc", "b", false, true},
		{"unterminated lone", "[", "[", false, false},
		{"unterminated negated", "[^", "x", false, true},
		{"empty class", "[]", "]", false, false},
		{"empty negated class", "[^]", "x", false, true},
		{"range to bracket", "[a-]x", "b", false, false},
		{"nocase literal", "HeLLo", "hello", true, true},
		{"nocase class", "[A-C]", "b", true, true},
		{"nocase range folds bounds", "[A-z]", "_", true, false},
		{"case range", "[A-z]", "_", false, true},
		{"signed range", "[a-\xff]", "\x10", false, true},
		{"signed range high", "[a-\xff]", "\x80", false, false},
		{"star then class", "*[0-9]", "abc7", false, true},
		{"nul byte", "a\x00*", "a\x00b", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Match([]byte(tc.pattern), []byte(tc.s), tc.nocase)
			if got != tc.want {
				t.Errorf("Match(%q, %q, %v) = %v, want %v", tc.pattern, tc.s, tc.nocase, got, tc.want)
			}
			ref, ok := refGlob([]byte(tc.pattern), []byte(tc.s), tc.nocase, 1<<20)
			if !ok || ref != tc.want {
				t.Errorf("reference(%q, %q) = %v (ok %v), want %v", tc.pattern, tc.s, ref, ok, tc.want)
			}
		})
	}
}

// globAlphabet favours metacharacters, case pairs and signed-char edges.
var globAlphabet = []byte("ab*?[]^-\\Aa*Bz\x00\x7f\x80\xff!")

func randGlobBytes(r *rand.Rand, alphabet []byte, maxLen int) []byte {
	n := r.IntN(maxLen + 1)
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return b
}

func TestGlobMatch_Differential(t *testing.T) {
	r := rand.New(rand.NewPCG(testseed.Seed(t), 1))
	strAlphabet := []byte("abAB]-^\\*?[\x00\x7f\x80\xff_z")
	n := 200000
	if testing.Short() {
		n = 20000
	}
	for i := 0; i < n; i++ {
		p := randGlobBytes(r, globAlphabet, 12)
		s := randGlobBytes(r, strAlphabet, 10)
		nocase := r.IntN(2) == 0
		want, ok := refGlob(p, s, nocase, 1<<20)
		if !ok {
			t.Fatalf("reference ran out of steps on %q %q", p, s)
		}
		got, exhausted := globMatchBudget(p, s, nocase, 1<<20)
		if exhausted || got != want {
			t.Fatalf("globMatch(%q, %q, nocase=%v) = %v (exhausted %v), reference %v", p, s, nocase, got, exhausted, want)
		}
	}
}

func TestGlobMatch_Pathological(t *testing.T) {
	// CVE-2022-36021 shape: many '*' that each almost match.
	p := []byte(strings.Repeat("a*", 500) + "b")
	s := bytes.Repeat([]byte("a"), 20000)
	matched, used := globRun(p, s, false, 1<<40)
	if matched {
		t.Fatal("matched")
	}
	if bound := (len(p) + 2) * (len(s) + 2); used > bound {
		t.Fatalf("used %d steps, bound %d", used, bound)
	}
	// The worst case for a single backtrack point is a long almost-matching
	// tail after the last '*': quadratic, so the cap stops it.
	p = []byte("*" + strings.Repeat("a", 2000) + "b")
	s = bytes.Repeat([]byte("a"), 200000)
	if _, exhausted := globMatchBudget(p, s, false, MaxSteps); !exhausted {
		t.Fatal("expected the budget to run out")
	}
	if Match(p, s, false) {
		t.Fatal("matched")
	}
}

func TestGlobMatch_NestingLimit(t *testing.T) {
	s := bytes.Repeat([]byte("a"), 1100)
	for _, tc := range []struct {
		stars int
		tail  string
		want  bool
	}{
		{1000, "a", true},  // 1000 non-trailing stars: allowed
		{1001, "a", false}, // the 1001st nests too deep
		{1001, "", true},   // a trailing star never recurses
	} {
		p := []byte(strings.Repeat("a*", tc.stars) + tc.tail)
		if got := Match(p, s, false); got != tc.want {
			t.Errorf("%d stars + %q: got %v want %v", tc.stars, tc.tail, got, tc.want)
		}
		if ref, ok := refGlob(p, s, false, 1<<24); !ok || ref != tc.want {
			t.Errorf("%d stars + %q: reference %v (ok %v) want %v", tc.stars, tc.tail, ref, ok, tc.want)
		}
	}
}

func TestGlobMatch_Budget(t *testing.T) {
	p, s := []byte("*a*a*b"), bytes.Repeat([]byte("a"), 100)
	if m, ex := globMatchBudget(p, s, false, 10); m || !ex {
		t.Fatalf("budget 10: matched %v exhausted %v", m, ex)
	}
	if m, ex := globMatchBudget(p, s, false, 1<<20); m || ex {
		t.Fatalf("budget 1M: matched %v exhausted %v", m, ex)
	}
}

// globCompatKeys is the keyspace for the redis-server comparison: case
// pairs, metacharacters, signed-char edges and the empty key.
var globCompatKeys = []string{
	"", "a", "A", "ab", "aB", "abc", "abC", "hello", "hallo", "hxllo", "hllo",
	"heeeello", "h*llo", "h?llo", "h[a]llo", "x]", "x-", "x^", "x\\", "\\", "[",
	"]", "-", "^", "*", "?", "\x00", "a\x00b", "\x7f", "\x80", "\xfe", "\xff",
	"a\xff", "user:1", "user:12", "user:123", "User:1", "_", "Z", "z", "0", "9",
	"foo.bar", "foo bar", strings.Repeat("a", 60), strings.Repeat("a", 59) + "b",
	strings.Repeat("a", 1100), // long enough to reach the 1001st '*'
}

var globCompatPatterns = []string{
	"*", "**", "a*", "*a", "a?", "?", "??", "h?llo", "h*llo", "h[ae]llo",
	"h[^e]llo", "h[a-b]llo", "h[b-a]llo", "h\\*llo", "h\\?llo", "*\\", "\\\\",
	"x\\", "x[\\]]", "x[]]", "x[]", "x[^]", "[", "[^", "[a", "[ab", "[a-",
	"[a-]", "[\\", "x[\\", "[a-\xff]", "[\xff-a]", "[\x80-\xff]", "[\x00-\x7f]",
	"[A-z]", "[Z-a]", "*[0-9]", "user:?", "user:*", "user:[12]*", "[uU]ser:*",
	"\x00", "a\x00*", "*\x00*", strings.Repeat("a*", 30) + "b", "[^a-z]",
	"[-a]", "[a-b-c]", "x[\\-]", "[]a]", "[^]a]", "foo?bar", "*o*a*",
	strings.Repeat("*a", 1000), strings.Repeat("*a", 1001),
	strings.Repeat("a*", 1000) + "a", strings.Repeat("a*", 1001) + "a",
	strings.Repeat("a*", 1001),
}

func TestCompat_Glob(t *testing.T) {
	rc := oracle.Start(t)
	for _, k := range globCompatKeys {
		rc.MustDo(t, "SET", k, "1")
	}
	r := rand.New(rand.NewPCG(testseed.Seed(t), 2))
	patterns := append([]string(nil), globCompatPatterns...)
	for i := 0; i < 300; i++ {
		patterns = append(patterns, string(randGlobBytes(r, []byte("ahxAZ_*?[]^-\\\x00\xff"), 8)))
	}
	for _, p := range patterns {
		reply := rc.MustDo(t, "KEYS", p)
		got := reply.Array
		var want []string
		for _, k := range globCompatKeys {
			// Redis's KEYS skips matching for a lone "*" (keysCommand's allkeys).
			if p == "*" || Match([]byte(p), []byte(k), false) {
				want = append(want, k)
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, "\x01|") != strings.Join(want, "\x01|") {
			t.Errorf("KEYS %.200q: redis %.200q, larder %.200q", p, got, want)
		}
	}
}

func BenchmarkGlobMatch(b *testing.B) {
	cases := []struct{ name, p, s string }{
		{"literal", "user:1234:profile", "user:1234:profile"},
		{"prefix", "user:*", "user:1234:profile"},
		{"classes", "user:[0-9][0-9]*:pro?ile", "user:1234:profile"},
		{"pathological", strings.Repeat("a*", 20) + "b", strings.Repeat("a", 200)},
	}
	for _, c := range cases {
		p, s := []byte(c.p), []byte(c.s)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Match(p, s, false)
			}
		})
	}
}
