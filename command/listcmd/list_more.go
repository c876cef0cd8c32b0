package listcmd

import (
	"errors"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/keyspace"
)

// LINSERT LREM LPOS, the moves (LMOVE RPOPLPUSH), LMPOP and the blocking
// list commands.

// cmdLinsert: LINSERT key BEFORE|AFTER pivot element
func cmdLinsert(c *command.Call) error {
	var after bool
	switch w := c.Args[2]; {
	case command.Eq(w, "after"):
		after = true
	case command.Eq(w, "before"):
	default:
		return command.ErrSyntax
	}
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, keyspace.KindList)
	if err != nil || e == nil {
		return zeroIfMissing(c, err)
	}
	l := command.ListOf(e)
	all := l.Slice(0, l.Len()-1)
	at := -1
	for i, v := range all {
		if v == string(c.Args[3]) {
			at = i
			break
		}
	}
	if at < 0 {
		c.R.Int(-1)
		return nil
	}
	if after {
		at++
	}
	all = append(all[:at], append([]string{string(c.Args[4])}, all[at:]...)...)
	l.Replace(all)
	c.Notify(command.NotifyList, "linsert", key)
	c.R.Int(int64(l.Len()))
	return nil
}

// cmdLrem: LREM key count element
func cmdLrem(c *command.Call) error {
	count, err := command.IntArg(c.Args[2])
	if err != nil {
		return err
	}
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, keyspace.KindList)
	if err != nil || e == nil {
		return zeroIfMissing(c, err)
	}
	l := command.ListOf(e)
	all := l.Slice(0, l.Len()-1)
	target := string(c.Args[3])
	drop := make([]bool, len(all)) // from the head for count >= 0, the tail otherwise
	removed := 0
	for k := range all {
		i := k
		if count < 0 {
			i = len(all) - 1 - k
		}
		if all[i] == target && (count == 0 || int64(removed) < abs64(count)) {
			drop[i] = true
			removed++
		}
	}
	keep := all[:0]
	for i, v := range all {
		if !drop[i] {
			keep = append(keep, v)
		}
	}
	if removed > 0 {
		l.Replace(keep)
		c.Notify(command.NotifyList, "lrem", key)
		listChanged(c, key, e)
	}
	c.R.Int(int64(removed))
	return nil
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// cmdLpos: LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
func cmdLpos(c *command.Call) error {
	rank, count, maxlen := int64(1), int64(-1), int64(0)
	for i := 3; i < len(c.Args); i += 2 {
		if i+1 >= len(c.Args) {
			return command.ErrSyntax
		}
		v, err := command.IntArg(c.Args[i+1])
		switch a := c.Args[i]; {
		case !command.Eq(a, "rank") && !command.Eq(a, "count") && !command.Eq(a, "maxlen"):
			return command.ErrSyntax
		case err != nil:
			return err
		case command.Eq(a, "rank"):
			if v == 0 {
				return command.Error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
			}
			rank = v
		case command.Eq(a, "count"):
			if v < 0 {
				return command.Error("ERR COUNT can't be negative")
			}
			count = v
		default:
			if v < 0 {
				return command.Error("ERR MAXLEN can't be negative")
			}
			maxlen = v
		}
	}
	e, err := c.LookupKind(c.Args[1], keyspace.KindList)
	if err != nil {
		return err
	}
	var hits []int64
	if e != nil {
		hits = lposScan(command.ListOf(e), string(c.Args[2]), rank, count, maxlen)
	}
	if count < 0 {
		if len(hits) == 0 {
			c.R.Null()
		} else {
			c.R.Int(hits[0])
		}
		return nil
	}
	c.R.Array(len(hits))
	for _, h := range hits {
		c.R.Int(h)
	}
	return nil
}

