package longdouble

import (
	"bufio"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/larder-db/larder/internal/oracle"
	"github.com/larder-db/larder/internal/testseed"
)

// ldCanon renders x like the golden generator's canon(): sign, 64-bit
// mantissa in hex and binary exponent, or ±0 / ±inf.
func ldCanon(x Value) string {
	sign := "+"
	if x.neg {
		sign = "-"
	}
	switch {
	case x.inf:
		return sign + "inf"
	case x.mant == 0:
		return sign + "0"
	}
	return fmt.Sprintf("%s0x%016xp%d", sign, x.mant, x.exp)
}

// unescapeVector decodes the \xHH escapes of vectors.txt.
func unescapeVector(t *testing.T, s string) []byte {
	t.Helper()
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			v, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				t.Fatalf("bad escape in %q", s)
			}
			out = append(out, byte(v))
			i += 3
			continue
		}
		out = append(out, s[i])
	}
	return out
}

// TestLongDouble_Vectors replays the golden vectors that a C program built
// from Redis 7.0.15's string2ld / long double addition / ld2string on x86-64
// glibc (see the header of testdata/vectors.txt).
func TestLongDouble_Vectors(t *testing.T) {
	f, err := os.Open("testdata/vectors.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }() // read-only
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	parsed, incrs := 0, 0
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || text[0] == '#' {
			continue
		}
		fields := strings.Split(text, "\t")
		switch fields[0] {
		case "p":
			checkParseVector(t, line, unescapeVector(t, fields[1]), fields[2])
			parsed++
		case "i":
			checkIncrVector(t, line, unescapeVector(t, fields[1]), unescapeVector(t, fields[2]), fields[3])
			incrs++
		default:
			t.Fatalf("line %d: unknown record %q", line, fields[0])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if parsed < 1000 || incrs < 1000 {
		t.Fatalf("only %d parse and %d incr vectors", parsed, incrs)
	}
}

func checkParseVector(t *testing.T, line int, in []byte, want string) {
	t.Helper()
	x, err := Parse(in)
	if want == "ERR" {
		if !errors.Is(err, ErrNotFloat) {
			t.Errorf("line %d: Parse(%.60q) = %s, want ErrNotFloat", line, in, ldCanon(x))
		}
		return
	}
	if err != nil {
		t.Errorf("line %d: Parse(%.60q): %v, want %.80s", line, in, err, want)
		return
	}
	got := ldCanon(x) + " " + x.String()
	if got != want {
		t.Errorf("line %d: Parse(%.60q) = %.80s, want %.80s", line, in, got, want)
	}
}

func checkIncrVector(t *testing.T, line int, cur, incr []byte, want string) {
	t.Helper()
	out, err := IncrByFloat(cur, true, incr)
	var got string
	switch {
	case errors.Is(err, ErrNotFloat):
		got = "ERR_NOTFLOAT"
	case errors.Is(err, ErrNaNOrInf):
		got = "ERR_NANINF"
	case err != nil:
		got = err.Error()
	default:
		got = string(out)
	}
	if got != want {
		t.Errorf("line %d: IncrByFloat(%.40q, %.40q) = %.80s, want %.80s", line, cur, incr, got, want)
	}
}

func TestIncrByFloat_Cases(t *testing.T) {
	tests := []struct {
		name      string
		cur       string
		exists    bool
		incr, out string
		err       error
	}{
		{"missing key", "", false, "10.5", "10.5", nil},
		{"issue example", "5000", true, "5.6", "5005.60000000000000009", nil},
		{"simple", "10.5", true, "0.1", "10.6", nil},
		{"exponents", "3.0e3", true, "2.0e3", "5000", nil},
		{"negative zero", "-0", true, "-0", "0", nil},
		{"tiny negative", "0", true, "-1e-20", "0", nil},
		{"empty value", "", true, "1", "", ErrNotFloat},
		{"bad increment", "1", true, "x", "", ErrNotFloat},
		{"inf value", "inf", true, "1", "", ErrNaNOrInf},
		{"overflow", "1.1e4932", true, "1.1e4932", "", ErrNaNOrInf},
		{"nan", "1", true, "nan", "", ErrNotFloat},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := IncrByFloat([]byte(tc.cur), tc.exists, []byte(tc.incr))
			if !errors.Is(err, tc.err) || string(out) != tc.out {
				t.Fatalf("got %q, %v; want %q, %v", out, err, tc.out, tc.err)
			}
		})
	}
}

