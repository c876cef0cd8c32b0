package tests

import (
	"bufio"
	"bytes"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/larder-db/larder/protocol/resp"
)

// Hashes: every Redis 7.0 hash command against redis-server 7.0, RESP2 and
// RESP3. A listpack-encoded hash replies in insertion order on both servers
// and is compared exactly; a hashtable's order is unspecified and is
// compared sorted (u for flat arrays and RESP3 maps, up for RESP2 pairs).

func TestCompat_HashBasics(t *testing.T) {
	runCompat(t, [][]string{
		c("HSET", "h", "a", "1", "b", "2", "c", "3"), c("HSET", "h", "a", "10", "d", "4"), c("HLEN", "h"), c("TYPE", "h"),
		c("OBJECT", "ENCODING", "h"), c("HGETALL", "h"), c("HKEYS", "h"), c("HVALS", "h"),
		c("HGET", "h", "a"), c("HGET", "h", "zz"), c("HGET", "nope", "a"),
		c("HMGET", "h", "a", "zz", "d"), c("HMGET", "nope", "a", "b"),
		c("HEXISTS", "h", "b"), c("HEXISTS", "h", "zz"), c("HEXISTS", "nope", "a"),
		c("HSTRLEN", "h", "a"), c("HSTRLEN", "h", "zz"), c("HSTRLEN", "nope", "a"),
		c("HSETNX", "h", "a", "x"), c("HSETNX", "h", "e", "5"), c("HSETNX", "new", "f", "v"), c("HGETALL", "new"),
		c("HMSET", "h", "f", "6", "a", "11"), c("HGETALL", "h"),
		c("HDEL", "h", "a", "zz", "a"), c("HDEL", "nope", "a"), c("HGETALL", "h"),
		c("HDEL", "h", "b", "c", "d", "e", "f", "zz"), c("EXISTS", "h"), c("HLEN", "h"),
		c("HGETALL", "nope"), c("HKEYS", "nope"), c("HVALS", "nope"), c("HLEN", "nope"),
		// binary-safe fields and values, the empty field
		c("HSET", "b", "", "empty", "a\x00b", "\r\n", "k", ""), c("HGETALL", "b"), c("HGET", "b", ""),
		c("HSTRLEN", "b", "a\x00b"), c("HSTRLEN", "b", "k"),
		// errors
		c("SET", "str", "v"), c("HSET", "str", "a", "1"), c("HGET", "str", "a"), c("HGETALL", "str"),
		c("HDEL", "str", "a"), c("HLEN", "str"), c("HMGET", "str", "a"), c("HEXISTS", "str", "a"),
		c("HSTRLEN", "str", "a"), c("HKEYS", "str"), c("HVALS", "str"), c("HSETNX", "str", "a", "b"),
		c("HMSET", "str", "a", "b"), c("HINCRBY", "str", "a", "1"), c("HINCRBYFLOAT", "str", "a", "1"),
		c("HRANDFIELD", "str"), c("HRANDFIELD", "str", "1"), c("HSCAN", "str", "0"), c("GET", "b"),
		c("HSET", "h", "a"), c("HSET", "h", "a", "1", "b"), c("HMSET", "h", "a", "1", "b"), c("HSET", "h"),
		c("HGET", "h"), c("HGETALL"), c("HDEL", "h"), c("HSETNX", "h", "a"), c("HLEN"), c("HSTRLEN", "h"),
		c("HMGET", "h"), c("HEXISTS", "h"), c("HKEYS", "h", "x"), c("HINCRBY", "h", "a"),
	})
}

