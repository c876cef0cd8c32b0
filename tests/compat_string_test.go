package tests

import (
	"strings"
	"testing"
)

// TestCompat_StringWrongType runs every string command against a list (and
// a missing key beside it): WRONGTYPE where Redis answers it, argument
// errors first where Redis checks them first, and the writes that replace
// any value (SET, MSET, SETEX, PSETEX) or never look at it (SETNX, MSETNX).
func TestCompat_StringWrongType(t *testing.T) {
	var cases [][]string
	for _, cmd := range [][]string{
		c("GET", "l"), c("GETSET", "l", "v"), c("GETDEL", "l"), c("GETEX", "l", "PERSIST"),
		c("GETEX", "l", "EX", "-1"), c("GETEX", "l", "BOGUS"), c("STRLEN", "l"), c("APPEND", "l", "x"),
		c("GETRANGE", "l", "0", "-1"), c("SUBSTR", "l", "0", "-1"), c("GETRANGE", "l", "x", "-1"),
		c("SETRANGE", "l", "0", "x"), c("SETRANGE", "l", "0", ""), c("SETRANGE", "l", "-1", "x"),
		c("INCR", "l"), c("DECR", "l"), c("INCRBY", "l", "1"), c("DECRBY", "l", "1"),
		c("INCRBYFLOAT", "l", "1"), c("INCRBY", "l", "x"), c("LCS", "l", "missing"),
		c("LCS", "missing", "l", "BOGUS"), c("MGET", "l", "missing"), c("SET", "l", "v", "GET"),
		c("SETNX", "l", "v"), c("MSETNX", "l", "v", "k", "v"), c("EXISTS", "k"),
		c("MSET", "l", "v"), c("SETEX", "l", "10", "v"), c("PSETEX", "l", "10000", "v"), c("SET", "l", "v"),
	} {
		cases = append(cases, c("DEL", "l"), c("RPUSH", "l", "x"), cmd, c("TYPE", "l"))
	}
	runCompat(t, cases)
}

func TestCompat_StringSetFamily(t *testing.T) {
	runCompat(t, [][]string{
		c("SETNX", "k", "v1"), c("SETNX", "k", "v2"), c("GET", "k"),
		c("SETNX", "k"), c("SETNX", "k", "a", "b"),
		c("SETEX", "ex", "100", "v"), c("TTL", "ex"), c("GET", "ex"),
		c("SETEX", "ex", "0", "v"), c("SETEX", "ex", "-5", "v"), c("SETEX", "ex", "x", "v"),
		c("SETEX", "ex", "9223372036854775807", "v"), c("SETEX", "ex", "9223372036854775", "v"),
		c("SETEX", "ex", "10"),
		c("PSETEX", "px", "100000", "v"), c("GET", "px"), c("PSETEX", "px", "0", "v"),
		c("PSETEX", "px", "-1", "v"), c("PSETEX", "px", "1.5", "v"),
		c("PSETEX", "px", "9223372036854775807", "v"),
		c("GETSET", "k", "v3"), c("GETSET", "nokey", "v"), c("GET", "nokey"),
		c("SETEX", "t", "1000", "v"), c("GETSET", "t", "w"), c("TTL", "t"),
		c("GETDEL", "k"), c("GETDEL", "k"), c("EXISTS", "k"), c("GETDEL", "k", "x"),
		c("MSET", "a", "1", "b", "2", "c", "3"), c("MGET", "a", "b", "c", "missing", "a"),
		c("MSET", "a"), c("MSET", "a", "1", "b"), c("MSET"),
		c("MSETNX", "a", "9", "z", "9"), c("MGET", "a", "z"),
		c("MSETNX", "y", "1", "z", "2"), c("MGET", "y", "z"), c("MSETNX", "y", "1", "z"),
		c("MSET", "dup", "1", "dup", "2"), c("GET", "dup"),
		c("MSETNX", "d1", "1", "d1", "2"), c("GET", "d1"),
		c("MGET"), c("MGET", "nothing"),
		c("SET", "bin", "a\x00b\r\nc"), c("MGET", "bin"), c("GETSET", "bin", "\x00"), c("GET", "bin"),
	})
}

