package tests

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/larder-db/larder/keyspace"
)

// Larder-only script tests: the sandbox escape corpus and resource bombs
// of RELIABILITY.md R20, BUSY and SCRIPT KILL, and Upstash's
// allow-key-locking flag (which redis-server 7.0 refuses).

func expectReply(t *testing.T, c *rawConn, want string, argv ...string) {
	t.Helper()
	if got := string(c.do(argv...)); got != want {
		t.Fatalf("%q:\n got  %q\n want %q", argv, got, want)
	}
}

func expectErrorPrefix(t *testing.T, c *rawConn, prefix string, argv ...string) {
	t.Helper()
	got := string(c.do(argv...))
	if !strings.HasPrefix(got, prefix) {
		t.Fatalf("%q:\n got  %q\n want an error starting %q", argv, got, prefix)
	}
}

// expectRead reads the reply of a command sent earlier.
func expectRead(t *testing.T, c *rawConn, prefix string) {
	t.Helper()
	if got := string(c.readRaw()); !strings.HasPrefix(got, prefix) {
		t.Fatalf("reply %q, want one starting %q", got, prefix)
	}
}

// TestScript_SandboxEscapes: every attempt to leave the sandbox is an
// error reply, and the sandbox is intact afterwards.
func TestScript_SandboxEscapes(t *testing.T) {
	l := startLarder(t)
	c := dial(t, l.addr)
	for _, script := range []string{
		"return os.execute('touch /tmp/larder-escaped')", "return io.open('/etc/passwd')",
		"return require('os')", "return package.loadlib('libc.so.6', 'system')", "return dofile('/etc/passwd')",
		"return loadfile('/etc/passwd')", "return load(string.dump(function() return 1 end))()",
		"return debug.getinfo(1)", "setmetatable(_G, {__index = function() return 1 end})",
		"rawset(_G, 'x', 1)", "return getfenv(0)", "newglobal = 1", "_G.newglobal = 1",
		"getmetatable('').__index = {}", "getmetatable('').__index.upper = function() return 'pwned' end",
		"string.upper = function() return 'pwned' end", "redis.call = function() return 'pwned' end",
		"rawset(string, 'upper', function() return 'pwned' end)", "setmetatable(string, {})",
		"table.insert = nil", "cjson.decode = nil", "setfenv(1, {})", "return newproxy(true)",
		"return module('x')", "return print('x')", "return collectgarbage('collect') .. os",
		"local co = coroutine.create(function() x = 1 end); local ok, e = coroutine.resume(co); error(e)",
		"local f = loadstring('x = 1'); f()", "return rawget(_G, 'package').loadlib",
	} {
		if got := string(c.do("EVAL", script, "0")); !strings.HasPrefix(got, "-") {
			t.Errorf("EVAL %q escaped the sandbox: %q", script, got)
		}
	}
	expectReply(t, c, "$5\r\n\x1bLua?\r\n", "EVAL", "local f, e = loadstring('\\027Lua'); if f then return 'loaded' end; return '\\027Lua?'", "0")
	expectReply(t, c, ":1\r\n", "EVAL", "return rawget(_G, 'package') == nil and rawget(_G, 'os') == nil and rawget(_G, 'io') == nil", "0")
	expectReply(t, c, "$1\r\nA\r\n", "EVAL", "return string.upper('a')", "0")
	expectReply(t, c, "$1\r\nA\r\n", "EVAL", "return ('a'):upper()", "0")
	expectReply(t, c, "+PONG\r\n", "EVAL", "return redis.call('ping')", "0")
	expectErrorPrefix(t, c, "-ERR user_script:1: Script attempted to access nonexistent global variable 'newglobal'", "EVAL", "return newglobal", "0")
	// INFO's keyspace section read-locks every shard: inside a script
	// (which holds shard locks) it is refused instead of hanging. The
	// memory section reads running totals and is served.
	expectErrorPrefix(t, c, "-ERR Larder cannot run INFO's keyspace section inside a script", "EVAL", "return redis.call('info')", "0")
	expectReply(t, c, ":1\r\n", "EVAL", "return redis.call('info', 'server') ~= nil", "0")
	expectReply(t, c, ":1\r\n", "EVAL", "return string.find(redis.call('info', 'memory'), 'used_memory:') ~= nil", "0")
	if _, err := os.Stat("/tmp/larder-escaped"); err == nil {
		t.Fatal("os.execute ran")
	}
}