func TestCompat_HashIncr(t *testing.T) {
	runCompat(t, [][]string{
		c("HINCRBY", "h", "n", "5"), c("HINCRBY", "h", "n", "-7"), c("HGET", "h", "n"),
		c("HINCRBY", "h", "n", "x"), c("HINCRBY", "h", "n", "1.5"), c("HINCRBY", "h", "n", "99999999999999999999"),
		c("HSET", "h", "big", "9223372036854775807"), c("HINCRBY", "h", "big", "1"), c("HINCRBY", "h", "big", "0"),
		c("HSET", "h", "small", "-9223372036854775808"), c("HINCRBY", "h", "small", "-1"),
		c("HSET", "h", "s", "abc", "sp", " 1", "plus", "+1", "z", "01"),
		c("HINCRBY", "h", "s", "1"), c("HINCRBY", "h", "sp", "1"), c("HINCRBY", "h", "plus", "1"), c("HINCRBY", "h", "z", "1"),
		c("HINCRBY", "nope", "f", "1"), c("HINCRBY", "nope2", "f", "x"), c("EXISTS", "nope2"),
		c("HINCRBYFLOAT", "h", "fl", "10.5"), c("HINCRBYFLOAT", "h", "fl", "0.1"), c("HINCRBYFLOAT", "h", "fl", "-5e3"),
		c("HSET", "h", "v", "5000"), c("HINCRBYFLOAT", "h", "v", "5.6"), c("HGET", "h", "v"),
		c("HINCRBYFLOAT", "h", "fl", "abc"), c("HINCRBYFLOAT", "h", "fl", "inf"), c("HINCRBYFLOAT", "h", "fl", "-inf"),
		c("HINCRBYFLOAT", "h", "fl", "nan"), c("HINCRBYFLOAT", "h", "fl", ""), c("HINCRBYFLOAT", "h", "fl", " 1"),
		c("HINCRBYFLOAT", "h", "s", "1"), c("HINCRBYFLOAT", "h", "n", "1.5"), c("HINCRBYFLOAT", "h", "fl", "1.7e4932"),
		c("HINCRBYFLOAT", "h", "huge", "1.1e4932"), c("HINCRBYFLOAT", "h", "huge", "1.1e4932"),
		c("HINCRBYFLOAT", "h", "e", "1e4000"), c("HINCRBYFLOAT", "h", "hex", "0x10"), c("HINCRBYFLOAT", "h", "tiny", "1e-20"),
		c("HSET", "h", "inff", "inf"), c("HINCRBYFLOAT", "h", "inff", "1"),
		c("HINCRBYFLOAT", "nope3", "f", "2.5"), c("HGETALL", "nope3"), c("OBJECT", "ENCODING", "h"),
		c("HINCRBYFLOAT", "h", "fl"), c("HINCRBY", "h", "fl", "1", "2"),
	})
}

func TestCompat_HashEncoding(t *testing.T) {
	p := newPair(t)
	long := strings.Repeat("x", 65)
	cases := [][]string{
		c("CONFIG", "SET", "hash-max-listpack-entries", "4"),
		c("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4"), c("OBJECT", "ENCODING", "h"), c("HGETALL", "h"),
		c("HSET", "h", "e", "5"), c("OBJECT", "ENCODING", "h"), up("HGETALL", "h"),
		c("HDEL", "h", "a", "b", "c", "d"), c("OBJECT", "ENCODING", "h"), c("HGETALL", "h"),
		// duplicate fields in one HSET count once
		c("HSET", "d", "a", "1", "a", "2", "a", "3", "a", "4", "a", "5"), c("OBJECT", "ENCODING", "d"), c("HGETALL", "d"),
		c("HSET", "v", "f", "x"), c("HSET", "v", "g", long), c("OBJECT", "ENCODING", "v"),
		c("HSET", "w", long, "x"), c("OBJECT", "ENCODING", "w"),
		c("HSET", "w2", "f", strings.Repeat("y", 64)), c("OBJECT", "ENCODING", "w2"),
		c("HSETNX", "n", "f", long), c("OBJECT", "ENCODING", "n"),
		c("HSET", "i", "f", "1"), c("HINCRBYFLOAT", "i", "f", "0.12345678901234567890123456789012345678901234567890123456789012345"),
		c("OBJECT", "ENCODING", "i"),
		c("HSET", "j", "f", "1"), c("HINCRBYFLOAT", "j", "f", "1e70"), c("OBJECT", "ENCODING", "j"),
		c("CONFIG", "SET", "hash-max-listpack-value", "3"), c("HINCRBY", "k", "f", "12345"), c("OBJECT", "ENCODING", "k"),
		c("COPY", "h", "h2"), c("OBJECT", "ENCODING", "h2"), up("HGETALL", "h2"),
		c("CONFIG", "SET", "hash-max-listpack-entries", "0"), c("HSET", "z", "a", "1"), c("OBJECT", "ENCODING", "z"),
	}
	runCases(t, p, cases)
	q := p.resp3()
	q.doSorted("HGETALL", "h2")
	q.do("HGETALL", "d")
	q.do("HGETALL", "nope")
}

