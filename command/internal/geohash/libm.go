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

// sinDD is sin(x) in double-double, cosine when cos.
func sinDD(x float64, cos bool) dd {
	r, k := reduce(x)
	if cos {
		k++ // cos(x) = sin(x + π/2)
	}
	var v dd
	if k&1 == 0 {
		v = series(r, 1)
	} else {
		v = series(r, 0)
	}
	if k&2 != 0 {
		return v.neg()
	}
	return v
}

const ddLimit = 1e6 // beyond, reduction needs more of π: Go's own functions

// Sin is sin(x) correctly rounded.
func Sin(x float64) float64 {
	if !(math.Abs(x) < ddLimit) || x == 0 {
		return math.Sin(x)
	}
	s := sinDD(x, false)
	return s.hi + s.lo
}

// Cos is cos(x) correctly rounded.
func Cos(x float64) float64 {
	if !(math.Abs(x) < ddLimit) {
		return math.Cos(x)
	}
	c := sinDD(x, true)
	return c.hi + c.lo
}

// Asin is asin(y) correctly rounded: Go's estimate refined by one Newton
// step on sin in double-double.
func Asin(y float64) float64 {
	t := math.Asin(y)
	if math.IsNaN(t) || y == 0 || math.Abs(y) == 1 {
		return t
	}
	// t - (sin t - y)/cos t: the difference needs sin t to 106 bits, the
	// division only cos t to 53.
	diff := sinDD(t, false).add(dd{-y, 0})
	corr := (diff.hi + diff.lo) / math.Cos(t)
	r := twoSum(t, -corr)
	return r.hi + r.lo
}
