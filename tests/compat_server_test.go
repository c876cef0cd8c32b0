package tests

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestCompat_ServerKeyspace(t *testing.T) {
	runCompat(t, [][]string{
		c("DBSIZE"), c("MSET", "a", "1", "b", "2"), c("DBSIZE"), c("DBSIZE", "x"),
		c("SELECT", "1"), c("SET", "c", "3"), c("DBSIZE"), c("SELECT", "0"),
		c("FLUSHDB"), c("DBSIZE"), c("SELECT", "1"), c("DBSIZE"), c("FLUSHDB", "ASYNC"), c("DBSIZE"),
		c("FLUSHDB", "sync"), c("FLUSHDB", "bogus"), c("FLUSHDB", "sync", "async"), c("SELECT", "0"),
		c("SET", "x", "1"), c("SELECT", "5"), c("SET", "y", "2"), c("FLUSHALL"), c("DBSIZE"), c("SELECT", "0"), c("DBSIZE"),
		c("FLUSHALL", "ASYNC"), c("FLUSHALL", "SYNC"), c("FLUSHALL", "x"), c("FLUSHALL", "sync", "x"),
		c("SET", "in0", "zero"), c("SWAPDB", "0", "1"), c("GET", "in0"), c("SELECT", "1"), c("GET", "in0"),
		c("SWAPDB", "1", "0"), c("GET", "in0"), c("SELECT", "0"), c("GET", "in0"), c("SWAPDB", "0", "0"),
		c("SWAPDB", "0", "16"), c("SWAPDB", "-1", "0"), c("SWAPDB", "x", "0"), c("SWAPDB", "0", "x"),
		c("SWAPDB", "4294967296", "0"), c("SWAPDB", "0", "4294967296"), c("SWAPDB", "0"),
		c("SELECT", "15"), c("SELECT", "16"), c("SELECT", "-1"), c("SELECT", "x"), c("SELECT", "0"),
		c("TIME", "x"),
	})
}

func TestCompat_Config(t *testing.T) {
	p := newPair(t)
	runCases(t, p, [][]string{
		c("CONFIG", "GET", "maxmemory"), c("CONFIG", "GET", "maxmemory-policy"), c("CONFIG", "GET", "databases"),
		c("CONFIG", "GET", "nonexistent"), c("CONFIG", "GET", "MAXCLIENTS"), c("CONFIG", "GET"),
		c("CONFIG", "SET", "maxmemory", "100mb"), c("CONFIG", "GET", "maxmemory"),
		c("CONFIG", "SET", "maxmemory", "1gb"), c("CONFIG", "GET", "maxmemory"), c("CONFIG", "SET", "maxmemory", "0"),
		c("CONFIG", "SET", "maxmemory-policy", "allkeys-lru"), c("CONFIG", "GET", "maxmemory-policy"),
		c("CONFIG", "SET", "maxmemory-policy", "NoEviction"), c("CONFIG", "GET", "maxmemory-policy"),
		c("CONFIG", "SET", "timeout", "0"), c("CONFIG", "GET", "timeout"),
		c("CONFIG", "SET", "maxmemory", "abc"), c("CONFIG", "SET", "maxmemory-policy", "bogus"),
		c("CONFIG", "SET", "nonexistent", "1"), c("CONFIG", "SET", "timeout", "-1"), c("CONFIG", "SET", "timeout", "x"),
		c("CONFIG", "SET", "maxclients", "0"),
		c("CONFIG", "SET", "timeout", "0", "timeout", "0"), c("CONFIG", "SET", "timeout"), c("CONFIG", "SET", "timeout", "0", "maxmemory"),
		c("CONFIG", "SET", "databases", "4"),
		c("CONFIG", "SET", "maxmemory", "10mb", "timeout", "x"), c("CONFIG", "GET", "maxmemory"),
		c("CONFIG", "RESETSTAT"), c("CONFIG", "RESETSTAT", "x"), c("CONFIG", "REWRITE"), c("CONFIG", "HELP"),
		c("CONFIG"), c("CONFIG", "BOGUS"),
	})
	// Many patterns: each parameter once, order unspecified.
	p.doSortedPairs("CONFIG", "GET", "maxc*", "maxmemory-p?licy", "maxmemory", "timeout", "TIMEOUT")
	p.resp3().doSorted("CONFIG", "GET", "maxmemory", "timeout")
}

