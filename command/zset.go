package command

import (
	"github.com/larder-db/larder/keyspace"
)

func zsetCommands() []*Spec {
	rw := func(name string, arity int, flags Flag, acl ACL, h func(*Call) error) *Spec {
		return &Spec{Name: name, Arity: arity, Flags: flags, First: 1, Last: 1, Step: 1, ACL: acl | ACLSortedSet, Handler: h}
	}
	movable := func(name string, arity int, flags Flag, acl ACL, first int, keys func([][]byte) []int, h func(*Call) error) *Spec {
		return &Spec{Name: name, Arity: arity, Flags: flags | FlagMovableKeys, First: first, Last: first, Step: first,
			ACL: acl | ACLSortedSet | ACLSlow, Keys: keys, Handler: h}
	}
	const (
		r, w   = FlagReadOnly, FlagWrite
		rf, wf = FlagReadOnly | FlagFast, FlagWrite | FlagFast
		ar, aw = ACLRead, ACLWrite
	)
	return []*Spec{
		rw("zadd", -4, wf|FlagDenyOOM, aw|ACLFast, cmdZadd),
		rw("zincrby", 4, wf|FlagDenyOOM, aw|ACLFast, cmdZincrby),
		rw("zrem", -3, wf, aw|ACLFast, cmdZrem),
		rw("zcard", 2, rf, ar|ACLFast, cmdZcard),
		rw("zscore", 3, rf, ar|ACLFast, cmdZscore),
		rw("zmscore", -3, rf, ar|ACLFast, cmdZmscore),
		rw("zrank", 3, rf, ar|ACLFast, cmdZrank),
		rw("zrevrank", 3, rf, ar|ACLFast, cmdZrevrank),
		rw("zcount", 4, rf, ar|ACLFast, cmdZcount),
		rw("zlexcount", 4, rf, ar|ACLFast, cmdZlexcount),
		rw("zrange", -4, r, ar|ACLSlow, cmdZrange),
		rw("zrangebyscore", -4, r, ar|ACLSlow, cmdZrangebyscore),
		rw("zrangebylex", -4, r, ar|ACLSlow, cmdZrangebylex),
		rw("zrevrange", -4, r, ar|ACLSlow, cmdZrevrange),
		rw("zrevrangebyscore", -4, r, ar|ACLSlow, cmdZrevrangebyscore),
		rw("zrevrangebylex", -4, r, ar|ACLSlow, cmdZrevrangebylex),
		{Name: "zrangestore", Arity: -5, Flags: w | FlagDenyOOM, First: 1, Last: 2, Step: 1,
			ACL: aw | ACLSortedSet | ACLSlow, Handler: cmdZrangestore},
		rw("zremrangebyrank", 4, w, aw|ACLSlow, cmdZremrangebyrank),
		rw("zremrangebyscore", 4, w, aw|ACLSlow, cmdZremrangebyscore),
		rw("zremrangebylex", 4, w, aw|ACLSlow, cmdZremrangebylex),
		rw("zpopmin", -2, wf, aw|ACLFast, cmdZpopmin),
		rw("zpopmax", -2, wf, aw|ACLFast, cmdZpopmax),
		movable("zmpop", -4, w, aw, 0, zmpopKeys, cmdZmpop),
		rw("zrandmember", -2, r, ar|ACLSlow, cmdZrandmember),
		rw("zscan", -3, r, ar|ACLSlow, cmdZscan),
		movable("zunion", -3, r, ar, 0, zalgebraKeys, cmdZunion),
		movable("zinter", -3, r, ar, 0, zalgebraKeys, cmdZinter),
		movable("zdiff", -3, r, ar, 0, zalgebraKeys, cmdZdiff),
		movable("zunionstore", -4, w|FlagDenyOOM, aw, 1, zstoreKeys, cmdZunionstore),
		movable("zinterstore", -4, w|FlagDenyOOM, aw, 1, zstoreKeys, cmdZinterstore),
		movable("zdiffstore", -4, w|FlagDenyOOM, aw, 1, zstoreKeys, cmdZdiffstore),
		movable("zintercard", -3, r, ar, 0, zalgebraKeys, cmdZintercard),
	}
}

