package tests

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/larder-db/larder/protocol/resp"
)

// TestCompat_ConfigParams: Redis 7.0's parameters and their aliases, with
// Redis's validation, error texts and the forms CONFIG GET shows (Redis's
// TCL suite sets list-max-ziplist-size, lua-time-limit, … before its tests).
func TestCompat_ConfigParams(t *testing.T) {
	p := newPair(t)
	runCases(t, p, [][]string{
		// Aliases share their parameter's value; an error names the
		// parameter as registered (lower case, alias or not).
		c("CONFIG", "SET", "list-max-ziplist-size", "-6"), c("CONFIG", "GET", "list-max-listpack-size"),
		c("CONFIG", "GET", "List-Max-Ziplist-Size"), c("CONFIG", "SET", "list-max-ziplist-size", "1e3"),
		c("CONFIG", "SET", "list-max-ziplist-size", "100000000000"),
		c("CONFIG", "SET", "Hash-Max-Ziplist-Entries", "x"), c("CONFIG", "SET", "hash-max-ziplist-value", "-1"),
		c("CONFIG", "SET", "hash-max-ziplist-value", "1kb"), c("CONFIG", "GET", "hash-max-listpack-value"),
		c("CONFIG", "SET", "zset-max-ziplist-entries", "5", "zset-max-listpack-entries", "7"),
		c("CONFIG", "GET", "zset-max-ziplist-entries"),
		c("CONFIG", "SET", "lua-time-limit", "100"), c("CONFIG", "GET", "busy-reply-threshold"),
		c("CONFIG", "SET", "slave-read-only", "maybe"), c("CONFIG", "SET", "slave-read-only", "No"),
		c("CONFIG", "GET", "replica-read-only"),
		// Integers are canonical (no '+', no leading zero); memory takes units.
		c("CONFIG", "SET", "timeout", "01"), c("CONFIG", "SET", "hz", "+5"), c("CONFIG", "SET", "hz", ""),
		c("CONFIG", "SET", "hz", "1000"), c("CONFIG", "GET", "hz"), c("CONFIG", "SET", "hz", "0"), c("CONFIG", "GET", "hz"),
		c("CONFIG", "SET", "maxmemory", ""), c("CONFIG", "GET", "maxmemory"), c("CONFIG", "SET", "maxmemory", "1KB"),
		c("CONFIG", "GET", "maxmemory"), c("CONFIG", "SET", "maxmemory", "-1"), c("CONFIG", "SET", "maxmemory", "0"),
		c("CONFIG", "SET", "proto-max-bulk-len", "100"),
		c("CONFIG", "SET", "slowlog-log-slower-than", "-2"), c("CONFIG", "SET", "slowlog-max-len", "-1"),
		c("CONFIG", "SET", "latency-monitor-threshold", "x"), c("CONFIG", "SET", "stream-node-max-bytes", "1x"),
		c("CONFIG", "SET", "tracking-table-max-keys", "-1"), c("CONFIG", "SET", "repl-backlog-size", "0"),
		c("CONFIG", "SET", "maxclients", "0"), c("CONFIG", "SET", "active-defrag-cycle-min", "100"),
		// Percentages.
		c("CONFIG", "SET", "maxmemory-clients", "200%"), c("CONFIG", "SET", "maxmemory-clients", "abc"),
		c("CONFIG", "SET", "maxmemory-clients", "-5"), c("CONFIG", "SET", "maxmemory-clients", "50%"),
		c("CONFIG", "GET", "maxmemory-clients"), c("CONFIG", "SET", "maxmemory-clients", "0%"),
		c("CONFIG", "GET", "maxmemory-clients"),
		// Immutable, protected, hidden.
		c("CONFIG", "SET", "daemonize", "yes"), c("CONFIG", "SET", "unixsocketperm", "999"),
		c("CONFIG", "SET", "dbfilename", "dump.rdb"), c("CONFIG", "SET", "replicaof", "no one"),
		c("CONFIG", "GET", "key-load-delay"), c("CONFIG", "SET", "key-load-delay", "5"), c("CONFIG", "GET", "key-load-delay"),
		c("CONFIG", "GET", "*load-delay"),
		// The first error wins: unknown, immutable and duplicate before values.
		c("CONFIG", "SET", "maxmemory", "10", "foo", "1", "hz", "x"), c("CONFIG", "SET", "hz", "x", "foo", "1"),
		c("CONFIG", "SET", "hz", "x", "daemonize", "yes"), c("CONFIG", "SET", "hz", "5", "hz", "6"),
		c("CONFIG", "SET", "maxmemory", "10000001", "maxmemory-clients", "200%", "client-query-buffer-limit", "x"),
		c("CONFIG", "GET", "maxmemory"),
		// Values of several words.
		c("CONFIG", "SET", "save", "1 2 3"), c("CONFIG", "SET", "save", "a b"), c("CONFIG", "SET", "save", "3000  5"),
		c("CONFIG", "SET", "save", " 3000 +5 60 0"), c("CONFIG", "GET", "save"), c("CONFIG", "SET", "save", ""),
		c("CONFIG", "GET", "save"),
		c("CONFIG", "SET", "shutdown-on-sigint", "save nosave"), c("CONFIG", "SET", "shutdown-on-sigint", "now NOSAVE"),
		c("CONFIG", "GET", "shutdown-on-sigint"), c("CONFIG", "SET", "shutdown-on-sigint", "default save"),
		c("CONFIG", "GET", "shutdown-on-sigint"), c("CONFIG", "SET", "shutdown-on-sigint", ""),
		c("CONFIG", "SET", "shutdown-on-sigterm", "bad"),
		c("CONFIG", "SET", "oom-score-adj-values", "1 2"), c("CONFIG", "SET", "oom-score-adj-values", "1 2 3000"),
		c("CONFIG", "SET", "oom-score-adj-values", "1 +2 03"), c("CONFIG", "GET", "oom-score-adj-values"),
		c("CONFIG", "SET", "oom-score-adj", "relative"), c("CONFIG", "GET", "oom-score-adj"),
		c("CONFIG", "SET", "latency-tracking-info-percentiles", "50 101"),
		c("CONFIG", "SET", "latency-tracking-info-percentiles", "50 x"),
		c("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.90 1e1"),
		c("CONFIG", "GET", "latency-tracking-info-percentiles"),
		c("CONFIG", "SET", "latency-tracking-info-percentiles", ""), c("CONFIG", "GET", "latency-tracking-info-percentiles"),
		// Checks of single values.
		c("CONFIG", "SET", "activedefrag", "yes"), c("CONFIG", "SET", "activedefrag", "NO"),
		c("CONFIG", "SET", "proc-title-template", "{title}"), c("CONFIG", "SET", "proc-title-template", "{title} {bad}"),
		c("CONFIG", "SET", "proc-title-template", "{{title}"), c("CONFIG", "SET", "proc-title-template", "{title} {port"),
		c("CONFIG", "SET", "proc-title-template", "x {title} {port}"), c("CONFIG", "GET", "proc-title-template"),
		c("CONFIG", "SET", "cluster-announce-hostname", "a_b"), c("CONFIG", "SET", "cluster-announce-hostname", "a-b.c"),
		c("CONFIG", "SET", "acl-pubsub-default", "bogus"), c("CONFIG", "SET", "repl-diskless-load", "SWAPDB"),
		c("CONFIG", "GET", "repl-diskless-load"),
	})
	p.doSortedPairs("CONFIG", "GET", "*slave*")
	p.doSortedPairs("CONFIG", "GET", "maxmemory", "maxmemory*", "*of", "MAXMEMORY")
}

