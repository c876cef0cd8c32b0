package geohash

import "math"

// EarthRadius is Redis's earth radius in meters (the WGS-84 quadratic
// mean); distances are great circles on a sphere of that radius.
const EarthRadius = 6372797.560856

// mercatorMax bounds the step estimate (half the world's width in meters).
const mercatorMax = 20037726.37

// dRad is Redis's D_R, M_PI/180.
const dRad = math.Pi / 180.0

func degRad(ang float64) float64 { return ang * dRad }
func radDeg(ang float64) float64 { return ang / dRad }

// Shape is a search area: a circle of Radius, or a Width × Height box
// when Box, around Lon,Lat, all lengths in the unit Conversion converts
// to meters.
type Shape struct {
	Lon, Lat              float64
	Box                   bool
	Radius, Width, Height float64
	Conversion            float64
}

// EstimateSteps is geohashEstimateStepsByRadius: the step whose cells are
// about the size of a search of rangeMeters at latitude lat.
func EstimateSteps(rangeMeters, lat float64) uint8 {
	if rangeMeters == 0 {
		return 26
	}
	step := 1
	for rangeMeters < mercatorMax {
		rangeMeters *= 2
		step++
	}
	step -= 2
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	return uint8(min(max(step, 1), 26))
}

// BoundingBox is geohashBoundingBox: min lon, min lat, max lon, max lat
// of the area the shape covers.
func (s Shape) BoundingBox() [4]float64 {
	half := s.Radius
	height, width := half, half
	if s.Box {
		height, width = s.Height/2, s.Width/2
	}
	height, width = s.Conversion*height, s.Conversion*width
	latDelta := radDeg(height / EarthRadius)
	lonDeltaTop := radDeg(width / EarthRadius / Cos(degRad(s.Lat+latDelta)))
	lonDeltaBottom := radDeg(width / EarthRadius / Cos(degRad(s.Lat-latDelta)))
	lonDelta := lonDeltaTop
	if s.Lat < 0 {
		lonDelta = lonDeltaBottom
	}
	return [4]float64{s.Lon - lonDelta, s.Lat - latDelta, s.Lon + lonDelta, s.Lat + latDelta}
}

// radiusMeters is the distance from the shape's centre to its farthest
// point: the radius, or half the box's diagonal.
func (s Shape) radiusMeters() float64 {
	r := s.Radius
	if s.Box {
		w, h := s.Width/2, s.Height/2
		r = math.Sqrt(float64(w*w) + float64(h*h))
	}
	return r * s.Conversion
}

// Cells is the cover of a search: the centre cell and its eight
// neighbours, the useless ones zeroed.
type Cells struct {
	Hash      Bits
	Neighbors Neighbors
	Area      Area
}

// List returns the nine cells in Redis's search order: centre, N, S, E,
// W, NE, NW, SE, SW.
func (c Cells) List() [9]Bits {
	n := c.Neighbors
	return [9]Bits{c.Hash, n.North, n.South, n.East, n.West, n.NorthEast, n.NorthWest, n.SouthEast, n.SouthWest}
}

// Cover is geohashCalculateAreasByShapeWGS84: the nine cells to search
// for the shape.
func (s Shape) Cover() Cells {
	b := s.BoundingBox()
	minLon, minLat, maxLon, maxLat := b[0], b[1], b[2], b[3]
	steps := EstimateSteps(s.radiusMeters(), s.Lat)
	lonR, latR := WGS84()
	cell := func(step uint8) Cells {
		h, _ := Encode(lonR, latR, s.Lon, s.Lat, step)
		a, _ := Decode(lonR, latR, h)
		return Cells{Hash: h, Neighbors: NeighborsOf(h), Area: a}
	}
	c := cell(steps)
	// The estimated step may leave part of the area outside the nine
	// cells near their edges: one step coarser then.
	north, _ := Decode(lonR, latR, c.Neighbors.North)
	south, _ := Decode(lonR, latR, c.Neighbors.South)
	east, _ := Decode(lonR, latR, c.Neighbors.East)
	west, _ := Decode(lonR, latR, c.Neighbors.West)
	decrease := north.Lat.Max < maxLat || south.Lat.Min > minLat || east.Lon.Max < maxLon || west.Lon.Min > minLon
	if steps > 1 && decrease {
		steps--
		c = cell(steps)
	}
	if steps >= 2 {
		n, a := &c.Neighbors, c.Area
		if a.Lat.Min < minLat {
			n.South, n.SouthWest, n.SouthEast = Bits{}, Bits{}, Bits{}
		}
		if a.Lat.Max > maxLat {
			n.North, n.NorthEast, n.NorthWest = Bits{}, Bits{}, Bits{}
		}
		if a.Lon.Min < minLon {
			n.West, n.SouthWest, n.NorthWest = Bits{}, Bits{}, Bits{}
		}
		if a.Lon.Max > maxLon {
			n.East, n.SouthEast, n.NorthEast = Bits{}, Bits{}, Bits{}
		}
	}
	return c
}

