package geohash

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// Values from redis-server 7.0 (GEOADD then ZSCORE, GEOPOS, GEOHASH,
// GEODIST).
func TestKnownPoints(t *testing.T) {
	cases := []struct {
		lon, lat float64
		score    uint64
		pos      [2]string
		hash     string
	}{
		{13.361389, 38.115556, 3479099956230698, [2]string{"13.36138933897018433", "38.11555639549629859"}, "sqc8b49rny0"},
		{15.087269, 37.502669, 3479447370796909, [2]string{"15.08726745843887329", "37.50266842333162032"}, "sqdtr74hyu0"},
	}
	for _, c := range cases {
		h, ok := EncodeWGS84(c.lon, c.lat, StepMax)
		if !ok || Align52(h) != c.score {
			t.Fatalf("encode %v,%v = %d, %v; want %d", c.lon, c.lat, Align52(h), ok, c.score)
		}
		lon, lat := DecodeScore(float64(c.score))
		if got := [2]string{Coordinate(lon), Coordinate(lat)}; got != c.pos {
			t.Fatalf("decode %d = %v, want %v", c.score, got, c.pos)
		}
		if got := Standard(float64(c.score)); got != c.hash {
			t.Fatalf("geohash %d = %s, want %s", c.score, got, c.hash)
		}
	}
	lon1, lat1 := DecodeScore(3479099956230698)
	lon2, lat2 := DecodeScore(3479447370796909)
	if got := Distance4(Distance(lon1, lat1, lon2, lat2)); got != "166274.1516" {
		t.Fatalf("distance = %s, want 166274.1516", got)
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		lon, lat := rng.Float64()*360-180, rng.Float64()*2*LatMax-LatMax
		h, ok := EncodeWGS84(lon, lat, StepMax)
		if !ok {
			t.Fatalf("encode %v,%v failed", lon, lat)
		}
		a, _ := Decode(Range{LonMin, LonMax}, Range{LatMin, LatMax}, h)
		if lon < a.Lon.Min || lon > a.Lon.Max || lat < a.Lat.Min || lat > a.Lat.Max {
			t.Fatalf("%v,%v outside its cell %+v", lon, lat, a)
		}
	}
	if _, ok := EncodeWGS84(0, 86, StepMax); ok {
		t.Fatal("latitude 86 encoded")
	}
}

func TestNeighborsAreAdjacent(t *testing.T) {
	lonR, latR := WGS84()
	h, _ := EncodeWGS84(10, 20, 10)
	c, _ := Decode(lonR, latR, h)
	n := NeighborsOf(h)
	east, _ := Decode(lonR, latR, n.East)
	north, _ := Decode(lonR, latR, n.North)
	sw, _ := Decode(lonR, latR, n.SouthWest)
	if east.Lon.Min != c.Lon.Max || east.Lat != c.Lat {
		t.Fatalf("east %+v of %+v", east, c)
	}
	if north.Lat.Min != c.Lat.Max || north.Lon != c.Lon {
		t.Fatalf("north %+v of %+v", north, c)
	}
	if sw.Lat.Max != c.Lat.Min || sw.Lon.Max != c.Lon.Min {
		t.Fatalf("south-west %+v of %+v", sw, c)
	}
}

func TestDistance4(t *testing.T) {
	for in, want := range map[float64]string{
		0: "0.0000", math.Copysign(0, -1): "0.0000", 0.00005: "0.0000", 0.00015: "0.0001" /* 1.4999… after the product */, 1.5: "1.5000",
		0.7750: "0.7750", 123456.78905: "123456.7890", -2.5: "-2.5000", -0.00001: "0.0000",
	} {
		if got := Distance4(in); got != want {
			t.Errorf("Distance4(%v) = %s, want %s", in, got, want)
		}
	}
}

func TestCUint64(t *testing.T) {
	cases := []struct {
		in   float64
		want uint64
	}{
		{-1, math.MaxUint64}, {0, 0}, {3.9, 3}, {1e19, 10000000000000000000}, {math.Inf(1), 0}, {math.Inf(-1), 1 << 63},
	}
	for _, c := range cases {
		if got := CUint64(c.in); got != c.want {
			t.Errorf("CUint64(%v) = %#x, want %#x", c.in, got, c.want)
		}
	}
}

