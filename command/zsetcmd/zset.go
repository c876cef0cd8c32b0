package zsetcmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

func zsetCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "zadd", Arity: -4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLFast, Handler: cmdZadd},
		{Name: "zincrby", Arity: 4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLFast, Handler: cmdZincrby},
		{Name: "zrem", Arity: -3, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLFast, Handler: cmdZrem},
		{Name: "zcard", Arity: 2, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLFast, Handler: cmdZcard},
		{Name: "zscore", Arity: 3, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLFast, Handler: cmdZscore},
		{Name: "zmscore", Arity: -3, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLFast, Handler: cmdZmscore},
		{Name: "zrank", Arity: 3, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLFast, Handler: cmdZrank},
		{Name: "zrevrank", Arity: 3, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLFast, Handler: cmdZrevrank},
		{Name: "zcount", Arity: 4, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLFast, Handler: cmdZcount},
		{Name: "zlexcount", Arity: 4, Flags: command.FlagReadOnly | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLFast, Handler: cmdZlexcount},
		{Name: "zrange", Arity: -4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLSlow, Handler: cmdZrange},
		{Name: "zrangebyscore", Arity: -4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLSlow, Handler: cmdZrangebyscore},
		{Name: "zrangebylex", Arity: -4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLSlow, Handler: cmdZrangebylex},
		{Name: "zrevrange", Arity: -4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLSlow, Handler: cmdZrevrange},
		{Name: "zrevrangebyscore", Arity: -4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLSlow, Handler: cmdZrevrangebyscore},
		{Name: "zrevrangebylex", Arity: -4, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLSlow, Handler: cmdZrevrangebylex},
		{Name: "zrangestore", Arity: -5, Flags: command.FlagWrite | command.FlagDenyOOM, First: 1, Last: 2, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLSlow, Handler: cmdZrangestore},
		{Name: "zremrangebyrank", Arity: 4, Flags: command.FlagWrite, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLSlow, Handler: cmdZremrangebyrank},
		{Name: "zremrangebyscore", Arity: 4, Flags: command.FlagWrite, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLSlow, Handler: cmdZremrangebyscore},
		{Name: "zremrangebylex", Arity: 4, Flags: command.FlagWrite, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLSlow, Handler: cmdZremrangebylex},
		{Name: "zpopmin", Arity: -2, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLFast, Handler: cmdZpopmin},
		{Name: "zpopmax", Arity: -2, Flags: command.FlagWrite | command.FlagFast, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLFast, Handler: cmdZpopmax},
		{Name: "zmpop", Arity: -4, Flags: command.FlagWrite | command.FlagMovableKeys,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLSlow, Keys: command.ZmpopKeys, Handler: cmdZmpop},
		{Name: "zrandmember", Arity: -2, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLSlow, Handler: cmdZrandmember},
		{Name: "zscan", Arity: -3, Flags: command.FlagReadOnly, First: 1, Last: 1, Step: 1,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLSlow, Handler: cmdZscan},
		{Name: "zunion", Arity: -3, Flags: command.FlagReadOnly | command.FlagMovableKeys,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLSlow, Keys: zalgebraKeys, Handler: cmdZunion},
		{Name: "zinter", Arity: -3, Flags: command.FlagReadOnly | command.FlagMovableKeys,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLSlow, Keys: zalgebraKeys, Handler: cmdZinter},
		{Name: "zdiff", Arity: -3, Flags: command.FlagReadOnly | command.FlagMovableKeys,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLSlow, Keys: zalgebraKeys, Handler: cmdZdiff},
		{Name: "zunionstore", Arity: -4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagMovableKeys, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLSlow, Keys: zstoreKeys, Handler: cmdZunionstore},
		{Name: "zinterstore", Arity: -4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagMovableKeys, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLSlow, Keys: zstoreKeys, Handler: cmdZinterstore},
		{Name: "zdiffstore", Arity: -4, Flags: command.FlagWrite | command.FlagDenyOOM | command.FlagMovableKeys, First: 1, Last: 1, Step: 1,
			ACL: command.ACLWrite | command.ACLSortedSet | command.ACLSlow, Keys: zstoreKeys, Handler: cmdZdiffstore},
		{Name: "zintercard", Arity: -3, Flags: command.FlagReadOnly | command.FlagMovableKeys,
			ACL: command.ACLRead | command.ACLSortedSet | command.ACLSlow, Keys: zalgebraKeys, Handler: cmdZintercard},
	}
}

