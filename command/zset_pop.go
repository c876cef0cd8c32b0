package command

import (
	"github.com/larder-db/larder/keyspace"
)

// Pops and random picks: ZPOPMIN ZPOPMAX ZMPOP ZRANDMEMBER. zpop is
// written for the blocking variants (BZPOPMIN BZPOPMAX BZMPOP) too.

// zpopShape is how genericZpopCommand frames its reply.
type zpopShape struct {
	emitKey      bool // BZPOP*/ZMPOP: the key comes first
	nested       bool // [member, score] pairs as arrays
	nilWhenEmpty bool
	block        bool // a blocking variant: nothing found means no reply yet
}

// zpop pops up to count members (count 0 or more; -1 = one, flat) from the
// first non-empty sorted set among keys, from the low end when min. It
// reports whether it replied: a blocking variant that finds every key
// empty replies nothing.
func zpop(c *Call, keys [][]byte, min bool, count int64, shape zpopShape) (bool, error) {
	var key []byte
	var e *keyspace.Entry
	for _, k := range keys {
		var err error
		if e, err = c.lookupWriteKind(k, keyspace.KindZSet); err != nil {
			return false, err
		}
		if e != nil {
			key = k
			break
		}
	}
	if e == nil && shape.block {
		return false, nil
	}
	if e == nil {
		if shape.nilWhenEmpty {
			c.R.NullArray()
		} else {
			c.R.Array(0)
		}
		return true, nil
	}
	if count == 0 {
		c.R.Array(0)
		return true, nil
	}
	count = max(count, 1)
	z := zsetOf(e)
	n := int(min64(count, int64(z.Len())))
	items := make([]keyspace.ZItem, 0, n)
	if min {
		z.Walk(0, n-1, false, func(it keyspace.ZItem) bool { items = append(items, it); return true })
	} else {
		z.Walk(z.Len()-n, z.Len()-1, true, func(it keyspace.ZItem) bool { items = append(items, it); return true })
	}
	for _, it := range items {
		z.Remove([]byte(it.Member))
	}
	event := "zpopmax"
	if min {
		event = "zpopmin"
	}
	c.zsetChanged(key, e, len(items), event)
	switch {
	case shape.emitKey && shape.nested:
		c.R.Array(2)
		c.R.Bulk(key)
		c.R.Array(n)
	case shape.emitKey:
		c.R.Array(2*n + 1)
		c.R.Bulk(key)
	case shape.nested:
		c.R.Array(n)
	default:
		c.R.Array(2 * n)
	}
	for _, it := range items {
		if shape.nested {
			c.R.Array(2)
		}
		c.R.BulkString(it.Member)
		c.R.Double(it.Score)
	}
	return true, nil
}

func min64(a, b int64) int64 { return min(a, b) }

func cmdZpopmin(c *Call) error { return zpopMinMax(c, true) }
func cmdZpopmax(c *Call) error { return zpopMinMax(c, false) }

// zpopMinMax: ZPOPMIN|ZPOPMAX key [count]
func zpopMinMax(c *Call, min bool) error {
	if len(c.Args) > 3 {
		return errSyntax
	}
	count, err := optionalCount(c.Args, 2)
	if err != nil {
		return err
	}
	_, err = zpop(c, c.Args[1:2], min, count, zpopShape{nested: c.S.Proto > 2 && count != -1})
	return err
}

// zmpopKeys: ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
func zmpopKeys(args [][]byte) []int { return numkeysPositions(args, 1) }

// zmpopArgs parses "numkeys key... MIN|MAX [COUNT count]" from args[at:]
// (ZMPOP, BZMPOP, and LMPOP's LEFT|RIGHT with the two names given).
func zmpopArgs(args [][]byte, at int, lo, hi string) (keys [][]byte, low bool, count int64, err error) {
	numkeys, ok := parseInt(args[at])
	if !ok || numkeys <= 0 {
		return nil, false, 0, Error("ERR numkeys should be greater than 0")
	}
	where := int64(at) + numkeys + 1
	if where >= int64(len(args)) {
		return nil, false, 0, errSyntax
	}
	switch w := args[where]; {
	case eq(w, lo):
		low = true
	case eq(w, hi):
	default:
		return nil, false, 0, errSyntax
	}
	count = -1
	for j := int(where) + 1; j < len(args); j++ {
		if count != -1 || !eq(args[j], "count") || j+1 >= len(args) {
			return nil, false, 0, errSyntax
		}
		j++
		n, ok := parseInt(args[j])
		if !ok || n <= 0 {
			return nil, false, 0, Error("ERR count should be greater than 0")
		}
		count = n
	}
	return args[at+1 : where], low, max(count, 1), nil
}

// cmdZmpop: ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
func cmdZmpop(c *Call) error {
	keys, low, count, err := zmpopArgs(c.Args, 1, "min", "max")
	if err != nil {
		return err
	}
	_, err = zpop(c, keys, low, count, zpopShape{emitKey: true, nested: true, nilWhenEmpty: true})
	return err
}

// cmdZrandmember: ZRANDMEMBER key [count [WITHSCORES]]
func cmdZrandmember(c *Call) error {
	if len(c.Args) == 2 {
		e, err := c.lookupKind(c.Args[1], keyspace.KindZSet)
		if err != nil {
			return err
		}
		if e == nil {
			c.R.Null()
			return nil
		}
		c.R.BulkString(zsetOf(e).Random().Member)
		return nil
	}
	n, err := randCount(c.Args[2])
	if err != nil {
		return err
	}
	withScores := false
	if len(c.Args) > 4 || (len(c.Args) == 4 && !eq(c.Args[3], "withscores")) {
		return errSyntax
	}
	if len(c.Args) == 4 {
		withScores = true
		if n < -(1<<63-1)/2 || n > (1<<63-1)/2 {
			return Error("ERR value is out of range")
		}
	}
	e, err := c.lookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil {
		return err
	}
	if e == nil || n == 0 {
		c.R.Array(0)
		return nil
	}
	z := zsetOf(e)
	all := func() []keyspace.ZItem {
		items := make([]keyspace.ZItem, 0, z.Len())
		z.Each(func(it keyspace.ZItem) bool { items = append(items, it); return true })
		return items
	}
	items, err := randomPicks(n, z.Len(), all, z.Random, func(it keyspace.ZItem) string { return it.Member })
	if err != nil {
		return err
	}
	replyItems(c, items, withScores)
	return nil
}