func TestCompat_Getex(t *testing.T) {
	runCompat(t, [][]string{
		c("SET", "k", "v"),
		c("GETEX", "k"), c("TTL", "k"),
		c("GETEX", "k", "EX", "100"), c("TTL", "k"),
		c("GETEX", "k", "PX", "200000"), c("TTL", "k"),
		c("GETEX", "k", "EXAT", "4102444800"), c("TTL", "k") /* 2100-01-01 */, c("EXPIRETIME", "k"),
		c("GETEX", "k", "PXAT", "4102444800123"), c("PEXPIRETIME", "k"),
		c("GETEX", "k", "PERSIST"), c("TTL", "k"), c("GETEX", "k", "persist"),
		c("GETEX", "k", "EX", "0"), c("GETEX", "k", "EX", "-1"), c("GETEX", "k", "EX", "abc"),
		c("GETEX", "k", "PX", "9223372036854775807"), c("GETEX", "k", "EX", "9223372036854775807"),
		c("GETEX", "k", "EX", "10", "PX", "10"), c("GETEX", "k", "EX"), c("GETEX", "k", "PERSIST", "EX", "10"),
		c("GETEX", "k", "NX"), c("GETEX", "k", "KEEPTTL"), c("GETEX", "k", "GET"), c("GETEX", "k", "bogus"),
		c("GETEX", "missing", "EX", "-1"), c("GETEX", "missing", "bogus"), c("GETEX", "missing"),
		c("GETEX", "k", "EXAT", "1"), c("EXISTS", "k"),
		c("SET", "k", "v"), c("GETEX", "k", "PXAT", "1000"), c("GET", "k"),
		c("GETEX"),
	})
}

func TestCompat_Counters(t *testing.T) {
	runCompat(t, [][]string{
		c("INCR", "n"), c("INCR", "n"), c("DECR", "n"), c("DECR", "n"), c("DECR", "n"),
		c("INCRBY", "n", "100"), c("DECRBY", "n", "50"), c("INCRBY", "n", "-49"), c("GET", "n"),
		c("INCRBY", "n", "abc"), c("INCRBY", "n", "1.5"), c("INCRBY", "n", " 1"), c("INCRBY", "n", "+1"),
		c("INCRBY", "n", "01"), c("INCRBY", "n", ""), c("INCRBY", "n", "-0"),
		c("DECRBY", "n", "-9223372036854775808"), c("DECRBY", "n", "9223372036854775807"),
		c("SET", "max", "9223372036854775807"), c("INCR", "max"), c("INCRBY", "max", "0"), c("DECR", "max"),
		c("SET", "min", "-9223372036854775808"), c("DECR", "min"), c("INCRBY", "min", "-1"), c("INCR", "min"),
		c("SET", "s", "hello"), c("INCR", "s"), c("DECRBY", "s", "1"),
		c("SET", "s", "  1"), c("INCR", "s"), c("SET", "s", "1 "), c("INCR", "s"), c("SET", "s", "007"), c("INCR", "s"),
		c("SET", "s", ""), c("INCR", "s"), c("SET", "s", "12345678901234567890"), c("INCR", "s"),
		c("SETEX", "ttl", "1000", "5"), c("INCR", "ttl"), c("TTL", "ttl"),
		c("SET", "big", "99999999999999999"), c("INCR", "big"), c("OBJECT", "ENCODING", "big"),
		c("INCR"), c("INCR", "a", "b"), c("INCRBY", "n"), c("DECRBY", "n"),
		c("INCRBYFLOAT", "f", "1.5"), c("INCRBYFLOAT", "f", "0.1"), c("INCRBYFLOAT", "f", "-10"),
		c("INCRBYFLOAT", "f", "5.0e3"), c("INCRBYFLOAT", "f", "1e-3"), c("GET", "f"),
		c("SET", "f", "5000"), c("INCRBYFLOAT", "f", "5.6"), c("INCRBYFLOAT", "f", "0.0000000000000001"),
		c("SET", "f", "10.50"), c("INCRBYFLOAT", "f", "0.1"), c("INCRBYFLOAT", "f", "-0.6"),
		c("INCRBYFLOAT", "f", "abc"), c("INCRBYFLOAT", "f", "inf"), c("INCRBYFLOAT", "f", "nan"),
		c("INCRBYFLOAT", "f", ""), c("INCRBYFLOAT", "f", " 1"), c("INCRBYFLOAT", "f", "0x10"),
		c("SET", "f", "1.7976931348623157e308"), c("INCRBYFLOAT", "f", "1.7976931348623157e308"),
		c("SET", "f", "hello"), c("INCRBYFLOAT", "f", "1"), c("SET", "f", "1e5"), c("INCRBYFLOAT", "f", "1"),
		c("SETEX", "fttl", "1000", "1"), c("INCRBYFLOAT", "fttl", "1"), c("TTL", "fttl"),
		c("INCRBYFLOAT", "new", "-0"), c("INCRBYFLOAT", "new2", "3"), c("INCRBYFLOAT", "new2", "-3"),
		c("INCRBYFLOAT", "x"),
	})
}

