package tests

import (
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
)

// Tests of the harness itself. They run against two redis-servers, so they
// need no larder, except TestHarness_StartLarder and TestHarness_LarderPair.

// redisPair starts two redis-servers and pairs them: every reply must match.
func redisPair(t *testing.T) *pair {
	t.Helper()
	return connectPair(t, startRedis(t), startRedis(t))
}

func TestHarness_SameRepliesPass(t *testing.T) {
	p := redisPair(t)
	p.do("SET", "k", "v")
	p.do("GET", "k")
	p.do("GET", "missing")
	p.do("GET")                     // an error reply, compared like any other
	p.do("NOSUCHCOMMAND", "a", "b") // with Redis's trailing space
	p.do("SADD", "s", "a", "b", "c", "d", "e")
	p.doSorted("SMEMBERS", "s")
	p.do("HSET", "h", "f1", "1", "f2", "2", "f3", "3")
	p.doSortedPairs("HGETALL", "h")
	p.doRaw([]byte("PING inline\r\n"))
	runCases(t, p, [][]string{
		{"RPUSH", "l", "a", "b", "c"},
		{"LRANGE", "l", "0", "-1"},
		{"LPOP", "l"},
		{"LLEN", "l"},
	})
	t.Run("subtest", func(t *testing.T) {
		p.with(t).do("INCR", "n")
	})

	p3 := p.resp3()
	p3.doSorted("HGETALL", "h") // a RESP3 map, sorted by entries
	p3.doSorted("SMEMBERS", "s")
	p3.do("GET", "missing")
	p3.do("DEBUG", "PROTOCOL", "attrib")
	p3.do("DEBUG", "PROTOCOL", "bignum")
	p3.do("DEBUG", "PROTOCOL", "verbatim")

	p.redisConn.hello3()
	p.larderConn.hello3()
	p.do("SELECT", "3")
	p.do("SET", "k3", "v")
	p.reset()
	if got := string(p.do("GET", "missing")); got != "$-1\r\n" {
		t.Errorf("GET after reset = %q, want RESP2's null", got)
	}
	if got := string(p.do("DBSIZE")); got != ":0\r\n" {
		t.Errorf("DBSIZE after reset = %q", got)
	}
}

func TestHarness_DifferenceDetected(t *testing.T) {
	p := redisPair(t)
	// Make the servers disagree behind the pair's back, then check that the
	// comparison catches it (without failing this test).
	p.redisConn.do("SET", "k", "redis")
	p.larderConn.do("SET", "k", "other")
	r, l := p.doBoth("GET", "k")
	d := diffReplies([]string{"GET", "k"}, r, l)
	for _, want := range []string{`"GET" "k"`, `"$5\r\nredis\r\n"`, `"$5\r\nother\r\n"`, "first difference at byte 4", `"redis"`, `"other"`} {
		if !strings.Contains(d, want) {
			t.Errorf("diff report lacks %q:\n%s", want, d)
		}
	}
}

func TestHarness_DiffReplies(t *testing.T) {
	cases := []struct {
		name          string
		redis, larder string
		same          bool
	}{
		{"equal", "+OK\r\n", "+OK\r\n", true},
		{"simple vs bulk", "+OK\r\n", "$2\r\nOK\r\n", false},
		{"error text", "-ERR wrong number of arguments for 'get' command\r\n", "-ERR wrong number of arguments for 'GET' command\r\n", false},
		{"trailing space", "-ERR unknown command 'FOO', with args beginning with: \r\n", "-ERR unknown command 'FOO', with args beginning with:\r\n", false},
		{"null kinds", "$-1\r\n", "*-1\r\n", false},
		{"resp3 null", "_\r\n", "$-1\r\n", false},
		{"malformed larder", "+OK\r\n", "+OK\n", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := diffReplies([]string{"X"}, []byte(tc.redis), []byte(tc.larder))
			if (d == "") != tc.same {
				t.Fatalf("diffReplies(%q, %q) = %q, want same=%v", tc.redis, tc.larder, d, tc.same)
			}
		})
	}
	// A long reply shows a window around the difference, not the whole thing.
	long := strings.Repeat("x", 10000)
	d := diffReplies([]string{"GET", "big"}, []byte("$10001\r\n"+long+"a\r\n"), []byte("$10001\r\n"+long+"b\r\n"))
	if !strings.Contains(d, "[bytes 9752..10011 of 10011]") || !strings.Contains(d, `xa\r\n"`) || len(d) > 4000 {
		t.Errorf("long diff report:\n%s", d)
	}
	if d := diffReplies(nil, []byte("+OK\r\n"), []byte("+OK\n")); !strings.Contains(d, "not a well-formed reply") {
		t.Errorf("malformed reply not flagged:\n%s", d)
	}
}

