package geocmd

import (
	"math"
	"slices"
	"strconv"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/internal/geohash"
	"github.com/larder-db/larder/keyspace"
)

// Commands returns the family's rows.
func Commands() []*command.Spec {
	return []*command.Spec{
		{Name: "geoadd", Arity: -5, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLGeo | command.ACLSlow, Handler: cmdGeoadd},
		{Name: "geodist", Arity: -4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLGeo | command.ACLSlow, Handler: cmdGeodist},
		{Name: "geohash", Arity: -2, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLGeo | command.ACLSlow, Handler: cmdGeohash},
		{Name: "geopos", Arity: -2, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLGeo | command.ACLSlow, Handler: cmdGeopos},
		{Name: "georadius", Arity: -6, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLGeo | command.ACLSlow, Keys: georadiusKeys(6), Handler: cmdGeoradius},
		{Name: "georadius_ro", Arity: -6, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLGeo | command.ACLSlow, Handler: cmdGeoradiusRO},
		{Name: "georadiusbymember", Arity: -5, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLGeo | command.ACLSlow, Keys: georadiusKeys(5), Handler: cmdGeoradiusbymember},
		{Name: "georadiusbymember_ro", Arity: -5, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLGeo | command.ACLSlow, Handler: cmdGeoradiusbymemberRO},
		{Name: "geosearch", Arity: -7, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLGeo | command.ACLSlow, Handler: cmdGeosearch},
		{Name: "geosearchstore", Arity: -8, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: 2, Step: 1,
			ACL: command.ACLWrite | command.ACLGeo | command.ACLSlow, Handler: cmdGeosearchstore},
	}
}

// georadiusKeys returns the source and the destinations, as Redis 7.0's
// key specs find them: the first STORE and the first STOREDIST from the
// options (from index from), not as the last word before the key. The
// key the command then writes (the last STORE or STOREDIST option) is
// added when the specs miss it.
func georadiusKeys(from int) func(args [][]byte) []int {
	return func(args [][]byte) []int {
		keys := []int{1}
		for _, word := range []string{"store", "storedist"} {
			for i := from; i < len(args)-1; i++ {
				if command.Eq(args[i], word) {
					keys = append(keys, i+1)
					break
				}
			}
		}
		stored := -1
		for i := 5; i < len(args); i++ { // georadiusGetKeys
			if (command.Eq(args[i], "store") || command.Eq(args[i], "storedist")) && i+1 < len(args) {
				stored = i + 1
				i++
			}
		}
		if stored != -1 && !slices.Contains(keys, stored) {
			keys = append(keys, stored)
		}
		return keys
	}
}

// cFloat formats v as C's "%f".
func cFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'f', 6, 64)
}

// lonLatArg is extractLongLatOrReply: two numbers at args[0:2] within
// Redis's limits.
func lonLatArg(args [][]byte) (lon, lat float64, err error) {
	var xy [2]float64
	for i := range xy {
		v, ok := command.ParseScore(args[i])
		if !ok {
			return 0, 0, command.ErrNotFloat
		}
		xy[i] = v
	}
	lon, lat = xy[0], xy[1]
	if lon < geohash.LonMin || lon > geohash.LonMax || lat < geohash.LatMin || lat > geohash.LatMax {
		return 0, 0, command.Error("ERR invalid longitude,latitude pair " + cFloat(lon) + "," + cFloat(lat))
	}
	return lon, lat, nil
}

// unitArg is extractUnitOrReply: the meters in one unit.
func unitArg(b []byte) (float64, error) {
	switch {
	case command.Eq(b, "m"):
		return 1, nil
	case command.Eq(b, "km"):
		return 1000, nil
	case command.Eq(b, "ft"):
		return 0.3048, nil
	case command.Eq(b, "mi"):
		return 1609.34, nil
	}
	return 0, command.Error("ERR unsupported unit provided. please use M, KM, FT, MI")
}

// numberArg is getDoubleFromObjectOrReply with its own error text.
func numberArg(b []byte, msg string) (float64, error) {
	v, ok := command.ParseScore(b)
	if !ok {
		return 0, command.Error("ERR " + msg)
	}
	return v, nil
}

// geoaddOptions reads GEOADD's options and returns where the first
// longitude is.
func geoaddOptions(args [][]byte) (nx, xx, ch bool, at int) {
	for at = 2; at < len(args); at++ {
		switch a := args[at]; {
		case command.Eq(a, "nx"):
			nx = true
		case command.Eq(a, "xx"):
			xx = true
		case command.Eq(a, "ch"):
			ch = true
		default:
			return nx, xx, ch, at
		}
	}
	return nx, xx, ch, at
}

