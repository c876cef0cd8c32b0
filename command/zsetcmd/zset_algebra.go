package zsetcmd

import (
	"math"
	"slices"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/keyspace"
)

// ZUNION ZINTER ZDIFF, their *STORE forms and ZINTERCARD, as Redis 7.0's
// zunionInterDiffGenericCommand: inputs may be sorted sets or sets (every
// member of a set scores 1), every key's type is checked before the
// options are parsed, and the result is a sorted set in score order.

type zaggregate int

const (
	aggSum zaggregate = iota
	aggMin
	aggMax
)

// zsource is one input: a sorted set, a set, or nothing (a missing key).
type zsource struct {
	z      *keyspace.ZSet
	s      *keyspace.Set
	weight float64
}

func (s zsource) len() int {
	switch {
	case s.z != nil:
		return s.z.Len()
	case s.s != nil:
		return s.s.Len()
	}
	return 0
}

func (s zsource) score(m string) (float64, bool) {
	switch {
	case s.z != nil:
		return s.z.Score([]byte(m))
	case s.s != nil && s.s.Has([]byte(m)):
		return 1, true
	}
	return 0, false
}

func (s zsource) each(fn func(m string, score float64)) {
	switch {
	case s.z != nil:
		s.z.Each(func(it keyspace.ZItem) bool { fn(it.Member, it.Score); return true })
	case s.s != nil:
		s.s.Each(func(m string) bool { fn(m, 1); return true })
	}
}

// zalgebraKeys: ZUNION|ZINTER|ZDIFF|ZINTERCARD numkeys key [key ...] ...
func zalgebraKeys(args [][]byte) []int { return command.NumkeysPositions(args, 1) }

// zstoreKeys: Z*STORE destination numkeys key [key ...] ...
func zstoreKeys(args [][]byte) []int { return append([]int{1}, command.NumkeysPositions(args, 2)...) }

type zalgebra struct {
	op         command.SetOp
	srcs       []zsource
	agg        zaggregate
	withScores bool
	limit      int64
}

// parseZalgebra parses from numkeys at index at; store and card select
// the options each form accepts.
func parseZalgebra(c *command.Call, op command.SetOp, at int, store, card bool) (*zalgebra, error) {
	n, err := command.IntArg(c.Args[at])
	if err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, command.Error("ERR at least 1 input key is needed for '" + c.Spec.Name + "' command")
	}
	if n > int64(len(c.Args)-at-1) {
		return nil, command.ErrSyntax
	}
	q := &zalgebra{op: op, srcs: make([]zsource, n)}
	for i := range q.srcs {
		e := c.Lookup(c.Args[at+1+i])
		if store {
			e = c.LookupWrite(c.Args[at+1+i])
		}
		q.srcs[i].weight = 1
		switch {
		case e == nil:
		case e.Kind() == keyspace.KindZSet:
			q.srcs[i].z = command.ZsetOf(e)
		case e.Kind() == keyspace.KindSet:
			q.srcs[i].s = command.SetOf(e)
		default:
			return nil, keyspace.ErrWrongType
		}
	}
	return q, q.options(c.Args[at+1+int(n):], store, card)
}

func (q *zalgebra) options(args [][]byte, store, card bool) error {
	full := q.op != command.OpDiff && !card
	for j := 0; j < len(args); {
		left := len(args) - j
		switch a := args[j]; {
		case full && left >= len(q.srcs)+1 && command.Eq(a, "weights"):
			for i := range q.srcs {
				w, ok := command.ParseScore(args[j+1+i])
				if !ok {
					return command.Error("ERR weight value is not a float")
				}
				q.srcs[i].weight = w
			}
			j += 1 + len(q.srcs)
		case full && left >= 2 && command.Eq(a, "aggregate"):
			switch v := args[j+1]; {
			case command.Eq(v, "sum"):
				q.agg = aggSum
			case command.Eq(v, "min"):
				q.agg = aggMin
			case command.Eq(v, "max"):
				q.agg = aggMax
			default:
				return command.ErrSyntax
			}
			j += 2
		case !store && !card && command.Eq(a, "withscores"):
			q.withScores = true
			j++
		case card && left >= 2 && command.Eq(a, "limit"):
			l, ok := command.ParseInt(args[j+1])
			if !ok || l < 0 {
				return command.Error("ERR LIMIT can't be negative")
			}
			q.limit = l
			j += 2
		default:
			return command.ErrSyntax
		}
	}
	return nil
}

