package geohash

import "math"

// Correctly rounded sin, cos and asin. Redis calls the C library's, and
// glibc's round correctly (or nearly always so), while Go's math package
// is off by one unit in the last place for a good part of the inputs:
// enough to change a distance STOREDIST keeps in full. These evaluate in
// double-double arithmetic (about 106 bits) and round once.

// dd is an unevaluated sum hi+lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func (x dd) add(y dd) dd {
	s := twoSum(x.hi, y.hi)
	t := twoSum(x.lo, y.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func (x dd) mul(y dd) dd {
	p := twoProd(x.hi, y.hi)
	p.lo += x.hi*y.lo + x.lo*y.hi
	return quickTwoSum(p.hi, p.lo)
}

// divf divides by f, which must be exact in a double.
func (x dd) divf(f float64) dd {
	q := x.hi / f
	p := twoProd(q, f)
	r := (x.hi - p.hi - p.lo + x.lo) / f
	return quickTwoSum(q, r)
}

func (x dd) neg() dd { return dd{-x.hi, -x.lo} }

// π/2 in three parts (fdlibm's pio2_1, pio2_1t split further).
var (
	pio2     = dd{1.5707963267948966, 6.123233995736766e-17}
	pio2Tail = -1.4973849048591698e-33
)

// reduce returns x - k·π/2 (in [-π/4, π/4]) and k mod 4, for |x| < 1e6.
func reduce(x float64) (dd, int) {
	k := math.RoundToEven(x / pio2.hi)
	r := twoSum(x, -k*pio2.hi).add(dd{math.FMA(-k, pio2.hi, k*pio2.hi), 0})
	r = r.add(twoProd(-k, pio2.lo)).add(dd{-k * pio2Tail, 0})
	return r, int(int64(k) & 3)
}

// series sums r^start/start! - r^(start+2)/(start+2)! + … for |r| <= π/4:
// the Taylor series of sin (start 1) or cos (start 0), until a term is
// below 2^-110 of the sum.
func series(r dd, start int) dd {
	r2 := r.mul(r)
	term := dd{1, 0}
	if start == 1 {
		term = r
	}
	sum := term
	for n := start + 1; n < 60; n += 2 {
		term = term.mul(r2).divf(-float64(n * (n + 1)))
		sum = sum.add(term)
		if math.Abs(term.hi) < 0x1p-110*math.Abs(sum.hi) {
			break
		}
	}
	return sum
}

// quickSeries is series with its first three terms in double-double and
// the rest in plain double (Horner), and its error bound: relative 2^-62
// for sin's series, 2^-58 for cos's (the tail is below 2^-14 or 2^-11 of
// the sum, with a few roundings of 2^-53 each).
func quickSeries(r dd, start int) (sum dd, errBound float64) {
	r2 := r.mul(r)
	t := dd{1, 0}
	if start == 1 {
		t = r
	}
	sum = t
	n := start + 1
	for ; n < start+5; n += 2 {
		t = t.mul(r2).divf(-float64(n * (n + 1)))
		sum = sum.add(t)
	}
	// t is the last dd term; the tail t·(-r²/(n(n+1)))·(1 - r²/((n+2)(n+3))·(…)).
	tail := 0.0
	for m := 27 + start; m >= n; m -= 2 {
		tail = -r2.hi / float64(m*(m+1)) * (1 + tail)
	}
	sum = sum.add(dd{t.hi * tail, 0})
	errBound = 0x1p-62 * math.Abs(sum.hi)
	if start == 0 {
		errBound = 0x1p-58 * math.Abs(sum.hi)
	}
	return sum, errBound
}

// roundsSafely reports whether every value within e of v.hi+v.lo rounds
// to the same double as v does.
func roundsSafely(v dd, e float64) bool {
	y := v.hi + v.lo
	d := (v.hi - y) + v.lo
	half := math.Min(math.Nextafter(y, math.Inf(1))-y, y-math.Nextafter(y, math.Inf(-1))) / 2
	return math.Abs(d)+e < half
}

// sinDD is sin(x) in double-double, cosine when cos, and a bound of its
// error: the quick evaluation unless full, else the full series.
func sinDD(x float64, cos, full bool) (dd, float64) {
	r, k := reduce(x)
	if cos {
		k++ // cos(x) = sin(x + π/2)
	}
	start := 1 - k&1 // sin's series for even k, cos's for odd
	var v dd
	e := 0.0
	if full {
		v = series(r, start)
		e = 0x1p-100 * math.Abs(v.hi)
	} else {
		v, e = quickSeries(r, start)
	}
	if k&2 != 0 {
		return v.neg(), e
	}
	return v, e
}

// sinCorrect is sin(x), or cos(x) when cos, correctly rounded: the quick
// evaluation when it rounds safely (all but about 2^-9 of the inputs),
// else the full series.
func sinCorrect(x float64, cos bool) float64 {
	v, e := sinDD(x, cos, false)
	if !roundsSafely(v, e) {
		v, _ = sinDD(x, cos, true)
	}
	return v.hi + v.lo
}

const ddLimit = 1e6 // beyond, reduction needs more of π: Go's own functions

// Sin is sin(x) correctly rounded.
func Sin(x float64) float64 {
	if !(math.Abs(x) < ddLimit) || x == 0 {
		return math.Sin(x)
	}
	return sinCorrect(x, false)
}

// Cos is cos(x) correctly rounded.
func Cos(x float64) float64 {
	if !(math.Abs(x) < ddLimit) {
		return math.Cos(x)
	}
	return sinCorrect(x, true)
}

// Asin is asin(y) correctly rounded: Go's estimate t refined by one
// Newton step on sin, t - (sin t - y)/cos t, with sin t in double-double
// (the quick evaluation when the step's result rounds safely) and cos t
// in plain double (the correction is ~2^-53 of t: 53 bits suffice).
func Asin(y float64) float64 {
	t := math.Asin(y)
	if math.IsNaN(t) || y == 0 || math.Abs(y) == 1 {
		return t
	}
	c := math.Abs(math.Cos(t))
	step := func(s dd) dd {
		diff := s.add(dd{-y, 0})
		return twoSum(t, -(diff.hi+diff.lo)/c)
	}
	s, e := sinDD(t, false, false)
	r := step(s)
	if !roundsSafely(r, e/c*1.01+0x1p-100*math.Abs(t)) {
		s, _ = sinDD(t, false, true)
		r = step(s)
	}
	return r.hi + r.lo
}