func TestCompat_StringRanges(t *testing.T) {
	runCompat(t, [][]string{
		c("APPEND", "a", "hello"), c("APPEND", "a", " world"), c("GET", "a"), c("APPEND", "a", ""),
		c("STRLEN", "a"), c("STRLEN", "missing"), c("STRLEN", "a", "b"),
		c("SET", "i", "123"), c("APPEND", "i", "4"), c("OBJECT", "ENCODING", "i"), c("INCR", "i"),
		c("SETEX", "t", "1000", "x"), c("APPEND", "t", "y"), c("TTL", "t"),
		c("GETRANGE", "a", "0", "4"), c("GETRANGE", "a", "-5", "-1"), c("GETRANGE", "a", "0", "-1"),
		c("GETRANGE", "a", "5", "2"), c("GETRANGE", "a", "-1", "-5"), c("GETRANGE", "a", "-100", "100"),
		c("GETRANGE", "a", "100", "200"), c("GETRANGE", "a", "0", "0"),
		c("GETRANGE", "a", "-9223372036854775808", "9223372036854775807"),
		c("GETRANGE", "a", "x", "1"), c("GETRANGE", "a", "1", "x"), c("GETRANGE", "missing", "0", "-1"),
		c("GETRANGE", "missing", "x", "1"), c("GETRANGE", "a", "0"),
		c("SUBSTR", "a", "1", "3"), c("SUBSTR", "a", "-3", "-1"),
		c("SET", "empty", ""), c("GETRANGE", "empty", "0", "-1"), c("GETRANGE", "empty", "0", "0"),
		c("SETRANGE", "s", "0", "abc"), c("SETRANGE", "s", "5", "xyz"), c("GET", "s"),
		c("SETRANGE", "s", "1", "B"), c("GET", "s"), c("SETRANGE", "s", "0", ""), c("SETRANGE", "no", "3", ""),
		c("EXISTS", "no"), c("SETRANGE", "no", "2", "x"), c("GET", "no"),
		c("SETRANGE", "s", "-1", "x"), c("SETRANGE", "s", "x", "y"), c("SETRANGE", "s", "1.5", "y"),
		c("SETRANGE", "s", "536870911", "x"), c("SETRANGE", "s", "536870912", "x"),
		c("SETRANGE", "s", "9223372036854775807", "x"), c("SETRANGE", "s", "0", "x", "y"),
		c("SET", "n", "12"), c("SETRANGE", "n", "2", "3"), c("OBJECT", "ENCODING", "n"),
		c("SETEX", "t2", "1000", "x"), c("SETRANGE", "t2", "0", "y"), c("TTL", "t2"),
	})
}