// LatDistance is geohashGetLatDistance: the distance along a meridian.
func LatDistance(lat1, lat2 float64) float64 {
	return EarthRadius * math.Abs(degRad(lat2)-degRad(lat1))
}

// Distance is geohashGetDistance: the haversine distance in meters.
func Distance(lon1, lat1, lon2, lat2 float64) float64 {
	lon1r, lon2r := degRad(lon1), degRad(lon2)
	v := Sin((lon2r - lon1r) / 2)
	if v == 0 {
		return LatDistance(lat1, lat2)
	}
	lat1r, lat2r := degRad(lat1), degRad(lat2)
	u := Sin((lat2r - lat1r) / 2)
	a := float64(u*u) + float64(float64(float64(Cos(lat1r)*Cos(lat2r))*v)*v)
	return 2.0 * EarthRadius * Asin(math.Sqrt(a))
}

// approxMargin is how far (relatively) a fast distance must exceed a limit
// before a point is rejected on it alone; the fast distance is within about
// 1e-15 of Distance away from the antipodes (TestApproxDistance), so the
// margin leaves six orders of magnitude to spare.
const approxMargin = 1e-9

// clearlyBeyond reports whether the points are surely farther apart than
// limit meters, by Go's math functions rather than Distance's libm-faithful
// ones (a search rejects most of its candidates this way, cheaply). Near
// the antipodes, where asin magnifies errors, it never decides.
func clearlyBeyond(lon1, lat1, lon2, lat2, limit float64) bool {
	lat1r, lat2r := degRad(lat1), degRad(lat2)
	u := math.Sin((lat2r - lat1r) / 2)
	v := math.Sin((degRad(lon2) - degRad(lon1)) / 2)
	a := u*u + math.Cos(lat1r)*math.Cos(lat2r)*v*v
	if !(a < 0.99) {
		return false
	}
	return 2.0*EarthRadius*math.Asin(math.Sqrt(a)) > limit*(1+approxMargin)
}

// Within is geoWithinShape after decoding: whether lon,lat lies in the
// shape, and its distance in meters from the centre.
func (s Shape) Within(lon, lat float64) (float64, bool) {
	if !s.Box {
		limit := s.Radius * s.Conversion
		if clearlyBeyond(s.Lon, s.Lat, lon, lat, limit) {
			return 0, false
		}
		d := Distance(s.Lon, s.Lat, lon, lat)
		return d, !(d > limit)
	}
	width, height := s.Width*s.Conversion, s.Height*s.Conversion
	if LatDistance(lat, s.Lat) > height/2 {
		return 0, false
	}
	if clearlyBeyond(lon, lat, s.Lon, lat, width/2) || Distance(lon, lat, s.Lon, lat) > width/2 {
		return 0, false
	}
	return Distance(s.Lon, s.Lat, lon, lat), true
}

// ScoreRange is scoresOfGeoHashBox: the sorted-set scores [min, max) of
// the points inside cell h.
func ScoreRange(h Bits) (min, max uint64) {
	min = Align52(h)
	h.Bits++
	return min, Align52(h)
}
