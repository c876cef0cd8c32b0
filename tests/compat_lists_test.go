package tests

import (
	"fmt"
	"testing"
)

// Lists against redis-server 7.0, RESP2 and RESP3.

func TestCompat_ListBasics(t *testing.T) {
	runCompat(t, [][]string{
		c("RPUSH", "l", "a", "b", "c"), c("LPUSH", "l", "z", "y"), c("LRANGE", "l", "0", "-1"), c("LLEN", "l"),
		c("TYPE", "l"), c("OBJECT", "ENCODING", "l"), c("LPUSHX", "l", "x"), c("RPUSHX", "l", "d", "e"),
		c("LPUSHX", "nope", "x"), c("RPUSHX", "nope", "x"), c("EXISTS", "nope"),
		c("LINDEX", "l", "0"), c("LINDEX", "l", "-1"), c("LINDEX", "l", "100"), c("LINDEX", "l", "-100"),
		c("LINDEX", "nope", "0"), c("LINDEX", "l", "x"),
		c("LRANGE", "l", "-3", "-1"), c("LRANGE", "l", "2", "1"), c("LRANGE", "l", "-100", "100"), c("LRANGE", "l", "50", "60"),
		c("LRANGE", "nope", "0", "-1"), c("LRANGE", "l", "x", "1"),
		c("LSET", "l", "0", "first"), c("LSET", "l", "-1", "last"), c("LSET", "l", "100", "x"), c("LSET", "nope", "0", "x"),
		c("LSET", "l", "x", "y"), c("LRANGE", "l", "0", "-1"),
		c("LPOP", "l"), c("RPOP", "l"), c("LPOP", "l", "2"), c("RPOP", "l", "2"), c("LPOP", "l", "0"), c("LPOP", "l", "-1"),
		c("LPOP", "l", "x"), c("LPOP", "l", "1", "2"), c("RPOP", "l", "100"), c("EXISTS", "l"),
		c("LPOP", "nope"), c("LPOP", "nope", "2"), c("LPOP", "nope", "0"), c("RPOP", "nope"),
		c("RPUSH", "b", "", "a\x00b", "\r\n"), c("LRANGE", "b", "0", "-1"),
		c("SET", "str", "v"), c("LPUSH", "str", "x"), c("RPUSHX", "str", "x"), c("LPOP", "str"), c("LLEN", "str"),
		c("LRANGE", "str", "0", "1"), c("LINDEX", "str", "0"), c("LSET", "str", "0", "x"), c("GET", "b"),
		c("LPUSH", "l"), c("LLEN"), c("LRANGE", "l", "0"), c("LINDEX", "l"),
	})
}

func TestCompat_ListEdit(t *testing.T) {
	runCompat(t, [][]string{
		c("RPUSH", "l", "a", "b", "a", "c", "a", "b"),
		c("LINSERT", "l", "BEFORE", "b", "x"), c("LINSERT", "l", "after", "c", "y"), c("LRANGE", "l", "0", "-1"),
		c("LINSERT", "l", "BEFORE", "zz", "x"), c("LINSERT", "nope", "BEFORE", "a", "x"), c("LINSERT", "l", "MIDDLE", "a", "x"),
		c("LREM", "l", "1", "a"), c("LRANGE", "l", "0", "-1"), c("LREM", "l", "-1", "a"), c("LRANGE", "l", "0", "-1"),
		c("RPUSH", "l", "a", "a"), c("LREM", "l", "0", "a"), c("LRANGE", "l", "0", "-1"), c("LREM", "l", "5", "zz"),
		c("LREM", "nope", "1", "a"), c("LREM", "l", "x", "a"),
		c("RPUSH", "t", "1", "2", "3", "4", "5", "6"), c("LTRIM", "t", "1", "-2"), c("LRANGE", "t", "0", "-1"),
		c("LTRIM", "t", "-100", "100"), c("LTRIM", "t", "5", "1"), c("EXISTS", "t"), c("LTRIM", "nope", "0", "1"),
		c("LTRIM", "l", "x", "1"),
		c("RPUSH", "p", "a", "b", "c", "a", "b", "c", "a"),
		c("LPOS", "p", "a"), c("LPOS", "p", "a", "RANK", "2"), c("LPOS", "p", "a", "RANK", "-1"), c("LPOS", "p", "a", "RANK", "-2"),
		c("LPOS", "p", "a", "COUNT", "0"), c("LPOS", "p", "a", "COUNT", "2"), c("LPOS", "p", "a", "COUNT", "2", "RANK", "-1"),
		c("LPOS", "p", "a", "MAXLEN", "3"), c("LPOS", "p", "a", "COUNT", "0", "MAXLEN", "4"), c("LPOS", "p", "c", "RANK", "5"),
		c("LPOS", "p", "zz"), c("LPOS", "p", "zz", "COUNT", "1"), c("LPOS", "nope", "a"), c("LPOS", "nope", "a", "COUNT", "2"),
		c("LPOS", "p", "a", "RANK", "0"), c("LPOS", "p", "a", "RANK", "-9223372036854775808"), c("LPOS", "p", "a", "COUNT", "-1"),
		c("LPOS", "p", "a", "MAXLEN", "-1"), c("LPOS", "p", "a", "FOO"), c("LPOS", "p", "a", "RANK"), c("LPOS", "p", "a", "RANK", "x"),
		c("SET", "str", "v"), c("LINSERT", "str", "BEFORE", "a", "b"), c("LREM", "str", "0", "a"), c("LTRIM", "str", "0", "1"),
		c("LPOS", "str", "a"),
	})
}

