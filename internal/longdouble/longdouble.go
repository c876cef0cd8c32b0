package longdouble

import (
	"errors"
	"math/big"
	"math/bits"
	"strconv"
)

// INCRBYFLOAT and HINCRBYFLOAT arithmetic with Redis 7.0's exact digits.
//
// Redis parses with strtold, adds in the x87 80-bit long double (64-bit
// significand, round to nearest even, exponent range 2^-16445 subnormal to
// just below 2^16384) and formats with snprintf("%.17Lf") minus trailing
// zeros (ld2string's LD_STR_HUMAN mode). Doing the sum in float64 changes the
// stored digits: 5000 + 5.6 is "5005.60000000000000009" in Redis. Value
// models that format exactly with integer arithmetic (math/big where the
// numbers get large), checked against golden vectors produced by a C program
// on x86-64 glibc (testdata/longdouble/vectors.txt).

// ErrNotFloat reports a value or increment that Redis's string2ld rejects
// (Redis: "ERR value is not a valid float").
var ErrNotFloat = errors.New("value is not a valid float")

// ErrNaNOrInf reports a sum that is infinite or NaN, which INCRBYFLOAT
// refuses to store (Redis: "ERR increment would produce NaN or Infinity").
var ErrNaNOrInf = errors.New("increment would produce NaN or Infinity")

const (
	// ldMaxChars is Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses inputs
	// of this length or longer.
	ldMaxChars = 5 * 1024
	// ldMaxExp is the largest exponent of a finite value in Value's
	// normalized form (top mantissa bit set): values reach 2^16384 - 2^16320.
	ldMaxExp = 16384 - 64
	// ldQuantumExp is the exponent of the smallest subnormal, 2^-16445; every
	// long double is a multiple of it.
	ldQuantumExp = -16445
	// ldMinNormalExp is log2 of the smallest normal value, 2^-16382.
	ldMinNormalExp = -16382
	// ldFracDigits is the "%.17Lf" precision.
	ldFracDigits = 17
)

// Value is an x87 80-bit extended-precision value: ±mant × 2^exp with
// mant's top bit set (mant == 0 is a signed zero), or ±infinity. The zero
// value is +0. NaN is never represented: every operation that would produce
// it fails instead.
type Value struct {
	mant uint64
	exp  int32
	neg  bool
	inf  bool
}

// IsInf reports whether x is ±infinity (string2ld accepts "inf").
func (x Value) IsInf() bool { return x.inf }

// Parse parses b the way Redis 7.0's string2ld does: strtold over
// the whole input in the C locale. It fails with ErrNotFloat for an empty or
// ≥ 5120-byte input, leading whitespace, any trailing byte (including a NUL),
// NaN, and a finite number that overflows to infinity or underflows to zero.
// "inf" and "infinity" (any case, signed) are accepted, as are hex floats
// ("0x1.8p3") and subnormals.
func Parse(b []byte) (Value, error) {
	if len(b) == 0 || len(b) >= ldMaxChars || isCSpace(b[0]) {
		return Value{}, ErrNotFloat
	}
	var sx ldSyntax
	if !sx.scan(b) {
		return Value{}, ErrNotFloat
	}
	switch {
	case sx.inf:
		return Value{inf: true, neg: sx.neg}, nil
	case sx.hex:
		return parseHexLD(&sx)
	}
	if x, ok := parseDecimalFast(&sx); ok {
		return x, nil
	}
	return parseDecimalBig(&sx)
}

// isCSpace is isspace in the C locale.
func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// ldSyntax is the result of matching strtold's grammar against the whole
// input: [sign] (inf | infinity | decimal | hex float). Partial matches are
// failures because Redis rejects anything left after the number.
type ldSyntax struct {
	neg, inf, hex bool
	intPart       []byte // mantissa digits before the point
	fracPart      []byte // mantissa digits after the point
	exp           int64  // exponent (decimal for e, binary for p), saturated
}

