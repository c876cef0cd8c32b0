package zsetcmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

// Ranges of sorted sets: ZRANGE and its legacy forms, ZRANGESTORE, ZCOUNT,
// ZLEXCOUNT, ZREMRANGEBY*. One request type as Redis's
// zrangeGenericCommand: parse options, then the range, then the key.

type zrangeKind int

const (
	byAuto zrangeKind = iota
	byRank
	byScore
	byLex
)

type zrangeReq struct {
	kind       zrangeKind
	rev        bool
	revSet     bool // the direction was fixed by the command or REV
	withScores bool
	offset     int64
	limit      int64 // -1: no LIMIT
	rankLimit  bool  // LIMIT applies to a rank range too (Upstash's ZRANGE)
	start, end int64
	score      scoreRange
	lex        lexRange
}

// parseZrange parses "key min max [options]" at args; store forbids
// WITHSCORES (ZRANGESTORE).
func parseZrange(args [][]byte, q zrangeReq, store bool) (zrangeReq, error) {
	q.limit = -1
	for j := 3; j < len(args); j++ {
		a, left := args[j], len(args)-j-1
		switch {
		case !store && command.Eq(a, "withscores"):
			q.withScores = true
		case command.Eq(a, "limit") && left >= 2:
			var err error
			if q.offset, err = command.IntArg(args[j+1]); err != nil {
				return q, err
			}
			if q.limit, err = command.IntArg(args[j+2]); err != nil {
				return q, err
			}
			j += 2
		case !q.revSet && command.Eq(a, "rev"):
			q.rev, q.revSet = true, true
		case q.kind == byAuto && command.Eq(a, "bylex"):
			q.kind = byLex
		case q.kind == byAuto && command.Eq(a, "byscore"):
			q.kind = byScore
		default:
			return q, command.ErrSyntax
		}
	}
	if q.kind == byAuto {
		q.kind = byRank
	}
	if q.limit != -1 && q.kind == byRank && !q.rankLimit {
		return q, command.Error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
	}
	if q.withScores && q.kind == byLex {
		return q, command.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
	}
	min, max := args[1], args[2]
	if q.rev && q.kind != byRank {
		min, max = max, min // given as max, min
	}
	var err error
	switch q.kind {
	case byRank:
		if q.start, err = command.IntArg(min); err == nil {
			q.end, err = command.IntArg(max)
		}
	case byScore:
		q.score, err = parseScoreRange(min, max)
	case byLex:
		q.lex, err = parseLexRange(min, max)
	}
	return q, err
}

// span returns the ranks lo..hi a score or lex range covers in z.
func (q zrangeReq) span(z *keyspace.ZSet) (lo, hi int, ok bool) {
	switch q.kind {
	case byScore:
		if q.score.empty() {
			return 0, 0, false
		}
		lo = z.Search(func(it keyspace.ZItem) bool { return q.score.gteMin(it.Score) })
		hi = z.Search(func(it keyspace.ZItem) bool { return !q.score.lteMax(it.Score) }) - 1
	case byLex:
		if q.lex.empty() {
			return 0, 0, false
		}
		lo = z.Search(func(it keyspace.ZItem) bool { return q.lex.gteMin(it.Member) })
		hi = z.Search(func(it keyspace.ZItem) bool { return !q.lex.lteMax(it.Member) }) - 1
	default:
		return command.RankSpan(q.start, q.end, z.Len())
	}
	return lo, hi, lo <= hi
}

// items returns the items the request selects from z, in reply order.
func (q zrangeReq) items(z *keyspace.ZSet) []keyspace.ZItem {
	lo, hi, ok := q.span(z)
	if !ok {
		return nil
	}
	if q.kind == byRank && q.rev {
		n := z.Len()
		lo, hi = n-1-hi, n-1-lo
	}
	// Without LIMIT (offset 0, limit -1) this changes nothing; a rank range
	// has a LIMIT only in the Upstash dialect, applied to the ranks it
	// selects, as to a score or lex range's.
	if q.offset < 0 || q.limit == 0 {
		return nil
	}
	if q.rev {
		hi -= int(min(q.offset, int64(hi-lo+1)))
	} else {
		lo += int(min(q.offset, int64(hi-lo+1)))
	}
	if q.limit > 0 && int64(hi-lo+1) > q.limit {
		if q.rev {
			lo = hi - int(q.limit) + 1
		} else {
			hi = lo + int(q.limit) - 1
		}
	}
	var out []keyspace.ZItem
	if lo <= hi {
		out = make([]keyspace.ZItem, 0, hi-lo+1)
	}
	z.Walk(lo, hi, q.rev, func(it keyspace.ZItem) bool { out = append(out, it); return true })
	return out
}

