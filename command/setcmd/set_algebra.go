package setcmd

import (
	"slices"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/keyspace"
)

// Set algebra: SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF
// SDIFFSTORE, as Redis 7.0's sinterGenericCommand and
// sunionDiffGenericCommand: every key's type is checked before any work, a
// missing key is an empty set, and a *STORE destination is rebuilt from
// an empty intset so its encoding follows its contents.

// loadSets returns the sets at keys (nil for a missing key), or WRONGTYPE.
// Stores use write lookups so an expired source is removed as Redis does.
func loadSets(c *command.Call, keys [][]byte, write bool) ([]*keyspace.Set, error) {
	sets := make([]*keyspace.Set, len(keys))
	for i, k := range keys {
		var e *keyspace.Entry
		var err error
		if write {
			e, err = c.LookupWriteKind(k, keyspace.KindSet)
		} else {
			e, err = c.LookupKind(k, keyspace.KindSet)
		}
		if err != nil {
			return nil, err
		}
		if e != nil {
			sets[i] = command.SetOf(e)
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
func unionDiffMembers(sets []*keyspace.Set, op command.SetOp) []string {
	if op == command.OpDiff {
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
func setAlgebra(c *command.Call, op command.SetOp, keys [][]byte, write bool) ([]string, error) {
	sets, err := loadSets(c, keys, write)
	if err != nil {
		return nil, err
	}
	if op == command.OpInter {
		return interMembers(sets, 0), nil
	}
	return unionDiffMembers(sets, op), nil
}

func cmdSinter(c *command.Call) error      { return setAlgebraReply(c, command.OpInter) }
func cmdSunion(c *command.Call) error      { return setAlgebraReply(c, command.OpUnion) }
func cmdSdiff(c *command.Call) error       { return setAlgebraReply(c, command.OpDiff) }
func cmdSinterstore(c *command.Call) error { return setAlgebraStore(c, command.OpInter) }
func cmdSunionstore(c *command.Call) error { return setAlgebraStore(c, command.OpUnion) }
func cmdSdiffstore(c *command.Call) error  { return setAlgebraStore(c, command.OpDiff) }

// setAlgebraReply: SINTER|SUNION|SDIFF key [key ...]
func setAlgebraReply(c *command.Call, op command.SetOp) error {
	out, err := setAlgebra(c, op, c.Args[1:], false)
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
func setAlgebraStore(c *command.Call, op command.SetOp) error {
	dst := c.Args[1]
	out, err := setAlgebra(c, op, c.Args[2:], true)
	if err != nil {
		return err
	}
	if len(out) == 0 {
		if c.DB().Delete(dst) {
			c.Notify(command.NotifyGeneric, "del", dst)
		}
		c.R.Int(0)
		return nil
	}
	s, limit := keyspace.NewSet(), maxIntset(c)
	for _, m := range out {
		s.Add([]byte(m), limit)
	}
	c.DB().SetObject(dst, keyspace.KindSet, s)
	c.Notify(command.NotifySet, c.Spec.Name, dst)
	c.R.Int(int64(len(out)))
	return nil
}

// sintercardKeys: SINTERCARD numkeys key [key ...] [LIMIT limit]
func sintercardKeys(args [][]byte) []int { return command.NumkeysPositions(args, 1) }

// cmdSintercard: SINTERCARD numkeys key [key ...] [LIMIT limit]
func cmdSintercard(c *command.Call) error {
	n, ok := command.ParseInt(c.Args[1])
	if !ok || n <= 0 {
		return command.Error("ERR numkeys should be greater than 0")
	}
	if n > int64(len(c.Args)-2) {
		return command.Error("ERR Number of keys can't be greater than number of args")
	}
	keys := c.Args[2 : 2+n]
	limit := int64(0)
	for i := 2 + int(n); i < len(c.Args); i += 2 {
		if !command.Eq(c.Args[i], "limit") || i+1 >= len(c.Args) {
			return command.ErrSyntax
		}
		l, ok := command.ParseInt(c.Args[i+1])
		if !ok || l < 0 {
			return command.Error("ERR LIMIT can't be negative")
		}
		limit = l
	}
	sets, err := loadSets(c, keys, false)
	if err != nil {
		return err
	}
	c.R.Int(int64(len(interMembers(sets, int(min(limit, 1<<40))))))
	return nil
}
