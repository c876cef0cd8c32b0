package tests

import (
	"strconv"
	"testing"
)

// Sorted sets against redis-server 7.0, RESP2 and RESP3. Scores print as
// Redis 7.0 prints them (%.17g, inf, -inf); ZSCAN's d2string form.

func TestCompat_ZsetAdd(t *testing.T) {
	runCompat(t, [][]string{
		c("ZADD", "z", "1", "a", "2", "b", "1.1", "c", "inf", "d", "-inf", "e"), c("ZADD", "z", "1", "a"),
		c("ZRANGE", "z", "0", "-1", "WITHSCORES"), c("ZCARD", "z"), c("TYPE", "z"), c("OBJECT", "ENCODING", "z"),
		c("ZADD", "z", "CH", "5", "a", "2", "b", "9", "new"), c("ZSCORE", "z", "a"), c("ZSCORE", "z", "nope"),
		c("ZSCORE", "nope", "a"), c("ZMSCORE", "z", "a", "nope", "d", "e"), c("ZMSCORE", "nope", "a"),
		c("ZADD", "z", "NX", "100", "a", "100", "nx1"), c("ZSCORE", "z", "a"), c("ZSCORE", "z", "nx1"),
		c("ZADD", "z", "XX", "100", "a", "100", "xx1"), c("ZSCORE", "z", "a"), c("ZSCORE", "z", "xx1"),
		c("ZADD", "z", "GT", "CH", "50", "a", "200", "b"), c("ZADD", "z", "LT", "CH", "50", "a", "300", "b"),
		c("ZADD", "z", "XX", "GT", "1000", "a"), c("ZADD", "z", "gt", "xx", "ch", "1", "a"), c("ZSCORE", "z", "a"),
		c("ZADD", "z", "INCR", "5", "a"), c("ZADD", "z", "INCR", "NX", "5", "a"), c("ZADD", "z", "INCR", "XX", "5", "nope"),
		c("ZADD", "z", "INCR", "GT", "-5", "a"), c("ZADD", "z", "INCR", "LT", "-5", "a"), c("ZADD", "z", "INCR", "5", "fresh"),
		c("ZADD", "nokey", "XX", "1", "a"), c("EXISTS", "nokey"), c("ZADD", "nokey", "XX", "INCR", "1", "a"),
		c("ZADD", "z", "INCR", "inf", "d"), c("ZADD", "z", "INCR", "-inf", "d"), c("ZINCRBY", "z", "-inf", "d"),
		c("ZINCRBY", "z", "1.5", "a"), c("ZINCRBY", "z", "x", "a"), c("ZINCRBY", "z", "1", "newmember"),
		c("ZINCRBY", "z", "1e308", "a"), c("ZINCRBY", "z", "1e308", "a"), c("ZSCORE", "z", "a"),
		c("ZADD", "z", "0x10", "hex", "-0", "negzero", "1e-300", "tiny", "+5", "plus", "1E3", "exp"),
		c("ZRANGE", "z", "0", "-1", "WITHSCORES"),
		// errors
		c("ZADD", "z", "nan", "a"), c("ZADD", "z", "1", "a", "2"), c("ZADD", "z", "INCR", "1", "a", "2", "b"),
		c("ZADD", "z", "NX", "XX", "1", "a"), c("ZADD", "z", "GT", "LT", "1", "a"), c("ZADD", "z", "NX", "GT", "1", "a"),
		c("ZADD", "z", " 1", "a"), c("ZADD", "z", "1e400", "a"), c("ZADD", "z", "1e-400", "a"), c("ZADD", "z", "", "a"),
		c("ZADD", "z", "1x", "a"), c("ZADD", "z", "inity", "a"), c("ZADD", "z", "infinity", "inf2"), c("ZADD", "z", "1_0", "a"),
		c("ZADD", "z", "NX"), c("ZADD", "z", "CH", "1"), c("ZADD", "z"), c("ZADD", "z", "1"),
		c("SET", "str", "v"), c("ZADD", "str", "1", "a"), c("ZINCRBY", "str", "1", "a"), c("ZSCORE", "str", "a"),
		c("ZMSCORE", "str", "a"), c("ZCARD", "str"), c("GET", "z"), c("ZCARD"), c("ZSCORE", "z"), c("ZMSCORE", "z"),
		c("ZREM", "z", "a", "nope", "b"), c("ZREM", "nope", "a"), c("ZREM", "str", "a"), c("ZREM", "z"),
		c("ZADD", "one", "1", "x"), c("ZREM", "one", "x", "x"), c("EXISTS", "one"),
		c("ZRANK", "z", "c"), c("ZREVRANK", "z", "c"), c("ZRANK", "z", "nope"), c("ZRANK", "nope", "a"), c("ZRANK", "str", "a"),
		c("ZRANK", "z"), c("ZREVRANK", "z", "a", "b"),
	})
}