// lposScan finds the matches of LPOS: from the head for a positive rank,
// the tail for a negative one, skipping |rank|-1 matches, up to count
// (0: all; -1: one), looking at no more than maxlen elements (0: all).
func lposScan(l *keyspace.List, target string, rank, count, maxlen int64) []int64 {
	want := count
	if want <= 0 {
		want = int64(l.Len()) + 1
		if count < 0 {
			want = 1
		}
	}
	skip := abs64(rank) - 1
	if rank == -1<<63 {
		skip = 0 // Redis negates it, gets it back, and takes the first match
	}
	var hits []int64
	n := l.Len()
	for k := 0; k < n && (maxlen == 0 || int64(k) < maxlen); k++ {
		i := k
		if rank < 0 {
			i = n - 1 - k
		}
		if l.At(i) != target {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		hits = append(hits, int64(i))
		if int64(len(hits)) >= want {
			break
		}
	}
	return hits
}

// whereArg parses LEFT|RIGHT.
func whereArg(b []byte) (left bool, err error) {
	switch {
	case command.Eq(b, "left"):
		return true, nil
	case command.Eq(b, "right"):
		return false, nil
	}
	return false, command.ErrSyntax
}

// move pops one element from src's from-end and pushes it on dst's to-end
// (LMOVE, RPOPLPUSH and their blocking forms). It reports whether src had
// an element; an empty src writes no reply.
func move(c *command.Call, src, dst []byte, fromLeft, toLeft bool) (bool, error) {
	se, err := c.LookupWriteKind(src, keyspace.KindList)
	if err != nil || se == nil {
		return false, err
	}
	de, err := c.LookupWriteKind(dst, keyspace.KindList)
	if err != nil {
		return false, err
	}
	var v string
	if sl := command.ListOf(se); fromLeft {
		v = sl.PopLeft()
	} else {
		v = sl.PopRight()
	}
	if de == nil {
		de = c.DB().SetObject(dst, keyspace.KindList, keyspace.NewList())
	}
	if toLeft {
		command.ListOf(de).PushLeft(v)
	} else {
		command.ListOf(de).PushRight(v)
	}
	// Redis's order: the push's event, then the pop's (and del).
	c.Notify(command.NotifyList, pushEvent(toLeft), dst)
	c.Notify(command.NotifyList, popEvent(fromLeft), src)
	listChanged(c, src, se)
	c.R.BulkString(v)
	return true, nil
}

// cmdLmove: LMOVE source destination LEFT|RIGHT LEFT|RIGHT
func cmdLmove(c *command.Call) error {
	from, err := whereArg(c.Args[3])
	if err != nil {
		return err
	}
	to, err := whereArg(c.Args[4])
	if err != nil {
		return err
	}
	return moveOrNull(c, from, to)
}

// cmdRpoplpush: RPOPLPUSH source destination
func cmdRpoplpush(c *command.Call) error { return moveOrNull(c, false, true) }

func moveOrNull(c *command.Call, from, to bool) error {
	ok, err := move(c, c.Args[1], c.Args[2], from, to)
	if err == nil && !ok {
		c.R.Null()
	}
	return err
}

// lmpop pops up to count elements from the first non-empty list of keys;
// it reports whether one had any (nothing is written otherwise).
func lmpop(c *command.Call, keys [][]byte, left bool, count int64) (bool, error) {
	for _, k := range keys {
		e, err := c.LookupWriteKind(k, keyspace.KindList)
		if err != nil {
			return false, err
		}
		if e == nil {
			continue
		}
		out := popFrom(c, k, e, left, int(min(count, 1<<31)))
		c.R.Array(2)
		c.R.Bulk(k)
		c.R.Array(len(out))
		for _, v := range out {
			c.R.BulkString(v)
		}
		return true, nil
	}
	return false, nil
}

// cmdLmpop: LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
func cmdLmpop(c *command.Call) error {
	keys, left, count, err := command.ZmpopArgs(c.Args, 1, "left", "right")
	if err != nil {
		return err
	}
	ok, err := lmpop(c, keys, left, count)
	if err == nil && !ok {
		c.R.NullArray()
	}
	return err
}

func cmdBlpop(c *command.Call) error { return bpop(c, true) }
func cmdBrpop(c *command.Call) error { return bpop(c, false) }

// bpop: BLPOP|BRPOP key [key ...] timeout
func bpop(c *command.Call, left bool) error {
	timeout, err := command.ParseTimeout(c.Args[len(c.Args)-1])
	if err != nil {
		return err
	}
	keys := c.Args[1 : len(c.Args)-1]
	for _, k := range keys {
		e, err := c.LookupWriteKind(k, keyspace.KindList)
		if err != nil {
			return c.BlockedResult(keys, timeout, false, err)
		}
		if e != nil {
			v := popFrom(c, k, e, left, 1)[0]
			c.R.Array(2)
			c.R.Bulk(k)
			c.R.BulkString(v)
			return nil
		}
	}
	return c.BlockOn(keys, timeout)
}

// cmdBlmove: BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
func cmdBlmove(c *command.Call) error {
	from, err := whereArg(c.Args[3])
	if err != nil {
		return err
	}
	to, err := whereArg(c.Args[4])
	if err != nil {
		return err
	}
	return bmove(c, c.Args[5], from, to)
}

// cmdBrpoplpush: BRPOPLPUSH source destination timeout
func cmdBrpoplpush(c *command.Call) error { return bmove(c, c.Args[3], false, true) }

func bmove(c *command.Call, timeoutArg []byte, from, to bool) error {
	timeout, err := command.ParseTimeout(timeoutArg)
	if err != nil {
		return err
	}
	ok, err := move(c, c.Args[1], c.Args[2], from, to)
	if errors.Is(err, keyspace.ErrWrongType) && c.S.BlockRetry {
		// A source that now holds another type keeps the client waiting; a
		// destination of another type ends the wait with the error, the
		// element left in the source, as in Redis.
		if e := c.LookupWrite(c.Args[1]); e != nil && e.Kind() != keyspace.KindList {
			ok, err = false, nil
		}
	}
	if err != nil || ok {
		return err
	}
	return c.BlockOnOr(c.Args[1:2], timeout, c.R.Null)
}

// cmdBlmpop: BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
func cmdBlmpop(c *command.Call) error {
	timeout, err := command.ParseTimeout(c.Args[1])
	if err != nil {
		return err
	}
	keys, left, count, err := command.ZmpopArgs(c.Args, 2, "left", "right")
	if err != nil {
		return err
	}
	ok, err := lmpop(c, keys, left, count)
	return c.BlockedResult(keys, timeout, ok, err)
}

// zeroIfMissing answers 0 for a missing key, or passes err on.
func zeroIfMissing(c *command.Call, err error) error {
	if err == nil {
		c.R.Int(0)
	}
	return err
}
