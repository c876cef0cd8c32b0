package tests

import (
	"strconv"
	"testing"
)

// Streams: every command against redis-server 7.0, RESP2 and RESP3, with
// explicit IDs (automatic ones follow the clock).

func TestCompat_StreamBasics(t *testing.T) {
	runCompat(t, [][]string{
		c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "1-*", "b", "2"),
		c("XADD", "s", "5", "c", "3", "d", "4"), c("XADD", "s", "0-0", "a", "b"), c("XADD", "s", "0-*", "a", "b"),
		c("XADD", "s", "MAXLEN", "2", "6-0", "a", "b"), c("XRANGE", "s", "-", "+"),
		c("XADD", "s", "MINID", "=", "6", "7-0", "a", "b"), c("XRANGE", "s", "-", "+"), c("XLEN", "s"),
		c("XRANGE", "s", "(6-0", "+"), c("XRANGE", "s", "-", "+", "COUNT", "1"), c("XRANGE", "s", "-", "+", "COUNT", "0"),
		c("XREVRANGE", "s", "+", "-", "COUNT", "1"), c("XRANGE", "s", "(-", "+"), c("XRANGE", "s", "-", "(0-0"),
		c("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"), c("XRANGE", "s", "abc", "+"),
		c("XRANGE", "s", "-", "+", "COUNT"), c("XRANGE", "s", "-", "+", "COUNT", "x"), c("XRANGE", "nope", "-", "+"),
		c("XDEL", "s", "7-0", "9-9"), c("XDEL", "s", "xyz"), c("XDEL", "nope", "1-1"),
		c("XADD", "s", "NOMKSTREAM", "10-0", "a"), c("XADD", "nope", "NOMKSTREAM", "10-0", "a", "b"), c("EXISTS", "nope"),
		c("XADD", "s", "MAXLEN", "-1", "*", "a", "b"), c("XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "a", "b"),
		c("XADD", "s", "LIMIT", "10", "*", "a", "b"), c("XADD", "s", "MAXLEN", "1", "LIMIT", "10", "*", "a", "b"),
		c("XADD", "s", "MAXLEN", "x", "*", "a", "b"), c("XADD", "s", "MAXLEN", "~", "1", "LIMIT", "-1", "*", "a", "b"),
		c("XTRIM", "s"), c("XTRIM", "s", "foo", "1"), c("XTRIM", "s", "MAXLEN", "0"), c("XTRIM", "nope", "MAXLEN", "0"),
		c("TYPE", "s"), c("OBJECT", "ENCODING", "s"), c("EXISTS", "s"),
		c("XSETID", "s", "1-0"), c("XSETID", "s", "100-0", "ENTRIESADDED", "1"), c("XSETID", "s", "100-0", "MAXDELETEDID", "200-0"),
		c("XSETID", "s", "100-0", "ENTRIESADDED", "-1"), c("XSETID", "nope", "1-0"), c("XSETID", "s", "+"),
		c("XSETID", "s", "100-0", "ENTRIESADDED", "10", "MAXDELETEDID", "9-0"), c("XSETID", "s", "100-0", "foo"),
		c("XADD", "s", "100-0", "a", "b"), c("XADD", "s", "100-*", "a", "b"), c("XRANGE", "s", "-", "+"),
		c("SET", "str", "x"), c("XADD", "str", "*", "a", "b"), c("XLEN", "str"), c("XRANGE", "str", "-", "+"),
		c("XADD", "s", "18446744073709551615-18446744073709551615", "a", "b"), c("XADD", "s", "*", "a", "b"),
		c("XADD", "s", " 1", "a", "b"), c("XADD", "s"), c("XADD", "s", "200-0", "a"),
	})
}

func TestCompat_StreamTrimApprox(t *testing.T) {
	cases := [][]string{}
	for i := 1; i <= 350; i++ {
		cases = append(cases, c("XADD", "t", strconv.Itoa(i)+"-0", "f", "v"))
	}
	cases = append(cases, c("XTRIM", "t", "MAXLEN", "~", "120"), c("XLEN", "t"), c("XRANGE", "t", "-", "+", "COUNT", "1"),
		c("XTRIM", "t", "MINID", "~", "290"), c("XLEN", "t"), c("XTRIM", "t", "MAXLEN", "~", "0", "LIMIT", "10"), c("XLEN", "t"),
		c("XDEL", "t", "301-0"), c("XTRIM", "t", "MINID", "305"), c("XLEN", "t"),
		c("XADD", "t", "MAXLEN", "~", "10", "400-0", "f", "v"), c("XLEN", "t"))
	runCompat(t, cases)
}