// zsetLimits returns zset-max-listpack-entries and -value.
func zsetLimits(c *command.Call) (int64, int64) {
	return c.D.Cfg.Int("zset-max-listpack-entries"), c.D.Cfg.Int("zset-max-listpack-value")
}

// newZSet creates a sorted set as Redis 7.0's ZADD does: a skiplist when
// listpacks are disabled or the first member is already too long.
func newZSet(c *command.Call, firstLen int) *keyspace.ZSet {
	entries, value := zsetLimits(c)
	return keyspace.NewZSet(entries == 0 || int64(firstLen) > value)
}

// zadd adds or updates one member of z as zsetAdd, converting the encoding
// before an insertion that would not fit a listpack.
func zadd(c *command.Call, z *keyspace.ZSet, member []byte, score float64) bool {
	if _, ok := z.Score(member); !ok {
		entries, value := zsetLimits(c)
		z.Grow(entries, value, len(member))
	}
	return z.Set(string(member), score)
}

// storeZSet replaces dst with items (a *STORE result), or deletes it when
// items is empty, naming the encoding by content as Redis's
// zsetConvertToListpackIfNeeded does. It reports the stored length.
func storeZSet(c *command.Call, dst []byte, items []keyspace.ZItem) int {
	if len(items) == 0 {
		if c.DB().Delete(dst) {
			c.Notify(command.NotifyGeneric, "del", dst)
		}
		return 0
	}
	maxLen := 0
	for _, it := range items {
		maxLen = max(maxLen, len(it.Member))
	}
	entries, value := zsetLimits(c)
	z := keyspace.NewZSet(int64(len(items)) > entries || int64(maxLen) > value)
	for _, it := range items {
		z.Set(it.Member, it.Score)
	}
	c.DB().SetObject(dst, keyspace.KindZSet, z)
	c.Notify(command.NotifyZSet, c.Spec.Name, dst)
	return len(items)
}

// replyItems writes items as a range reply: members, or with scores
// member/score pairs — flat in RESP2, [member, score] arrays in RESP3.
func replyItems(c *command.Call, items []keyspace.ZItem, withScores bool) {
	c.R.Array(len(items) * (1 + command.BoolN(withScores && c.S.Proto == 2)))
	for _, it := range items {
		if withScores && c.S.Proto > 2 {
			c.R.Array(2)
		}
		c.R.BulkString(it.Member)
		if withScores {
			c.R.Double(it.Score)
		}
	}
}

// zaddFlags are ZADD's options.
type zaddFlags struct{ nx, xx, gt, lt, ch, incr bool }

// cmdZadd: ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
func cmdZadd(c *command.Call) error {
	var f zaddFlags
	i := 2
	for ; i < len(c.Args); i++ {
		a := c.Args[i]
		switch {
		case command.Eq(a, "nx"):
			f.nx = true
		case command.Eq(a, "xx"):
			f.xx = true
		case command.Eq(a, "gt"):
			f.gt = true
		case command.Eq(a, "lt"):
			f.lt = true
		case command.Eq(a, "ch"):
			f.ch = true
		case command.Eq(a, "incr"):
			f.incr = true
		default:
			return zaddGeneric(c, f, i)
		}
	}
	return command.ErrSyntax
}

// cmdZincrby: ZINCRBY key increment member
func cmdZincrby(c *command.Call) error { return zaddGeneric(c, zaddFlags{incr: true}, 2) }

// zaddGeneric is zaddGenericCommand from the first score at index at.
func zaddGeneric(c *command.Call, f zaddFlags, at int) error {
	n := len(c.Args) - at
	if n%2 != 0 || n == 0 {
		return command.ErrSyntax
	}
	switch {
	case f.nx && f.xx:
		return command.Error("ERR XX and NX options at the same time are not compatible")
	case (f.gt || f.lt) && f.nx, f.gt && f.lt:
		return command.Error("ERR GT, LT, and/or NX options at the same time are not compatible")
	case f.incr && n > 2:
		return command.Error("ERR INCR option supports a single increment-element pair")
	}
	scores := make([]float64, n/2)
	for j := range scores {
		s, err := scoreArg(c.Args[at+2*j])
		if err != nil {
			return err
		}
		scores[j] = s
	}
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, keyspace.KindZSet)
	if err != nil {
		return err
	}
	if e == nil && f.xx {
		return zaddReply(c, f, 0, 0, false, 0)
	}
	if e == nil {
		e = c.DB().SetObject(key, keyspace.KindZSet, newZSet(c, len(c.Args[at+1])))
	}
	z := command.ZsetOf(e)
	added, updated, processed, last := 0, 0, false, 0.0
	for j, score := range scores {
		m := c.Args[at+2*j+1]
		cur, exists := z.Score(m)
		switch {
		case exists && f.nx, !exists && f.xx:
			continue
		case exists && f.incr:
			score += cur
			if score != score {
				return command.Error("ERR resulting score is not a number (NaN)")
			}
		}
		if exists && ((f.lt && score >= cur) || (f.gt && score <= cur)) {
			continue
		}
		processed, last = true, score
		if !exists {
			zadd(c, z, m, score)
			added++
		} else if score != cur {
			z.Set(string(m), score)
			updated++
		} else if score == 0 {
			last, _ = z.Score(m) // the stored zero, with its sign
		}
	}
	if added+updated > 0 {
		c.Notify(command.NotifyZSet, map[bool]string{true: "zincr", false: "zadd"}[f.incr], key)
	}
	return zaddReply(c, f, added, updated, processed, last)
}

