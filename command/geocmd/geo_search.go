package geocmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/internal/geohash"
	"github.com/larder-db/larder/keyspace"
)

// The searches, one request type as Redis's georadiusGeneric: GEORADIUS
// and GEORADIUSBYMEMBER (and _RO), GEOSEARCH and GEOSEARCHSTORE.

type searchForm int

const (
	fromCoords  searchForm = 1 << iota // GEORADIUS: center and radius fixed
	fromMember                         // GEORADIUSBYMEMBER
	noStore                            // the _RO forms
	search                             // GEOSEARCH: FROM… and BY… options
	searchStore                        // GEOSEARCHSTORE: STOREDIST only
)

const (
	sortNone = iota
	sortAsc
	sortDesc
)

type searchReq struct {
	form                          searchForm
	shape                         geohash.Shape
	withDist, withHash, withCoord bool
	fromMember, fromLoc, byRadius bool
	byBox, any, storeDist         bool
	sort                          int
	count                         int64
	storeKey                      []byte
}

func cmdGeoradius(c *command.Call) error   { return georadius(c, 1, fromCoords) }
func cmdGeoradiusRO(c *command.Call) error { return georadius(c, 1, fromCoords|noStore) }
func cmdGeoradiusbymember(c *command.Call) error {
	return georadius(c, 1, fromMember)
}
func cmdGeoradiusbymemberRO(c *command.Call) error {
	return georadius(c, 1, fromMember|noStore)
}
func cmdGeosearch(c *command.Call) error      { return georadius(c, 1, search) }
func cmdGeosearchstore(c *command.Call) error { return georadius(c, 2, search|searchStore) }

// georadius is georadiusGeneric: the source at args[src], the form's fixed
// arguments, the options, then the search and its reply or store.
func georadius(c *command.Call, src int, form searchForm) error {
	e, err := c.LookupKind(c.Args[src], keyspace.KindZSet)
	if err != nil {
		return err
	}
	var z *keyspace.ZSet
	if e != nil {
		z = command.ZsetOf(e)
	}
	q := &searchReq{form: form}
	base, err := q.parseFixed(c.Args, z)
	if err != nil {
		return err
	}
	if err := q.parseOptions(c.Args, base, z); err != nil {
		return err
	}
	if err := q.check(c.Args[0]); err != nil {
		return err
	}
	if z == nil {
		return q.finish(c, nil)
	}
	if q.count != 0 && q.sort == sortNone && !q.any {
		q.sort = sortAsc // the nearest COUNT, not any COUNT
	}
	limit := 0
	if q.any {
		limit = int(q.count)
	}
	return q.finish(c, q.collect(z, limit))
}

// parseFixed reads the arguments before the options and returns where the
// options start.
func (q *searchReq) parseFixed(args [][]byte, z *keyspace.ZSet) (int, error) {
	switch {
	case q.form&fromCoords != 0:
		lon, lat, err := lonLatArg(args[2:])
		if err != nil {
			return 0, err
		}
		q.shape.Lon, q.shape.Lat = lon, lat
		return 6, q.radiusArg(args[4:])
	case q.form&fromMember != 0 && z == nil:
		return 5, nil // nothing to search: parse on for the reply's kind
	case q.form&fromMember != 0:
		if err := q.memberCenter(z, args[2]); err != nil {
			return 0, err
		}
		return 5, q.radiusArg(args[3:])
	case q.form&searchStore != 0:
		q.storeKey = args[1]
		return 3, nil
	}
	return 2, nil
}

// memberCenter centres the search on a member's position.
func (q *searchReq) memberCenter(z *keyspace.ZSet, member []byte) error {
	score, ok := z.Score(member)
	if !ok {
		return command.Error("ERR could not decode requested zset member")
	}
	q.shape.Lon, q.shape.Lat = geohash.DecodeScore(score)
	return nil
}

// radiusArg is extractDistanceOrReply: radius and unit.
func (q *searchReq) radiusArg(args [][]byte) error {
	r, err := numberArg(args[0], "need numeric radius")
	if err != nil {
		return err
	}
	if r < 0 {
		return command.Error("ERR radius cannot be negative")
	}
	conv, err := unitArg(args[1])
	if err != nil {
		return err
	}
	q.shape.Radius, q.shape.Conversion, q.shape.Box = r, conv, false
	return nil
}

// boxArg is extractBoxOrReply: width, height and unit.
func (q *searchReq) boxArg(args [][]byte) error {
	w, err := numberArg(args[0], "need numeric width")
	if err != nil {
		return err
	}
	h, err := numberArg(args[1], "need numeric height")
	if err != nil {
		return err
	}
	if h < 0 || w < 0 {
		return command.Error("ERR height or width cannot be negative")
	}
	conv, err := unitArg(args[2])
	if err != nil {
		return err
	}
	q.shape.Width, q.shape.Height, q.shape.Conversion, q.shape.Box = w, h, conv, true
	return nil
}

// check rejects the combinations Redis rejects after parsing.
func (q *searchReq) check(name []byte) error {
	isSearch := q.form&search != 0
	switch {
	case q.storeKey != nil && (q.withDist || q.withHash || q.withCoord):
		what := "STORE option in GEORADIUS"
		if q.form&searchStore != 0 {
			what = "GEOSEARCHSTORE"
		}
		return command.Error("ERR " + what + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options")
	case isSearch && !(q.fromMember || q.fromLoc):
		return command.Error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + string(name))
	case isSearch && !(q.byRadius || q.byBox):
		return command.Error("ERR exactly one of BYRADIUS and BYBOX can be specified for " + string(name))
	case q.any && q.count == 0:
		return command.Error("ERR the ANY argument requires COUNT argument")
	}
	return nil
}

// collect is membersOfAllNeighbors: the points of the nine cells inside
// the shape, stopping at limit points when limit > 0 (ANY).
func (q *searchReq) collect(z *keyspace.ZSet, limit int) []point {
	cells := q.shape.Cover().List()
	var pts []point
	last := 0
	for i, h := range cells {
		if h.IsZero() {
			continue
		}
		// Huge radii make adjacent cells equal: each is searched once.
		if last != 0 && h == cells[last] {
			continue
		}
		if len(pts) > 0 && limit > 0 && len(pts) >= limit {
			break
		}
		pts = q.inCell(z, h, pts, limit)
		last = i
	}
	return pts
}

// inCell is geoGetPointsInRange for one cell: the members whose scores
// fall in the cell's range and whose points are inside the shape.
func (q *searchReq) inCell(z *keyspace.ZSet, h geohash.Bits, pts []point, limit int) []point {
	lo, hi := geohash.ScoreRange(h)
	min, max := float64(lo), float64(hi)
	from := z.Search(func(it keyspace.ZItem) bool { return it.Score >= min })
	z.Walk(from, z.Len()-1, false, func(it keyspace.ZItem) bool {
		if !(it.Score < max) {
			return false
		}
		lon, lat := geohash.DecodeScore(it.Score)
		if d, ok := q.shape.Within(lon, lat); ok {
			pts = append(pts, point{lon: lon, lat: lat, dist: d, score: it.Score, member: it.Member})
		}
		return !(len(pts) > 0 && limit > 0 && len(pts) >= limit)
	})
	return pts
}
