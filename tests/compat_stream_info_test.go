package tests

import (
	"regexp"
	"testing"
)

// Stream replies that carry the clock or Redis's radix tree layout:
// XPENDING, XAUTOCLAIM, XINFO. Times are compared masked (absolute times
// and idle times made large by delivery times set in the past with XCLAIM
// TIME), as are the three fields that name a clock or the tree's internal
// node count; everything else byte for byte.

// clockFields masks what follows a field whose value is a time or Redis's
// rax node count, and any integer of 12 digits or more (a unix ms time).
var (
	clockFields = regexp.MustCompile(`((?:seen-time|idle|radix-tree-nodes)\r\n):\d+\r\n`)
	clockInts   = regexp.MustCompile(`:\d{12,}\r\n`)
)

func maskClock(b []byte) []byte {
	b = clockFields.ReplaceAll(b, []byte("$1:T\r\n"))
	return clockInts.ReplaceAll(b, []byte(":T\r\n"))
}

func runMaskedCompat(t *testing.T, cases [][]string) {
	t.Helper()
	p := sharedPair(t)
	run := func(t *testing.T, p *pair) {
		q := p.with(t)
		for i, argv := range cases {
			r, l := q.doBoth(argv...)
			if d := diffReplies(argv, maskClock(r), maskClock(l)); d != "" {
				t.Fatalf("case %d of %d (masked):\n%s", i+1, len(cases), d)
			}
		}
	}
	t.Run("resp2", func(t *testing.T) { run(t, p) })
	q := p.resp3()
	q.do("FLUSHALL")
	t.Run("resp3", func(t *testing.T) { run(t, q) })
}

func TestCompat_StreamPendingAndInfo(t *testing.T) {
	runMaskedCompat(t, [][]string{
		c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "2-1", "b", "2"), c("XADD", "s", "3-1", "c", "3"), c("XADD", "s", "4-1", "d", "4"),
		c("XINFO", "STREAM", "s"), c("XINFO", "STREAM", "s", "FULL"), c("XINFO", "GROUPS", "s"),
		c("XGROUP", "CREATE", "s", "g", "0"), c("XGROUP", "CREATE", "s", "h", "$"),
		c("XPENDING", "s", "g"), c("XPENDING", "s", "nog"), c("XPENDING", "nope", "g"), c("XPENDING", "s", "g", "-", "+"),
		c("XPENDING", "s", "g", "-", "+", "x"), c("XPENDING", "s", "g", "IDLE", "x", "-", "+", "10"),
		c("XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "s", ">"),
		c("XREADGROUP", "GROUP", "g", "c2", "COUNT", "1", "STREAMS", "s", ">"),
		c("XCLAIM", "s", "g", "c1", "0", "1-1", "2-1", "3-1", "TIME", "1000", "JUSTID"),
		c("XPENDING", "s", "g"), c("XPENDING", "s", "g", "-", "+", "10"), c("XPENDING", "s", "g", "(1-1", "+", "10", "c1"),
		c("XPENDING", "s", "g", "-", "+", "10", "nobody"), c("XPENDING", "s", "g", "IDLE", "1000", "-", "+", "10"),
		c("XPENDING", "s", "g", "-", "+", "-5"),
		c("XINFO", "GROUPS", "s"), c("XINFO", "CONSUMERS", "s", "g"), c("XINFO", "CONSUMERS", "s", "nog"),
		c("XINFO", "STREAM", "s"), c("XINFO", "STREAM", "s", "FULL"), c("XINFO", "STREAM", "s", "FULL", "COUNT", "1"),
		c("XINFO", "STREAM", "s", "FULL", "COUNT", "x"), c("XINFO", "STREAM", "s", "FOO"), c("XINFO", "STREAM", "nope"),
		c("XINFO", "HELP"), c("XINFO", "FOO", "s"),
		c("XDEL", "s", "2-1"), c("XINFO", "GROUPS", "s"),
		c("XAUTOCLAIM", "s", "g", "c3", "0", "0", "COUNT", "1"), c("XAUTOCLAIM", "s", "g", "c3", "0", "0", "JUSTID"),
		c("XAUTOCLAIM", "s", "g", "c3", "0", "(1-1"), c("XAUTOCLAIM", "s", "g", "c3", "x", "0"),
		c("XAUTOCLAIM", "s", "g", "c3", "0", "0", "COUNT", "0"), c("XAUTOCLAIM", "s", "g", "c3", "0", "0", "FOO"),
		c("XAUTOCLAIM", "s", "nog", "c3", "0", "0"), c("XAUTOCLAIM", "s", "g", "c3", "3600000", "0"),
		c("XINFO", "STREAM", "s", "FULL"), c("XGROUP", "SETID", "h", "0"), c("XGROUP", "SETID", "s", "h", "0", "ENTRIESREAD", "0"),
		c("XINFO", "GROUPS", "s"), c("XREADGROUP", "GROUP", "h", "c", "STREAMS", "s", ">"), c("XINFO", "GROUPS", "s"),
	})
}
