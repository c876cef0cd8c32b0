package tests

import (
	"bufio"
	"bytes"
	"slices"
	"strconv"
	"testing"

	"github.com/larder-db/larder/protocol/resp"
)

// Sets: every command against redis-server 7.0, RESP2 and RESP3. Replies
// whose order Redis leaves unspecified (a hashtable's members) are compared
// sorted (u); intsets reply in ascending order on both, compared exactly.

func TestCompat_SetBasics(t *testing.T) {
	runCompat(t, [][]string{
		c("SADD", "s", "1", "2", "3", "2"), c("SADD", "s", "3"), c("SCARD", "s"), c("TYPE", "s"),
		c("OBJECT", "ENCODING", "s"), c("SMEMBERS", "s"),
		c("SISMEMBER", "s", "2"), c("SISMEMBER", "s", "9"), c("SISMEMBER", "nope", "1"),
		c("SMISMEMBER", "s", "1", "9", "3"), c("SMISMEMBER", "nope", "1", "2"),
		c("SREM", "s", "2", "9"), c("SREM", "nope", "1"), c("SMEMBERS", "s"),
		c("SADD", "s", "x"), c("OBJECT", "ENCODING", "s"), c("SREM", "s", "x"), c("OBJECT", "ENCODING", "s"),
		u("SMEMBERS", "s"), c("SREM", "s", "1", "3", "zzz"), c("EXISTS", "s"), c("SCARD", "s"),
		c("SMEMBERS", "nope"), c("SCARD", "nope"),
		// canonical integers only go into an intset
		c("SADD", "i", "-9223372036854775808", "9223372036854775807", "0", "-1"), c("OBJECT", "ENCODING", "i"), c("SMEMBERS", "i"),
		c("SISMEMBER", "i", "-0"), c("SISMEMBER", "i", "00"), c("SADD", "j", "01"), c("OBJECT", "ENCODING", "j"),
		c("SADD", "k", "9223372036854775808"), c("OBJECT", "ENCODING", "k"),
		c("SADD", "k2", "+1"), c("OBJECT", "ENCODING", "k2"), c("SADD", "k3", " 1"), c("OBJECT", "ENCODING", "k3"),
		// binary-safe members, the empty member
		c("SADD", "b", "", "a\x00b", "\r\n"), u("SMEMBERS", "b"), c("SISMEMBER", "b", ""), c("SISMEMBER", "b", "a\x00b"),
		// errors
		c("SET", "str", "v"), c("SADD", "str", "1"), c("SREM", "str", "1"), c("SCARD", "str"),
		c("SISMEMBER", "str", "1"), c("SMISMEMBER", "str", "1"), c("SMEMBERS", "str"), c("GET", "s"),
		c("GET", "b"), c("SADD", "s"), c("SADD"), c("SREM", "s"), c("SCARD"), c("SCARD", "a", "b"),
		c("SISMEMBER", "s"), c("SMISMEMBER", "s"), c("SMEMBERS"),
	})
}

func TestCompat_SetEncodingThreshold(t *testing.T) {
	cases := [][]string{c("CONFIG", "SET", "set-max-intset-entries", "4")}
	cases = append(cases, c("SADD", "s", "1", "2", "3", "4"), c("OBJECT", "ENCODING", "s"),
		c("SADD", "s", "5"), c("OBJECT", "ENCODING", "s"), c("SREM", "s", "5", "4"), c("OBJECT", "ENCODING", "s"),
		c("SADD", "t", "1", "2", "3", "4", "5"), c("OBJECT", "ENCODING", "t"),
		c("SINTERSTORE", "d", "s", "t"), c("OBJECT", "ENCODING", "d"),
		c("SUNIONSTORE", "d", "s", "t"), c("OBJECT", "ENCODING", "d"), u("SMEMBERS", "d"),
		c("CONFIG", "SET", "set-max-intset-entries", "512"),
		c("SUNIONSTORE", "d", "s", "t"), c("OBJECT", "ENCODING", "d"), c("SMEMBERS", "d"),
		c("COPY", "t", "t2"), c("OBJECT", "ENCODING", "t2"), u("SMEMBERS", "t2"))
	big := []string{"SADD", "big"}
	for i := range 600 {
		big = append(big, strconv.Itoa(i*7))
	}
	cases = append(cases, big, c("OBJECT", "ENCODING", "big"), c("SCARD", "big"))
	runCompat(t, cases)
}

func TestCompat_SetMove(t *testing.T) {
	runCompat(t, [][]string{
		c("SADD", "a", "1", "2", "x"), c("SADD", "b", "3"),
		c("SMOVE", "a", "b", "1"), c("SMOVE", "a", "b", "1"), c("SMEMBERS", "b"), u("SMEMBERS", "a"),
		c("SMOVE", "a", "a", "2"), c("SMOVE", "a", "a", "9"), c("SMOVE", "nope", "b", "1"),
		c("SMOVE", "a", "new", "x"), c("SMEMBERS", "new"), c("OBJECT", "ENCODING", "new"),
		c("SMOVE", "a", "b", "2"), c("EXISTS", "a"), c("SMEMBERS", "b"),
		c("SADD", "b", "9"), c("SMOVE", "b", "c", "9"), c("SMOVE", "b", "c", "9"),
		c("SET", "str", "v"), c("SMOVE", "str", "b", "1"), c("SMOVE", "b", "str", "3"), c("SMOVE", "b", "str", "nomember"),
		c("SMOVE", "nope", "str", "1"), c("SMOVE", "a", "b"),
	})
}