func TestCompat_Lcs(t *testing.T) {
	runCompat(t, [][]string{
		c("MSET", "a", "ohmytext", "b", "mynewtext"),
		c("LCS", "a", "b"), c("LCS", "a", "b", "LEN"), c("LCS", "a", "b", "IDX"),
		c("LCS", "a", "b", "IDX", "MINMATCHLEN", "4"), c("LCS", "a", "b", "IDX", "WITHMATCHLEN"),
		c("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"), c("LCS", "a", "b", "idx", "minmatchlen", "-3"),
		c("LCS", "a", "b", "LEN", "IDX"), c("LCS", "a", "b", "BOGUS"), c("LCS", "a", "b", "MINMATCHLEN"),
		c("LCS", "a", "b", "MINMATCHLEN", "x"), c("LCS", "a", "b", "LEN", "WITHMATCHLEN"),
		c("LCS", "a", "missing"), c("LCS", "missing", "missing2", "IDX"), c("LCS", "a", "a", "IDX", "WITHMATCHLEN"),
		c("MSET", "x", "AGGTAB", "y", "GXTXAYB"), c("LCS", "x", "y"), c("LCS", "x", "y", "IDX", "WITHMATCHLEN"),
		c("MSET", "p", "abcabcabc", "q", "cbacbacba"), c("LCS", "p", "q"), c("LCS", "p", "q", "IDX"),
		c("MSET", "e", "", "f", "abc"), c("LCS", "e", "f", "IDX"), c("LCS", "a"),
		c("MSET", "bin1", "\x00\x01\x02hello", "bin2", "\x02hel\x00lo"), c("LCS", "bin1", "bin2", "IDX", "WITHMATCHLEN"),
	})
}

// TestCompat_StringsLarge exercises values far past small-buffer sizes.
func TestCompat_StringsLarge(t *testing.T) {
	big := strings.Repeat("0123456789", 10000)
	runCompat(t, [][]string{
		c("SET", "big", big), c("APPEND", "big", big), c("STRLEN", "big"),
		c("GETRANGE", "big", "99990", "100010"), c("SETRANGE", "big", "250000", "end"), c("STRLEN", "big"),
		c("GETRANGE", "big", "199995", "200005"), c("MSET", "k1", big, "k2", big[:500]), c("STRLEN", "k2"),
	})
}

// TestCompat_StringEncodings checks OBJECT ENCODING after every string
// writer: Redis int-encodes some writers' values (SET, MSET, SETNX, APPEND
// on a new key, INCR) but not others (INCRBYFLOAT, SETRANGE, APPEND on an
// existing key).
func TestCompat_StringEncodings(t *testing.T) {
	long := strings.Repeat("x", 45)
	enc := func(k string) []string { return c("OBJECT", "ENCODING", k) }
	runCompat(t, [][]string{
		c("MSET", "m1", "123", "m2", "abc", "m3", long), enc("m1"), enc("m2"), enc("m3"),
		c("MSETNX", "n1", "-5", "n2", "1.0"), enc("n1"), enc("n2"),
		c("SETNX", "s1", "12"), enc("s1"), c("SETEX", "s2", "100", "77"), enc("s2"),
		c("PSETEX", "s3", "100000", "077"), enc("s3"), c("GETSET", "s4", "1"), c("GETSET", "s4", "2"), enc("s4"),
		c("APPEND", "a1", "12"), enc("a1"), c("APPEND", "a1", "3"), enc("a1"), c("APPEND", "a2", long), enc("a2"),
		c("INCRBYFLOAT", "f1", "3"), enc("f1"), c("INCRBYFLOAT", "f1", "1e40"), enc("f1"), c("GET", "f1"),
		c("SETRANGE", "r1", "0", "12"), enc("r1"), c("SET", "r2", "12"), c("SETRANGE", "r2", "0", "3"), enc("r2"),
		c("INCR", "i1"), enc("i1"), c("INCRBY", "i1", "100000"), enc("i1"), c("SET", "i2", "10"), c("DECR", "i2"), enc("i2"),
		c("SET", "big", "12345678901234567890"), enc("big"), c("SET", "neg", "-9223372036854775808"), enc("neg"),
		c("GETEX", "i1", "PERSIST"), enc("i1"), c("GETDEL", "i1"), enc("i1"),
	})
}