func TestCompat_ZsetEncoding(t *testing.T) {
	long := string(make([]byte, 65))
	cases := [][]string{
		c("ZADD", "z", "1", "a"), c("OBJECT", "ENCODING", "z"), c("ZADD", "z", "2", long), c("OBJECT", "ENCODING", "z"),
		c("ZREM", "z", long), c("OBJECT", "ENCODING", "z"),
		c("ZADD", "y", "1", long), c("OBJECT", "ENCODING", "y"),
		c("CONFIG", "SET", "zset-max-listpack-entries", "3"),
		c("ZADD", "w", "1", "a", "2", "b", "3", "c"), c("OBJECT", "ENCODING", "w"), c("ZADD", "w", "4", "d"), c("OBJECT", "ENCODING", "w"),
		c("ZADD", "v", "1", "a", "2", "b", "3", "c", "4", "a"), c("OBJECT", "ENCODING", "v"),
		c("ZUNIONSTORE", "u", "1", "w"), c("OBJECT", "ENCODING", "u"), c("ZRANGESTORE", "u2", "w", "0", "1"), c("OBJECT", "ENCODING", "u2"),
		c("ZINCRBY", "v2", "1", "a"), c("OBJECT", "ENCODING", "v2"),
		c("CONFIG", "SET", "zset-max-listpack-entries", "128"),
		c("COPY", "w", "w2"), c("OBJECT", "ENCODING", "w2"), c("ZRANGE", "w2", "0", "-1", "WITHSCORES"),
	}
	big := []string{"ZADD", "big"}
	for i := range 300 {
		big = append(big, strconv.Itoa(i%17), "m"+strconv.Itoa(i))
	}
	cases = append(cases, big, c("OBJECT", "ENCODING", "big"), c("ZCARD", "big"),
		c("ZRANGE", "big", "0", "-1", "WITHSCORES"), c("ZRANGE", "big", "100", "120"), c("ZRANK", "big", "m77"),
		c("ZREVRANK", "big", "m77"), c("ZCOUNT", "big", "3", "(9"), c("ZRANGEBYSCORE", "big", "(15", "+inf", "WITHSCORES"))
	runCompat(t, cases)
}