func TestCompat_SetAlgebra(t *testing.T) {
	runCompat(t, [][]string{
		c("SADD", "i1", "1", "2", "3", "4"), c("SADD", "i2", "3", "4", "5"), c("SADD", "h1", "a", "b", "3"),
		c("SADD", "h2", "b", "c", "4"),
		c("SINTER", "i1", "i2"), u("SINTER", "i1", "h1"), u("SINTER", "h1", "h2"), c("SINTER", "i1", "nope"),
		c("SINTER", "nope"), c("SINTER", "i1"), u("SINTER", "h1", "h1"),
		c("SUNION", "i1", "i2"), u("SUNION", "i1", "h1", "nope"), c("SUNION", "nope"), u("SUNION", "h1", "h2"),
		c("SDIFF", "i1", "i2"), c("SDIFF", "i1", "h1", "h2"), u("SDIFF", "h1", "h2"), c("SDIFF", "nope", "i1"),
		c("SDIFF", "i1", "nope"), c("SDIFF", "i1", "i1"),
		c("SINTERSTORE", "d", "i1", "i2"), c("SMEMBERS", "d"), c("OBJECT", "ENCODING", "d"),
		c("SINTERSTORE", "d", "h1", "h2"), c("SMEMBERS", "d"), c("OBJECT", "ENCODING", "d"),
		c("SINTERSTORE", "d", "i1", "nope"), c("EXISTS", "d"), c("SINTERSTORE", "d", "i1", "nope"),
		c("SUNIONSTORE", "d", "i1", "i2"), c("SMEMBERS", "d"), c("SUNIONSTORE", "d", "nope", "nope2"), c("EXISTS", "d"),
		c("SUNIONSTORE", "d", "h1", "i2"), u("SMEMBERS", "d"), c("OBJECT", "ENCODING", "d"),
		c("SDIFFSTORE", "d", "i1", "i2"), c("SMEMBERS", "d"), c("SDIFFSTORE", "d", "i1", "i1"), c("EXISTS", "d"),
		c("SDIFFSTORE", "i1", "i1", "i2"), c("SMEMBERS", "i1"),
		c("SET", "d", "string"), c("SUNIONSTORE", "d", "i2"), c("TYPE", "d"),
		c("SINTERCARD", "2", "i2", "h2"), c("SINTERCARD", "1", "i2"), c("SINTERCARD", "1", "i2", "LIMIT", "2"),
		c("SINTERCARD", "1", "i2", "LIMIT", "0"), c("SINTERCARD", "1", "i2", "limit", "100"),
		c("SINTERCARD", "2", "i2", "nope"), c("SINTERCARD", "1", "nope"),
		c("SINTERCARD", "0", "a"), c("SINTERCARD", "3", "a"), c("SINTERCARD", "1", "i2", "LIMIT", "-1"),
		c("SINTERCARD", "1", "i2", "LIMIT", "x"), c("SINTERCARD", "1", "i2", "FOO", "1"), c("SINTERCARD", "x", "s"),
		c("SINTERCARD", "-1", "s"), c("SINTERCARD", "1", "i2", "LIMIT"), c("SINTERCARD", "1"),
		c("SET", "str", "v"), c("SINTER", "i2", "str"), c("SINTER", "nope", "str"), c("SUNION", "str", "nope"),
		c("SDIFF", "nope", "str"), c("SINTERSTORE", "d", "str"), c("SINTERCARD", "2", "i2", "str"),
		c("SINTERSTORE", "str", "i2"), c("TYPE", "str"),
		c("SINTER"), c("SUNIONSTORE", "d"), c("SDIFF"),
	})
}

func TestCompat_SetRandom(t *testing.T) {
	runCompat(t, [][]string{
		// whole-set and empty answers are deterministic
		c("SADD", "s", "1", "2", "3"),
		c("SRANDMEMBER", "s", "3"), c("SRANDMEMBER", "s", "10"), c("SRANDMEMBER", "s", "0"),
		c("SRANDMEMBER", "nope"), c("SRANDMEMBER", "nope", "5"), c("SRANDMEMBER", "nope", "-5"),
		c("SRANDMEMBER", "s", "x"), c("SRANDMEMBER", "s", "1", "2"), c("SRANDMEMBER", "s", "-9223372036854775808"),
		c("SPOP", "nope"), c("SPOP", "nope", "2"), c("SPOP", "s", "0"), c("SPOP", "s", "-1"), c("SPOP", "s", "x"),
		c("SPOP", "s", "1", "2"), c("SPOP", "s", "3"), c("EXISTS", "s"),
		c("SADD", "s", "a"), c("SPOP", "s"), c("EXISTS", "s"),
		c("SADD", "s", "a", "b"), u("SPOP", "s", "5"), c("EXISTS", "s"),
		c("SET", "str", "v"), c("SPOP", "str"), c("SPOP", "str", "1"), c("SRANDMEMBER", "str"), c("SRANDMEMBER", "str", "2"),
		c("SPOP"), c("SRANDMEMBER"),
	})
}

