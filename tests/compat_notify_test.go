package tests

import (
	"bytes"
	"strings"
	"testing"
)

// Keyspace notifications against redis-server 7.0: a subscriber to every
// keyspace and keyevent channel on each server; after each command a
// PUBLISH to a marker channel ends the frames that command caused, and the
// two servers' frames are compared in order.

// untilMarker reads frames up to the marker message and returns them.
func untilMarker(t *testing.T, conn *rawConn) []byte {
	t.Helper()
	var all []byte
	for range 100 {
		f := conn.readRaw()
		if bytes.Contains(f, []byte("$6\r\nmarker\r\n")) {
			return all
		}
		all = append(all, f...)
	}
	t.Fatal("marker never came")
	return nil
}

func TestCompat_KeyspaceNotifications(t *testing.T) {
	p := newPair(t)
	sub := p.newClient().with(t)
	p.do("CONFIG", "SET", "notify-keyspace-events", "KEAn")
	p.do("CONFIG", "GET", "notify-keyspace-events")
	sub.do("SUBSCRIBE", "marker")
	sub.do("PSUBSCRIBE", "__key*__:*")
	cases := [][]string{
		c("SET", "s", "1"), c("SET", "s", "2", "EX", "100"), c("INCR", "s"), c("INCRBYFLOAT", "s", "1.5"),
		c("APPEND", "s", "x"), c("SETRANGE", "s", "0", "y"), c("GETSET", "s", "v"), c("SETNX", "n", "1"), c("SETNX", "n", "1"),
		c("MSET", "a", "1", "b", "2"), c("SETEX", "e", "100", "v"), c("GETEX", "e", "PERSIST"), c("GETEX", "e", "EX", "50"),
		c("GETDEL", "e"), c("EXPIRE", "a", "100"), c("PERSIST", "a"), c("EXPIRE", "a", "-1"), c("DEL", "b", "nope", "n"),
		c("RENAME", "s", "s2"), c("COPY", "s2", "s3"), c("MOVE", "s3", "1"),
		c("SADD", "set", "a", "b", "c"), c("SADD", "set", "a"), c("SREM", "set", "a", "zz"), c("SMOVE", "set", "set2", "b"),
		c("SINTERSTORE", "d", "set", "set2"), c("SUNIONSTORE", "d", "set", "set2"), c("SREM", "set", "c"), c("SPOP", "set2"),
		c("ZADD", "z", "1", "a", "2", "b", "3", "c"), c("ZADD", "z", "1", "a"), c("ZINCRBY", "z", "1", "a"), c("ZADD", "z", "INCR", "1", "a"),
		c("ZREM", "z", "a"), c("ZPOPMIN", "z"), c("ZUNIONSTORE", "zd", "1", "z"), c("ZRANGESTORE", "zd2", "z", "0", "-1"),
		c("ZREMRANGEBYRANK", "z", "0", "-1"), c("ZMPOP", "1", "zd", "MAX"),
		c("HSET", "h", "f", "1", "g", "2"), c("HSETNX", "h", "f", "x"), c("HSETNX", "h", "n", "x"), c("HINCRBY", "h", "f", "2"),
		c("HINCRBYFLOAT", "h", "f", "0.5"), c("HDEL", "h", "nope"), c("HDEL", "h", "f", "g"), c("HDEL", "h", "n"), c("HMSET", "h2", "a", "b"),
		c("RPUSH", "l", "a", "b", "c"), c("LPUSH", "l", "z"), c("LPOP", "l"), c("RPOP", "l", "2"), c("LSET", "l", "0", "q"),
		c("LINSERT", "l", "BEFORE", "q", "p"), c("LREM", "l", "0", "p"), c("LTRIM", "l", "0", "0"), c("LMOVE", "l", "l2", "LEFT", "RIGHT"),
		c("RPOPLPUSH", "l2", "l2"), c("LMPOP", "1", "l2", "LEFT"),
		// streams: consumers a command creates on first use notify too
		// (Redis's "Keyspace notifications: stream events test")
		c("XGROUP", "CREATE", "st", "g", "$", "MKSTREAM"), c("XGROUP", "CREATECONSUMER", "st", "g", "Bob"),
		c("XADD", "st", "1-1", "f", "A"), c("XADD", "st", "2-1", "f", "B"), c("XREADGROUP", "GROUP", "g", "Alice", "STREAMS", "st", ">"),
		c("XCLAIM", "st", "g", "Mike", "0", "1-1", "FORCE"), c("XGROUP", "DELCONSUMER", "st", "g", "Lee"),
		c("XAUTOCLAIM", "st", "g", "Bob", "0", "1-1"), c("XAUTOCLAIM", "st", "g", "Zed", "0", "0-0"),
		c("XGROUP", "DELCONSUMER", "st", "g", "Bob"), c("XDEL", "st", "1-1"), c("XTRIM", "st", "MAXLEN", "0"),
		c("XSETID", "st", "5-0"), c("XGROUP", "SETID", "st", "g", "0"), c("XGROUP", "DESTROY", "st", "g"),
		c("FLUSHALL"),
	}
	for _, argv := range cases {
		p.do(argv...)
		p.do("PUBLISH", "marker", "x")
		r, l := untilMarker(t, sub.redisConn), untilMarker(t, sub.larderConn)
		if d := diffReplies(append([]string{"(notifications of)"}, argv...), r, l); d != "" {
			t.Fatal(d)
		}
	}
}

// TestHashFieldNotifications: events of the post-7.0 hash commands, from
// the redis.io keyspace-notifications page (7.0 cannot be the oracle):
// HEXPIRE → hexpire, a past time → hexpired, HPERSIST → hpersist,
// HGETDEL → hdel, HSETEX → hset then hexpire; an emptied hash → del.
func TestHashFieldNotifications(t *testing.T) {
	l := startLarder(t)
	admin, sub := dial(t, l.addr), dial(t, l.addr)
	admin.do("CONFIG", "SET", "notify-keyspace-events", "Eh")
	sub.do("PSUBSCRIBE", "__keyevent@0__:*")
	expect := func(argv []string, events ...string) {
		t.Helper()
		admin.do(argv...)
		for _, ev := range events {
			f := string(sub.readRaw())
			if !strings.Contains(f, "__keyevent@0__:"+ev+"\r\n") {
				t.Fatalf("%q: got %q, want event %s", argv, f, ev)
			}
		}
	}
	expect(c("HSET", "h", "a", "1", "b", "2", "c", "3"), "hset")
	expect(c("HEXPIRE", "h", "100", "FIELDS", "1", "a"), "hexpire")
	expect(c("HPERSIST", "h", "FIELDS", "1", "a"), "hpersist")
	expect(c("HEXPIREAT", "h", "1", "FIELDS", "1", "a"), "hexpired")
	expect(c("HGETDEL", "h", "FIELDS", "1", "b"), "hdel")
	expect(c("HSETEX", "h", "EX", "100", "FIELDS", "1", "d", "4"), "hset", "hexpire")
	admin.do("CONFIG", "SET", "notify-keyspace-events", "Egh")
	expect(c("HGETDEL", "h", "FIELDS", "2", "c", "d"), "hdel", "del")
}