func TestCompat_HashBig(t *testing.T) {
	big := []string{"HSET", "big"}
	for i := range 600 { // over the default hash-max-listpack-entries (512)
		big = append(big, "f"+strconv.Itoa(i*7), strconv.Itoa(i))
	}
	runCompat(t, [][]string{
		big, c("OBJECT", "ENCODING", "big"), c("HLEN", "big"),
		c("HGET", "big", "f7"), c("HMGET", "big", "f0", "f14", "nope"), c("HDEL", "big", "f0", "f7"), c("HLEN", "big"),
		c("HRANDFIELD", "big", "0"), c("HRANDFIELD", "big", "-0"),
		c("HSCAN", "nope", "0"),
	})
	// Whole-hash replies of a hashtable, compared as multisets of pairs
	// (parsed, since they exceed what the harness's raw sorting handles).
	p := newPair(t)
	p.do(big...)
	for _, q := range []*pair{p, p.resp3()} {
		for _, argv := range [][]string{{"HGETALL", "big"}, {"HKEYS", "big"}, {"HVALS", "big"},
			{"HRANDFIELD", "big", "1000", "WITHVALUES"}, {"HRANDFIELD", "big", "600"}} {
			r, l := q.doBoth(argv...)
			if rs, ls := flatSorted(t, r), flatSorted(t, l); !slices.Equal(rs, ls) {
				t.Errorf("%v: elements differ (%d vs %d)", argv, len(rs), len(ls))
			}
		}
	}
}