// TestTrigCorrectlyRounded compares Sin, Cos and Asin with 200-bit
// evaluations rounded once.
func TestTrigCorrectlyRounded(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 800 {
		x := rng.Float64()*6.4 - 3.2
		s, c := bigSinCos(big.NewFloat(x).SetPrec(prec))
		if got, want := Sin(x), f64(s); got != want {
			t.Fatalf("Sin(%v) = %v, want %v", x, got, want)
		}
		if got, want := Cos(x), f64(c); got != want {
			t.Fatalf("Cos(%v) = %v, want %v", x, got, want)
		}
		y := rng.Float64()*2 - 1
		if got, want := Asin(y), bigAsin(y); got != want {
			t.Fatalf("Asin(%v) = %v, want %v", y, got, want)
		}
	}
	if !math.IsNaN(Asin(1.0000000000000002)) {
		t.Fatal("Asin above 1 is not NaN")
	}
}

const prec = 200

func f64(x *big.Float) float64 { f, _ := x.Float64(); return f }

// bigSinCos sums the Taylor series of sin and cos of x (|x| < 4).
func bigSinCos(x *big.Float) (sin, cos *big.Float) {
	sin, cos = new(big.Float).SetPrec(prec).Set(x), new(big.Float).SetPrec(prec).SetInt64(1)
	term, cterm := new(big.Float).SetPrec(prec).Set(x), new(big.Float).SetPrec(prec).SetInt64(1)
	x2 := new(big.Float).SetPrec(prec).Mul(x, x)
	for n := int64(1); n < 80; n++ {
		cterm.Mul(cterm, x2).Quo(cterm, big.NewFloat(float64(-(2*n-1)*(2*n))))
		cos.Add(cos, cterm)
		term.Mul(term, x2).Quo(term, big.NewFloat(float64(-(2*n)*(2*n+1))))
		sin.Add(sin, term)
	}
	return sin, cos
}

// bigAsin solves sin(t) = y by Newton's method from Go's estimate.
func bigAsin(y float64) float64 {
	t := new(big.Float).SetPrec(prec).SetFloat64(math.Asin(y))
	by := new(big.Float).SetPrec(prec).SetFloat64(y)
	for range 4 {
		s, c := bigSinCos(t)
		s.Sub(s, by)
		t.Sub(t, s.Quo(s, c))
	}
	return f64(t)
}

// TestApproxDistance: the fast distance behind clearlyBeyond stays within
// 1e-12 (relative) of Distance wherever it is used (a < 0.99), so a margin
// of approxMargin never rejects a point Distance would keep.
func TestApproxDistance(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	worst := 0.0
	for i := 0; i < 200000; i++ {
		lon1, lat1 := r.Float64()*360-180, r.Float64()*170-85
		lon2, lat2 := lon1+(r.Float64()-0.5)*r.Float64()*40, lat1+(r.Float64()-0.5)*r.Float64()*40
		if i%4 == 0 { // anywhere
			lon2, lat2 = r.Float64()*360-180, r.Float64()*170-85
		}
		d := Distance(lon1, lat1, lon2, lat2)
		for _, limit := range []float64{d, d * (1 - 1e-15), d * (1 + 1e-15)} {
			if clearlyBeyond(lon1, lat1, lon2, lat2, limit) && !(d > limit) {
				t.Fatalf("(%v,%v)-(%v,%v): clearlyBeyond %v but Distance %v", lon1, lat1, lon2, lat2, limit, d)
			}
		}
		lat1r, lat2r := degRad(lat1), degRad(lat2)
		u, v := math.Sin((lat2r-lat1r)/2), math.Sin((degRad(lon2)-degRad(lon1))/2)
		if a := u*u + math.Cos(lat1r)*math.Cos(lat2r)*v*v; a < 0.99 && d > 0 {
			approx := 2.0 * EarthRadius * math.Asin(math.Sqrt(a))
			worst = max(worst, math.Abs(approx-d)/d)
		}
	}
	if worst > 1e-12 {
		t.Fatalf("fast distance off by %g relative", worst)
	}
	t.Logf("worst relative difference %g", worst)
}