func TestCompat_ZsetRange(t *testing.T) {
	runCompat(t, [][]string{
		c("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "5", "f", "-1.5", "neg"),
		c("ZRANGE", "z", "0", "-1"), c("ZRANGE", "z", "0", "-1", "WITHSCORES"), c("ZRANGE", "z", "-3", "-2"),
		c("ZRANGE", "z", "2", "1"), c("ZRANGE", "z", "100", "200"), c("ZRANGE", "z", "-100", "100"), c("ZRANGE", "z", "0", "0"),
		c("ZRANGE", "z", "0", "-1", "REV"), c("ZRANGE", "z", "1", "2", "rev", "withscores"),
		c("ZRANGE", "z", "2", "4", "BYSCORE"), c("ZRANGE", "z", "(2", "(5", "BYSCORE", "WITHSCORES"),
		c("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "3"), c("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "-1"),
		c("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "3"), c("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "0", "0"),
		c("ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2", "WITHSCORES"), c("ZRANGE", "z", "5", "5", "BYSCORE"),
		c("ZRANGE", "z", "(5", "5", "BYSCORE"), c("ZRANGE", "z", "6", "1", "BYSCORE"), c("ZRANGE", "z", "inf", "inf", "BYSCORE"),
		c("ZRANGE", "z", "", "3", "BYSCORE"), c("ZRANGE", "z", "( 1", "3", "BYSCORE"), c("ZRANGE", "z", "(", "3", "BYSCORE"),
		c("ZRANGE", "z", "x", "3", "BYSCORE"), c("ZRANGE", "z", "nan", "3", "BYSCORE"), c("ZRANGE", "z", "1e999", "3", "BYSCORE"),
		c("ZRANGE", "z", "0", "-1", "REV", "REV"), c("ZRANGE", "z", "0", "-1", "BYSCORE", "BYSCORE"), c("ZRANGE", "z", "0", "-1", "BYSCORE", "BYLEX"),
		c("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"), c("ZRANGE", "z", "[a", "[b", "BYLEX", "WITHSCORES"),
		c("ZRANGE", "z", "0", "-1", "WITHSCORES", "LIMIT", "0", "1"), c("ZRANGE", "z", "0", "-1", "LIMIT", "0"),
		c("ZRANGE", "z", "0", "-1", "LIMIT", "x", "1", "BYSCORE"), c("ZRANGE", "z", "x", "1"), c("ZRANGE", "z", "0", "1", "FOO"),
		c("ZRANGE", "nope", "0", "-1"), c("ZRANGE", "nope", "x", "y"), c("ZRANGE", "nope", "0", "1", "BYSCORE", "FOO"),
		c("ZRANGEBYSCORE", "z", "2", "4"), c("ZRANGEBYSCORE", "z", "-inf", "inf", "WITHSCORES", "LIMIT", "2", "2"),
		c("ZRANGEBYSCORE", "z", "2", "4", "REV"), c("ZRANGEBYSCORE", "z", "2", "4", "BYSCORE"),
		c("ZREVRANGEBYSCORE", "z", "4", "2"), c("ZREVRANGEBYSCORE", "z", "+inf", "-inf", "WITHSCORES", "LIMIT", "1", "3"),
		c("ZREVRANGE", "z", "0", "2"), c("ZREVRANGE", "z", "0", "2", "WITHSCORES"), c("ZREVRANGE", "z", "0", "2", "LIMIT", "0", "1"),
		c("ZREVRANGE", "z", "0", "2", "REV"),
		c("ZCOUNT", "z", "2", "4"), c("ZCOUNT", "z", "(2", "(4"), c("ZCOUNT", "z", "-inf", "+inf"), c("ZCOUNT", "z", "5", "1"),
		c("ZCOUNT", "z", "x", "1"), c("ZCOUNT", "nope", "1", "2"), c("ZCOUNT", "z", "", "+inf"),
		c("ZRANGESTORE", "dst", "z", "0", "2"), c("ZRANGE", "dst", "0", "-1", "WITHSCORES"),
		c("ZRANGESTORE", "dst", "z", "3", "5", "BYSCORE", "LIMIT", "1", "1"), c("ZRANGE", "dst", "0", "-1", "WITHSCORES"),
		c("ZRANGESTORE", "dst", "z", "5", "3", "BYSCORE", "REV"), c("ZRANGE", "dst", "0", "-1", "WITHSCORES"),
		c("ZRANGESTORE", "dst", "z", "0", "2", "WITHSCORES"), c("ZRANGESTORE", "dst", "nope", "0", "-1"), c("EXISTS", "dst"),
		c("ZRANGESTORE", "dst", "z", "10", "20"), c("ZRANGESTORE", "dst", "z"),
		c("SET", "str", "v"), c("ZRANGE", "str", "0", "-1"), c("ZRANGE", "str", "x", "1"), c("ZRANGESTORE", "dst", "str", "0", "1"),
		c("ZRANGESTORE", "str", "z", "0", "1"), c("TYPE", "str"), c("ZCOUNT", "str", "0", "1"),
		c("ZREMRANGEBYRANK", "z", "0", "1"), c("ZRANGE", "z", "0", "-1"), c("ZREMRANGEBYRANK", "z", "-1", "-1"),
		c("ZREMRANGEBYRANK", "z", "5", "1"), c("ZREMRANGEBYRANK", "z", "x", "1"), c("ZREMRANGEBYRANK", "nope", "0", "1"),
		c("ZREMRANGEBYSCORE", "z", "(3", "4"), c("ZRANGE", "z", "0", "-1"), c("ZREMRANGEBYSCORE", "z", "x", "1"),
		c("ZREMRANGEBYSCORE", "z", "-inf", "+inf"), c("EXISTS", "z"), c("ZREMRANGEBYSCORE", "str", "0", "1"),
	})
}

func TestCompat_ZsetLex(t *testing.T) {
	runCompat(t, [][]string{
		c("ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e", "0", "", "0", "aa", "0", "b\x00"),
		c("ZRANGEBYLEX", "l", "-", "+"), c("ZRANGEBYLEX", "l", "[b", "(d"), c("ZRANGEBYLEX", "l", "(a", "[c"),
		c("ZRANGEBYLEX", "l", "-", "+", "LIMIT", "2", "3"), c("ZRANGEBYLEX", "l", "+", "-"), c("ZRANGEBYLEX", "l", "[c", "[a"),
		c("ZRANGEBYLEX", "l", "[", "(b"), c("ZRANGEBYLEX", "l", "(a", "(a"), c("ZRANGEBYLEX", "l", "[a", "[a"),
		c("ZREVRANGEBYLEX", "l", "+", "-"), c("ZREVRANGEBYLEX", "l", "(d", "[b", "LIMIT", "1", "5"),
		c("ZRANGE", "l", "[b", "[d", "BYLEX"), c("ZRANGE", "l", "[d", "[b", "BYLEX", "REV", "LIMIT", "0", "2"),
		c("ZLEXCOUNT", "l", "-", "+"), c("ZLEXCOUNT", "l", "[b", "(d"), c("ZLEXCOUNT", "nope", "-", "+"),
		c("ZRANGEBYLEX", "l", "a", "b"), c("ZRANGEBYLEX", "l", "+a", "-"), c("ZLEXCOUNT", "l", "x", "+"),
		c("ZRANGEBYLEX", "l", "-", "+", "WITHSCORES"), c("ZRANGEBYLEX", "l", "-", "+", "LIMIT", "1"),
		c("ZRANGESTORE", "d", "l", "[b", "[d", "BYLEX"), c("ZRANGE", "d", "0", "-1"),
		c("ZREMRANGEBYLEX", "l", "[b", "(d"), c("ZRANGE", "l", "0", "-1"), c("ZREMRANGEBYLEX", "l", "x", "y"),
		c("ZREMRANGEBYLEX", "l", "-", "+"), c("EXISTS", "l"), c("ZREMRANGEBYLEX", "nope", "-", "+"),
	})
}

func TestCompat_ZsetPop(t *testing.T) {
	runCompat(t, [][]string{
		c("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"),
		c("ZPOPMIN", "z"), c("ZPOPMAX", "z"), c("ZPOPMIN", "z", "1"), c("ZADD", "z", "1", "a", "4", "d"),
		c("ZPOPMAX", "z", "2"), c("ZPOPMIN", "z", "0"), c("ZPOPMIN", "z", "10"), c("EXISTS", "z"),
		c("ZPOPMIN", "nope"), c("ZPOPMIN", "nope", "3"), c("ZPOPMIN", "nope", "0"), c("ZPOPMIN", "z", "-1"), c("ZPOPMIN", "z", "x"),
		c("ZPOPMIN", "z", "1", "2"), c("ZPOPMAX"),
		c("ZADD", "z", "1", "a", "2", "b", "3", "c"), c("ZADD", "z2", "10", "x"),
		c("ZMPOP", "2", "nope", "z", "MIN"), c("ZMPOP", "2", "z", "z2", "MAX", "COUNT", "5"), c("ZMPOP", "2", "z", "z2", "max", "count", "5"),
		c("ZMPOP", "1", "nope", "MIN"), c("ZMPOP", "0", "z", "MIN"), c("ZMPOP", "2", "z", "MIN"), c("ZMPOP", "1", "z", "FOO"),
		c("ZMPOP", "1", "z", "MIN", "COUNT", "0"), c("ZMPOP", "1", "z", "MIN", "COUNT", "-1"), c("ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "2"),
		c("ZMPOP", "1", "z", "MIN", "COUNT"), c("ZMPOP", "x", "z", "MIN"), c("ZMPOP", "-1", "z", "MIN"), c("ZMPOP", "1", "z"),
		c("SET", "str", "v"), c("ZPOPMIN", "str"), c("ZMPOP", "2", "nope", "str", "MIN"), c("ZMPOP", "2", "z2", "str", "MIN"),
		c("ZADD", "r", "1", "a", "2", "b", "3", "c"),
		c("ZRANDMEMBER", "nope"), c("ZRANDMEMBER", "nope", "3"), c("ZRANDMEMBER", "nope", "-3", "WITHSCORES"),
		c("ZRANDMEMBER", "r", "0"), u("ZRANDMEMBER", "r", "3"), up("ZRANDMEMBER", "r", "5", "WITHSCORES"),
		c("ZRANDMEMBER", "r", "1", "FOO"), c("ZRANDMEMBER", "r", "1", "WITHSCORES", "x"), c("ZRANDMEMBER", "r", "x"),
		c("ZRANDMEMBER", "r", "-9223372036854775808"), c("ZRANDMEMBER", "r", "-4611686018427387905", "WITHSCORES"),
		c("ZRANDMEMBER", "r", "4611686018427387904", "WITHSCORES"), c("ZRANDMEMBER", "str"), c("ZRANDMEMBER", "str", "1"),
	})
}

func TestCompat_ZsetAlgebra(t *testing.T) {
	runCompat(t, [][]string{
		c("ZADD", "a", "1", "x", "2", "y", "3", "z"), c("ZADD", "b", "10", "y", "20", "z", "30", "w"), c("SADD", "s", "x", "w", "q"),
		c("ZUNION", "2", "a", "b"), c("ZUNION", "2", "a", "b", "WITHSCORES"), c("ZUNION", "3", "a", "b", "s", "WITHSCORES"),
		c("ZUNION", "2", "a", "b", "WEIGHTS", "2", "0.5", "WITHSCORES"), c("ZUNION", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES"),
		c("ZUNION", "2", "a", "b", "AGGREGATE", "max", "WEIGHTS", "1", "-1", "WITHSCORES"), c("ZUNION", "2", "a", "nope", "WITHSCORES"),
		c("ZINTER", "2", "a", "b", "WITHSCORES"), c("ZINTER", "2", "a", "s", "WITHSCORES"), c("ZINTER", "2", "a", "nope"),
		c("ZINTER", "2", "a", "b", "AGGREGATE", "MAX"), c("ZINTER", "2", "a", "b", "WEIGHTS", "1", "0", "WITHSCORES"),
		c("ZDIFF", "2", "a", "b", "WITHSCORES"), c("ZDIFF", "2", "b", "s", "WITHSCORES"), c("ZDIFF", "2", "nope", "a"),
		c("ZDIFF", "1", "a"), c("ZDIFF", "2", "a", "b", "WEIGHTS", "1", "1"), c("ZDIFF", "2", "a", "b", "AGGREGATE", "SUM"),
		c("ZUNIONSTORE", "d", "2", "a", "b"), c("ZRANGE", "d", "0", "-1", "WITHSCORES"),
		c("ZINTERSTORE", "d", "2", "a", "b", "WEIGHTS", "2", "3"), c("ZRANGE", "d", "0", "-1", "WITHSCORES"),
		c("ZDIFFSTORE", "d", "2", "a", "b"), c("ZRANGE", "d", "0", "-1", "WITHSCORES"), c("ZDIFFSTORE", "d", "2", "a", "a"), c("EXISTS", "d"),
		c("ZINTERSTORE", "a", "2", "a", "b"), c("ZRANGE", "a", "0", "-1", "WITHSCORES"),
		c("ZADD", "inf1", "inf", "m"), c("ZADD", "inf2", "-inf", "m"), c("ZUNION", "2", "inf1", "inf2", "WITHSCORES"),
		c("ZUNION", "2", "inf1", "inf2", "WEIGHTS", "0", "1", "WITHSCORES"), c("ZINTER", "2", "inf1", "inf2", "WITHSCORES"),
		c("ZINTERCARD", "2", "a", "b"), c("ZINTERCARD", "1", "b", "LIMIT", "2"), c("ZINTERCARD", "1", "b", "LIMIT", "0"),
		c("ZINTERCARD", "2", "b", "s"), c("ZINTERCARD", "0", "b"), c("ZINTERCARD", "3", "b"), c("ZINTERCARD", "1", "b", "LIMIT", "-1"),
		c("ZINTERCARD", "1", "b", "WITHSCORES"), c("ZINTERCARD", "1", "b", "LIMIT"), c("ZINTERCARD", "x", "b"),
		// errors
		c("ZUNION", "0", "a"), c("ZUNION", "2", "a"), c("ZUNIONSTORE", "d", "0", "a"), c("ZUNION", "1", "a", "WEIGHTS", "x"),
		c("ZUNION", "1", "a", "WEIGHTS"), c("ZUNION", "1", "a", "WEIGHTS", "1", "2"), c("ZUNION", "1", "a", "AGGREGATE", "foo"),
		c("ZUNION", "1", "a", "AGGREGATE"), c("ZUNIONSTORE", "d", "1", "a", "WITHSCORES"), c("ZUNION", "x", "a"), c("ZUNION", "-1", "a"),
		c("SET", "str", "v"), c("ZUNION", "2", "a", "str"), c("ZUNION", "2", "str", "a", "BOGUS"), c("ZINTERSTORE", "d", "1", "str"),
		c("ZUNIONSTORE", "str", "1", "b"), c("TYPE", "str"), c("ZUNIONSTORE", "d", "1", "nope"), c("EXISTS", "d"),
		c("ZUNION", "1"), c("ZUNIONSTORE", "d", "1"),
	})
}

// TestCompat_Zscan compares a whole-set walk (cursors differ) and the
// listpack form, which is returned in one step with cursor 0.
func TestCompat_Zscan(t *testing.T) {
	p := sharedPair(t)
	for _, q := range []*pair{p, p.resp3()} {
		q.do("FLUSHALL")
		q.do("ZADD", "small", "1", "a", "2.5", "b", "-0", "c", "inf", "d", "0.1", "e")
		q.do("ZSCAN", "small", "0")
		q.do("ZSCAN", "small", "0", "MATCH", "[ab]")
		q.do("ZSCAN", "nope", "0")
		q.do("ZSCAN", "small", "x")
		q.do("ZSCAN", "small", "0", "COUNT", "0")
		q.do("SET", "str", "v")
		q.do("ZSCAN", "str", "0")
	}
}

// TestZrandmemberShapes checks random replies structurally on Larder.
func TestZrandmemberShapes(t *testing.T) {
	l := startLarder(t)
	conn := dial(t, l.addr)
	conn.do("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f", "7", "g", "8", "h", "9", "i", "10", "j")
	all := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	for _, n := range []int{1, 2, 9} {
		got := bulkStrings(t, conn.do("ZRANDMEMBER", "z", strconv.Itoa(n)))
		if len(got) != n || hasDup(got) || !subset(got, all) {
			t.Fatalf("ZRANDMEMBER %d = %q", n, got)
		}
	}
	got := bulkStrings(t, conn.do("ZRANDMEMBER", "z", "-30", "WITHSCORES"))
	if len(got) != 60 {
		t.Fatalf("ZRANDMEMBER -30 WITHSCORES: %d elements", len(got))
	}
	for i := 0; i < len(got); i += 2 {
		if !subset(got[i:i+1], all) || got[i+1] != strconv.Itoa(int(got[i][0]-'a')+1) {
			t.Fatalf("pair %q %q", got[i], got[i+1])
		}
	}
}

// TestCompat_ZsetLargeIntegralScores: integral scores up to ±2^62 print as
// integers in ZSCAN and in a listpack's stored text (so DUMP), beyond as
// %.17g, as Redis 7.0's d2string (found by duplicates: DUMP's copy of the
// formatting had 2^62, ZSCAN's 2^52).
func TestCompat_ZsetLargeIntegralScores(t *testing.T) {
	runCompat(t, [][]string{
		c("ZADD", "zz", "100000000000000000", "a", "4611686018427387904", "b", "4503599627370497", "c",
			"-4611686018427387904", "d", "9223372036854775808", "e", "1e300", "f"),
		c("ZSCAN", "zz", "0"), c("DUMP", "zz"), c("ZRANGE", "zz", "0", "-1", "WITHSCORES"),
	})
}