// rss returns the server's resident set size in bytes (Linux).
func rss(t *testing.T, s *server) int64 {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// TestScript_ResourceBombs: scripts that try to exhaust memory or the
// stack get an error, the server keeps serving, and its memory stays
// bounded.
func TestScript_ResourceBombs(t *testing.T) {
	l := startLarder(t)
	c := dial(t, l.addr)
	expectReply(t, c, "+OK\r\n", "CONFIG", "SET", "busy-reply-threshold", "0")
	before := rss(t, l)
	for _, script := range []string{
		"return string.rep('x', 2^31)",
		"local function f(n) return f(n + 1) + 1 end return f(1)",
		"local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end return f(100000)",
		"local s = 'x' while true do s = s .. s end",
		"local t = {} local i = 0 while true do i = i + 1 t[i] = i end",
		"local t = {} while true do t[#t + 1] = string.rep('y', 1024 * 1024) end",
		"return cjson.decode(string.rep('[', 100000))", "local t = {} t[1] = t return cjson.encode(t)",
		"return cmsgpack.unpack(string.rep('\\220\\255\\255', 100000))",
		"return struct.pack(string.rep('i', 100000))", "return unpack({}, 1, 1e8)",
	} {
		got := string(c.do("EVAL", script, "0"))
		if !strings.HasPrefix(got, "-") && !strings.HasPrefix(got, "*") {
			t.Errorf("EVAL %q: %q, want an error", script, got)
		}
		expectReply(t, c, "+PONG\r\n", "PING")
	}
	grew := rss(t, l) - before
	t.Logf("RSS grew by %d MiB over the bombs", grew>>20)
	// R20's bound. The race detector's shadow memory (5–8× the peak heap,
	// never given back to the OS) multiplies a race build's footprint:
	// 403 MiB was seen on a loaded 2-core machine, so it gets eight times as much.
	limit := int64(64 << 20)
	if raceEnabled() {
		limit *= 8
	}
	if grew > limit {
		t.Errorf("RSS grew by %d MiB, more than %d MiB", grew>>20, limit>>20)
	}
	expectReply(t, c, "+OK\r\n", "SET", "after", "bombs")
	expectReply(t, c, "$5\r\nbombs\r\n", "EVAL", "return redis.call('get', 'after')", "0")
}

// TestScript_BusyAndKill: a looping script makes other clients get BUSY
// after busy-reply-threshold; SCRIPT KILL stops it before its first write,
// and answers UNKILLABLE after one.
func TestScript_BusyAndKill(t *testing.T) {
	l := startLarder(t)
	a, b := dial(t, l.addr), dial(t, l.addr)
	expectReply(t, b, "+OK\r\n", "CONFIG", "SET", "busy-reply-threshold", "100")
	expectReply(t, b, "-NOTBUSY No scripts in execution right now.\r\n", "SCRIPT", "KILL")
	a.send(encodeArgv([]string{"EVAL", "local i = 0\nwhile true do i = i + 1 end", "0"}))
	waitBusy(t, b)
	expectReply(t, b, string(busyEval), "GET", "x")
	expectReply(t, b, string(busyEval), "FUNCTION", "KILL")
	expectReply(t, b, "+OK\r\n", "SCRIPT", "KILL")
	expectRead(t, a, "-ERR Script killed by user with SCRIPT KILL... script: ")
	expectReply(t, b, "+PONG\r\n", "PING")
	expectReply(t, a, "+PONG\r\n", "PING")

	// After a write the script cannot be killed; it ends by itself here.
	a.send(encodeArgv([]string{"EVAL", "redis.call('set', 'w', '1')\nlocal t = redis.call('time')\n" +
		"while true do local n = redis.call('time') if n[1] - t[1] >= 2 then break end end return 'done'", "0"}))
	waitBusy(t, b)
	expectReply(t, b, "-UNKILLABLE Sorry the script already executed write commands against the dataset. "+
		"You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n", "SCRIPT", "KILL")
	expectRead(t, a, "$4\r\ndone\r\n")
	expectReply(t, b, "$1\r\n1\r\n", "GET", "w")

	// FUNCTION KILL stops a function.
	expectReply(t, b, "$4\r\nspin\r\n", "FUNCTION", "LOAD", "#!lua name=spin\nredis.register_function('spin', function() while true do end end)")
	a.send(encodeArgv([]string{"FCALL", "spin", "0"}))
	waitBusy(t, b)
	expectReply(t, b, string(busyFunction), "SCRIPT", "KILL")
	expectReply(t, b, "+OK\r\n", "FUNCTION", "KILL")
	expectRead(t, a, "-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.\r\n")
}

const (
	busyEval     = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n"
	busyFunction = "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n"
)

// waitBusy pings until the server answers BUSY (the script passed the
// threshold), failing if that takes more than 20 s.
func waitBusy(t *testing.T, c *rawConn) {
	t.Helper()
	waitFor(t, 20*time.Second, "the script to make the server BUSY", func() bool {
		got := string(c.do("PING"))
		if got != "+PONG\r\n" && !strings.HasPrefix(got, "-BUSY") {
			t.Fatalf("PING while a script runs: %q", got)
		}
		return strings.HasPrefix(got, "-BUSY")
	})
}

// twoShardKeys returns two keys in different shards of a 64-shard db.
func twoShardKeys() (string, string) {
	st := keyspace.New(keyspace.Options{Shards: 64, Databases: 1})
	a := "ratelimit:a"
	for i := 0; ; i++ {
		b := "ratelimit:b" + strconv.Itoa(i)
		if st.ShardIndex([]byte(a)) != st.ShardIndex([]byte(b)) {
			return a, b
		}
	}
}

// TestScript_KeyLocking: with allow-key-locking a script holds only its
// KEYS' shards, so commands on other shards run while it does; touching
// any key outside KEYS fails with Upstash's text.
func TestScript_KeyLocking(t *testing.T) {
	l := startLarder(t, "--shards", "64")
	a, b := dial(t, l.addr), dial(t, l.addr)
	ka, kb := twoShardKeys()
	lock := "#!lua flags=allow-key-locking\n"
	expectReply(t, b, ":1\r\n", "EVAL", lock+"return redis.call('incr', KEYS[1])", "1", ka)
	expectReply(t, b, ":2\r\n", "EVAL", lock+"return redis.call('incr', KEYS[1])", "1", ka)
	expectErrorPrefix(t, b, "-ERR Dynamic keys are not allowed in Lua scripts when 'allow-key-locking' flag is set. Key was: other script: ",
		"EVAL", lock+"return redis.call('get', 'other')", "1", ka)
	expectReply(t, b, "*2\r\n$1\r\n2\r\n$12\r\nnot a key: x\r\n", "EVAL", lock+
		"local ok = redis.pcall('get', 'x') return {redis.call('get', KEYS[1]), 'not a key: x'}", "1", ka)
	expectErrorPrefix(t, b, "-ERR This command is not allowed from a script with the 'allow-key-locking' flag script: ",
		"EVAL", lock+"return redis.call('flushdb')", "0")
	expectErrorPrefix(t, b, "-ERR This command is not allowed from a script with the 'allow-key-locking' flag script: ",
		"EVAL", lock+"return redis.call('keys', '*')", "0")
	expectReply(t, b, ":0\r\n", "EVAL", "#!lua flags=no-writes,allow-key-locking\nreturn redis.call('exists', KEYS[1])", "1", "nokey")
	expectErrorPrefix(t, b, "-ERR Write commands are not allowed from read-only scripts.",
		"EVAL", "#!lua flags=no-writes,allow-key-locking\nreturn redis.call('set', KEYS[1], 'v')", "1", "k")
	// Inside MULTI the flag is ignored: any key may be touched.
	expectReply(t, b, "+OK\r\n", "MULTI")
	expectReply(t, b, "+QUEUED\r\n", "EVAL", lock+"return redis.call('set', 'other', 'v')", "1", ka)
	expectReply(t, b, "*1\r\n+OK\r\n", "EXEC")
	// Without the flag any key may be touched.
	expectReply(t, b, "$1\r\nv\r\n", "EVAL", "return redis.call('get', 'other')", "1", ka)

	// A key-locked function spinning with ka locked does not hold kb's
	// shard: a SET to kb completes while it runs (if it waited, it would
	// wait forever: the function never ends by itself).
	expectReply(t, b, "+OK\r\n", "CONFIG", "SET", "busy-reply-threshold", "0")
	expectReply(t, b, "$4\r\nspin\r\n", "FUNCTION", "LOAD", "#!lua name=spin\nredis.register_function{function_name='spinlocked', "+
		"callback=function(keys) redis.call('get', keys[1]) while true do end end, flags={'allow-key-locking'}}")
	a.send(encodeArgv([]string{"FCALL", "spinlocked", "1", ka}))
	waitFor(t, 20*time.Second, "the function to show in FUNCTION STATS", func() bool {
		return strings.Contains(string(b.do("FUNCTION", "STATS")), "spinlocked")
	})
	expectReply(t, b, "+OK\r\n", "SET", kb, "while-locked")
	expectReply(t, b, "$12\r\nwhile-locked\r\n", "EVAL", lock+"return redis.call('get', KEYS[1])", "1", kb)
	expectReply(t, b, "+OK\r\n", "FUNCTION", "KILL")
	expectRead(t, a, "-ERR Script killed by user with SCRIPT KILL...")
}

// TestScript_ShutdownStopsScripts: SIGTERM stops a server whose script
// never ends, even an unkillable one.
func TestScript_ShutdownStopsScripts(t *testing.T) {
	l := startLarder(t)
	a, b := dial(t, l.addr), dial(t, l.addr)
	a.send(encodeArgv([]string{"EVAL", "redis.call('set', 'x', '1') while true do end", "0"}))
	expectReply(t, b, "+OK\r\n", "CONFIG", "SET", "busy-reply-threshold", "1")
	waitBusy(t, b)
	if err := l.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
}