func TestCompat_ListMove(t *testing.T) {
	runCompat(t, [][]string{
		c("RPUSH", "s", "a", "b", "c"),
		c("LMOVE", "s", "d", "LEFT", "RIGHT"), c("LMOVE", "s", "d", "right", "left"), c("LRANGE", "d", "0", "-1"),
		c("RPOPLPUSH", "s", "d"), c("EXISTS", "s"), c("LRANGE", "d", "0", "-1"), c("RPOPLPUSH", "s", "d"), c("LMOVE", "s", "d", "LEFT", "LEFT"),
		c("LMOVE", "d", "d", "LEFT", "RIGHT"), c("LRANGE", "d", "0", "-1"), c("RPUSH", "one", "x"), c("LMOVE", "one", "one", "LEFT", "RIGHT"),
		c("LRANGE", "one", "0", "-1"), c("LMOVE", "s", "d", "UP", "LEFT"), c("LMOVE", "d", "s", "LEFT", "DOWN"),
		c("SET", "str", "v"), c("LMOVE", "d", "str", "LEFT", "LEFT"), c("LMOVE", "str", "d", "LEFT", "LEFT"),
		c("LMOVE", "nope", "str", "LEFT", "LEFT"), c("RPOPLPUSH", "d", "str"), c("LRANGE", "d", "0", "-1"),
		c("RPUSH", "m1", "a", "b", "c"), c("RPUSH", "m2", "x"),
		c("LMPOP", "2", "nope", "m1", "LEFT"), c("LMPOP", "2", "m1", "m2", "RIGHT", "COUNT", "5"), c("LMPOP", "1", "m1", "LEFT"),
		c("LMPOP", "1", "nope", "LEFT"), c("LMPOP", "0", "m2", "LEFT"), c("LMPOP", "2", "m2", "LEFT"), c("LMPOP", "1", "m2", "MIDDLE"),
		c("LMPOP", "1", "m2", "LEFT", "COUNT", "0"), c("LMPOP", "1", "m2", "LEFT", "COUNT", "1", "COUNT", "1"),
		c("LMPOP", "1", "str", "LEFT"), c("LMPOP", "2", "m2", "str", "LEFT"), c("LMPOP", "x", "m2", "LEFT"),
		c("BLPOP", "nope", "m2", "0.01"), c("BRPOP", "nope", "0.01"), c("BLMPOP", "0.01", "1", "nope", "LEFT"),
		c("RPUSH", "m3", "a", "b"), c("BRPOP", "m3", "0"), c("BLMOVE", "m3", "m4", "LEFT", "RIGHT", "0"), c("BRPOPLPUSH", "m4", "m3", "0"),
		c("BLMPOP", "0", "1", "m3", "RIGHT", "COUNT", "3"), c("BLPOP", "str", "0"), c("BRPOPLPUSH", "l", "l2", "-1"),
		c("BLMOVE", "l", "l2", "LEFT", "RIGHT", "x"), c("BLMOVE", "l", "l2", "UP", "RIGHT", "0"), c("BLPOP", "l"),
		c("MULTI"), c("BLPOP", "nope", "0"), c("BLMOVE", "nope", "x", "LEFT", "LEFT", "0"), c("EXEC"),
	})
}

func TestCompat_BlockingListServed(t *testing.T) {
	base := sharedPair(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("resp%d", proto), func(t *testing.T) {
			base.with(t).do("FLUSHALL")
			a, b := base.newClient().with(t), base.newClient().with(t)
			if proto == 3 {
				a, b = base.resp3().with(t), base.resp3().with(t)
			}
			pusher := base.newClient().with(t)
			a.send("BLPOP", "q", "0")
			b.send("BRPOP", "q", "0")
			pusher.do("RPUSH", "q", "1", "2", "3")
			a.next()
			b.next()
			pusher.do("LRANGE", "q", "0", "-1")
			a.send("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0")
			b.send("BLPOP", "dst", "0")
			pusher.do("LPUSH", "src", "m")
			a.next()
			b.next() // served by BLMOVE's push into dst
			a.send("BLMPOP", "0", "2", "x", "y", "RIGHT", "COUNT", "2")
			pusher.do("RPUSH", "y", "1", "2", "3")
			a.next()
			a.send("BRPOPLPUSH", "r", "r", "0")
			pusher.do("RPUSH", "r", "only")
			a.next()
			pusher.do("LRANGE", "r", "0", "-1")
		})
	}
}