func (sx *ldSyntax) scan(b []byte) bool {
	i := 0
	if b[0] == '+' || b[0] == '-' {
		sx.neg = b[0] == '-'
		i++
	}
	rest := b[i:]
	if isInfWord(rest) {
		sx.inf = true
		return true
	}
	isDigit := isDecDigit
	if len(rest) > 2 && rest[0] == '0' && (rest[1]|0x20) == 'x' {
		sx.hex, isDigit = true, isHexDigit
		i += 2
	}
	start := i
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	sx.intPart = b[start:i]
	if i < len(b) && b[i] == '.' {
		i++
		start = i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		sx.fracPart = b[start:i]
	}
	if len(sx.intPart)+len(sx.fracPart) == 0 {
		return false
	}
	if i == len(b) {
		return true
	}
	marker := byte('e')
	if sx.hex {
		marker = 'p'
	}
	if b[i]|0x20 != marker {
		return false
	}
	exp, ok := scanExponent(b[i+1:])
	sx.exp = exp
	return ok
}

// isInfWord matches strtold's "inf" and "infinity" in any case.
func isInfWord(b []byte) bool {
	const word = "infinity"
	if len(b) != 3 && len(b) != len(word) {
		return false
	}
	for i, c := range b {
		if c|0x20 != word[i] {
			return false
		}
	}
	return true
}

// scanExponent parses [sign] digits that must end the input, saturating far
// outside the range where any mantissa could still produce a finite nonzero
// value (inputs are shorter than ldMaxChars digits).
func scanExponent(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var e int64
	for _, c := range b {
		if !isDecDigit(c) {
			return 0, false
		}
		if e < 1<<40 {
			e = e*10 + int64(c-'0')
		}
	}
	if neg {
		e = -e
	}
	return e, true
}

func isDecDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool {
	return isDecDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// decPow10 holds 10^0 … 10^19, the powers that fit in a uint64.
var decPow10 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// parseDecimalFast handles decimals with at most 19 significant digits and
// a small exponent, the shape of nearly every INCRBYFLOAT argument, without
// math/big. ok is false when the input needs the general path.
func parseDecimalFast(sx *ldSyntax) (Value, bool) {
	var num uint64
	nd := 0 // significant digits taken into num
	for _, part := range [2][]byte{sx.intPart, sx.fracPart} {
		for _, c := range part {
			if nd == 0 && c == '0' {
				continue
			}
			if nd == 19 {
				return Value{}, false
			}
			num = num*10 + uint64(c-'0')
			nd++
		}
	}
	if num == 0 {
		return Value{neg: sx.neg}, true
	}
	e := sx.exp - int64(len(sx.fracPart))
	for e < 0 && num%10 == 0 {
		num /= 10
		e++
	}
	switch {
	case e >= 0 && e < int64(len(decPow10)):
		hi, lo := bits.Mul64(num, decPow10[e])
		if hi != 0 {
			return Value{}, false
		}
		lz := bits.LeadingZeros64(lo)
		return Value{mant: lo << lz, exp: int32(-lz), neg: sx.neg}, true
	case e < 0 && e > -int64(len(decPow10)):
		x := divPow10(num, decPow10[-e])
		x.neg = sx.neg
		return x, true
	}
	return Value{}, false
}

// divPow10 returns num/p correctly rounded to 64 bits, for num > 0 and p a
// power of ten below 2^64. The quotient of the normalized numerator shifted
// by t is computed with one 128/64 division; t is chosen so that the
// quotient has exactly 64 bits.
func divPow10(num, p uint64) Value {
	lz := bits.LeadingZeros64(num)
	n := num << lz
	t := 64 - bits.LeadingZeros64(p) - 1 // bitlen(p)-1 ≥ 3 since p ≥ 10
	q, r := bits.Div64(n>>(64-t), n<<t, p)
	if q < 1<<63 {
		t++
		hi := n >> (64 - t) // t == 64 shifts to n, Go's n<<64 is 0
		q, r = bits.Div64(hi, n<<t, p)
	}
	if r > p-r || (r == p-r && q&1 == 1) {
		q++
		if q == 0 { // rounded up to 2^64
			q, t = 1<<63, t-1
		}
	}
	return Value{mant: q, exp: int32(-(t + lz))}
}

// parseDecimalBig converts any decimal exactly: digits × 10^e as a ratio of
// big integers, rounded once.
func parseDecimalBig(sx *ldSyntax) (Value, error) {
	digits := make([]byte, 0, len(sx.intPart)+len(sx.fracPart))
	digits = append(append(digits, sx.intPart...), sx.fracPart...)
	e := sx.exp - int64(len(sx.fracPart))
	for len(digits) > 0 && digits[0] == '0' {
		digits = digits[1:]
	}
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		e++
	}
	if len(digits) == 0 {
		return Value{neg: sx.neg}, nil
	}
	// 10^(nd-1+e) ≤ |v| < 10^(nd+e); the largest finite long double is
	// 1.19e4932 and half the smallest subnormal 1.8e-4951.
	nd := int64(len(digits))
	if nd-1+e >= 4933 || nd+e <= -4951 {
		return Value{}, ErrNotFloat
	}
	num, ok := new(big.Int).SetString(string(digits), 10)
	if !ok {
		return Value{}, ErrNotFloat
	}
	den := big.NewInt(1)
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(abs64(e)), nil)
	if e >= 0 {
		num.Mul(num, p)
	} else {
		den = p
	}
	return roundRatio(num, den, sx.neg)
}