func TestHarness_SortedReply(t *testing.T) {
	cases := []struct {
		name  string
		a, b  string
		pairs bool
		same  bool
	}{
		{"array order", "*3\r\n$1\r\na\r\n$1\r\nb\r\n:1\r\n", "*3\r\n:1\r\n$1\r\nb\r\n$1\r\na\r\n", false, true},
		{"array multiset", "*2\r\n$1\r\na\r\n$1\r\na\r\n", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", false, false},
		{"set order", "~2\r\n+a\r\n+b\r\n", "~2\r\n+b\r\n+a\r\n", false, true},
		{"set vs array", "~2\r\n+a\r\n+b\r\n", "*2\r\n+b\r\n+a\r\n", false, false},
		{"map entries", "%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", "%2\r\n+b\r\n:2\r\n+a\r\n:1\r\n", false, true},
		{"map values swapped", "%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", "%2\r\n+b\r\n:1\r\n+a\r\n:2\r\n", false, false},
		{"flat pairs", "*4\r\n+a\r\n:1\r\n+b\r\n:2\r\n", "*4\r\n+b\r\n:2\r\n+a\r\n:1\r\n", true, true},
		{"flat pairs swapped", "*4\r\n+a\r\n:1\r\n+b\r\n:2\r\n", "*4\r\n+b\r\n:1\r\n+a\r\n:2\r\n", true, false},
		// Without pairs, swapped values look the same: why doSortedPairs exists.
		{"flat singles swapped", "*4\r\n+a\r\n:1\r\n+b\r\n:2\r\n", "*4\r\n+b\r\n:1\r\n+a\r\n:2\r\n", false, true},
		{"nested kept whole", "*2\r\n*2\r\n+x\r\n+y\r\n+z\r\n", "*2\r\n+z\r\n*2\r\n+x\r\n+y\r\n", false, true},
		{"nested inner order", "*1\r\n*2\r\n+x\r\n+y\r\n", "*1\r\n*2\r\n+y\r\n+x\r\n", false, false},
		{"not aggregate", "+OK\r\n", "+OK\r\n", false, true},
		{"null array", "*-1\r\n", "*-1\r\n", false, true},
		{"error", "-ERR x\r\n", "-ERR y\r\n", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, aerr := sortedReply([]byte(tc.a), tc.pairs)
			b, berr := sortedReply([]byte(tc.b), tc.pairs)
			if err := errors.Join(aerr, berr); err != nil {
				t.Fatal(err)
			}
			if same := diffReplies(nil, a, b) == ""; same != tc.same {
				t.Fatalf("sorted %q vs %q: same = %v, want %v", a, b, same, tc.same)
			}
		})
	}
	if _, err := sortedReply([]byte("*3\r\n+a\r\n+b\r\n+c\r\n"), true); err == nil {
		t.Error("odd element count sorted as pairs: no error")
	}
	if _, err := sortedReply([]byte("*2\r\n+a\r\n"), false); err == nil {
		t.Error("truncated reply: no error")
	}
}

func TestHarness_RawConn(t *testing.T) {
	s := startRedis(t)
	c := dial(t, s.addr)
	c.send([]byte("PING\r\n*1\r\n$4\r\nPING\r\n")) // inline and multibulk, pipelined
	for i := 0; i < 2; i++ {
		if got := string(c.readRaw()); got != "+PONG\r\n" {
			t.Fatalf("reply %d = %q", i, got)
		}
	}
	if got := string(c.do("GET", "missing")); got != "$-1\r\n" {
		t.Errorf("RESP2 GET missing = %q", got)
	}
	if hello := c.hello3(); !strings.HasPrefix(string(hello), "%") {
		t.Errorf("HELLO 3 = %q", hello)
	}
	if got := string(c.do("GET", "missing")); got != "_\r\n" {
		t.Errorf("RESP3 GET missing = %q", got)
	}
	if got := string(c.do("SET", "k", "a\r\nb")); got != "+OK\r\n" {
		t.Errorf("SET binary = %q", got)
	}
	if got := string(c.do("GET", "k")); got != "$4\r\na\r\nb\r\n" {
		t.Errorf("GET binary = %q", got)
	}
	// A protocol error closes the connection: read reports it, not a fatal.
	c.send([]byte("*1\r\n$-5\r\n"))
	if raw, _, err := c.read(); !strings.HasPrefix(string(raw), "-ERR Protocol error") || err != nil {
		t.Errorf("bad frame: %q, %v", raw, err)
	}
	if _, _, err := c.read(); err != io.EOF {
		t.Errorf("after a protocol error: read error = %v, want io.EOF", err)
	}
}

