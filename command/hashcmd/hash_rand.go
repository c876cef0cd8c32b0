package hashcmd

import (
	"math/rand/v2"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/keyspace"
)

// cmdHscan: HSCAN key cursor [MATCH pattern] [COUNT count]
func cmdHscan(c *command.Call) error {
	now := c.NowMs()
	return command.ScanCollection(c, keyspace.KindHash, func(e *keyspace.Entry, cur uint64, o command.ScanOpts, emit func(string)) uint64 {
		return command.HashOf(e).Scan(cur, o.Count, o.Count*10, now, func(f, v string) { emit(f); emit(v) })
	}, 2)
}

// cmdHrandfield: HRANDFIELD key [count [WITHVALUES]]
//
// Read-only and never journaled. A negative count repeats fields; a
// positive one returns distinct fields, the whole hash (in its order) when
// count covers it. Like SRANDMEMBER, a negative count beyond maxRandomReply
// is refused rather than building a reply that large.
func cmdHrandfield(c *command.Call) error {
	if len(c.Args) == 2 {
		h, err := hashRead(c, c.Args[1])
		if err != nil {
			return err
		}
		var f string
		ok := h != nil
		if ok {
			f, _, ok = h.Random(c.NowMs())
		}
		if !ok {
			c.R.Null()
			return nil
		}
		c.R.BulkString(f)
		return nil
	}
	n, err := command.RandCount(c.Args[2])
	if err != nil {
		return err
	}
	if len(c.Args) > 4 || (len(c.Args) == 4 && !command.Eq(c.Args[3], "withvalues")) {
		return command.ErrSyntax
	}
	withValues := len(c.Args) == 4
	if withValues && (n < -(1<<63-1)/2 || n > (1<<63-1)/2) {
		return command.Error("ERR value is out of range")
	}
	h, err := hashRead(c, c.Args[1])
	if err != nil {
		return err
	}
	if h == nil || n == 0 {
		c.R.Array(0)
		return nil
	}
	now := c.NowMs()
	var pairs []string
	switch {
	case n < 0:
		if -n > command.MaxRandomReply {
			return command.Error("ERR count is too large")
		}
		pairs = make([]string, 0, 2*(-n))
		for range -n {
			f, v, _ := h.Random(now)
			pairs = append(pairs, f, v)
		}
	case n >= int64(h.LiveLen(now)):
		pairs = h.Pairs(now)
	default:
		pairs = distinctPairs(h, int(n), now)
	}
	replyPairs(c, pairs, withValues)
	return nil
}

// replyPairs writes field/value pairs as HRANDFIELD does: fields only, or
// with values flat in RESP2 and as [field, value] arrays in RESP3.
func replyPairs(c *command.Call, pairs []string, withValues bool) {
	n := len(pairs) / 2
	c.R.Array(n * (1 + command.BoolN(withValues && c.S.Proto == 2)))
	for i := 0; i < len(pairs); i += 2 {
		if withValues && c.S.Proto > 2 {
			c.R.Array(2)
		}
		c.R.BulkString(pairs[i])
		if withValues {
			c.R.BulkString(pairs[i+1])
		}
	}
}

// distinctPairs returns n distinct random live pairs of h (n < live
// length): a shuffled prefix when n is a large share of the hash (Redis's
// CASE 3), random picks with a seen-set otherwise (CASE 4).
func distinctPairs(h *keyspace.Hash, n int, now int64) []string {
	live := h.LiveLen(now)
	if n*3 > live || live != h.Len() {
		all := h.Pairs(now)
		k := len(all) / 2
		rand.Shuffle(k, func(i, j int) {
			all[2*i], all[2*j] = all[2*j], all[2*i]
			all[2*i+1], all[2*j+1] = all[2*j+1], all[2*i+1]
		})
		return all[:2*n]
	}
	seen := make(map[string]struct{}, n)
	out := make([]string, 0, 2*n)
	for len(out) < 2*n {
		f, v, _ := h.Random(now)
		if _, dup := seen[f]; !dup {
			seen[f] = struct{}{}
			out = append(out, f, v)
		}
	}
	return out
}