// TestCompat_StringLimits lowers proto-max-bulk-len to its 1mb minimum on a
// private pair (CONFIG SET would leak into other tests' shared servers) and
// checks the size limits of SETRANGE, APPEND and LCS's transient table.
func TestCompat_StringLimits(t *testing.T) {
	p := newPair(t)
	p.do("CONFIG", "SET", "proto-max-bulk-len", "1mb")
	a, b := strings.Repeat("a", 700), strings.Repeat("b", 700)
	cases := [][]string{
		c("SETRANGE", "s", "1048575", "y"), c("STRLEN", "s"), c("SETRANGE", "s", "1048576", "y"),
		c("SETRANGE", "s", "1048575", "yz"), c("APPEND", "s", "z"), c("APPEND", "s", ""), c("STRLEN", "s"),
		c("SETRANGE", "new", "1048576", "y"), c("EXISTS", "new"), c("SETRANGE", "new", "1048576", ""), c("EXISTS", "new"),
		c("MSET", "a", a, "b", b), c("LCS", "a", "b"), c("LCS", "a", "b", "LEN"), c("LCS", "a", "b", "IDX"),
		c("LCS", "a", "missing"), c("LCS", "a", "b", "LEN", "IDX"), c("LCS", "a", "b", "BOGUS"),
		c("SET", "a", a[:400]), c("SET", "b", b[:400]+"a"), c("LCS", "a", "b"), c("LCS", "a", "b", "IDX", "WITHMATCHLEN"),
	}
	t.Run("resp2", func(t *testing.T) { runCases(t, p, cases) })
	q := p.resp3()
	q.do("FLUSHALL")
	t.Run("resp3", func(t *testing.T) { runCases(t, q, cases) })
}

// TestCompat_StringMore covers float formatting, option case, binary-safe
// edits and key expiry through GETEX.
func TestCompat_StringMore(t *testing.T) {
	runCompat(t, [][]string{
		c("INCRBYFLOAT", "f", "1e20"), c("INCRBYFLOAT", "f", "1.5e-5"), c("INCRBYFLOAT", "g", "-3.0"),
		c("INCRBYFLOAT", "g", "-inf"), c("INCRBYFLOAT", "g", "+inf"), c("INCRBYFLOAT", "g", "1e400"),
		c("INCRBYFLOAT", "g", "3.14159265358979323846"), c("INCRBYFLOAT", "h", "0.1"), c("INCRBYFLOAT", "h", "0.2"),
		c("INCRBYFLOAT", "h", "1_0"), c("INCRBYFLOAT", "h", "1e"), c("INCRBYFLOAT", "h", ".5"), c("INCRBYFLOAT", "h", "5."),
		c("INCRBY", "i", "+5"), c("DECRBY", "i", "9223372036854775808"), c("INCRBY", "i", "-9223372036854775808"),
		c("DECR", "i"), c("DECRBY", "i", "9223372036854775807"),
		c("SET", "bin", "\x00\xff\r\n"), c("APPEND", "bin", "\x00"), c("SETRANGE", "bin", "1", "\x01\x02"),
		c("GETRANGE", "bin", "0", "-1"), c("GETRANGE", "bin", "-2", "-2"), c("STRLEN", "bin"), c("GETDEL", "bin"),
		c("SET", "k", "v"), c("GETEX", "k", "ex", "100"), c("GETEX", "k", "PxAt", "4102444800000"), c("PEXPIRETIME", "k"),
		c("GETEX", "k", "Persist"), c("PTTL", "k"), c("GETEX", "k", "PERSIST", "PERSIST"), c("GETEX", "k", "EX", "1", "EX", "2"),
		c("GETEX", "k", "EXAT", "9223372036854775"), c("GETEX", "k", "EXAT", "9223372036854776"), c("GETEX", "k", "PXAT", "-1"),
		c("SETEX", "gone", "1000", "v"), c("GETEX", "gone", "EXAT", "1000"), c("EXISTS", "gone"), c("GETEX", "gone"),
		c("SUBSTR", "k", "1"), c("SUBSTR", "k", "0", "-1", "x"), c("GETRANGE", "k", "1", "2", "3"),
		c("APPEND", "k"), c("GETSET", "k"), c("GETDEL"), c("MGET", "k", "gone", "k"), c("MSETNX", "k"), c("MSETNX"),
		c("SETNX", "n", ""), c("GET", "n"), c("STRLEN", "n"), c("GETRANGE", "n", "0", "0"), c("SETRANGE", "n", "0", ""),
	})
}
