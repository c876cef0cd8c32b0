package zsetcmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

func zsetCommands() []*command.Spec {
	rw := func(name string, arity int, flags command.Flag, acl command.ACL, h func(*command.Call) error) *command.Spec {
		return &command.Spec{Name: name, Arity: arity, Flags: flags, First: 1, Last: 1, Step: 1, ACL: acl | command.ACLSortedSet, Handler: h}
	}
	movable := func(name string, arity int, flags command.Flag, acl command.ACL, first int, keys func([][]byte) []int, h func(*command.Call) error) *command.Spec {
		return &command.Spec{Name: name, Arity: arity, Flags: flags | command.FlagMovableKeys, First: first, Last: first, Step: first,
			ACL: acl | command.ACLSortedSet | command.ACLSlow, Keys: keys, Handler: h}
	}
	const (
		r, w   = command.FlagReadOnly, command.FlagWrite
		rf, wf = command.FlagReadOnly | command.FlagFast, command.FlagWrite | command.FlagFast
		ar, aw = command.ACLRead, command.ACLWrite
	)
	return []*command.Spec{
		rw("zadd", -4, wf|command.FlagDenyOOM, aw|command.ACLFast, cmdZadd),
		rw("zincrby", 4, wf|command.FlagDenyOOM, aw|command.ACLFast, cmdZincrby),
		rw("zrem", -3, wf, aw|command.ACLFast, cmdZrem),
		rw("zcard", 2, rf, ar|command.ACLFast, cmdZcard),
		rw("zscore", 3, rf, ar|command.ACLFast, cmdZscore),
		rw("zmscore", -3, rf, ar|command.ACLFast, cmdZmscore),
		rw("zrank", 3, rf, ar|command.ACLFast, cmdZrank),
		rw("zrevrank", 3, rf, ar|command.ACLFast, cmdZrevrank),
		rw("zcount", 4, rf, ar|command.ACLFast, cmdZcount),
		rw("zlexcount", 4, rf, ar|command.ACLFast, cmdZlexcount),
		rw("zrange", -4, r, ar|command.ACLSlow, cmdZrange),
		rw("zrangebyscore", -4, r, ar|command.ACLSlow, cmdZrangebyscore),
		rw("zrangebylex", -4, r, ar|command.ACLSlow, cmdZrangebylex),
		rw("zrevrange", -4, r, ar|command.ACLSlow, cmdZrevrange),
		rw("zrevrangebyscore", -4, r, ar|command.ACLSlow, cmdZrevrangebyscore),
		rw("zrevrangebylex", -4, r, ar|command.ACLSlow, cmdZrevrangebylex),
		{Name: "zrangestore", Arity: -5, Flags: w | command.FlagDenyOOM, First: 1, Last: 2, Step: 1,
			ACL: aw | command.ACLSortedSet | command.ACLSlow, Handler: cmdZrangestore},
		rw("zremrangebyrank", 4, w, aw|command.ACLSlow, cmdZremrangebyrank),
		rw("zremrangebyscore", 4, w, aw|command.ACLSlow, cmdZremrangebyscore),
		rw("zremrangebylex", 4, w, aw|command.ACLSlow, cmdZremrangebylex),
		rw("zpopmin", -2, wf, aw|command.ACLFast, cmdZpopmin),
		rw("zpopmax", -2, wf, aw|command.ACLFast, cmdZpopmax),
		movable("zmpop", -4, w, aw, 0, command.ZmpopKeys, cmdZmpop),
		rw("zrandmember", -2, r, ar|command.ACLSlow, cmdZrandmember),
		rw("zscan", -3, r, ar|command.ACLSlow, cmdZscan),
		movable("zunion", -3, r, ar, 0, zalgebraKeys, cmdZunion),
		movable("zinter", -3, r, ar, 0, zalgebraKeys, cmdZinter),
		movable("zdiff", -3, r, ar, 0, zalgebraKeys, cmdZdiff),
		movable("zunionstore", -4, w|command.FlagDenyOOM, aw, 1, zstoreKeys, cmdZunionstore),
		movable("zinterstore", -4, w|command.FlagDenyOOM, aw, 1, zstoreKeys, cmdZinterstore),
		movable("zdiffstore", -4, w|command.FlagDenyOOM, aw, 1, zstoreKeys, cmdZdiffstore),
		movable("zintercard", -3, r, ar, 0, zalgebraKeys, cmdZintercard),
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
