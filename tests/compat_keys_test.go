package tests

import (
	"fmt"
	"sort"
	"strconv"
	"testing"

	"github.com/larder-db/larder/protocol/resp"
)

// Far-future absolute times keep TTL replies stable for the length of a
// test run: 4102444800 is 2100-01-01.
const future = "4102444800"

func TestCompat_DelExistsType(t *testing.T) {
	runCompat(t, [][]string{
		c("MSET", "a", "1", "b", "2", "c", "3"),
		c("EXISTS", "a"), c("EXISTS", "a", "a", "b", "nope"), c("EXISTS"),
		c("TOUCH", "a", "b", "nope"), c("TOUCH"),
		c("TYPE", "a"), c("TYPE", "nope"), c("TYPE", "a", "b"),
		c("DEL", "a", "a", "nope"), c("DEL", "a"), c("EXISTS", "a"), c("DEL"),
		c("UNLINK", "b", "c", "b"), c("UNLINK"), c("DBSIZE"),
		c("SET", "", "empty-name"), c("EXISTS", ""), c("TYPE", ""), c("DEL", ""),
	})
}

func TestCompat_Expire(t *testing.T) {
	runCompat(t, [][]string{
		c("SET", "k", "v"),
		c("TTL", "k"), c("PTTL", "k"), c("EXPIRETIME", "k"), c("PEXPIRETIME", "k"),
		c("TTL", "nope"), c("PTTL", "nope"), c("EXPIRETIME", "nope"), c("PEXPIRETIME", "nope"),
		c("EXPIREAT", "k", future), c("TTL", "k"), c("EXPIRETIME", "k"), c("PEXPIRETIME", "k"),
		c("PEXPIREAT", "k", future+"999"), c("PEXPIRETIME", "k"),
		c("EXPIRE", "k", "1000"), c("TTL", "k"), c("PERSIST", "k"), c("PERSIST", "k"), c("TTL", "k"),
		c("PERSIST", "nope"),
		c("EXPIRE", "k", "100", "NX"), c("EXPIRE", "k", "200", "NX"), c("TTL", "k"),
		c("EXPIRE", "k", "200", "XX"), c("TTL", "k"), c("EXPIRE", "k", "100", "GT"), c("TTL", "k"),
		c("EXPIRE", "k", "300", "GT"), c("TTL", "k"), c("EXPIRE", "k", "400", "LT"), c("TTL", "k"),
		c("EXPIRE", "k", "50", "lt"), c("TTL", "k"), c("PERSIST", "k"),
		c("EXPIRE", "k", "100", "XX"), c("EXPIRE", "k", "100", "GT"), c("EXPIRE", "k", "100", "LT"), c("TTL", "k"),
		c("EXPIRE", "k", "100", "NX", "XX"), c("EXPIRE", "k", "100", "GT", "LT"), c("EXPIRE", "k", "100", "NX", "GT"),
		c("EXPIRE", "k", "50", "XX", "GT"), c("TTL", "k"), c("EXPIRE", "k", "100", "BOGUS"), c("EXPIRE", "k", "100", "nx", "bogus"),
		c("EXPIRE", "nope", "100"), c("EXPIRE", "nope", "abc"), c("EXPIRE", "k", "abc"), c("EXPIRE", "k", "1.5"),
		c("EXPIRE", "k", "9223372036854775807"), c("EXPIRE", "k", "-9223372036854775808"),
		c("PEXPIRE", "k", "9223372036854775807"), c("EXPIREAT", "k", "9223372036854775807"),
		c("PEXPIREAT", "k", "9223372036854775807"), c("TTL", "k"),
		c("EXPIRE", "k"), c("PEXPIREAT", "k"), c("PEXPIRE"),
		c("SET", "d", "v"), c("EXPIRE", "d", "-1"), c("EXISTS", "d"),
		c("SET", "d", "v"), c("PEXPIRE", "d", "0"), c("EXISTS", "d"),
		c("SET", "d", "v"), c("EXPIREAT", "d", "1"), c("EXISTS", "d"),
		c("SET", "d", "v"), c("PEXPIREAT", "d", "100"), c("EXISTS", "d"),
		c("SET", "d", "v"), c("EXPIRE", "d", "-5", "NX"), c("EXISTS", "d"),
		c("SET", "d", "v", "EXAT", future), c("EXPIRE", "d", "-5", "GT"), c("EXPIRE", "d", "-5", "LT"), c("EXISTS", "d"),
		c("SET", "d", "v"), c("EXPIRE", "d", "-5", "LT"), c("EXISTS", "d"),
		c("SET", "x", "v", "EX", "100"), c("SET", "x", "w"), c("TTL", "x"),
		c("SET", "x", "v", "EX", "100"), c("SET", "x", "w", "KEEPTTL"), c("TTL", "x"),
		c("TTL"), c("PTTL", "a", "b"),
	})
}