// TestParseLongDouble_FastPath checks the uint64 decimal path against the
// exact math/big path on random short decimals.
func TestParseLongDouble_FastPath(t *testing.T) {
	r := rand.New(rand.NewPCG(testseed.Seed(t), 3))
	fast := 0
	for i := 0; i < 200000; i++ {
		s := randDecimal(r)
		var sx ldSyntax
		if !sx.scan([]byte(s)) {
			t.Fatalf("scan(%q) failed", s)
		}
		want, werr := parseDecimalBig(&sx)
		got, ok := parseDecimalFast(&sx)
		if !ok {
			continue
		}
		fast++
		if werr != nil || got != want {
			t.Fatalf("%q: fast %s, big %s (%v)", s, ldCanon(got), ldCanon(want), werr)
		}
	}
	if fast < 100000 {
		t.Fatalf("fast path taken only %d times", fast)
	}
}

func randDecimal(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(4) == 0 {
		b.WriteByte('-')
	}
	n := 1 + r.IntN(20)
	point := r.IntN(n + 1)
	for i := 0; i < n; i++ {
		if i == point {
			b.WriteByte('.')
		}
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	if r.IntN(3) == 0 {
		fmt.Fprintf(&b, "e%d", r.IntN(41)-20)
	}
	return b.String()
}

// TestLongDouble_Add_Random checks Add against an independent exact
// computation (integer sum, then roundRatio) on random operands spanning
// cancellation, carries and distant exponents.
func TestLongDouble_Add_Random(t *testing.T) {
	// Hand-made cases the random walk rarely reaches: a borrow with sticky
	// bits right at a tie, a carry out of the top bit, exact cancellation.
	edges := [][2]Value{
		{{mant: 1 << 63}, {mant: 1<<63 | 1, exp: -65, neg: true}},
		{{mant: 1 << 63}, {mant: 1<<63 | 3, exp: -66, neg: true}},
		{{mant: 1 << 63}, {mant: 1 << 63, exp: -64}},
		{{mant: 1<<63 | 1}, {mant: 1 << 63, exp: -64}},
		{{mant: 1<<64 - 1}, {mant: 1<<64 - 1}},
		{{mant: 1<<64 - 1}, {mant: 1 << 63, exp: -64}},
		{{mant: 1 << 63, exp: 5}, {mant: 1 << 63, exp: 5, neg: true}},
		{{mant: 1<<63 + 7, exp: ldMaxExp}, {mant: 1<<64 - 1, exp: ldMaxExp}},
	}
	for _, e := range edges {
		checkAdd(t, e[0], e[1])
		checkAdd(t, e[1], e[0])
	}
	r := rand.New(rand.NewPCG(testseed.Seed(t), 4))
	for i := 0; i < 100000; i++ {
		// Exponents around 1, near overflow and in the subnormal range.
		base := [...]int{-100, ldMaxExp - 2, ldQuantumExp - 63}[r.IntN(3)]
		x := Value{mant: r.Uint64() | 1<<63, exp: int32(base + r.IntN(140) - 70), neg: r.IntN(2) == 0}
		y := Value{mant: r.Uint64() | 1<<63, exp: x.exp + int32(r.IntN(280)-140), neg: r.IntN(2) == 0}
		if r.IntN(8) == 0 {
			y.mant = x.mant
		}
		if r.IntN(8) == 0 {
			y.mant &^= 1<<r.IntN(63) - 1 // short mantissas make exact ties
		}
		var okx, oky bool
		x, okx = ldSnap(x)
		y, oky = ldSnap(y)
		if !okx || !oky || int(max(x.exp, y.exp)) > ldMaxExp {
			continue
		}
		checkAdd(t, x, y)
	}
}

func checkAdd(t *testing.T, x, y Value) {
	t.Helper()
	got, err := x.Add(y)
	want, werr := exactSum(x, y)
	if werr != nil {
		if !errors.Is(err, ErrNaNOrInf) {
			t.Fatalf("%s + %s = %s, want overflow", ldCanon(x), ldCanon(y), ldCanon(got))
		}
		return
	}
	if err != nil || got != want {
		t.Fatalf("%s + %s = %s (%v), want %s", ldCanon(x), ldCanon(y), ldCanon(got), err, ldCanon(want))
	}
}

// ldSnap truncates x to a multiple of the smallest subnormal, which every
// real long double is; ok is false when nothing is left.
func ldSnap(x Value) (Value, bool) {
	if x.exp >= ldQuantumExp {
		return x, true
	}
	sh := ldQuantumExp - int(x.exp)
	if sh >= 64 {
		return x, false
	}
	x.mant &^= 1<<sh - 1
	return x, true
}

func exactSum(x, y Value) (Value, error) {
	emin := min(x.exp, y.exp)
	term := func(v Value) *big.Int {
		n := new(big.Int).SetUint64(v.mant)
		n.Lsh(n, uint(v.exp-emin))
		if v.neg {
			n.Neg(n)
		}
		return n
	}
	sum := term(x)
	sum.Add(sum, term(y))
	if sum.Sign() == 0 {
		return Value{}, nil
	}
	neg := sum.Sign() < 0
	num, den := new(big.Int).Abs(sum), big.NewInt(1)
	if emin >= 0 {
		num.Lsh(num, uint(emin))
	} else {
		den.Lsh(den, uint(-emin))
	}
	return roundRatio(num, den, neg)
}

// FuzzParseLongDouble: no panic, the fast and exact decimal paths agree, and
// every accepted finite value formats to text that parses again.
func FuzzParseLongDouble(f *testing.F) {
	for _, s := range []string{"10.5", "-0", "1e-4950", "0x1.8p-16446", "inf", "1e4932", "5.6", " 1", "0x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := Parse(b)
		if err != nil || x.inf {
			return
		}
		var sx ldSyntax
		if sx.scan(b) && !sx.hex {
			if fast, ok := parseDecimalFast(&sx); ok {
				if slow, err := parseDecimalBig(&sx); err != nil || slow != fast {
					t.Fatalf("fast %s, exact %s (%v)", ldCanon(fast), ldCanon(slow), err)
				}
			}
		}
		if _, err := Parse([]byte(x.String())); err != nil {
			t.Fatalf("%q formats to %q which does not parse: %v", b, x.String(), err)
		}
	})
}

