package dumpcmd

import (
	"math"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/internal/rdb"
	"github.com/larder-db/larder/keyspace"
)

// errBadData is RESTORE's answer to a payload whose body does not decode.
const errBadData command.Error = "ERR Bad data format"

// limits are the encoding thresholds a restored value is held to, as
// rdbLoadObject applies them.
type limits struct {
	intset                 int64
	hashEntries, hashValue int64
	zsetEntries, zsetValue int64
}

func limitsOf(c *command.Call) limits {
	cfg := c.D.Cfg
	return limits{
		intset:      cfg.Int("set-max-intset-entries"),
		hashEntries: cfg.Int("hash-max-listpack-entries"), hashValue: cfg.Int("hash-max-listpack-value"),
		zsetEntries: cfg.Int("zset-max-listpack-entries"), zsetValue: cfg.Int("zset-max-listpack-value"),
	}
}

// value is a decoded payload: a string's bytes, or an object of kind.
type value struct {
	kind keyspace.Kind
	str  []byte
	obj  keyspace.Object
}

// load decodes a payload (type byte and value, then the footer), validating
// it as Redis does with sanitize-dump-payload yes. Empty collections,
// duplicate members and NaN scores are errors, as in Redis 7.0. As in
// Redis, the value is read from the whole payload: a value that runs into
// the footer is read with the footer's bytes, and bytes left over are not
// looked at.
func load(body []byte, lim limits) (value, error) {
	if len(body) == 0 {
		return value{}, errBadData
	}
	r := rdb.NewReader(body[1:])
	switch t := body[0]; t {
	case typeString:
		s, err := r.String()
		if err != nil {
			return value{}, errBadData
		}
		return value{kind: keyspace.KindString, str: s}, nil
	case typeList, typeListZiplist, typeListQuicklist, typeListQuick2:
		elems, err := loadListElems(r, t)
		if err != nil || len(elems) == 0 {
			return value{}, errBadData
		}
		l := keyspace.NewList()
		for _, v := range elems {
			l.PushRight(string(v))
		}
		return value{kind: keyspace.KindList, obj: l}, nil
	case typeSet, typeSetIntset:
		return loadSet(r, t, lim)
	case typeHash, typeHashZipmap, typeHashZiplist, typeHashListpack:
		return loadHash(r, t, lim)
	case typeZSet, typeZSet2, typeZSetZiplist, typeZSetListpack:
		return loadZSet(r, t, lim)
	}
	return value{}, errBadData
}

// readStrings reads a length and that many strings (count strings per
// unit of the length).
func readStrings(r *rdb.Reader, per int) ([][]byte, error) {
	n, err := r.Len()
	if err != nil || n == 0 || n > uint64(r.Left()) {
		return nil, errBadData // every string takes at least one byte
	}
	out := make([][]byte, 0, int(n)*per)
	for i := 0; i < int(n)*per; i++ {
		s, err := r.String()
		if err != nil {
			return nil, errBadData
		}
		out = append(out, s)
	}
	return out, nil
}

// blob reads one string holding a listpack, ziplist, intset or zipmap.
func blob(r *rdb.Reader, parse func([]byte) ([][]byte, error)) ([][]byte, error) {
	p, err := r.String()
	if err != nil {
		return nil, errBadData
	}
	out, err := parse(p)
	if err != nil {
		return nil, errBadData
	}
	return out, nil
}

func loadListElems(r *rdb.Reader, t byte) ([][]byte, error) {
	switch t {
	case typeList:
		return readStrings(r, 1)
	case typeListZiplist:
		return blob(r, rdb.ParseZiplist)
	}
	n, err := r.Len()
	if err != nil || n == 0 || n > uint64(r.Left()) {
		return nil, errBadData
	}
	var out [][]byte
	for i := uint64(0); i < n; i++ {
		container := uint64(containerPacked)
		if t == typeListQuick2 {
			if container, err = r.Len(); err != nil || (container != containerPacked && container != containerPlain) {
				return nil, errBadData
			}
		}
		p, err := r.String()
		if err != nil || len(p) == 0 {
			return nil, errBadData
		}
		var elems [][]byte
		switch {
		case container == containerPlain:
			elems = [][]byte{p}
		case t == typeListQuick2:
			elems, err = rdb.ParseListpack(p)
		default:
			elems, err = rdb.ParseZiplist(p)
		}
		if err != nil {
			return nil, errBadData
		}
		out = append(out, elems...)
	}
	return out, nil
}