// TestCompat_Info checks INFO structurally: values differ between servers,
// field names and the section layout must not.
func TestCompat_Info(t *testing.T) {
	p := sharedPair(t)
	p.do("SET", "k", "v")
	p.do("SET", "t", "v", "EX", "1000")
	fieldsOf := func(raw []byte) map[string]string {
		out := map[string]string{}
		for _, line := range strings.Split(string(raw), "\r\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, "$") {
				out[k] = v
			}
		}
		return out
	}
	for _, args := range [][]string{{"INFO"}, {"INFO", "server"}, {"INFO", "clients", "memory"}, {"INFO", "stats"},
		{"INFO", "keyspace"}, {"INFO", "commandstats"}, {"INFO", "everything"}, {"INFO", "default"}} {
		r, l := p.doBoth(args...)
		rf, lf := fieldsOf(r), fieldsOf(l)
		for _, k := range []string{"redis_version", "redis_mode", "process_id", "run_id", "tcp_port", "uptime_in_seconds",
			"connected_clients", "maxclients", "used_memory", "used_memory_human", "maxmemory", "maxmemory_policy",
			"total_connections_received", "total_commands_processed", "keyspace_hits", "keyspace_misses",
			"expired_keys", "evicted_keys", "rejected_connections", "db0", "cmdstat_set", "total_error_replies"} {
			if _, inRedis := rf[k]; inRedis {
				if _, inLarder := lf[k]; !inLarder {
					t.Errorf("%v: redis has %s, larder does not", args, k)
				}
			}
		}
		// avg_ttl is Redis's sampled estimate (0 until its expiry cycle has
		// seen the key); Larder reports 0, a documented difference.
		noAvg := func(v string) string { return regexp.MustCompile(`,avg_ttl=\d+`).ReplaceAllString(v, "") }
		if noAvg(rf["db0"]) != noAvg(lf["db0"]) {
			t.Errorf("%v: db0 redis %q larder %q", args, rf["db0"], lf["db0"])
		}
		headers := regexp.MustCompile(`# \w+`)
		for _, h := range headers.FindAllString(string(l), -1) {
			if !strings.Contains(string(r), h) {
				t.Errorf("%v: larder section %q not in redis's reply", args, h)
			}
		}
	}
	p.do("INFO", "nosuchsection")
	if l := string(p.larderConn.do("INFO", "commandstats")); !regexp.MustCompile(
		`cmdstat_set:calls=\d+,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=\d+,failed_calls=\d+\r\n`).MatchString(l) {
		t.Errorf("commandstats line for set: %q", l)
	}
	q := p.resp3()
	r, l := q.doBoth("INFO", "keyspace")
	if r[0] != '=' || l[0] != '=' || !strings.HasPrefix(string(l), "=") || !strings.Contains(string(l), "txt:") {
		t.Errorf("RESP3 INFO must be verbatim text: redis %q larder %q", r[:8], l[:min(8, len(l))])
	}
}

// TestCompat_Time checks TIME's shape: two bulk strings, seconds and
// microseconds, close to Redis's clock.
func TestCompat_Time(t *testing.T) {
	p := sharedPair(t)
	re := regexp.MustCompile(`^\*2\r\n\$10\r\n\d{10}\r\n\$\d+\r\n\d{1,6}\r\n$`)
	r, l := p.doBoth("TIME")
	if !re.Match(r) || !re.Match(l) {
		t.Fatalf("TIME shape: redis %q larder %q", r, l)
	}
	if string(r[9:15]) != string(l[9:15]) { // same 10^4-second window
		t.Errorf("clocks far apart: redis %q larder %q", r, l)
	}
}

// TestCompat_InfoScriptCounts compares INFO memory's script and function
// counts after SCRIPT LOAD, EVAL, FUNCTION LOAD and the flushes (Redis's
// "SCRIPTING FLUSH ASYNC" reads number_of_cached_scripts).
func TestCompat_InfoScriptCounts(t *testing.T) {
	p := sharedPair(t)
	counts := func(when string) {
		t.Helper()
		r, l := p.doBoth("INFO", "memory")
		re := regexp.MustCompile(`number_of_\w+:\d+`)
		if rs, ls := re.FindAllString(string(r), -1), re.FindAllString(string(l), -1); fmt.Sprint(rs) != fmt.Sprint(ls) {
			t.Errorf("%s: redis %v larder %v", when, rs, ls)
		}
	}
	p.do("SCRIPT", "FLUSH")
	p.do("FUNCTION", "FLUSH")
	counts("empty")
	for i := 0; i < 5; i++ {
		p.do("SCRIPT", "LOAD", fmt.Sprintf("return %d", i))
	}
	p.do("EVAL", "return 'new'", "0")
	p.do("EVAL", "return 1", "0")
	p.do("FUNCTION", "LOAD", "#!lua name=lib1\nredis.register_function('f1', function() return 1 end)\nredis.register_function('f2', function() return 2 end)")
	p.do("FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('g1', function() return 1 end)")
	counts("loaded")
	p.do("SCRIPT", "FLUSH", "ASYNC")
	p.do("FUNCTION", "DELETE", "lib2")
	counts("flushed")
}

// TestCompat_MinReplicasToWrite: with min-replicas-to-write set and no
// replica (Larder never has one), writes are refused with NOREPLICAS, in
// MULTI, from scripts and by scripts that may write; reads and no-writes
// scripts run.
func TestCompat_MinReplicasToWrite(t *testing.T) {
	p := sharedPair(t).newClient()
	p.do("SET", "x", "some value")
	p.do("CONFIG", "SET", "min-replicas-to-write", "1")
	defer p.do("CONFIG", "SET", "min-replicas-to-write", "0")
	for _, argv := range [][]string{
		{"SET", "x", "1"}, {"GET", "x"}, {"INCR", "n"},
		{"EVAL", "#!lua flags=no-writes\nreturn redis.call('get','x')", "1", "x"},
		{"EVAL", "return redis.call('get','x')", "1", "x"},
		{"EVAL", "#!lua\nreturn redis.call('get','x')", "1", "x"},
		{"EVAL", "return redis.call('set','x', 1)", "1", "x"},
		{"EVAL", "return redis.pcall('set','x', 1)", "1", "x"},
		{"MULTI"}, {"GET", "x"}, {"SET", "x", "2"}, {"EXEC"},
		{"MULTI"}, {"GET", "x"}, {"EXEC"},
		{"CONFIG", "SET", "min-replicas-max-lag", "0"}, {"SET", "x", "3"},
		{"CONFIG", "SET", "min-replicas-max-lag", "10"}, {"SET", "x", "4"},
		{"CONFIG", "SET", "min-replicas-to-write", "0"}, {"SET", "x", "5"},
	} {
		p.do(argv...)
	}
}