func cmdZrange(c *command.Call) error { return zrange(c, zrangeReq{rankLimit: c.S.Upstash()}) }
func cmdZrangebyscore(c *command.Call) error {
	return zrange(c, zrangeReq{kind: byScore, revSet: true})
}
func cmdZrangebylex(c *command.Call) error { return zrange(c, zrangeReq{kind: byLex, revSet: true}) }
func cmdZrevrange(c *command.Call) error {
	return zrange(c, zrangeReq{kind: byRank, rev: true, revSet: true})
}
func cmdZrevrangebyscore(c *command.Call) error {
	return zrange(c, zrangeReq{kind: byScore, rev: true, revSet: true})
}
func cmdZrevrangebylex(c *command.Call) error {
	return zrange(c, zrangeReq{kind: byLex, rev: true, revSet: true})
}

// zrange: ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
// and the legacy forms preset by q.
func zrange(c *command.Call, q zrangeReq) error {
	q, err := parseZrange(c.Args[1:], q, false)
	if err != nil {
		return err
	}
	e, err := c.LookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil {
		return err
	}
	var items []keyspace.ZItem
	if e != nil {
		items = q.items(command.ZsetOf(e))
	}
	replyItems(c, items, q.withScores)
	return nil
}

// cmdZrangestore: ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
func cmdZrangestore(c *command.Call) error {
	q, err := parseZrange(c.Args[2:], zrangeReq{}, true)
	if err != nil {
		return err
	}
	e, err := c.LookupKind(c.Args[2], keyspace.KindZSet)
	if err != nil {
		return err
	}
	var items []keyspace.ZItem
	if e != nil {
		items = q.items(command.ZsetOf(e))
	}
	c.R.Int(int64(storeZSet(c, c.Args[1], items)))
	return nil
}

// countIn is ZCOUNT/ZLEXCOUNT: the number of members in q's range.
func countIn(c *command.Call, q zrangeReq) error {
	e, err := c.LookupKind(c.Args[1], keyspace.KindZSet)
	if err != nil {
		return err
	}
	n := 0
	if e != nil {
		if lo, hi, ok := q.span(command.ZsetOf(e)); ok {
			n = hi - lo + 1
		}
	}
	c.R.Int(int64(n))
	return nil
}

// cmdZcount: ZCOUNT key min max
func cmdZcount(c *command.Call) error {
	r, err := parseScoreRange(c.Args[2], c.Args[3])
	if err != nil {
		return err
	}
	return countIn(c, zrangeReq{kind: byScore, score: r})
}

// cmdZlexcount: ZLEXCOUNT key min max
func cmdZlexcount(c *command.Call) error {
	r, err := parseLexRange(c.Args[2], c.Args[3])
	if err != nil {
		return err
	}
	return countIn(c, zrangeReq{kind: byLex, lex: r})
}

// removeSpan is ZREMRANGEBY*: it deletes the members of q's range.
func removeSpan(c *command.Call, q zrangeReq) error {
	key := c.Args[1]
	e, err := c.LookupWriteKind(key, keyspace.KindZSet)
	if err != nil || e == nil {
		if err == nil {
			c.R.Int(0)
		}
		return err
	}
	z := command.ZsetOf(e)
	lo, hi, ok := q.span(z)
	n := 0
	if ok {
		var doomed []string
		z.Walk(lo, hi, false, func(it keyspace.ZItem) bool { doomed = append(doomed, it.Member); return true })
		for _, m := range doomed {
			z.Remove([]byte(m))
		}
		n = len(doomed)
	}
	zsetChanged(c, key, e, n, c.Spec.Name)
	c.R.Int(int64(n))
	return nil
}

// cmdZremrangebyrank: ZREMRANGEBYRANK key start stop
func cmdZremrangebyrank(c *command.Call) error {
	start, end, err := command.IntPair(c.Args[2], c.Args[3])
	if err != nil {
		return err
	}
	return removeSpan(c, zrangeReq{kind: byRank, start: start, end: end})
}

// cmdZremrangebyscore: ZREMRANGEBYSCORE key min max
func cmdZremrangebyscore(c *command.Call) error {
	r, err := parseScoreRange(c.Args[2], c.Args[3])
	if err != nil {
		return err
	}
	return removeSpan(c, zrangeReq{kind: byScore, score: r})
}

// cmdZremrangebylex: ZREMRANGEBYLEX key min max
func cmdZremrangebylex(c *command.Call) error {
	r, err := parseLexRange(c.Args[2], c.Args[3])
	if err != nil {
		return err
	}
	return removeSpan(c, zrangeReq{kind: byLex, lex: r})
}