func loadSet(r *rdb.Reader, t byte, lim limits) (value, error) {
	var members [][]byte
	var err error
	if t == typeSetIntset {
		members, err = blob(r, rdb.ParseIntset)
	} else {
		members, err = readStrings(r, 1)
	}
	if err != nil || len(members) == 0 {
		return value{}, errBadData
	}
	s := keyspace.NewSet()
	for _, m := range members {
		if !s.Add(m, lim.intset) {
			return value{}, errBadData // a duplicate member
		}
	}
	return value{kind: keyspace.KindSet, obj: s}, nil
}

func loadHash(r *rdb.Reader, t byte, lim limits) (value, error) {
	var pairs [][]byte
	var err error
	switch t {
	case typeHash:
		pairs, err = readStrings(r, 2)
	case typeHashZipmap:
		pairs, err = blob(r, rdb.ParseZipmap)
	case typeHashZiplist:
		pairs, err = blob(r, rdb.ParseZiplist)
	default:
		pairs, err = blob(r, rdb.ParseListpack)
	}
	if err != nil || len(pairs) == 0 || len(pairs)%2 != 0 {
		return value{}, errBadData
	}
	// A listpack payload converts on its field count only (rdbLoadObject);
	// the others on field and value lengths too.
	maxValue := lim.hashValue
	if t == typeHashListpack {
		maxValue = math.MaxInt64
	}
	h := keyspace.NewHash()
	for i := 0; i < len(pairs); i += 2 {
		if !h.Set(pairs[i], pairs[i+1], false, lim.hashEntries, maxValue) {
			return value{}, errBadData // a duplicate field
		}
	}
	return value{kind: keyspace.KindHash, obj: h}, nil
}

func loadZSet(r *rdb.Reader, t byte, lim limits) (value, error) {
	items, err := zsetItems(r, t)
	if err != nil || len(items) == 0 {
		return value{}, errBadData
	}
	// A skiplist payload becomes a listpack when it fits both limits; a
	// listpack or ziplist one a skiplist past the entry limit only.
	big := int64(len(items)) > lim.zsetEntries
	if t == typeZSet || t == typeZSet2 {
		for _, it := range items {
			big = big || int64(len(it.Member)) > lim.zsetValue
		}
	}
	z := keyspace.NewZSet(big)
	for _, it := range items {
		if math.IsNaN(it.Score) || !z.Set(it.Member, it.Score) {
			return value{}, errBadData // a NaN score or a duplicate member
		}
	}
	return value{kind: keyspace.KindZSet, obj: z}, nil
}

func zsetItems(r *rdb.Reader, t byte) ([]keyspace.ZItem, error) {
	if t == typeZSet || t == typeZSet2 {
		n, err := r.Len()
		if err != nil || n == 0 || n > uint64(r.Left()) {
			return nil, errBadData
		}
		items := make([]keyspace.ZItem, 0, n)
		for i := uint64(0); i < n; i++ {
			m, err := r.String()
			if err != nil {
				return nil, errBadData
			}
			var f float64
			if t == typeZSet {
				f, err = r.TextDouble()
			} else {
				f, err = r.BinaryDouble()
			}
			if err != nil {
				return nil, errBadData
			}
			items = append(items, keyspace.ZItem{Member: string(m), Score: f})
		}
		return items, nil
	}
	parse := rdb.ParseListpack
	if t == typeZSetZiplist {
		parse = rdb.ParseZiplist
	}
	pairs, err := blob(r, parse)
	if err != nil || len(pairs)%2 != 0 {
		return nil, errBadData
	}
	items := make([]keyspace.ZItem, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		f := rdb.Strtod(pairs[i+1]) // Redis reads a bad score as its number prefix
		items = append(items, keyspace.ZItem{Member: string(pairs[i]), Score: f})
	}
	return items, nil
}