// TestCompat_ConfigGetAll: CONFIG GET * lists every parameter and alias
// Redis 7.0 lists, and each can be set to the value it shows (Redis's
// "CONFIG sanity" test), values equal except where the servers are
// configured differently.
func TestCompat_ConfigGetAll(t *testing.T) {
	p := newPair(t)
	rv, lv := p.doBoth("CONFIG", "GET", "*")
	redis, larder := configMap(t, rv), configMap(t, lv)
	differ := map[string]bool{"port": true, "bind": true, "dir": true, "appendfsync": true, "appendonly": true,
		"loglevel": true, "protected-mode": true, "enable-debug-command": true}
	for name, v := range redis {
		lval, ok := larder[name]
		switch {
		case !ok:
			t.Errorf("CONFIG GET *: redis has %s, larder does not", name)
		case lval != v && !differ[name]:
			t.Errorf("CONFIG GET %s: redis %q, larder %q", name, v, lval)
		}
	}
	for name, v := range larder {
		if out := p.larderConn.do("CONFIG", "SET", name, v); string(out) != "+OK\r\n" && !redisImmutable[name] {
			t.Errorf("CONFIG SET %s %q: %s", name, v, out)
		}
	}
}

// redisImmutable: parameters Redis 7.0 never lets CONFIG SET change (the
// "CONFIG sanity" test skips them), plus the protected dir and dbfilename.
var redisImmutable = map[string]bool{"rdbchecksum": true, "daemonize": true, "io-threads-do-reads": true,
	"tcp-backlog": true, "always-show-logo": true, "syslog-enabled": true, "cluster-enabled": true,
	"disable-thp": true, "aclfile": true, "unixsocket": true, "pidfile": true, "syslog-ident": true,
	"appendfilename": true, "appenddirname": true, "supervised": true, "syslog-facility": true,
	"databases": true, "io-threads": true, "logfile": true, "unixsocketperm": true, "replicaof": true,
	"slaveof": true, "server_cpulist": true, "bio_cpulist": true, "aof_rewrite_cpulist": true,
	"bgsave_cpulist": true, "set-proc-title": true, "cluster-config-file": true, "cluster-port": true,
	"enable-protected-configs": true, "enable-debug-command": true, "enable-module-command": true,
	"dbfilename": true, "dir": true, "socket-mark-id": true}

func configMap(t *testing.T, raw []byte) map[string]string {
	t.Helper()
	_, v, err := resp.ReadReply(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("CONFIG GET *: %v", err)
	}
	out := map[string]string{}
	for i := 0; i+1 < len(v.Elems); i += 2 {
		out[v.Elems[i].Str] = v.Elems[i+1].Str
	}
	return out
}