func TestCompat_RenameCopyMove(t *testing.T) {
	runCompat(t, [][]string{
		c("SET", "a", "1"), c("RENAME", "a", "b"), c("GET", "a"), c("GET", "b"),
		c("RENAME", "nope", "x"), c("RENAME", "b", "b"), c("RENAME", "nope", "nope"), c("RENAMENX", "nope", "nope"),
		c("RENAMENX", "b", "b"), c("SET", "c", "2"), c("RENAMENX", "b", "c"), c("RENAMENX", "b", "d"), c("MGET", "b", "c", "d"),
		c("SETEX", "t", "1000", "v"), c("RENAME", "t", "t2"), c("TTL", "t2"), c("RENAME", "d", "t2"), c("TTL", "t2"),
		c("RENAME", "a"), c("RENAMENX", "a", "b", "c"),
		c("SET", "s", "val"), c("COPY", "s", "s2"), c("GET", "s2"), c("COPY", "s", "s2"), c("COPY", "s", "s2", "REPLACE"),
		c("COPY", "s", "s"), c("COPY", "s", "s", "DB", "0"), c("COPY", "nope", "z"), c("COPY", "s", "z", "DB", "1"),
		c("COPY", "s", "s", "DB", "1"), c("SELECT", "1"), c("GET", "z"), c("GET", "s"), c("SELECT", "0"),
		c("COPY", "s", "z", "DB", "16"), c("COPY", "s", "z", "DB", "-1"), c("COPY", "s", "z", "DB", "x"), c("COPY", "s", "z", "DB"),
		c("COPY", "s", "z", "BOGUS"), c("COPY", "s", "z", "replace", "replace"),
		c("SETEX", "ct", "1000", "v"), c("COPY", "ct", "ct2"), c("TTL", "ct2"),
		c("COPY", "s"),
		c("SET", "m", "v"), c("MOVE", "m", "2"), c("EXISTS", "m"), c("SELECT", "2"), c("GET", "m"), c("SELECT", "0"),
		c("SET", "m", "v0"), c("MOVE", "m", "2"), c("GET", "m"), c("MOVE", "m", "0"), c("MOVE", "nope", "2"),
		c("MOVE", "m", "16"), c("MOVE", "m", "-1"), c("MOVE", "m", "x"), c("MOVE", "m", "4294967296"), c("MOVE", "m"),
		c("SETEX", "mt", "1000", "v"), c("MOVE", "mt", "3"), c("SELECT", "3"), c("TTL", "mt"), c("SELECT", "0"),
	})
}

func TestCompat_Object(t *testing.T) {
	runCompat(t, [][]string{
		c("SET", "i", "123"), c("SET", "big", "12345678901234567890"), c("SET", "e", "hello"),
		c("SET", "r", "this string is longer than forty-four bytes, so raw"),
		c("SET", "neg", "-5"), c("SET", "z", "007"),
		c("OBJECT", "ENCODING", "i"), c("OBJECT", "ENCODING", "big"), c("OBJECT", "ENCODING", "e"),
		c("OBJECT", "ENCODING", "r"), c("OBJECT", "ENCODING", "neg"), c("OBJECT", "ENCODING", "z"),
		c("OBJECT", "ENCODING", "nope"), c("OBJECT", "REFCOUNT", "i"), c("OBJECT", "REFCOUNT", "e"),
		c("OBJECT", "REFCOUNT", "neg"), c("OBJECT", "REFCOUNT", "nope"), c("SET", "k", "10000"), c("OBJECT", "REFCOUNT", "k"),
		c("OBJECT", "FREQ", "i"), c("OBJECT", "FREQ", "nope"), c("OBJECT", "IDLETIME", "nope"),
		c("OBJECT", "HELP"), c("OBJECT", "help", "x"), c("OBJECT"), c("OBJECT", "BOGUS"), c("OBJECT", "ENCODING"),
		c("OBJECT", "ENCODING", "a", "b"),
		c("INCRBYFLOAT", "f", "3"), c("OBJECT", "ENCODING", "f"), c("APPEND", "i", "4"), c("OBJECT", "ENCODING", "i"),
		c("SETRANGE", "sr", "0", "5"), c("OBJECT", "ENCODING", "sr"), c("INCR", "sr"), c("OBJECT", "ENCODING", "sr"),
	})
}

