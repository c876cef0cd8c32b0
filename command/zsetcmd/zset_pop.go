package zsetcmd

import (
	"github.com/larder-db/larder/command"
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
func zpop(c *command.Call, keys [][]byte, min bool, count int64, shape zpopShape) (bool, error) {
	var key []byte
	var e *keyspace.Entry
	for _, k := range keys {
		var err error
		if e, err = c.LookupWriteKind(k, keyspace.KindZSet); err != nil {
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
	z := command.ZsetOf(e)
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
	zsetChanged(c, key, e, len(items), event)
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

func cmdZpopmin(c *command.Call) error { return zpopMinMax(c, true) }
func cmdZpopmax(c *command.Call) error { return zpopMinMax(c, false) }

// zpopMinMax: ZPOPMIN|ZPOPMAX key [count]
func zpopMinMax(c *command.Call, min bool) error {
	if len(c.Args) > 3 {
		return command.ErrSyntax
	}
	count, err := command.OptionalCount(c.Args, 2)
	if err != nil {
		return err
	}
	_, err = zpop(c, c.Args[1:2], min, count, zpopShape{nested: c.S.Proto > 2 && count != -1})
	return err
}

// cmdZmpop: ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
func cmdZmpop(c *command.Call) error {
	keys, low, count, err := command.ZmpopArgs(c.Args, 1, "min", "max")
	if err != nil {
		return err
	}
	_, err = zpop(c, keys, low, count, zpopShape{emitKey: true, nested: true, nilWhenEmpty: true})
	return err
}

// cmdZrandmember: ZRANDMEMBER key [count [WITHSCORES]]
func cmdZrandmember(c *command.Call) error {
	if len(c.Args) == 2 {
		e, err := c.LookupKind(c.Args[1], keyspace.KindZSet)
		if err != nil {
			return err
		}
		if e == nil {
			c.R.Null()
			return nil
		}
		c.R.BulkString(command.ZsetOf(e).Random().Member)
		return nil
	}
	n, err := command.RandCount(c.Args[2])
	if err != nil {
		return err
	}
	withScores := false
	if len(c.Args) > 4 || (len(c.Args) == 4 && !command.Eq(c.Args[3], "withscores")) {
		return command.ErrSyntax
	}
	if len(c.Args) == 4 {
		withScores = true
		if n < -(1<<63-1)/2 || n > (1<<63-1)/2 {
			return command.Error("ERR value is out of range")
		}
	}
	e, err := c.LookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil {
		return err
	}
	if e == nil || n == 0 {
		c.R.Array(0)
		return nil
	}
	z := command.ZsetOf(e)
	all := func() []keyspace.ZItem {
		items := make([]keyspace.ZItem, 0, z.Len())
		z.Each(func(it keyspace.ZItem) bool { items = append(items, it); return true })
		return items
	}
	items, err := command.RandomPicks(n, z.Len(), all, z.Random, func(it keyspace.ZItem) string { return it.Member })
	if err != nil {
		return err
	}
	replyItems(c, items, withScores)
	return nil
}