// zsetOf returns the sorted set value of a zset entry.
func zsetOf(e *keyspace.Entry) *keyspace.ZSet { return e.Obj().(*keyspace.ZSet) }

// zsetLimits returns zset-max-listpack-entries and -value.
func (c *Call) zsetLimits() (int64, int64) {
	return c.D.cfg.Int("zset-max-listpack-entries"), c.D.cfg.Int("zset-max-listpack-value")
}

// newZSet creates a sorted set as Redis 7.0's ZADD does: a skiplist when
// listpacks are disabled or the first member is already too long.
func (c *Call) newZSet(firstLen int) *keyspace.ZSet {
	entries, value := c.zsetLimits()
	return keyspace.NewZSet(entries == 0 || int64(firstLen) > value)
}

// zadd adds or updates one member of z as zsetAdd, converting the encoding
// before an insertion that would not fit a listpack.
func (c *Call) zadd(z *keyspace.ZSet, member []byte, score float64) bool {
	if _, ok := z.Score(member); !ok {
		entries, value := c.zsetLimits()
		z.Grow(entries, value, len(member))
	}
	return z.Set(string(member), score)
}

// storeZSet replaces dst with items (a *STORE result), or deletes it when
// items is empty, naming the encoding by content as Redis's
// zsetConvertToListpackIfNeeded does. It reports the stored length.
func (c *Call) storeZSet(dst []byte, items []keyspace.ZItem) int {
	if len(items) == 0 {
		if c.DB().Delete(dst) {
			c.Dirty(1)
			c.notify(notifyGeneric, "del", dst)
		}
		return 0
	}
	maxLen := 0
	for _, it := range items {
		maxLen = max(maxLen, len(it.Member))
	}
	entries, value := c.zsetLimits()
	z := keyspace.NewZSet(int64(len(items)) > entries || int64(maxLen) > value)
	for _, it := range items {
		z.Set(it.Member, it.Score)
	}
	c.DB().SetObject(dst, keyspace.KindZSet, z)
	c.Dirty(1)
	c.notify(notifyZSet, c.spec.Name, dst)
	return len(items)
}

// replyItems writes items as a range reply: members, or with scores
// member/score pairs — flat in RESP2, [member, score] arrays in RESP3.
func replyItems(c *Call, items []keyspace.ZItem, withScores bool) {
	c.R.Array(len(items) * (1 + boolN(withScores && c.S.Proto == 2)))
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

func boolN(b bool) int {
	if b {
		return 1
	}
	return 0
}

// zaddFlags are ZADD's options.
type zaddFlags struct{ nx, xx, gt, lt, ch, incr bool }

// cmdZadd: ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
func cmdZadd(c *Call) error {
	var f zaddFlags
	i := 2
	for ; i < len(c.Args); i++ {
		a := c.Args[i]
		switch {
		case eq(a, "nx"):
			f.nx = true
		case eq(a, "xx"):
			f.xx = true
		case eq(a, "gt"):
			f.gt = true
		case eq(a, "lt"):
			f.lt = true
		case eq(a, "ch"):
			f.ch = true
		case eq(a, "incr"):
			f.incr = true
		default:
			return zaddGeneric(c, f, i)
		}
	}
	return errSyntax
}

// cmdZincrby: ZINCRBY key increment member
func cmdZincrby(c *Call) error { return zaddGeneric(c, zaddFlags{incr: true}, 2) }

// zaddGeneric is zaddGenericCommand from the first score at index at.
func zaddGeneric(c *Call, f zaddFlags, at int) error {
	n := len(c.Args) - at
	if n%2 != 0 || n == 0 {
		return errSyntax
	}
	switch {
	case f.nx && f.xx:
		return Error("ERR XX and NX options at the same time are not compatible")
	case (f.gt || f.lt) && f.nx, f.gt && f.lt:
		return Error("ERR GT, LT, and/or NX options at the same time are not compatible")
	case f.incr && n > 2:
		return Error("ERR INCR option supports a single increment-element pair")
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
	e, err := c.lookupWriteKind(key, keyspace.KindZSet)
	if err != nil {
		return err
	}
	if e == nil && f.xx {
		return zaddReply(c, f, 0, 0, false, 0)
	}
	if e == nil {
		e = c.DB().SetObject(key, keyspace.KindZSet, c.newZSet(len(c.Args[at+1])))
	}
	z := zsetOf(e)
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
				c.Dirty(added + updated)
				c.DB().Resized(e)
				return Error("ERR resulting score is not a number (NaN)")
			}
		}
		if exists && ((f.lt && score >= cur) || (f.gt && score <= cur)) {
			continue
		}
		processed, last = true, score
		if !exists {
			c.zadd(z, m, score)
			added++
		} else if score != cur {
			z.Set(string(m), score)
			updated++
		} else if score == 0 {
			last, _ = z.Score(m) // the stored zero, with its sign
		}
	}
	c.DB().Resized(e)
	c.Dirty(added + updated)
	if added+updated > 0 {
		c.notify(notifyZSet, map[bool]string{true: "zincr", false: "zadd"}[f.incr], key)
	}
	return zaddReply(c, f, added, updated, processed, last)
}