// ldCompatPairs are (current, increment) pairs replayed against redis-server.
var ldCompatPairs = [][2]string{
	{"10.5", "0.1"}, {"5000", "5.6"}, {"3.0e3", "2.0e3"}, {"0", "0"}, {"-0", "-0"},
	{"1", "-1"}, {"0.1", "0.2"}, {"1e300", "1e300"}, {"-1e-20", "0"}, {"1e-20", "1"},
	{"inf", "1"}, {"1", "-inf"}, {"nan", "1"}, {"abc", "1"}, {"1", ""}, {" 1", "1"},
	{"1", "1 "}, {"0x1p3", "0x1p-3"}, {"9223372036854775807", "1"}, {"1e19", "0.5"},
	{"1.5", "1e-17"}, {"100", "0.00000000000000001"}, {"3.0", "1.1"}, {"10", "-20.5"},
	{"1e-4950", "1e-4950"}, {"1e-4951", "1"}, {"1e4933", "1"}, {"1.1e4932", "1.1e4932"},
	{"123456789.123456789", "987654321.987654321"}, {"1e20", "1"}, {"-5", "5"},
	{"1\x00", "1"}, {"1", "\x00"}, {"0.000000000000000005", "0"}, {"0.000000000000000015", "0"},
	{"Infinity", "-INF"}, {"+.5", "-.25"}, {"1e+5", "1E-5"}, {"0X1.8P1", "0"},
	{"3.14159265358979323846264338327950288", "2.71828182845904523536028747135266249"},
}

func TestCompat_IncrByFloat(t *testing.T) {
	rc := oracle.Start(t)
	r := rand.New(rand.NewPCG(testseed.Seed(t), 5))
	pairs := append([][2]string(nil), ldCompatPairs...)
	for i := 0; i < 40; i++ {
		pairs = append(pairs, [2]string{randDecimal(r), randDecimal(r)})
	}
	for _, p := range pairs {
		rc.MustDo(t, "SET", "ld", p[0])
		reply := rc.MustDo(t, "INCRBYFLOAT", "ld", p[1])
		out, err := IncrByFloat([]byte(p[0]), true, []byte(p[1]))
		want := reply.Str
		got := string(out)
		if reply.Err != "" {
			want = reply.Err
			got = "<nil>"
			if err != nil {
				got = "ERR " + err.Error()
			}
		}
		if got != want {
			t.Errorf("SET %q; INCRBYFLOAT %q: redis %.80q, larder %.80q", p[0], p[1], want, got)
		}
	}
	rc.MustDo(t, "DEL", "ld")
	reply := rc.MustDo(t, "INCRBYFLOAT", "ld", "5.6")
	if out, err := IncrByFloat(nil, false, []byte("5.6")); err != nil || string(out) != reply.Str {
		t.Errorf("missing key: redis %q, larder %q %v", reply.Str, out, err)
	}
}

func BenchmarkIncrByFloat(b *testing.B) {
	cases := []struct{ name, cur, incr string }{
		{"short", "10.5", "0.1"},
		{"integer", "5000", "5.6"},
		{"long", "3.14159265358979323846264338327950288", "2.71828182845904523536028747135266249"},
		{"huge", "1e300", "1e300"},
	}
	for _, c := range cases {
		cur, incr := []byte(c.cur), []byte(c.incr)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := IncrByFloat(cur, true, incr); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