func zaddReply(c *command.Call, f zaddFlags, added, updated int, processed bool, score float64) error {
	switch {
	case f.incr && processed:
		c.R.Double(score)
	case f.incr:
		c.R.Null()
	case f.ch:
		c.R.Int(int64(added + updated))
	default:
		c.R.Int(int64(added))
	}
	return nil
}

// cmdZrem: ZREM key member [member ...]
func cmdZrem(c *command.Call) error {
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, keyspace.KindZSet)
	if err != nil || e == nil {
		if err == nil {
			c.R.Int(0)
		}
		return err
	}
	z, removed := command.ZsetOf(e), 0
	for _, m := range c.Args[2:] {
		if z.Remove(m) {
			removed++
			if z.Len() == 0 {
				break
			}
		}
	}
	zsetChanged(c, key, e, removed, "zrem")
	c.R.Int(int64(removed))
	return nil
}

// zsetChanged finishes a removal of n members: the command's event, and an
// emptied set is deleted.
func zsetChanged(c *command.Call, key []byte, e *keyspace.Entry, n int, event string) {
	if n > 0 {
		c.Notify(command.NotifyZSet, event, key)
	}
	if command.ZsetOf(e).Len() == 0 {
		c.DB().Delete(key)
		c.Notify(command.NotifyGeneric, "del", key)
	} else if n > 0 {
	}
}

// cmdZcard: ZCARD key
func cmdZcard(c *command.Call) error {
	e, err := c.LookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil {
		return err
	}
	n := 0
	if e != nil {
		n = command.ZsetOf(e).Len()
	}
	c.R.Int(int64(n))
	return nil
}

// cmdZscore: ZSCORE key member
func cmdZscore(c *command.Call) error {
	e, err := c.LookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil {
		return err
	}
	if e != nil {
		if s, ok := command.ZsetOf(e).Score(c.Args[2]); ok {
			c.R.Double(s)
			return nil
		}
	}
	c.R.Null()
	return nil
}

// cmdZmscore: ZMSCORE key member [member ...]
func cmdZmscore(c *command.Call) error {
	e, err := c.LookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil {
		return err
	}
	c.R.Array(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		if e != nil {
			if s, ok := command.ZsetOf(e).Score(m); ok {
				c.R.Double(s)
				continue
			}
		}
		c.R.Null()
	}
	return nil
}

func cmdZrank(c *command.Call) error    { return zrank(c, false) }
func cmdZrevrank(c *command.Call) error { return zrank(c, true) }

// zrank: Z[REV]RANK key member
func zrank(c *command.Call, rev bool) error {
	e, err := c.LookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil {
		return err
	}
	if e != nil {
		z := command.ZsetOf(e)
		if r, ok := z.Rank(c.Args[2]); ok {
			if rev {
				r = z.Len() - 1 - r
			}
			c.R.Int(int64(r))
			return nil
		}
	}
	c.R.Null()
	return nil
}

// cmdZscan: ZSCAN key cursor [MATCH pattern] [COUNT count]
func cmdZscan(c *command.Call) error {
	return command.ScanCollection(c, keyspace.KindZSet, func(e *keyspace.Entry, cur uint64, o command.ScanOpts, emit func(string)) uint64 {
		return command.ZsetOf(e).Scan(cur, o.Count, o.Count*10, func(it keyspace.ZItem) {
			emit(it.Member)
			emit(keyspace.FormatScore(it.Score))
		})
	}, 2)
}

// Commands returns the family's rows, the blocking pops included.
func Commands() []*command.Spec { return append(zsetCommands(), blockingZsetCommands()...) }