// parseHexLD converts a hex float exactly: mantissa × 2^(p - 4·fraction
// digits), rounded once.
func parseHexLD(sx *ldSyntax) (Value, error) {
	digits := make([]byte, 0, len(sx.intPart)+len(sx.fracPart))
	digits = append(append(digits, sx.intPart...), sx.fracPart...)
	num, ok := new(big.Int).SetString(string(digits), 16)
	if !ok {
		return Value{}, ErrNotFloat
	}
	if num.Sign() == 0 {
		return Value{neg: sx.neg}, nil
	}
	e := sx.exp - 4*int64(len(sx.fracPart))
	// 2^(bitlen-1+e) ≤ |v| < 2^(bitlen+e).
	top := int64(num.BitLen()) + e
	if top > 16384 || top < ldQuantumExp-1 {
		return Value{}, ErrNotFloat
	}
	if top <= ldMinNormalExp && num.BitLen() > 64 {
		// glibc's round_and_return forgets the 65th significant bit when it
		// rounds a subnormal result, so a hex input that is exactly above a
		// tie rounds to even. Decimal inputs cannot hit this: a dyadic value
		// that small needs over 11000 digits. Clearing the bit reproduces it.
		num.SetBit(num, num.BitLen()-65, 0)
	}
	den := big.NewInt(1)
	if e >= 0 {
		num.Lsh(num, uint(e))
	} else {
		den.Lsh(den, uint(-e))
	}
	return roundRatio(num, den, sx.neg)
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// roundRatio rounds num/den (both positive) to the long double grid the way
// strtold does: 64 significant bits for normal values, multiples of 2^-16445
// below 2^-16382, ties to even. Overflow to infinity and underflow to zero
// are ErrNotFloat, as string2ld's ERANGE checks make them.
func roundRatio(num, den *big.Int, neg bool) (Value, error) {
	// e2 = floor(log2(num/den)).
	e2 := num.BitLen() - den.BitLen()
	var a, b big.Int
	a.Set(num)
	b.Set(den)
	if e2 >= 0 {
		b.Lsh(&b, uint(e2))
	} else {
		a.Lsh(&a, uint(-e2))
	}
	if a.Cmp(&b) < 0 {
		e2--
	}
	// Scale so that the kept bits form the integer part: 64 bits for normal
	// values, the subnormal grid otherwise.
	shift := 63 - max(e2, ldMinNormalExp)
	a.Set(num)
	b.Set(den)
	if shift >= 0 {
		a.Lsh(&a, uint(shift))
	} else {
		b.Lsh(&b, uint(-shift))
	}
	var q, r big.Int
	q.QuoRem(&a, &b, &r)
	r.Lsh(&r, 1)
	if c := r.Cmp(&b); c > 0 || (c == 0 && q.Bit(0) == 1) {
		q.Add(&q, big.NewInt(1))
	}
	if q.Sign() == 0 {
		return Value{}, ErrNotFloat // underflow to zero
	}
	// q ≤ 2^64 here; normalize it to a 64-bit mantissa with its top bit set.
	exp := -shift
	if q.BitLen() > 64 {
		q.Rsh(&q, 1)
		exp++
	}
	m := q.Uint64()
	lz := bits.LeadingZeros64(m)
	x := Value{mant: m << lz, exp: int32(exp - lz), neg: neg}
	if int(x.exp) > ldMaxExp {
		return Value{}, ErrNotFloat // overflow to infinity
	}
	return x, nil
}

// Add returns x + y rounded like an x87 long double addition (64-bit
// significand, ties to even). An infinite or NaN result, which includes any
// infinite operand, is ErrNaNOrInf: INCRBYFLOAT refuses to store it.
func (x Value) Add(y Value) (Value, error) {
	switch {
	case x.inf || y.inf:
		return Value{}, ErrNaNOrInf
	case x.mant == 0 && y.mant == 0:
		// IEEE: -0 + -0 is -0; any other zero sum is +0.
		return Value{neg: x.neg && y.neg}, nil
	case y.mant == 0:
		return x, nil
	case x.mant == 0:
		return y, nil
	}
	if x.exp < y.exp || (x.exp == y.exp && x.mant < y.mant) {
		x, y = y, x // |x| ≥ |y|
	}
	d := uint(x.exp - y.exp)
	if d >= 128 {
		// |y| < 2^-64 ulp(x): it cannot move x to another rounding interval.
		return x, nil
	}
	// A 128-bit window in units of 2^(x.exp-64); bits of y below it only
	// matter as a sticky bit.
	var yh, yl uint64
	sticky := false
	switch {
	case d == 0:
		yh = y.mant
	case d < 64:
		yh, yl = y.mant>>d, y.mant<<(64-d)
	default:
		yl, sticky = y.mant>>(d-64), y.mant<<(128-d) != 0
	}
	exp := int(x.exp) // of the window's top 64 bits
	var hi, lo uint64
	if x.neg == y.neg {
		var carry uint64
		lo, carry = bits.Add64(0, yl, 0)
		hi, carry = bits.Add64(x.mant, yh, carry)
		if carry != 0 {
			sticky = sticky || lo&1 != 0
			lo, hi = lo>>1|hi<<63, hi>>1|1<<63
			exp++
		}
	} else {
		var lz int
		if hi, lo, lz = sub128(x.mant, yh, yl, sticky); hi == 0 && lo == 0 && !sticky {
			return Value{}, nil // x + (-x) is +0
		}
		exp -= lz
	}
	return roundWindow(hi, lo, sticky, exp, x.neg)
}

// sub128 computes the window (xm, 0) - (yh, yl) and normalizes it. With
// sticky bits the exact difference lies strictly between the window
// difference minus one and the window difference; it keeps the lower one,
// whose bits the exact value shares, and rounding adds the sticky bit.
func sub128(xm, yh, yl uint64, sticky bool) (hi, lo uint64, lz int) {
	var borrow uint64
	lo, borrow = bits.Sub64(0, yl, 0)
	hi, _ = bits.Sub64(xm, yh, borrow)
	if sticky {
		lo, borrow = bits.Sub64(lo, 1, 0)
		hi -= borrow
	}
	if hi == 0 && lo == 0 {
		return 0, 0, 0
	}
	return normalize128(hi, lo)
}

// normalize128 shifts (hi, lo) left until hi's top bit is set.
func normalize128(hi, lo uint64) (uint64, uint64, int) {
	if hi == 0 {
		lz := 64 + bits.LeadingZeros64(lo)
		return lo << (lz - 64), 0, lz
	}
	lz := bits.LeadingZeros64(hi)
	if lz == 0 {
		return hi, lo, 0
	}
	return hi<<lz | lo>>(64-lz), lo << lz, lz
}

// roundWindow rounds the normalized 128-bit window (plus sticky bits below
// it) to its top 64 bits, ties to even. Sums below 2^-16382 are exact (both
// operands are multiples of 2^-16445), so no subnormal step is needed.
func roundWindow(hi, lo uint64, sticky bool, exp int, neg bool) (Value, error) {
	half := lo>>63 == 1
	rest := lo<<1 != 0 || sticky
	if half && (rest || hi&1 == 1) {
		hi++
		if hi == 0 {
			hi, exp = 1<<63, exp+1
		}
	}
	if exp > ldMaxExp {
		return Value{}, ErrNaNOrInf
	}
	return Value{mant: hi, exp: int32(exp), neg: neg}, nil
}

// String formats x like Redis's ld2string in LD_STR_HUMAN mode, the text
// INCRBYFLOAT stores and replies.
func (x Value) String() string { return string(x.AppendText(nil)) }

// AppendText appends x formatted like ld2string(LD_STR_HUMAN): "%.17Lf"
// (exact decimal expansion, ties to even) without trailing fractional zeros
// or a trailing '.', "-0" written as "0", and "inf"/"-inf".
func (x Value) AppendText(dst []byte) []byte {
	if x.inf {
		if x.neg {
			return append(dst, "-inf"...)
		}
		return append(dst, "inf"...)
	}
	if x.exp > 0 {
		// |x| ≥ 2^64 is an integer; only these need big arithmetic.
		if x.neg {
			dst = append(dst, '-')
		}
		n := new(big.Int).SetUint64(x.mant)
		return n.Lsh(n, uint(x.exp)).Append(dst, 10)
	}
	ip, frac := x.fixed17()
	if ip == 0 && frac == 0 {
		return append(dst, '0') // covers "-0"
	}
	if x.neg {
		dst = append(dst, '-')
	}
	dst = strconv.AppendUint(dst, ip, 10)
	if frac == 0 {
		return dst
	}
	var buf [ldFracDigits]byte
	for i := len(buf) - 1; i >= 0; i-- {
		buf[i] = byte('0' + frac%10)
		frac /= 10
	}
	end := len(buf)
	for buf[end-1] == '0' {
		end--
	}
	return append(append(dst, '.'), buf[:end]...)
}

// fixed17 splits |x| (below 2^64) into its integer part and its fraction
// rounded to 17 decimal digits, ties to even, as glibc's printf does.
func (x Value) fixed17() (ip, frac uint64) {
	const scale = 100_000_000_000_000_000 // 10^17
	k := -int(x.exp)                      // |x| = mant / 2^k
	if k == 0 {
		return x.mant, 0
	}
	// A value below 2^-58 (< 0.5·10^-17) rounds to zero.
	if k >= 122 {
		return 0, 0
	}
	fm := x.mant
	if k < 64 {
		ip, fm = x.mant>>k, x.mant&(1<<k-1)
	}
	// frac·2^k + rem = fm·10^17, with fm < 2^k and 10^17 < 2^57.
	hi, lo := bits.Mul64(fm, scale)
	var remHi, remLo, halfHi, halfLo uint64
	switch {
	case k < 64:
		frac = hi<<(64-k) | lo>>k
		remLo, halfLo = lo&(1<<k-1), 1<<(k-1)
	case k == 64:
		frac, remLo, halfLo = hi, lo, 1<<63
	default:
		frac = hi >> (k - 64)
		remHi, remLo, halfHi = hi&(1<<(k-64)-1), lo, 1<<(k-65)
	}
	c := cmp128(remHi, remLo, halfHi, halfLo)
	if c > 0 || (c == 0 && frac&1 == 1) {
		frac++
		if frac == scale {
			ip, frac = ip+1, 0
		}
	}
	return ip, frac
}

func cmp128(ahi, alo, bhi, blo uint64) int {
	switch {
	case ahi != bhi:
		if ahi > bhi {
			return 1
		}
		return -1
	case alo > blo:
		return 1
	case alo < blo:
		return -1
	}
	return 0
}

// IncrByFloat is INCRBYFLOAT's arithmetic: it parses the key's current text
// (exists false means a missing key, which counts as 0) and the increment,
// adds them as long doubles and returns the text Redis 7.0 both stores and
// replies. Errors are ErrNotFloat (either operand, current value first, like
// Redis) and ErrNaNOrInf. HINCRBYFLOAT uses the same arithmetic but parses
// the increment first and words a bad field value differently, so its
// handler composes Parse, Add and AppendText itself.
func IncrByFloat(cur []byte, exists bool, incr []byte) ([]byte, error) {
	var v Value
	if exists {
		var err error
		if v, err = Parse(cur); err != nil {
			return nil, err
		}
	}
	d, err := Parse(incr)
	if err != nil {
		return nil, err
	}
	sum, err := v.Add(d)
	if err != nil {
		return nil, err
	}
	return sum.AppendText(make([]byte, 0, 32)), nil
}
