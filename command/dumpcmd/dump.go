package dumpcmd

import (
	"strconv"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/internal/rdb"
	"github.com/larder-db/larder/keyspace"
)

// RDB object types (rdb.h, RDB version 10).
const (
	typeString        = 0
	typeList          = 1
	typeSet           = 2
	typeZSet          = 3
	typeHash          = 4
	typeZSet2         = 5
	typeHashZipmap    = 9
	typeListZiplist   = 10
	typeSetIntset     = 11
	typeZSetZiplist   = 12
	typeHashZiplist   = 13
	typeListQuicklist = 14
	typeHashListpack  = 16
	typeZSetListpack  = 17
	typeListQuick2    = 18
)

// quicklist node containers and sizing (quicklist.c).
const (
	containerPlain    = 1
	containerPacked   = 2
	sizeSafetyLimit   = 8192
	sizeEstimateExtra = 8
	fillMin           = -5
	fillMax           = 1<<15 - 1
)

// optimizationLevel is the node byte limit of list-max-listpack-size -1 … -5.
var optimizationLevel = []int{4096, 8192, 16384, 32768, 65536}

// cmdDump: DUMP key
func cmdDump(c *command.Call) error {
	e := c.Lookup(c.Args[1])
	if e == nil {
		c.R.Null()
		return nil
	}
	body, err := encodeValue(c, e)
	if err != nil {
		return err
	}
	c.R.Bulk(rdb.Seal(body))
	return nil
}

// encodeValue appends the RDB type byte and body of e's value, in the
// encoding the value reports (OBJECT ENCODING), as rdbSaveObject writes it.
func encodeValue(c *command.Call, e *keyspace.Entry) ([]byte, error) {
	switch e.Kind() {
	case keyspace.KindString:
		return rdb.AppendString([]byte{typeString}, e.Str()), nil
	case keyspace.KindList:
		fill := min(max(c.D.Cfg.Int("list-max-listpack-size"), fillMin), fillMax) // quicklistSetFill
		return encodeList(command.ListOf(e), int(fill)), nil
	case keyspace.KindSet:
		return encodeSet(command.SetOf(e)), nil
	case keyspace.KindHash:
		return encodeHash(command.HashOf(e), c.NowMs()), nil
	case keyspace.KindZSet:
		return encodeZSet(command.ZsetOf(e)), nil
	}
	if t := c.D.TypeOf(e.Kind()); t.DumpRDB != nil {
		return t.DumpRDB(e), nil
	}
	return nil, command.Error("ERR DUMP of a " + e.Kind().String() + " key is not supported")
}

// encodeList writes a quicklist as RPUSH would have built it: listpack
// nodes cut where quicklist's _quicklistNodeAllowInsert refuses the next
// element under list-max-listpack-size fill. list-compress-depth needs no
// case of its own: a node Redis holds compressed (at least 48 bytes, LZF
// saving 8) is saved as its LZF blob, the very bytes rdbSaveRawString
// writes for the node uncompressed.
func encodeList(l *keyspace.List, fill int) []byte {
	var nodes []*rdb.Listpack
	for i := 0; i < l.Len(); i++ {
		v := l.At(i)
		if len(nodes) == 0 || !allowInsert(nodes[len(nodes)-1], fill, len(v)) {
			nodes = append(nodes, rdb.NewListpack())
		}
		nodes[len(nodes)-1].Append([]byte(v))
	}
	b := rdb.AppendLen([]byte{typeListQuick2}, uint64(len(nodes)))
	for _, n := range nodes {
		b = rdb.AppendLen(b, containerPacked)
		b = rdb.AppendString(b, n.Bytes())
	}
	return b
}

// allowInsert is quicklist's _quicklistNodeAllowInsert for a listpack node.
// Elements of a gigabyte or more (plain nodes) cannot reach it: they are
// over proto-max-bulk-len.
func allowInsert(n *rdb.Listpack, fill, sz int) bool {
	newSize := n.Size() + sz + sizeEstimateExtra
	if fill < 0 && -fill-1 < len(optimizationLevel) {
		if newSize <= optimizationLevel[-fill-1] {
			return true
		}
	}
	if newSize > sizeSafetyLimit {
		return false
	}
	return n.Len() < fill
}

func encodeSet(s *keyspace.Set) []byte {
	members := s.Members()
	if s.IsIntset() {
		vs := make([]int64, len(members))
		for i, m := range members {
			vs[i], _ = strconv.ParseInt(m, 10, 64)
		}
		return rdb.AppendString([]byte{typeSetIntset}, rdb.Intset(vs))
	}
	b := rdb.AppendLen([]byte{typeSet}, uint64(len(members)))
	for _, m := range members {
		b = rdb.AppendString(b, []byte(m))
	}
	return b
}

// encodeHash writes the fields live at now (Redis 7.0 has no field expiry:
// a field's TTL is not carried).
func encodeHash(h *keyspace.Hash, now int64) []byte {
	pairs := h.Pairs(now)
	if h.IsListpack() {
		lp := rdb.NewListpack()
		for _, s := range pairs {
			lp.Append([]byte(s))
		}
		return rdb.AppendString([]byte{typeHashListpack}, lp.Bytes())
	}
	b := rdb.AppendLen([]byte{typeHash}, uint64(len(pairs)/2))
	for _, s := range pairs {
		b = rdb.AppendString(b, []byte(s))
	}
	return b
}

// encodeZSet writes a listpack in score order with d2string scores, or a
// skiplist from tail to head with binary scores, as rdbSaveObject does.
func encodeZSet(z *keyspace.ZSet) []byte {
	if z.IsListpack() {
		lp := rdb.NewListpack()
		z.Each(func(it keyspace.ZItem) bool {
			lp.Append([]byte(it.Member))
			lp.Append([]byte(keyspace.FormatScore(it.Score)))
			return true
		})
		return rdb.AppendString([]byte{typeZSetListpack}, lp.Bytes())
	}
	b := rdb.AppendLen([]byte{typeZSet2}, uint64(z.Len()))
	z.Walk(0, z.Len()-1, true, func(it keyspace.ZItem) bool {
		b = rdb.AppendString(b, []byte(it.Member))
		b = rdb.AppendBinaryDouble(b, it.Score)
		return true
	})
	return b
}