// TestHarness_WaitBlocked: once sendBlocking returns, Redis counts the
// client as blocked (what Larder cannot report yet), and after the client
// disconnects waitGone sees it leave.
func TestHarness_WaitBlocked(t *testing.T) {
	s := startRedis(t)
	admin, c := dial(t, s.addr), dial(t, s.addr)
	for i := 0; i < 3; i++ { // the same command again: clientID makes it a change
		c.sendBlocking("blpop", encodeArgv([]string{"BLPOP", "q", "0"}))
		if got := string(admin.do("INFO", "clients")); !strings.Contains(got, "\r\nblocked_clients:1\r\n") {
			t.Fatalf("round %d: after sendBlocking, INFO clients = %q; want blocked_clients:1", i, got)
		}
		admin.do("RPUSH", "q", "x")
		if got := string(c.readRaw()); got != "*2\r\n$1\r\nq\r\n$1\r\nx\r\n" {
			t.Fatalf("round %d: BLPOP = %q", i, got)
		}
	}
	id := c.sendBlocking("blpop", encodeArgv([]string{"BLPOP", "q", "0"}))
	_ = c.nc.Close()
	waitGone(t, admin, id)
	if got := string(admin.do("INFO", "clients")); !strings.Contains(got, "\r\nblocked_clients:0\r\n") {
		t.Errorf("after waitGone, INFO clients = %q; want blocked_clients:0", got)
	}
}

func TestHarness_StopAndKill(t *testing.T) {
	s := startRedis(t)
	// The port-collision check relies on reading the pid from INFO.
	if ok, pid := pingServer(s.addr, s.pass); !ok || pid != s.cmd.Process.Pid {
		t.Errorf("pingServer = %v, pid %d; want true, %d", ok, pid, s.cmd.Process.Pid)
	}
	if err := s.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if err := s.cmd.Process.Signal(syscall.Signal(0)); err == nil {
		t.Error("process still alive after stop")
	}
	if err := s.stop(); err != nil { // idempotent: the t.Cleanup stop is a no-op
		t.Errorf("second stop: %v", err)
	}
	k := startRedis(t)
	k.kill()
	if err := k.stop(); err != nil {
		t.Errorf("stop after kill: %v", err)
	}
}

// TestHarness_SharedServers runs the shared-pair machinery on two
// redis-servers: reset empties the keyspace between users.
func TestHarness_SharedServers(t *testing.T) {
	var sh sharedServers
	bin := requireRedis(t)
	for i := 0; i < 2; i++ {
		t.Run("user", func(t *testing.T) {
			p := sh.pair(t, redisSpec(bin), redisSpec(bin))
			p.do("DBSIZE") // :0 on both, thanks to reset
			if got := string(p.redisConn.do("DBSIZE")); got != ":0\r\n" {
				t.Errorf("DBSIZE after reset = %q", got)
			}
			p.do("SET", "k", "v")
			p.do("SELECT", "2")
		})
	}
}

func TestHarness_StartLarder(t *testing.T) {
	s := startLarder(t)
	c := dial(t, s.addr)
	if got := string(c.do("PING")); got != "+PONG\r\n" {
		t.Errorf("larder PING = %q", got)
	}
}

// TestHarness_LarderPair runs the real pair: redis-server against larder.
func TestHarness_LarderPair(t *testing.T) {
	p := newPair(t)
	p.do("PING")
	p.do("SET", "k", "v")
	p.do("GET", "k")
	p.do("GET")
	p.resp3().do("GET", "missing")
	// sharedPair resets with FLUSHALL, which larder may not have yet.
	if raw := p.larderConn.do("FLUSHALL"); strings.HasPrefix(string(raw), "-ERR unknown command") {
		t.Skip("larder has no FLUSHALL yet, so sharedPair cannot reset it")
	}
	q := sharedPair(t)
	q.do("SET", "k", "shared")
	q.do("GET", "k")
}

// TestHarness_PortTakenRetried: a server that cannot bind its port exits, and
// launch tries again on another port.
func TestHarness_PortTakenRetried(t *testing.T) {
	bin := requireRedis(t)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = taken.Close() }() // only held to block the port
	takenPort := taken.Addr().(*net.TCPAddr).Port
	calls := 0
	spec := func(dir string, port int) []string {
		if calls++; calls == 1 {
			port = takenPort // the first attempt collides
		}
		return redisSpec(bin)(dir, port)
	}
	s, err := launch("redis", t.TempDir(), spec)
	if err != nil {
		t.Fatalf("launch: %v", err)
	}
	t.Cleanup(func() { stopAllFor(t, s) })
	if calls != 2 {
		t.Errorf("launch made %d attempts, want 2", calls)
	}
	if got := string(dial(t, s.addr).do("PING")); got != "+PONG\r\n" {
		t.Errorf("PING = %q", got)
	}
}

// TestHarness_RequirePass: a server that wants AUTH answers PING with
// -NOAUTH, which still counts as ready.
func TestHarness_RequirePass(t *testing.T) {
	bin := requireRedis(t)
	spec := func(dir string, port int) []string { return append(redisSpec(bin)(dir, port), "--requirepass", "pw") }
	s := startFor(t, "redis", spec)
	c := dial(t, s.addr)
	if got := string(c.do("AUTH", "pw")); got != "+OK\r\n" {
		t.Errorf("AUTH = %q", got)
	}
}
