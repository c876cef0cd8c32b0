package tests

import (
	"net"
	"regexp"
	"strings"
	"testing"
)

// TestCompat_Migrate: MIGRATE from redis-server and from Larder, each to
// a redis-server target of its own: the sources' replies are compared
// byte for byte, then the two targets' contents.
func TestCompat_Migrate(t *testing.T) {
	p := sharedPair(t).newClient()
	p.reset()
	toRedis, toLarder := startRedis(t), startRedis(t)
	tr, tl := dial(t, toRedis.addr), dial(t, toLarder.addr)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadPort := portOf(closed.Addr().String())
	_ = closed.Close() // a port nobody listens on
	mig := func(args ...string) {
		t.Helper()
		r := p.redisConn.do(append([]string{"MIGRATE", "127.0.0.1", portOf(toRedis.addr)}, args...)...)
		l := p.larderConn.do(append([]string{"MIGRATE", "127.0.0.1", portOf(toLarder.addr)}, args...)...)
		if d := diffReplies(append([]string{"MIGRATE", "host", "port"}, args...), r, l); d != "" {
			t.Error(d)
		}
	}
	targets := func(argv ...string) {
		t.Helper()
		if d := diffReplies(append([]string{"(targets)"}, argv...), tr.do(argv...), tl.do(argv...)); d != "" {
			t.Error(d)
		}
	}
	big := strings.Repeat("0123456789", 100000)
	for _, argv := range [][]string{
		{"SET", "k", "v"}, {"SET", "c", "copied"}, {"SET", "ttl", "v", "PX", "100000000"}, {"SET", "big", big},
		{"HSET", "h", "f", "1", "g", "2"}, {"ZADD", "z", "1", "a", "2", "b"}, {"RPUSH", "l", "x", "y"},
		{"XADD", "st", "1-1", "f", "v"}, {"SET", "a", "1"}, {"SET", "b", "2"}, {"SET", "busy", "mine"},
	} {
		p.do(argv...)
	}
	tr.do("SET", "busy", "theirs")
	tl.do("SET", "busy", "theirs")
	mig("k", "0", "1000")
	mig("c", "0", "1000", "COPY")
	mig("ttl", "0", "1000")
	mig("big", "3", "5000")
	mig("", "0", "1000", "KEYS", "h", "z", "missing", "l", "st")
	mig("busy", "0", "1000")
	mig("busy", "0", "1000", "COPY", "REPLACE")
	mig("missing", "0", "1000")
	mig("", "0", "1000", "KEYS", "nope1", "nope2")
	mig("k", "0", "1000", "KEYS", "a")
	mig("a", "0", "1000", "BOGUS")
	mig("a", "0", "1000", "AUTH")
	mig("a", "0", "1000", "AUTH2", "user")
	mig("a", "x", "1000")
	mig("a", "0", "x")
	mig("a", "0", "1000", "AUTH", "secret")
	mig("a", "0", "1000", "AUTH2", "default", "secret")
	mig("a", "0", "0", "KEYS", "b")
	for _, argv := range [][]string{{"EXISTS", "k", "c", "ttl", "big", "h", "z", "l", "st", "a", "b", "busy"}, {"GET", "c"}, {"GET", "busy"}} {
		p.do(argv...)
	}
	p.do("MIGRATE", "127.0.0.1", deadPort, "a", "0", "1000")
	p.do("MIGRATE", "127.0.0.1", deadPort, "missing", "0", "1000")
	for _, argv := range [][]string{
		{"GET", "k"}, {"GET", "c"}, {"TTL", "ttl"}, {"HGETALL", "h"}, {"ZRANGE", "z", "0", "-1", "WITHSCORES"},
		{"LRANGE", "l", "0", "-1"}, {"XRANGE", "st", "-", "+"}, {"GET", "busy"}, {"GET", "a"}, {"DBSIZE"},
		{"SELECT", "3"}, {"STRLEN", "big"}, {"SELECT", "0"},
	} {
		targets(argv...)
	}
	cached := regexp.MustCompile(`migrate_cached_sockets:\d+`)
	ri := cached.FindString(string(p.redisConn.do("INFO", "stats")))
	li := cached.FindString(string(p.larderConn.do("INFO", "stats")))
	if ri == "" || ri != li {
		t.Errorf("INFO stats: redis %q, larder %q", ri, li)
	}
}

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}

// TestCompat_MigrateRedacted: MIGRATE's AUTH and AUTH2 credentials reach
// MONITOR as "(redacted)", as in Redis.
func TestCompat_MigrateRedacted(t *testing.T) {
	p := sharedPair(t).newClient()
	mon := p.newClient()
	mon.do("MONITOR")
	p.do("MIGRATE", "127.0.0.1", "1", "nokey", "0", "10", "COPY", "AUTH", "pw", "AUTH2", "user", "pw2")
	for _, c := range []*rawConn{mon.redisConn, mon.larderConn} {
		line := string(c.readRaw())
		if !strings.Contains(line, `"AUTH" "(redacted)" "AUTH2" "(redacted)" "(redacted)"`) {
			t.Errorf("%s MONITOR line: %q", c.name, line)
		}
	}
}