// flatSorted parses a reply and returns its leaf strings, pairs (map
// entries, nested arrays, or every two elements of a RESP2 flat pairs
// reply) joined, sorted.
func flatSorted(t *testing.T, raw []byte) []string {
	t.Helper()
	_, v, err := resp.ReadReply(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	var out []string
	for _, e := range v.Elems {
		if len(e.Elems) > 0 {
			out = append(out, e.Elems[0].Str+"="+e.Elems[1].Str)
		} else {
			out = append(out, e.Str)
		}
	}
	sort.Strings(out)
	return out
}

// TestCompat_HashRandfield compares errors and whole-hash replies exactly,
// and random replies structurally (count, membership, distinctness).
func TestCompat_HashRandfield(t *testing.T) {
	runCompat(t, [][]string{
		c("HSET", "h", "a", "1", "b", "2", "c", "3"),
		c("HRANDFIELD", "h", "3"), c("HRANDFIELD", "h", "10"), c("HRANDFIELD", "h", "3", "WITHVALUES"),
		c("HRANDFIELD", "h", "100", "withvalues"), c("HRANDFIELD", "h", "0"), c("HRANDFIELD", "h", "0", "WITHVALUES"),
		c("HRANDFIELD", "nope"), c("HRANDFIELD", "nope", "5"), c("HRANDFIELD", "nope", "-5", "WITHVALUES"),
		c("HRANDFIELD", "h", "x"), c("HRANDFIELD", "h", "1", "x"), c("HRANDFIELD", "h", "1", "withvalues", "x"),
		c("HRANDFIELD", "h", "-9223372036854775808"), c("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"),
		c("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"), c("HRANDFIELD", "h", "9223372036854775807"),
		c("HRANDFIELD", "nope", "x"), c("HRANDFIELD"),
	})
}

func TestCompat_HashRandfieldShape(t *testing.T) {
	p := sharedPair(t)
	p.do("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5")
	for _, proto := range []*pair{p, p.resp3()} {
		for _, argv := range [][]string{
			{"HRANDFIELD", "h", "-20"}, {"HRANDFIELD", "h", "-20", "WITHVALUES"},
			{"HRANDFIELD", "h", "2"}, {"HRANDFIELD", "h", "4", "WITHVALUES"}, {"HRANDFIELD", "h"},
		} {
			r, l := proto.doBoth(argv...)
			checkRandShape(t, argv, r, l)
		}
	}
}

// checkRandShape checks an HRANDFIELD reply of Larder against Redis's: same
// length (every element is one byte long), every field one of a..e and
// every value one of 1..5, distinct fields for a positive count.
func checkRandShape(t *testing.T, argv []string, r, l []byte) {
	t.Helper()
	if len(r) != len(l) {
		t.Errorf("%v: redis %q, larder %q: lengths differ", argv, r, l)
		return
	}
	distinct := len(argv) > 2 && argv[2][0] != '-'
	seen := map[string]bool{}
	lines := strings.Split(string(l), "\r\n")
	for i, ln := range lines {
		if ln != "$1" || i+1 >= len(lines) {
			continue
		}
		v := lines[i+1]
		if !strings.Contains("abcde12345", v) {
			t.Errorf("%v: unexpected element %q in %q", argv, v, l)
		}
		if v >= "a" && distinct {
			if seen[v] {
				t.Errorf("%v: %q repeated in %q", argv, v, l)
			}
			seen[v] = true
		}
	}
}

// TestCompat_HashScan: a listpack hash is returned whole with cursor 0
// (exactly as Redis); a hashtable is walked to the end and compared as a
// set of pairs.
func TestCompat_HashScan(t *testing.T) {
	runCompat(t, [][]string{
		c("HSET", "h", "a", "1", "b", "2", "ab", "3"),
		c("HSCAN", "h", "0"), c("HSCAN", "h", "0", "MATCH", "a*"), c("HSCAN", "h", "0", "COUNT", "1"),
		c("HSCAN", "h", "0", "match", "*b", "count", "100"), c("HSCAN", "nope", "0"), c("HSCAN", "nope", "0", "bogus"),
		c("HSCAN", "h", "x"), c("HSCAN", "h", "-1"), c("HSCAN", "h", "0", "COUNT", "0"), c("HSCAN", "h", "0", "COUNT", "x"),
		c("HSCAN", "h", "0", "MATCH"), c("HSCAN", "h", "0", "TYPE", "string"), c("HSCAN", "h", "0", "bogus", "1"),
		c("HSCAN", "h"),
	})
}

func TestCompat_HashScanCursor(t *testing.T) {
	p := sharedPair(t)
	args := []string{"HSET", "big"}
	for i := range 1000 {
		args = append(args, "f"+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
	p.do(args...)
	want := map[string]string{}
	for i := range 1000 {
		want["f"+strconv.Itoa(i)] = "v" + strconv.Itoa(i)
	}
	got := map[string]string{}
	cursor := "0"
	for step := 0; ; step++ {
		raw := p.larderConn.do("HSCAN", "big", cursor, "COUNT", "50")
		lines := strings.Split(string(raw), "\r\n")
		cursor = lines[2]
		var elems []string
		for i := 5; i+1 < len(lines); i += 2 {
			elems = append(elems, lines[i])
		}
		for i := 0; i+1 < len(elems); i += 2 {
			got[elems[i]] = elems[i+1]
		}
		if cursor == "0" || step > 10000 {
			break
		}
	}
	if len(got) != len(want) {
		t.Fatalf("HSCAN returned %d fields, want %d", len(got), len(want))
	}
	for f, v := range want {
		if got[f] != v {
			t.Fatalf("HSCAN: field %s = %q, want %q", f, got[f], v)
		}
	}
}

// TestHashFieldExpiry covers Redis 7.4's HEXPIRE family and Redis 8.0's
// HGETDEL/HGETEX/HSETEX on Larder alone: Redis 7.0, the oracle, has none of
// them, so the expected replies are written by hand from the redis.io pages
// (and Redis 8.0's t_hash.c for error texts). Times are far in the future
// (unix ms 4e12, year 2096) or the past, so nothing depends on the clock
// except the TTL checks, which allow the 1 s Redis itself rounds to.
func TestHashFieldExpiry(t *testing.T) {
	l := startLarder(t)
	conn := dial(t, l.addr)
	const far, farS = "4000000000000", "4000000000"
	for _, tc := range [][]string{
		{"HSET h a 1 b 2 c 3", ":3"},
		{"HPEXPIREAT h " + far + " FIELDS 2 a zz", "*2 :1 :-2"},
		{"HPEXPIRETIME h FIELDS 3 a b zz", "*3 :" + far + " :-1 :-2"},
		{"HEXPIRETIME h FIELDS 1 a", "*1 :" + farS},
		{"HEXPIREAT h " + farS + " NX FIELDS 2 a b", "*2 :0 :1"},
		{"HEXPIREAT h 4000000001 XX FIELDS 2 a c", "*2 :1 :0"},
		{"HPEXPIREAT h 3999999999999 GT FIELDS 1 a", "*1 :0"},
		{"HPEXPIREAT h 3999999999999 LT FIELDS 2 a c", "*2 :1 :1"},
		{"HPERSIST h FIELDS 3 c zz b", "*3 :1 :-2 :1"},
		{"HPERSIST h FIELDS 1 c", "*1 :-1"},
		{"HPEXPIREAT h 1000 FIELDS 1 c", "*1 :2"},
		{"HGETALL h", "*4 $1 a $1 1 $1 b $1 2"},
		{"HEXPIRE h 0 FIELDS 1 b", "*1 :2"},
		{"HSET h b 2", ":1"},
		{"HEXPIRE nope 10 FIELDS 2 a b", "*2 :-2 :-2"},
		{"HTTL nope FIELDS 1 a", "*1 :-2"},
		{"HPERSIST nope FIELDS 1 a", "*1 :-2"},
		// errors
		{"HEXPIRE h -1 FIELDS 1 a", "-ERR invalid expire time, must be >= 0"},
		{"HEXPIRE h x FIELDS 1 a", "-ERR value is not an integer or out of range"},
		{"HEXPIRE h 70368744177664 FIELDS 1 a", "-ERR invalid expire time in 'hexpire' command"},
		{"HPEXPIREAT h 70368744177664 FIELDS 1 a", "-ERR invalid expire time in 'hpexpireat' command"},
		{"HEXPIRE h 10 FIELD 1 a", "-ERR Mandatory argument FIELDS is missing or not at the right position"},
		{"HEXPIRE h 10 NX XX FIELDS 1 a", "-ERR Mandatory argument FIELDS is missing or not at the right position"},
		{"HEXPIRE h 10 FIELDS 0 a", "-ERR Parameter `numFields` should be greater than 0"},
		{"HEXPIRE h 10 FIELDS 2 a", "-ERR The `numfields` parameter must match the number of arguments"},
		{"HTTL h FIELDS x a", "-ERR Number of fields must be a positive integer"},
		{"HTTL h FIELDS 2 a", "-ERR The `numfields` parameter must match the number of arguments"},
		{"HTTL h NOPE 1 a", "-ERR Mandatory argument FIELDS is missing or not at the right position"},
		{"HEXPIRE h 10 FIELDS 1", "-ERR wrong number of arguments for 'hexpire' command"},
		{"SET s v", "+OK"},
		{"HEXPIRE s 10 FIELDS 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value"},
		{"HTTL s FIELDS 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value"},
		// HGETDEL
		{"HGETDEL h FIELDS 3 a zz a", "*3 $1 1 $-1 $-1"},
		{"HGETDEL h FIELDS 1 b", "*1 $1 2"},
		{"EXISTS h", ":0"},
		{"HGETDEL h FIELDS 1 b", "*1 $-1"},
		{"HGETDEL h FIELDS 0 b", "-ERR Number of fields must be a positive integer"},
		{"HGETDEL h FIELDS 2 b", "-ERR The `numfields` parameter must match the number of arguments"},
		{"HGETDEL h FIELD 1 b", "-ERR Mandatory argument FIELDS is missing or not at the right position"},
		{"HGETDEL s FIELDS 1 b", "-WRONGTYPE Operation against a key holding the wrong kind of value"},
		// HSETEX / HGETEX
		{"HSETEX g PXAT " + far + " FIELDS 2 a 1 b 2", ":1"},
		{"HPEXPIRETIME g FIELDS 2 a b", "*2 :" + far + " :" + far},
		{"HSETEX g FNX FIELDS 2 a 9 c 3", ":0"},
		{"HSETEX g FXX KEEPTTL FIELDS 1 a 9", ":1"},
		{"HPEXPIRETIME g FIELDS 1 a", "*1 :" + far},
		{"HSETEX g FIELDS 1 a 10", ":1"},
		{"HPEXPIRETIME g FIELDS 1 a", "*1 :-1"},
		{"HSETEX g FXX FIELDS 1 zz 1", ":0"},
		{"HSETEX nope2 FXX FIELDS 1 a 1", ":0"},
		{"HSETEX g EXAT 1 FIELDS 1 c 3", ":1"},
		{"HGETALL g", "*4 $1 a $2 10 $1 b $1 2"},
		{"HGETEX g PERSIST FIELDS 2 b zz", "*2 $1 2 $-1"},
		{"HPEXPIRETIME g FIELDS 1 b", "*1 :-1"},
		{"HGETEX g PXAT " + far + " FIELDS 1 a", "*1 $2 10"},
		{"HPEXPIRETIME g FIELDS 1 a", "*1 :" + far},
		{"HGETEX g FIELDS 1 a", "*1 $2 10"},
		{"HGETEX g PX 0 FIELDS 2 a b", "*2 $2 10 $1 2"},
		{"EXISTS g", ":0"},
		{"HGETEX g FIELDS 1 a", "*1 $-1"},
		{"HGETEX g EX -1 FIELDS 1 a", "-ERR invalid expire time, must be >= 0"},
		{"HGETEX g EX 10 FIELD 1 a", "-ERR Mandatory argument FIELDS is missing or not at the right position"},
		{"HGETEX g EX 10 FIELDS", "-ERR wrong number of arguments for 'hgetex' command"},
		{"HSETEX g EX 10 PX 10 FIELDS 1 a 1", "-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified"},
		{"HSETEX g FNX FXX FIELDS 1 a 1", "-ERR Only one of FXX or FNX arguments can be specified"},
		{"HSETEX g BOGUS FIELDS 1 a 1", "-ERR unknown argument: BOGUS"},
		{"HSETEX g FIELDS 0 a 1", "-ERR invalid number of fields"},
		{"HSETEX g FIELDS 2 a 1", "-ERR wrong number of arguments for 'hsetex' command"},
		{"HSETEX g KEEPTTL KEEPTTL a 1", "-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified"},
		{"HSETEX s FIELDS 1 a 1", "-WRONGTYPE Operation against a key holding the wrong kind of value"},
		// HINCRBY/HINCRBYFLOAT keep a field's TTL; HSET drops it
		{"HSETEX k PXAT " + far + " FIELDS 2 n 1 f 1.5", ":1"},
		{"HINCRBY k n 2", ":3"},
		{"HINCRBYFLOAT k f 1", "$3 2.5"},
		{"HPEXPIRETIME k FIELDS 2 n f", "*2 :" + far + " :" + far},
		{"HSET k n 1", ":0"},
		{"HPEXPIRETIME k FIELDS 2 n f", "*2 :-1 :" + far},
	} {
		got := strings.TrimSpace(strings.ReplaceAll(string(conn.do(strings.Fields(tc[0])...)), "\r\n", " "))
		if got != tc[1] {
			t.Errorf("%s: got %q, want %q", tc[0], got, tc[1])
		}
	}
	// Relative TTLs: Redis rounds HTTL up to the second; allow for the
	// clock moving during the test.
	conn.do("HSET", "r", "a", "1")
	conn.do("HEXPIRE", "r", "1000", "FIELDS", "1", "a")
	if got := string(conn.do("HTTL", "r", "FIELDS", "1", "a")); got != "*1\r\n:1000\r\n" && got != "*1\r\n:999\r\n" {
		t.Errorf("HTTL after HEXPIRE 1000: %q", got)
	}
	raw := string(conn.do("HPTTL", "r", "FIELDS", "1", "a"))
	ms, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(raw, "*1\r\n:"), "\r\n"))
	if ms <= 990000 || ms > 1000000 {
		t.Errorf("HPTTL after HEXPIRE 1000: %q", raw)
	}
}
