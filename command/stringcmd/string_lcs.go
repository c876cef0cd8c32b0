package stringcmd

import (
	"math"
	"math/bits"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/keyspace"
)

const (
	errLCSNotString command.Error = "ERR The specified keys must contain string values"
	errLCSAmbiguous command.Error = "ERR If you want both the length and indexes, please just use IDX."
	errLCSMemory    command.Error = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
	errLCSNoMemory  command.Error = "ERR Insufficient memory, failed allocating transient memory for LCS"
	errLCSTooLong   command.Error = "ERR String too long for LCS"
)

type lcsOpts struct {
	idx, length, withLen bool
	minLen               int64
}

func parseLcsOptions(args [][]byte) (lcsOpts, error) {
	var o lcsOpts
	for j := 0; j < len(args); j++ {
		switch a := args[j]; {
		case command.Eq(a, "idx"):
			o.idx = true
		case command.Eq(a, "len"):
			o.length = true
		case command.Eq(a, "withmatchlen"):
			o.withLen = true
		case command.Eq(a, "minmatchlen") && j+1 < len(args):
			n, err := command.IntArg(args[j+1])
			if err != nil {
				return o, err
			}
			o.minLen = max(n, 0)
			j++
		default:
			return o, command.ErrSyntax
		}
	}
	if o.idx && o.length {
		return o, errLCSAmbiguous
	}
	return o, nil
}

// lcsMatch is one matched range in both strings, reported by LCS IDX.
type lcsMatch struct{ a0, a1, b0, b1 int }

// cmdLcs: LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
//
// The dynamic-programming table is Redis's: (len(a)+1)×(len(b)+1) uint32
// cells. As in Redis 7.0.15, a table larger than proto-max-bulk-len is
// refused before it is allocated, so LCS cannot exhaust memory.
func cmdLcs(c *command.Call) error {
	ea, eb := c.Lookup(c.Args[1]), c.Lookup(c.Args[2])
	if (ea != nil && ea.Kind() != keyspace.KindString) || (eb != nil && eb.Kind() != keyspace.KindString) {
		return errLCSNotString
	}
	var a, b []byte
	if ea != nil {
		a = ea.Str()
	}
	if eb != nil {
		b = eb.Str()
	}
	o, err := parseLcsOptions(c.Args[3:])
	if err != nil {
		return err
	}
	if err := lcsCheckSize(len(a), len(b), c.D.Cfg.Int("proto-max-bulk-len")); err != nil {
		return err
	}
	dp := lcsTable(a, b)
	total := int(dp[len(dp)-1])
	if o.length {
		c.R.Int(int64(total))
		return nil
	}
	seq, matches := lcsWalk(a, b, dp, total, o.minLen)
	if !o.idx {
		c.R.Bulk(seq)
		return nil
	}
	c.R.Map(2)
	c.R.BulkString("matches")
	c.R.Array(len(matches))
	for _, m := range matches {
		if o.withLen {
			c.R.Array(3)
		} else {
			c.R.Array(2)
		}
		c.R.Array(2)
		c.R.Int(int64(m.a0))
		c.R.Int(int64(m.a1))
		c.R.Array(2)
		c.R.Int(int64(m.b0))
		c.R.Int(int64(m.b1))
		if o.withLen {
			c.R.Int(int64(m.a1 - m.a0 + 1))
		}
	}
	c.R.BulkString("len")
	c.R.Int(int64(total))
	return nil
}

// lcsCheckSize applies Redis's limits before the table is allocated: uint32
// indexes, then the table's bytes against proto-max-bulk-len, computed in
// unsigned 64-bit as Redis does so huge strings cannot overflow the test.
func lcsCheckSize(alen, blen int, limit int64) error {
	if uint64(alen) >= math.MaxUint32-1 || uint64(blen) >= math.MaxUint32-1 {
		return errLCSTooLong
	}
	hi, bytes := bits.Mul64(uint64(alen+1)*uint64(blen+1), 4)
	if hi != 0 {
		return errLCSNoMemory
	}
	if bytes > uint64(limit) {
		return errLCSMemory
	}
	return nil
}

// lcsTable fills the LCS length table; cell (i, j) is at i*(len(b)+1)+j.
func lcsTable(a, b []byte) []uint32 {
	w := len(b) + 1
	dp := make([]uint32, (len(a)+1)*w)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				dp[i*w+j] = dp[(i-1)*w+j-1] + 1
			case dp[(i-1)*w+j] > dp[i*w+j-1]:
				dp[i*w+j] = dp[(i-1)*w+j]
			default:
				dp[i*w+j] = dp[i*w+j-1]
			}
		}
	}
	return dp
}

// lcsWalk walks the table back from the end exactly as Redis's lcsCommand
// does, so ties pick the same subsequence and ranges come out in the same
// order (last match first).
func lcsWalk(a, b []byte, dp []uint32, total int, minLen int64) ([]byte, []lcsMatch) {
	w := len(b) + 1
	seq := make([]byte, total)
	var matches []lcsMatch
	idx := total
	alen := len(a)
	aStart, aEnd, bStart, bEnd := alen, 0, 0, 0
	i, j := len(a), len(b)
	for i > 0 && j > 0 {
		emit := false
		if a[i-1] == b[j-1] {
			seq[idx-1] = a[i-1]
			if aStart == alen {
				aStart, aEnd, bStart, bEnd = i-1, i-1, j-1, j-1
			} else if aStart == i && bStart == j {
				aStart--
				bStart--
			} else {
				emit = true
			}
			if aStart == 0 || bStart == 0 {
				emit = true
			}
			idx, i, j = idx-1, i-1, j-1
		} else {
			if dp[(i-1)*w+j] > dp[i*w+j-1] {
				i--
			} else {
				j--
			}
			if aStart != alen {
				emit = true
			}
		}
		if emit {
			if n := int64(aEnd - aStart + 1); minLen == 0 || n >= minLen {
				matches = append(matches, lcsMatch{aStart, aEnd, bStart, bEnd})
			}
			aStart = alen
		}
	}
	return seq, matches
}