// weighted is score×weight with Redis's convention that 0×inf is 0.
func weighted(score, weight float64) float64 {
	v := score * weight
	if math.IsNaN(v) {
		return 0
	}
	return v
}

func (q *zalgebra) aggregate(acc, v float64) float64 {
	switch q.agg {
	case aggMin:
		return math.Min(acc, v)
	case aggMax:
		return math.Max(acc, v)
	}
	if s := acc + v; !math.IsNaN(s) {
		return s
	}
	return 0 // inf + -inf
}

// run computes the result in score order; limit > 0 stops an
// intersection early (ZINTERCARD).
func (q *zalgebra) run(limit int) []keyspace.ZItem {
	acc := map[string]float64{}
	var order []string
	switch q.op {
	case command.OpInter:
		srcs := slices.Clone(q.srcs)
		slices.SortStableFunc(srcs, func(a, b zsource) int { return a.len() - b.len() })
		if srcs[0].len() == 0 {
			return nil
		}
		srcs[0].each(func(m string, score float64) {
			if limit > 0 && len(order) >= limit {
				return
			}
			v := weighted(score, srcs[0].weight)
			for _, o := range srcs[1:] {
				s, ok := o.score(m)
				if !ok {
					return
				}
				v = q.aggregate(v, weighted(s, o.weight))
			}
			acc[m] = v
			order = append(order, m)
		})
	case command.OpUnion:
		for _, src := range q.srcs {
			src.each(func(m string, score float64) {
				v := weighted(score, src.weight)
				if old, ok := acc[m]; ok {
					acc[m] = q.aggregate(old, v)
					return
				}
				acc[m] = v
				order = append(order, m)
			})
		}
	case command.OpDiff:
		q.srcs[0].each(func(m string, score float64) {
			for _, o := range q.srcs[1:] {
				if _, ok := o.score(m); ok {
					return
				}
			}
			acc[m] = score
			order = append(order, m)
		})
	}
	items := make([]keyspace.ZItem, len(order))
	for i, m := range order {
		items[i] = keyspace.ZItem{Score: acc[m], Member: m}
	}
	slices.SortFunc(items, func(a, b keyspace.ZItem) int {
		switch {
		case a.Score < b.Score:
			return -1
		case a.Score > b.Score:
			return 1
		case a.Member < b.Member:
			return -1
		case a.Member > b.Member:
			return 1
		}
		return 0
	})
	return items
}

func cmdZunion(c *command.Call) error      { return zalgebraReply(c, command.OpUnion) }
func cmdZinter(c *command.Call) error      { return zalgebraReply(c, command.OpInter) }
func cmdZdiff(c *command.Call) error       { return zalgebraReply(c, command.OpDiff) }
func cmdZunionstore(c *command.Call) error { return zalgebraStore(c, command.OpUnion) }
func cmdZinterstore(c *command.Call) error { return zalgebraStore(c, command.OpInter) }
func cmdZdiffstore(c *command.Call) error  { return zalgebraStore(c, command.OpDiff) }

// zalgebraReply: ZUNION|ZINTER|ZDIFF numkeys key [key ...] [options] [WITHSCORES]
func zalgebraReply(c *command.Call, op command.SetOp) error {
	q, err := parseZalgebra(c, op, 1, false, false)
	if err != nil {
		return err
	}
	replyItems(c, q.run(0), q.withScores)
	return nil
}

// zalgebraStore: Z*STORE destination numkeys key [key ...] [options]
func zalgebraStore(c *command.Call, op command.SetOp) error {
	q, err := parseZalgebra(c, op, 2, true, false)
	if err != nil {
		return err
	}
	c.R.Int(int64(storeZSet(c, c.Args[1], q.run(0))))
	return nil
}

// cmdZintercard: ZINTERCARD numkeys key [key ...] [LIMIT limit]
func cmdZintercard(c *command.Call) error {
	q, err := parseZalgebra(c, command.OpInter, 1, false, true)
	if err != nil {
		return err
	}
	c.R.Int(int64(len(q.run(int(min(q.limit, 1<<40))))))
	return nil
}
