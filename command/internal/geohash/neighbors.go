package geohash

// Neighbors are the eight cells around one, of the same step.
type Neighbors struct {
	North, South, East, West                   Bits
	NorthEast, NorthWest, SouthEast, SouthWest Bits
}

// moveX moves h one cell east (d > 0) or west (d < 0), wrapping around.
func moveX(h Bits, d int) Bits {
	if d == 0 {
		return h
	}
	x, y := h.Bits&0xaaaaaaaaaaaaaaaa, h.Bits&0x5555555555555555
	zz := uint64(0x5555555555555555) >> (64 - uint(h.Step)*2)
	if d > 0 {
		x += zz + 1
	} else {
		x |= zz
		x -= zz + 1
	}
	x &= 0xaaaaaaaaaaaaaaaa >> (64 - uint(h.Step)*2)
	return Bits{Bits: x | y, Step: h.Step}
}

// moveY moves h one cell north (d > 0) or south (d < 0), wrapping around.
func moveY(h Bits, d int) Bits {
	if d == 0 {
		return h
	}
	x, y := h.Bits&0xaaaaaaaaaaaaaaaa, h.Bits&0x5555555555555555
	zz := uint64(0xaaaaaaaaaaaaaaaa) >> (64 - uint(h.Step)*2)
	if d > 0 {
		y += zz + 1
	} else {
		y |= zz
		y -= zz + 1
	}
	y &= 0x5555555555555555 >> (64 - uint(h.Step)*2)
	return Bits{Bits: x | y, Step: h.Step}
}

// NeighborsOf is geohashNeighbors.
func NeighborsOf(h Bits) Neighbors {
	return Neighbors{
		East: moveX(h, 1), West: moveX(h, -1),
		North: moveY(h, 1), South: moveY(h, -1),
		NorthWest: moveY(moveX(h, -1), 1), NorthEast: moveY(moveX(h, 1), 1),
		SouthEast: moveY(moveX(h, 1), -1), SouthWest: moveY(moveX(h, -1), -1),
	}
}