func TestCompat_ObjectLFU(t *testing.T) {
	p := newPair(t, "--maxmemory-policy", "allkeys-lfu")
	p.do("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
	runCases(t, p, [][]string{
		c("SET", "k", "v"), c("OBJECT", "FREQ", "k"), c("OBJECT", "IDLETIME", "k"), c("OBJECT", "IDLETIME", "nope"),
		c("CONFIG", "SET", "maxmemory-policy", "volatile-lru"), c("OBJECT", "FREQ", "k"),
		// IDLETIME right after the switch reads LFU bits as a clock in Redis: not comparable.
	})
}

func TestCompat_Keys(t *testing.T) {
	p := sharedPair(t)
	for _, k := range []string{"one", "two", "three", "four", "", "h?llo", "hello", "hallo", "hxllo", "a*b", "[x]", "\x00bin"} {
		p.do("SET", k, "v")
	}
	p.do("SET", "gone", "v", "PXAT", "1000")
	for _, pat := range []string{"*", "t*", "*o*", "h?llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "a\\*b", "\\[x\\]",
		"", "nomatch", "*e", "[", "h[", "\\", "*\x00*", "????", "*[!]"} {
		p.doSorted("KEYS", pat)
	}
	p.do("KEYS")
	p.do("KEYS", "a", "b")
	p.do("KEYS", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b")
}

// scanAll runs SCAN to completion with the given options on one connection
// and returns the sorted set of keys seen.
func scanAll(t *testing.T, conn *rawConn, opts ...string) []string {
	t.Helper()
	seen := map[string]bool{}
	cursor := "0"
	for i := 0; ; i++ {
		if i > 100000 {
			t.Fatalf("SCAN %v did not finish", opts)
		}
		conn.send(encodeArgv(append([]string{"SCAN", cursor}, opts...)))
		_, v, err := conn.read()
		if err != nil || v.Type != resp.TypeArray || len(v.Elems) != 2 {
			t.Fatalf("SCAN %s %v: %+v %v", cursor, opts, v, err)
		}
		cursor = v.Elems[0].Str
		for _, k := range v.Elems[1].Elems {
			seen[k.Str] = true
		}
		if cursor == "0" {
			break
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestCompat_Scan compares the key sets a full SCAN returns; cursor values
// are Larder's own encoding, so they are checked only structurally.
func TestCompat_Scan(t *testing.T) {
	p := sharedPair(t)
	args := []string{"MSET"}
	for i := 0; i < 500; i++ {
		args = append(args, fmt.Sprintf("key:%d", i), strconv.Itoa(i))
	}
	p.do(args...)
	for _, opts := range [][]string{nil, {"COUNT", "1"}, {"COUNT", "7"}, {"COUNT", "1000"}, {"MATCH", "key:1*"},
		{"MATCH", "key:4?", "COUNT", "3"}, {"TYPE", "string"}, {"TYPE", "STRING"}, {"TYPE", "hash"}, {"MATCH", "nomatch"}} {
		want, got := scanAll(t, p.redisConn, opts...), scanAll(t, p.larderConn, opts...)
		if fmt.Sprint(want) != fmt.Sprint(got) {
			t.Errorf("SCAN %v: redis saw %d keys, larder %d", opts, len(want), len(got))
		}
	}
	for _, bad := range [][]string{{"SCAN"}, {"SCAN", "x"}, {"SCAN", "+"}, {"SCAN", " 1"}, {"SCAN", "18446744073709551616"},
		{"SCAN", "0", "COUNT"}, {"SCAN", "0", "COUNT", "0"}, {"SCAN", "0", "COUNT", "-1"}, {"SCAN", "0", "COUNT", "x"},
		{"SCAN", "0", "BOGUS", "1"}, {"SCAN", "0", "MATCH"}} {
		p.do(bad...)
	}
	p.do("FLUSHALL")
	p.do("SCAN", "0")
	p.do("RANDOMKEY")
	p.do("SET", "only", "1")
	p.do("RANDOMKEY")
	p.do("RANDOMKEY", "x")
}