// cmdGeoadd: GEOADD key [NX|XX] [CH] longitude latitude member [...]
func cmdGeoadd(c *command.Call) error {
	nx, xx, ch, at := geoaddOptions(c.Args)
	n := len(c.Args) - at
	if n%3 != 0 || (xx && nx) || n == 0 {
		return command.ErrSyntax
	}
	scores := make([]float64, n/3)
	for i := range scores {
		lon, lat, err := lonLatArg(c.Args[at+3*i:])
		if err != nil {
			return err
		}
		h, _ := geohash.EncodeWGS84(lon, lat, geohash.StepMax)
		scores[i] = float64(geohash.Align52(h))
	}
	added, updated, err := geoadd(c, scores, at, nx, xx)
	if err != nil {
		return err
	}
	if ch {
		added += updated
	}
	c.R.Int(int64(added))
	return nil
}

// geoadd is ZADD's work for GEOADD's scores, the members after each
// coordinate pair from index at.
func geoadd(c *command.Call, scores []float64, at int, nx, xx bool) (added, updated int, err error) {
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, keyspace.KindZSet)
	if err != nil || (e == nil && xx) {
		return 0, 0, err
	}
	entries, value := c.D.Cfg.Int("zset-max-listpack-entries"), c.D.Cfg.Int("zset-max-listpack-value")
	if e == nil {
		big := entries == 0 || int64(len(c.Args[at+2])) > value
		e = c.DB().SetObject(key, keyspace.KindZSet, keyspace.NewZSet(big))
	}
	z := command.ZsetOf(e)
	for i, score := range scores {
		m := c.Args[at+3*i+2]
		cur, exists := z.Score(m)
		switch {
		case exists && nx, !exists && xx:
		case !exists:
			z.Grow(entries, value, len(m))
			z.Set(string(m), score)
			added++
		case score != cur:
			z.Set(string(m), score)
			updated++
		}
	}
	if added+updated > 0 {
		c.Notify(command.NotifyZSet, "zadd", key)
	}
	return added, updated, nil
}

// cmdGeopos: GEOPOS key [member ...]
func cmdGeopos(c *command.Call) error {
	z, err := readZSet(c)
	if err != nil {
		return err
	}
	c.R.Array(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		score, ok := scoreOf(z, m)
		if !ok {
			c.R.NullArray()
			continue
		}
		lon, lat := geohash.DecodeScore(score)
		c.R.Array(2)
		c.R.DoubleText(lon, geohash.Coordinate(lon))
		c.R.DoubleText(lat, geohash.Coordinate(lat))
	}
	return nil
}

// cmdGeohash: GEOHASH key [member ...]
func cmdGeohash(c *command.Call) error {
	z, err := readZSet(c)
	if err != nil {
		return err
	}
	c.R.Array(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		if score, ok := scoreOf(z, m); ok {
			c.R.BulkString(geohash.Standard(score))
		} else {
			c.R.Null()
		}
	}
	return nil
}

// cmdGeodist: GEODIST key member1 member2 [M|KM|FT|MI]
func cmdGeodist(c *command.Call) error {
	toMeters := 1.0
	switch {
	case len(c.Args) == 5:
		var err error
		if toMeters, err = unitArg(c.Args[4]); err != nil {
			return err
		}
	case len(c.Args) > 5:
		return command.ErrSyntax
	}
	z, err := readZSet(c)
	if err != nil {
		return err
	}
	s1, ok1 := scoreOf(z, c.Args[2])
	s2, ok2 := scoreOf(z, c.Args[3])
	if !ok1 || !ok2 {
		c.R.Null()
		return nil
	}
	lon1, lat1 := geohash.DecodeScore(s1)
	lon2, lat2 := geohash.DecodeScore(s2)
	c.R.BulkString(geohash.Distance4(geohash.Distance(lon1, lat1, lon2, lat2) / toMeters))
	return nil
}

// readZSet looks up the sorted set at args[1] for reading: nil when the
// key is missing.
func readZSet(c *command.Call) (*keyspace.ZSet, error) {
	e, err := c.LookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil || e == nil {
		return nil, err
	}
	return command.ZsetOf(e), nil
}

// scoreOf is member's score in z, a nil z holding nothing.
func scoreOf(z *keyspace.ZSet, member []byte) (float64, bool) {
	if z == nil {
		return 0, false
	}
	return z.Score(member)
}
