// Package geohash is the arithmetic behind Redis's GEO commands: the
// 52-bit interleaved geohash a sorted-set score holds, its decoding, the
// eight neighbours of a cell, the nine-cell cover of a search shape and
// the haversine distance, computed in the same order as Redis 7.0's
// geohash.c and geohash_helper.c so the results agree bit for bit.
//
// Products are wrapped in float64() conversions where a fused
// multiply-add could change the last bit: Go may fuse x*y+z, C as Redis
// is built does not.
package geohash

import "math"

// The limits of the coordinates Redis accepts (EPSG:900913).
const (
	LonMin  = -180.0
	LonMax  = 180.0
	LatMin  = -85.05112878
	LatMax  = 85.05112878
	StepMax = 26 // 26*2 = 52 bits, exact in a double score
)

// Range is an interval of one coordinate.
type Range struct{ Min, Max float64 }

// Bits is a geohash of Step*2 bits, latitude in the even bits and
// longitude in the odd ones. The zero value means "no cell".
type Bits struct {
	Bits uint64
	Step uint8
}

// IsZero reports the "no cell" value (Redis's HASHISZERO).
func (h Bits) IsZero() bool { return h.Bits == 0 && h.Step == 0 }

// Area is the cell a hash names.
type Area struct {
	Hash     Bits
	Lon, Lat Range
}

// WGS84 returns the ranges Redis encodes scores in.
func WGS84() (lon, lat Range) { return Range{LonMin, LonMax}, Range{LatMin, LatMax} }

// interleave spreads x into the even bits and y into the odd bits.
func interleave(x, y uint32) uint64 {
	return spread(x) | spread(y)<<1
}

func spread(v uint32) uint64 {
	x := uint64(v)
	x = (x | x<<16) & 0x0000FFFF0000FFFF
	x = (x | x<<8) & 0x00FF00FF00FF00FF
	x = (x | x<<4) & 0x0F0F0F0F0F0F0F0F
	x = (x | x<<2) & 0x3333333333333333
	x = (x | x<<1) & 0x5555555555555555
	return x
}

// squash gathers the even bits of x into the low 32 bits.
func squash(x uint64) uint32 {
	x &= 0x5555555555555555
	x = (x | x>>1) & 0x3333333333333333
	x = (x | x>>2) & 0x0F0F0F0F0F0F0F0F
	x = (x | x>>4) & 0x00FF00FF00FF00FF
	x = (x | x>>8) & 0x0000FFFF0000FFFF
	x = (x | x>>16) & 0x00000000FFFFFFFF
	return uint32(x)
}

// Encode is geohashEncode: the step-bit cell of lon,lat within the
// ranges; false outside Redis's limits or the ranges.
func Encode(lonR, latR Range, lon, lat float64, step uint8) (Bits, bool) {
	if step > 32 || step == 0 || (latR.Min == 0 && latR.Max == 0) || (lonR.Min == 0 && lonR.Max == 0) {
		return Bits{}, false
	}
	if lon > LonMax || lon < LonMin || lat > LatMax || lat < LatMin {
		return Bits{}, false
	}
	if lat < latR.Min || lat > latR.Max || lon < lonR.Min || lon > lonR.Max {
		return Bits{}, false
	}
	latOff := (lat - latR.Min) / (latR.Max - latR.Min)
	lonOff := (lon - lonR.Min) / (lonR.Max - lonR.Min)
	latOff = float64(latOff * float64(uint64(1)<<step))
	lonOff = float64(lonOff * float64(uint64(1)<<step))
	return Bits{Bits: interleave(uint32(uint64(latOff)), uint32(uint64(lonOff))), Step: step}, true
}

// EncodeWGS84 is the 26-step cell of a valid lon,lat.
func EncodeWGS84(lon, lat float64, step uint8) (Bits, bool) {
	lonR, latR := WGS84()
	return Encode(lonR, latR, lon, lat, step)
}

// Decode is geohashDecode: the cell h names within the ranges.
func Decode(lonR, latR Range, h Bits) (Area, bool) {
	if h.IsZero() || (latR.Min == 0 && latR.Max == 0) || (lonR.Min == 0 && lonR.Max == 0) {
		return Area{}, false
	}
	ilat, ilon := squash(h.Bits), squash(h.Bits>>1)
	latScale, lonScale := latR.Max-latR.Min, lonR.Max-lonR.Min
	div := float64(uint64(1) << h.Step)
	at := func(min float64, i uint64, scale float64) float64 {
		return min + float64(float64(i)*1.0/div*scale)
	}
	// ilat+1 wraps in 32 bits, as the C unsigned arithmetic does.
	return Area{
		Hash: h,
		Lat:  Range{at(latR.Min, uint64(ilat), latScale), at(latR.Min, uint64(ilat+1), latScale)},
		Lon:  Range{at(lonR.Min, uint64(ilon), lonScale), at(lonR.Min, uint64(ilon+1), lonScale)},
	}, true
}

// Center is geohashDecodeAreaToLongLat: the middle of the cell, clamped
// to Redis's limits.
func (a Area) Center() (lon, lat float64) {
	lon = (a.Lon.Min + a.Lon.Max) / 2
	lon = math.Min(math.Max(lon, LonMin), LonMax)
	lat = (a.Lat.Min + a.Lat.Max) / 2
	lat = math.Min(math.Max(lat, LatMin), LatMax)
	return lon, lat
}

// Align52 is geohashAlign52Bits: h shifted to a 52-bit score.
func Align52(h Bits) uint64 { return h.Bits << (52 - uint(h.Step)*2) }

// DecodeScore is Redis's decodeGeohash: the coordinates a sorted-set
// score names, converted to an integer as C converts a double.
func DecodeScore(score float64) (lon, lat float64) {
	lonR, latR := WGS84()
	a, _ := Decode(lonR, latR, Bits{Bits: CUint64(score), Step: StepMax})
	return a.Center()
}

const two63 = 9223372036854775808.0

// CInt64 converts f as C's (long long) cast does on x86-64: values out of
// range, and NaN, become the minimum int64.
func CInt64(f float64) int64 {
	if f != f || f >= two63 || f < -two63 {
		return math.MinInt64
	}
	return int64(f)
}

// CUint64 converts f as gcc's (uint64_t) cast does on x86-64.
func CUint64(f float64) uint64 {
	if f < two63 {
		return uint64(CInt64(f))
	}
	return uint64(CInt64(f-two63)) ^ 1<<63
}
