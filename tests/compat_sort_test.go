package tests

import "testing"

// SORT and SORT_RO against redis-server 7.0, RESP2 and RESP3. Cases with
// ties that Redis's qsort leaves in an unspecified order are avoided or
// compared sorted.

func TestCompat_Sort(t *testing.T) {
	runCompat(t, [][]string{
		c("RPUSH", "l", "3", "1", "2", "10", "-1.5", "1e2"),
		c("SORT", "l"), c("SORT", "l", "DESC"), c("SORT", "l", "ALPHA"), c("SORT", "l", "ALPHA", "DESC"),
		c("SORT", "l", "LIMIT", "1", "2"), c("SORT", "l", "DESC", "LIMIT", "1", "2"), c("SORT", "l", "LIMIT", "10", "2"),
		c("SORT", "l", "LIMIT", "-1", "2"), c("SORT", "l", "LIMIT", "0", "-1"), c("SORT", "l", "LIMIT", "2", "0"),
		c("SORT", "l", "BY", "nosort"), c("SORT", "l", "BY", "nosort", "DESC"), c("SORT", "l", "BY", "nosort", "LIMIT", "1", "2"),
		c("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"),
		c("SADD", "s", "b", "a", "c"), c("SORT", "s"), c("SORT", "s", "ALPHA"), c("SORT", "s", "ALPHA", "DESC", "LIMIT", "0", "2"),
		c("SORT", "s", "BY", "nosort", "STORE", "d"), c("LRANGE", "d", "0", "-1"),
		c("SADD", "si", "5", "3", "9"), c("SORT", "si"), c("SORT", "si", "BY", "nosort"),
		c("ZADD", "z", "3", "a", "1", "b", "2", "c"), c("OBJECT", "ENCODING", "z"), c("SORT_RO", "z", "ALPHA"),
		c("OBJECT", "ENCODING", "z"), c("SORT", "z", "ALPHA"), c("SORT", "z", "BY", "nosort"),
		c("SORT", "z", "BY", "nosort", "DESC"), c("SORT", "z", "BY", "nosort", "LIMIT", "1", "1"),
		c("MSET", "w_3", "5", "w_1", "1", "w_2", "9", "w_10", "x"), c("HSET", "h_3", "f", "z"), c("HSET", "h_1", "f", "a"),
		c("RPUSH", "m", "3", "1", "2"),
		c("SORT", "m", "BY", "w_*"), c("SORT", "m", "BY", "w_*", "DESC"), c("SORT", "m", "BY", "h_*->f", "ALPHA"),
		c("SORT", "m", "BY", "nosort", "GET", "#", "GET", "w_*", "GET", "h_*->f", "GET", "h_*->", "GET", "fixed"),
		c("SORT", "m", "GET", "w_*", "GET", "#"), c("SORT", "m", "BY", "w_*", "STORE", "d2", "GET", "w_*", "GET", "h_*->f"),
		c("LRANGE", "d2", "0", "-1"), c("SORT", "l", "BY", "w_*"), c("SORT", "m", "BY", "h_*->f"),
		c("SORT", "nope"), c("SORT", "nope", "STORE", "d"), c("EXISTS", "d"), c("SORT", "l", "STORE", "d"), c("LRANGE", "d", "0", "-1"),
		c("SORT_RO", "l"), c("SORT_RO", "l", "STORE", "x"), c("SORT_RO", "l", "BY", "w_*", "GET", "#"),
		c("SORT", "l", "FOO"), c("SORT", "l", "LIMIT", "1"), c("SORT", "l", "LIMIT", "x", "1"), c("SORT", "l", "STORE"),
		c("SET", "str", "v"), c("SORT", "str"), c("SORT", "str", "FOO"), c("SORT", "l", "STORE", "str"), c("TYPE", "str"),
		c("RPUSH", "bad", "1", "x"), c("SORT", "bad"), c("SORT", "bad", "ALPHA"), c("SORT"),
		c("COMMAND", "GETKEYS", "SORT", "l", "GET", "store", "STORE", "a", "STORE", "b", "LIMIT", "0", "1"),
		c("COMMAND", "GETKEYSANDFLAGS", "SORT", "l", "BY", "w_*", "STORE", "b"), c("COMMAND", "GETKEYS", "SORT_RO", "l"),
		c("COMMAND", "GETKEYSANDFLAGS", "ZUNIONSTORE", "d", "2", "a", "b"), c("COMMAND", "GETKEYSANDFLAGS", "BLMPOP", "0", "2", "a", "b", "LEFT"),
	})
}