func zaddReply(c *Call, f zaddFlags, added, updated int, processed bool, score float64) error {
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
func cmdZrem(c *Call) error {
	key := c.Args[1]
	e, err := c.lookupWriteKind(key, keyspace.KindZSet)
	if err != nil || e == nil {
		if err == nil {
			c.R.Int(0)
		}
		return err
	}
	z, removed := zsetOf(e), 0
	for _, m := range c.Args[2:] {
		if z.Remove(m) {
			removed++
			if z.Len() == 0 {
				break
			}
		}
	}
	c.zsetChanged(key, e, removed, "zrem")
	c.R.Int(int64(removed))
	return nil
}

// zsetChanged finishes a removal of n members: the command's event, and an
// emptied set is deleted.
func (c *Call) zsetChanged(key []byte, e *keyspace.Entry, n int, event string) {
	if n > 0 {
		c.notify(notifyZSet, event, key)
	}
	if zsetOf(e).Len() == 0 {
		c.DB().Delete(key)
		c.notify(notifyGeneric, "del", key)
	} else if n > 0 {
		c.DB().Resized(e)
	}
	c.Dirty(n)
}

// cmdZcard: ZCARD key
func cmdZcard(c *Call) error {
	e, err := c.lookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil {
		return err
	}
	n := 0
	if e != nil {
		n = zsetOf(e).Len()
	}
	c.R.Int(int64(n))
	return nil
}

// cmdZscore: ZSCORE key member
func cmdZscore(c *Call) error {
	e, err := c.lookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil {
		return err
	}
	if e != nil {
		if s, ok := zsetOf(e).Score(c.Args[2]); ok {
			c.R.Double(s)
			return nil
		}
	}
	c.R.Null()
	return nil
}

// cmdZmscore: ZMSCORE key member [member ...]
func cmdZmscore(c *Call) error {
	e, err := c.lookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil {
		return err
	}
	c.R.Array(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		if e != nil {
			if s, ok := zsetOf(e).Score(m); ok {
				c.R.Double(s)
				continue
			}
		}
		c.R.Null()
	}
	return nil
}

func cmdZrank(c *Call) error    { return zrank(c, false) }
func cmdZrevrank(c *Call) error { return zrank(c, true) }

// zrank: Z[REV]RANK key member
func zrank(c *Call, rev bool) error {
	e, err := c.lookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil {
		return err
	}
	if e != nil {
		z := zsetOf(e)
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
func cmdZscan(c *Call) error {
	return scanCollection(c, keyspace.KindZSet, func(e *keyspace.Entry, cur uint64, o scanOpts, emit func(string)) uint64 {
		return zsetOf(e).Scan(cur, o.count, o.count*10, func(it keyspace.ZItem) {
			emit(it.Member)
			emit(keyspace.FormatScore(it.Score))
		})
	}, 2)
}