// TestSetRandomShapes checks the random replies structurally on Larder:
// counts, membership, distinctness, and that SPOP removes what it returns.
func TestSetRandomShapes(t *testing.T) {
	l := startLarder(t)
	conn := dial(t, l.addr)
	for _, enc := range [][]string{{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}, {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}} {
		conn.do("DEL", "s")
		conn.do(append([]string{"SADD", "s"}, enc...)...)
		members := func(raw []byte) []string {
			t.Helper()
			return bulkStrings(t, raw)
		}
		for _, n := range []int{1, 3, 9} {
			got := members(conn.do("SRANDMEMBER", "s", strconv.Itoa(n)))
			if len(got) != n || hasDup(got) || !subset(got, enc) {
				t.Fatalf("SRANDMEMBER %d = %q", n, got)
			}
		}
		got := members(conn.do("SRANDMEMBER", "s", "-25"))
		if len(got) != 25 || !subset(got, enc) {
			t.Fatalf("SRANDMEMBER -25 = %q", got)
		}
		one := members(conn.do("SRANDMEMBER", "s"))
		if !subset(one, enc) {
			t.Fatalf("SRANDMEMBER = %q", one)
		}
		popped := members(conn.do("SPOP", "s", "4"))
		popped = append(popped, members(conn.do("SPOP", "s"))...)
		left := members(conn.do("SMEMBERS", "s"))
		all := append(slices.Clone(popped), left...)
		slices.Sort(all)
		want := slices.Clone(enc)
		slices.Sort(want)
		if len(popped) != 5 || hasDup(popped) || !slices.Equal(all, want) {
			t.Fatalf("SPOP popped %q, left %q", popped, left)
		}
	}
}

// TestCompat_Sscan walks SSCAN to the end on both servers and compares the
// member sets (cursor values differ: Larder's hash function is its own).
func TestCompat_Sscan(t *testing.T) {
	p := sharedPair(t)
	for _, q := range []*pair{p, p.resp3()} {
		q.do("FLUSHALL")
		q.do("SADD", "small", "1", "2", "3")
		q.do("SSCAN", "small", "0")
		q.do("SSCAN", "small", "0", "MATCH", "[12]", "COUNT", "1")
		q.do("SSCAN", "nope", "0")
		q.do("SSCAN", "nope", "0", "bogus")
		q.do("SSCAN", "small", "x")
		q.do("SSCAN", "small", "0", "COUNT", "0")
		q.do("SSCAN", "small", "0", "COUNT", "x")
		q.do("SSCAN", "small", "0", "TYPE", "set")
		q.do("SSCAN", "small", "0", "MATCH")
		q.do("SET", "str", "v")
		q.do("SSCAN", "str", "0")
		q.do("SSCAN", "str", "x")
		q.do("SSCAN", "small")
		args := []string{"SADD", "big"}
		for i := range 1000 {
			args = append(args, "m"+strconv.Itoa(i))
		}
		q.do(args...)
		for _, match := range []string{"", "m1*"} {
			want := sscanAll(t, q.redisConn, match)
			got := sscanAll(t, q.larderConn, match)
			if !slices.Equal(want, got) {
				t.Fatalf("SSCAN MATCH %q: redis %d members, larder %d", match, len(want), len(got))
			}
		}
	}
}

func sscanAll(t *testing.T, conn *rawConn, match string) []string {
	t.Helper()
	cur := "0"
	var all []string
	for i := 0; ; i++ {
		argv := []string{"SSCAN", "big", cur, "COUNT", "20"}
		if match != "" {
			argv = append(argv, "MATCH", match)
		}
		_, v, err := resp.ReadReply(bufio.NewReader(bytes.NewReader(conn.do(argv...))))
		if err != nil || len(v.Elems) != 2 {
			t.Fatalf("SSCAN reply: %v %v", v, err)
		}
		for _, e := range v.Elems[1].Elems {
			all = append(all, string(e.Str))
		}
		cur = string(v.Elems[0].Str)
		if cur == "0" || i > 10000 {
			break
		}
	}
	slices.Sort(all)
	return slices.Compact(all)
}

func bulkStrings(t *testing.T, raw []byte) []string {
	t.Helper()
	_, v, err := resp.ReadReply(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("reply %q: %v", raw, err)
	}
	if v.Type == '$' {
		return []string{v.Str}
	}
	out := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		out[i] = string(e.Str)
	}
	return out
}

func hasDup(s []string) bool {
	seen := map[string]bool{}
	for _, x := range s {
		if seen[x] {
			return true
		}
		seen[x] = true
	}
	return false
}

func subset(s, of []string) bool {
	for _, x := range s {
		if !slices.Contains(of, x) {
			return false
		}
	}
	return true
}