func TestCompat_StreamRead(t *testing.T) {
	runCompat(t, [][]string{
		c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "2-1", "b", "2"), c("XADD", "s", "3-1", "c", "3"),
		c("XREAD", "COUNT", "1", "STREAMS", "s", "0"), c("XREAD", "STREAMS", "s", "2-1"), c("XREAD", "STREAMS", "s", "$"),
		c("XREAD", "STREAMS", "s", "nope", "0", "0"), c("XREAD", "STREAMS", "s"), c("XREAD", "COUNT", "x", "STREAMS", "s", "0"),
		c("XREAD", "BLOCK", "-1", "STREAMS", "s", "0"), c("XREAD", "BLOCK", "x", "STREAMS", "s", "0"),
		c("XREAD", "GROUP", "g", "c", "STREAMS", "s", "0"), c("XREAD", "NOACK", "STREAMS", "s", "0"),
		c("XREAD", "STREAMS", "s", ">"), c("XREAD", "STREAMS", "s", "x"), c("XREAD", "BLOCK", "10", "STREAMS", "s", "0"),
		c("SET", "str", "x"), c("XREAD", "STREAMS", "str", "0"),
	})
}

func TestCompat_StreamGroups(t *testing.T) {
	runCompat(t, [][]string{
		c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "2-1", "b", "2"), c("XADD", "s", "3-1", "c", "3"),
		c("XGROUP", "CREATE", "s", "g", "0"), c("XGROUP", "CREATE", "s", "g", "0"), c("XGROUP", "CREATE", "nope", "g", "0"),
		c("XGROUP", "CREATE", "nope", "g", "$", "MKSTREAM"), c("TYPE", "nope"), c("XLEN", "nope"),
		c("XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "3"), c("XGROUP", "CREATE", "s", "g3", "$", "ENTRIESREAD", "-2"),
		c("XGROUP", "CREATE", "s", "g3", "$", "foo"), c("XGROUP", "SETID", "s", "g", "1-1"), c("XGROUP", "SETID", "s", "nog", "1-1"),
		c("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"),
		c("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0"), c("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "$"),
		c("XREADGROUP", "GROUP", "nog", "c2", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "0"),
		c("XREADGROUP", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "c1", "NOACK", "STREAMS", "s", ">"),
		c("XACK", "s", "g", "2-1", "9-9"), c("XACK", "s", "nog", "2-1"), c("XACK", "s", "g", "x"),
		c("XCLAIM", "s", "g", "c2", "0", "3-1", "JUSTID"), c("XCLAIM", "s", "g", "c2", "0", "3-1", "RETRYCOUNT", "5"),
		c("XCLAIM", "s", "nog", "c2", "0", "3-1"), c("XCLAIM", "s", "g", "c2", "x", "3-1"), c("XCLAIM", "s", "g", "c2", "0", "3-1", "foo"),
		c("XCLAIM", "s", "g", "c2", "0", "3-1", "IDLE", "x"), c("XADD", "s", "4-1", "d", "4"), c("XDEL", "s", "3-1"),
		c("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "0"),
		c("XCLAIM", "s", "g", "c3", "0", "3-1", "4-1", "JUSTID"), c("XREADGROUP", "GROUP", "g", "c3", "STREAMS", "s", "0"),
		c("XGROUP", "CREATECONSUMER", "s", "g", "c4"), c("XGROUP", "CREATECONSUMER", "s", "g", "c4"),
		c("XGROUP", "DELCONSUMER", "s", "g", "c3"), c("XGROUP", "DELCONSUMER", "s", "g", "c9"),
		c("XGROUP", "DESTROY", "s", "g"), c("XGROUP", "DESTROY", "s", "g"), c("XGROUP", "HELP"), c("XGROUP", "FOO"),
		c("XGROUP", "CREATE", "s"), c("XGROUP", "DESTROY", "nope2", "g"),
	})
}

// TestCompat_StreamGroupHistoryAfterID: a history read (an ID, not ">")
// returns the consumer's pending entries after the ID, not from it; the
// largest ID wraps to 0-0 as streamIncrID does (found by Redis's
// "Blocking XREADGROUP will ignore BLOCK if ID is not >").
func TestCompat_StreamGroupHistoryAfterID(t *testing.T) {
	runCompat(t, [][]string{
		c("XGROUP", "CREATE", "h", "g", "$", "MKSTREAM"), c("XADD", "h", "666", "k", "v"), c("XDEL", "h", "666"),
		c("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "h", "666"),
		c("XADD", "h", "667", "k", "v"), c("XADD", "h", "668", "k", "v"),
		c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "h", ">"),
		c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "h", "666"), c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "h", "667"),
		c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "h", "667-0"), c("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "h", "668"),
		c("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "h", "18446744073709551615-18446744073709551615"),
		c("XPENDING", "h", "g"),
	})
}
