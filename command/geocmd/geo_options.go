package geocmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/internal/geohash"
	"github.com/larder-db/larder/keyspace"
)

// parseOptions reads the options from args[base] in Redis's order of
// checks; z is the source (nil when missing: FROMMEMBER is then not
// looked up).
func (q *searchReq) parseOptions(args [][]byte, base int, z *keyspace.ZSet) error {
	opts := args[base:]
	canStore := q.form&(noStore|search) == 0
	isSearch := q.form&search != 0
	for i := 0; i < len(opts); i++ {
		a, left := opts[i], len(opts)-i-1
		var err error
		switch {
		case command.Eq(a, "withdist"):
			q.withDist = true
		case command.Eq(a, "withhash"):
			q.withHash = true
		case command.Eq(a, "withcoord"):
			q.withCoord = true
		case command.Eq(a, "any"):
			q.any = true
		case command.Eq(a, "asc"):
			q.sort = sortAsc
		case command.Eq(a, "desc"):
			q.sort = sortDesc
		case command.Eq(a, "count") && left >= 1:
			if q.count, err = command.IntArg(opts[i+1]); err == nil && q.count <= 0 {
				err = command.Error("ERR COUNT must be > 0")
			}
			i++
		case (command.Eq(a, "store") || command.Eq(a, "storedist")) && left >= 1 && canStore:
			q.storeKey, q.storeDist = opts[i+1], command.Eq(a, "storedist")
			i++
		case command.Eq(a, "storedist") && q.form&searchStore != 0:
			q.storeDist = true
		case command.Eq(a, "frommember") && left >= 1 && isSearch && !q.fromLoc:
			if z != nil {
				err = q.memberCenter(z, opts[i+1])
			}
			q.fromMember = true
			i++
		case command.Eq(a, "fromlonlat") && left >= 2 && isSearch && !q.fromMember:
			q.shape.Lon, q.shape.Lat, err = lonLatArg(opts[i+1:])
			q.fromLoc = true
			i += 2
		case command.Eq(a, "byradius") && left >= 2 && isSearch && !q.byBox:
			err = q.radiusArg(opts[i+1:])
			q.byRadius = true
			i += 2
		case command.Eq(a, "bybox") && left >= 3 && isSearch && !q.byRadius:
			err = q.boxArg(opts[i+1:])
			q.byBox = true
			i += 3
		default:
			err = command.ErrSyntax
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// finish replies with the points, or stores them when the request has a
// destination; pts is nil when the source is missing.
func (q *searchReq) finish(c *command.Call, pts []point) error {
	if len(pts) == 0 && q.storeKey == nil {
		c.R.Array(0)
		return nil
	}
	n := len(pts)
	if q.count != 0 && int64(n) > q.count {
		n = int(q.count)
	}
	if q.sort != sortNone {
		cmp := byDist(q.sort == sortDesc)
		if n == len(pts) {
			mergeSort(pts, cmp)
		} else {
			partialSort(pts, cmp, 0, n-1)
		}
	}
	pts = pts[:n]
	for i := range pts {
		pts[i].dist /= q.shape.Conversion // meters to the unit
	}
	if q.storeKey != nil {
		c.R.Int(int64(q.store(c, pts)))
		return nil
	}
	q.reply(c, pts)
	return nil
}

// reply writes the points: members, or with options [member, dist?,
// hash?, [lon, lat]?] arrays.
func (q *searchReq) reply(c *command.Call, pts []point) {
	opts := command.BoolN(q.withDist) + command.BoolN(q.withHash) + command.BoolN(q.withCoord)
	c.R.Array(len(pts))
	for _, p := range pts {
		if opts > 0 {
			c.R.Array(opts + 1)
		}
		c.R.BulkString(p.member)
		if q.withDist {
			c.R.BulkString(geohash.Distance4(p.dist))
		}
		if q.withHash {
			c.R.Int(geohash.CInt64(p.score))
		}
		if q.withCoord {
			c.R.Array(2)
			c.R.DoubleText(p.lon, geohash.Coordinate(p.lon))
			c.R.DoubleText(p.lat, geohash.Coordinate(p.lat))
		}
	}
}

// store replaces the destination with the points (scores their geohashes,
// or distances with STOREDIST), or deletes it when there are none, and
// returns how many were stored. The set is a listpack when it fits, as
// zsetConvertToListpackIfNeeded decides.
func (q *searchReq) store(c *command.Call, pts []point) int {
	dst := q.storeKey
	if len(pts) == 0 {
		if c.DB().Delete(dst) {
			c.Notify(command.NotifyGeneric, "del", dst)
		}
		return 0
	}
	maxLen := 0
	for _, p := range pts {
		maxLen = max(maxLen, len(p.member))
	}
	entries, value := c.D.Cfg.Int("zset-max-listpack-entries"), c.D.Cfg.Int("zset-max-listpack-value")
	z := keyspace.NewZSet(int64(len(pts)) > entries || int64(maxLen) > value)
	for _, p := range pts {
		score := p.score
		if q.storeDist {
			score = p.dist
		}
		z.Set(p.member, score)
	}
	c.DB().SetObject(dst, keyspace.KindZSet, z)
	event := "georadiusstore"
	if q.form&search != 0 {
		event = "geosearchstore"
	}
	c.Notify(command.NotifyZSet, event, dst)
	return len(pts)
}
