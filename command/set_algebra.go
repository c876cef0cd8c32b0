package command

import (
	"slices"

	"github.com/larder-db/larder/keyspace"
)

// Set algebra: SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF
// SDIFFSTORE, as Redis 7.0's sinterGenericCommand and
// sunionDiffGenericCommand: every key's type is checked before any work, a
// missing key is an empty set, and a *STORE destination is rebuilt from
// an empty intset so its encoding follows its contents.

type setOp int

const (
	opInter setOp = iota
	opUnion
	opDiff
)

// loadSets returns the sets at keys (nil for a missing key), or WRONGTYPE.
// Stores use write lookups so an expired source is removed as Redis does.
func (c *Call) loadSets(keys [][]byte, write bool) ([]*keyspace.Set, error) {
	sets := make([]*keyspace.Set, len(keys))
	for i, k := range keys {
		var e *keyspace.Entry
		var err error
		if write {
			e, err = c.lookupWriteKind(k, keyspace.KindSet)
		} else {
			e, err = c.lookupKind(k, keyspace.KindSet)
		}
		if err != nil {
			return nil, err
		}
		if e != nil {
			sets[i] = setOf(e)
		}
	}
	return sets, nil
}

// interMembers returns the intersection, walking the smallest set and
// stopping after limit members (0 = no limit).
func interMembers(sets []*keyspace.Set, limit int) []string {
	for _, s := range sets {
		if s == nil {
			return nil
		}
	}
	sets = slices.Clone(sets)
	slices.SortStableFunc(sets, func(a, b *keyspace.Set) int { return a.Len() - b.Len() })
	var out []string
	sets[0].Each(func(m string) bool {
		for _, o := range sets[1:] {
			if !o.Has([]byte(m)) {
				return true
			}
		}
		out = append(out, m)
		return limit == 0 || len(out) < limit
	})
	return out
}

// unionDiffMembers returns the union, or the members of the first set in
// none of the others.
func unionDiffMembers(sets []*keyspace.Set, op setOp) []string {
	if op == opDiff {
		if sets[0] == nil {
			return nil
		}
		var out []string
		sets[0].Each(func(m string) bool {
			for _, o := range sets[1:] {
				if o != nil && o.Has([]byte(m)) {
					return true
				}
			}
			out = append(out, m)
			return true
		})
		return out
	}
	acc := keyspace.NewSet()
	for _, s := range sets {
		if s != nil {
			s.Each(func(m string) bool { acc.Add([]byte(m), 1<<62); return true })
		}
	}
	return acc.Members()
}

// setAlgebra computes op over keys.
func (c *Call) setAlgebra(op setOp, keys [][]byte, write bool) ([]string, error) {
	sets, err := c.loadSets(keys, write)
	if err != nil {
		return nil, err
	}
	if op == opInter {
		return interMembers(sets, 0), nil
	}
	return unionDiffMembers(sets, op), nil
}

func cmdSinter(c *Call) error      { return setAlgebraReply(c, opInter) }
func cmdSunion(c *Call) error      { return setAlgebraReply(c, opUnion) }
func cmdSdiff(c *Call) error       { return setAlgebraReply(c, opDiff) }
func cmdSinterstore(c *Call) error { return setAlgebraStore(c, opInter) }
func cmdSunionstore(c *Call) error { return setAlgebraStore(c, opUnion) }
func cmdSdiffstore(c *Call) error  { return setAlgebraStore(c, opDiff) }

// setAlgebraReply: SINTER|SUNION|SDIFF key [key ...]
func setAlgebraReply(c *Call, op setOp) error {
	out, err := c.setAlgebra(op, c.Args[1:], false)
	if err != nil {
		return err
	}
	c.R.Set(len(out))
	for _, m := range out {
		c.R.BulkString(m)
	}
	return nil
}

// setAlgebraStore: SINTERSTORE|SUNIONSTORE|SDIFFSTORE destination key [key ...]
func setAlgebraStore(c *Call, op setOp) error {
	dst := c.Args[1]
	out, err := c.setAlgebra(op, c.Args[2:], true)
	if err != nil {
		return err
	}
	if len(out) == 0 {
		if c.DB().Delete(dst) {
			c.Dirty(1)
			c.notify(notifyGeneric, "del", dst)
		}
		c.R.Int(0)
		return nil
	}
	s, limit := keyspace.NewSet(), c.maxIntset()
	for _, m := range out {
		s.Add([]byte(m), limit)
	}
	c.DB().SetObject(dst, keyspace.KindSet, s)
	c.Dirty(1)
	c.notify(notifySet, c.spec.Name, dst)
	c.R.Int(int64(len(out)))
	return nil
}

// sintercardKeys: SINTERCARD numkeys key [key ...] [LIMIT limit]
func sintercardKeys(args [][]byte) []int { return numkeysPositions(args, 1) }

// numkeysPositions returns the key positions of a "numkeys key [key ...]"
// command whose numkeys is at index at; a bad numkeys gives none (the
// handler reports the error).
func numkeysPositions(args [][]byte, at int) []int {
	if at >= len(args) {
		return nil
	}
	n, ok := parseInt(args[at])
	if !ok || n <= 0 || n > int64(len(args)-at-1) {
		return nil
	}
	pos := make([]int, n)
	for i := range pos {
		pos[i] = at + 1 + i
	}
	return pos
}

// cmdSintercard: SINTERCARD numkeys key [key ...] [LIMIT limit]
func cmdSintercard(c *Call) error {
	n, ok := parseInt(c.Args[1])
	if !ok || n <= 0 {
		return Error("ERR numkeys should be greater than 0")
	}
	if n > int64(len(c.Args)-2) {
		return Error("ERR Number of keys can't be greater than number of args")
	}
	keys := c.Args[2 : 2+n]
	limit := int64(0)
	for i := 2 + int(n); i < len(c.Args); i += 2 {
		if !eq(c.Args[i], "limit") || i+1 >= len(c.Args) {
			return errSyntax
		}
		l, ok := parseInt(c.Args[i+1])
		if !ok || l < 0 {
			return Error("ERR LIMIT can't be negative")
		}
		limit = l
	}
	sets, err := c.loadSets(keys, false)
	if err != nil {
		return err
	}
	c.R.Int(int64(len(interMembers(sets, int(min(limit, 1<<40))))))
	return nil
}
