package command

import (
	"math"
	"strings"
)

// Redis 7.0's parameters that change nothing in Larder (replication,
// cluster, client-side TLS, RDB files, threads, defragmentation, the process …). CONFIG
// GET lists them with Redis's defaults and CONFIG SET validates them with
// Redis's rules and error texts and stores them, so that Redis's clients,
// tools and tests that read or set them work; they are no command-line
// flags. The table follows redis 7.0's config.c: names, aliases, bounds,
// immutability.

// Redis's numeric bounds.
const (
	intMin  = math.MinInt32
	intMax  = math.MaxInt32
	uintMax = math.MaxUint32
	longMax = math.MaxInt64
)

// redisParams returns the parameters Redis 7.0 has and Larder only stores.
func redisParams() []*Param {
	var out []*Param
	for _, group := range [][]*Param{redisBools(), redisStrings(), redisEnums(), redisInts(), redisTLS(), redisSpecials()} {
		out = append(out, group...)
	}
	return out
}

func yesno(name, def string) *Param {
	return &Param{Name: name, Kind: KindBool, Default: def, Compat: true}
}

func text(name, def string) *Param {
	return &Param{Name: name, Default: def, Compat: true}
}

func choice(name, def string, values ...string) *Param {
	return &Param{Name: name, Kind: KindEnum, Default: def, Enum: values, Compat: true}
}

func integer(name, def string, min, max int64) *Param {
	return &Param{Name: name, Kind: KindInt, Default: def, Min: min, Max: max, Compat: true}
}

func memory(name, def string, min, max int64) *Param {
	return &Param{Name: name, Kind: KindMemory, Default: def, Min: min, Max: max, Compat: true}
}

func (p *Param) alias(a string) *Param              { p.Alias = a; return p }
func (p *Param) immutable() *Param                  { p.Immutable = true; return p }
func (p *Param) hidden() *Param                     { p.Hidden = true; return p }
func (p *Param) sensitive() *Param                  { p.Sensitive = true; return p }
func (p *Param) check(f func(string) string) *Param { p.Check = f; return p }

func redisBools() []*Param {
	return []*Param{
		yesno("rdbchecksum", "yes").immutable(), yesno("daemonize", "no").immutable(),
		yesno("io-threads-do-reads", "no").immutable(), yesno("always-show-logo", "no").immutable(),
		yesno("protected-mode", "yes"), yesno("rdbcompression", "yes"), yesno("rdb-del-sync-files", "no"),
		yesno("activerehashing", "yes"), yesno("stop-writes-on-bgsave-error", "yes"),
		yesno("set-proc-title", "yes").immutable(), yesno("dynamic-hz", "yes"),
		yesno("lazyfree-lazy-eviction", "no"), yesno("lazyfree-lazy-expire", "no"),
		yesno("lazyfree-lazy-server-del", "no"), yesno("lazyfree-lazy-user-del", "no"),
		yesno("lazyfree-lazy-user-flush", "no"), yesno("repl-disable-tcp-nodelay", "no"),
		yesno("repl-diskless-sync", "yes"), yesno("aof-rewrite-incremental-fsync", "yes"),
		yesno("no-appendfsync-on-rewrite", "no"), yesno("cluster-require-full-coverage", "yes"),
		yesno("rdb-save-incremental-fsync", "yes"), yesno("aof-load-truncated", "yes"),
		yesno("aof-use-rdb-preamble", "yes"), yesno("aof-timestamp-enabled", "no"),
		yesno("cluster-replica-no-failover", "no").alias("cluster-slave-no-failover"),
		yesno("replica-lazy-flush", "no").alias("slave-lazy-flush"),
		yesno("replica-serve-stale-data", "yes").alias("slave-serve-stale-data"),
		yesno("replica-read-only", "yes").alias("slave-read-only"),
		yesno("replica-ignore-maxmemory", "yes").alias("slave-ignore-maxmemory"),
		yesno("jemalloc-bg-thread", "yes"),
		// Redis built without its own jemalloc (as Debian's) refuses it.
		yesno("activedefrag", "no").check(func(v string) string {
			if strings.EqualFold(v, "yes") {
				return "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution"
			}
			return ""
		}),
		yesno("syslog-enabled", "no").immutable(), yesno("cluster-enabled", "no").immutable(),
		yesno("cluster-allow-reads-when-down", "no"), yesno("cluster-allow-pubsubshard-when-down", "yes"),
		yesno("crash-log-enabled", "yes"), yesno("crash-memcheck-enabled", "yes"),
		yesno("use-exit-on-panic", "no").hidden(), yesno("disable-thp", "yes").immutable(),
		yesno("cluster-allow-replica-migration", "yes"), yesno("replica-announced", "yes"),
		yesno("aof-disable-auto-gc", "no"),
		yesno("replica-ignore-disk-write-errors", "no"),
	}
}

func redisStrings() []*Param {
	return []*Param{
		text("unixsocket", "").immutable(), text("pidfile", "").immutable(),
		text("replica-announce-ip", "").alias("slave-announce-ip"), text("masteruser", "").sensitive(),
		text("cluster-announce-ip", ""), text("cluster-config-file", "nodes.conf").immutable(),
		text("cluster-announce-hostname", "").check(checkHostname),
		text("syslog-ident", "redis").immutable(),
		{Name: "dbfilename", Default: "dump.rdb", Protected: true, Compat: true},
		text("appendfilename", "appendonly.aof").immutable(), text("appenddirname", "appendonlydir").immutable(),
		text("server_cpulist", "").immutable(), text("bio_cpulist", "").immutable(),
		text("aof_rewrite_cpulist", "").immutable(), text("bgsave_cpulist", "").immutable(),
		text("ignore-warnings", ""),
		text("proc-title-template", "{title} {listen-addr} {server-mode}").check(checkProcTitle),
		text("bind-source-addr", ""), text("logfile", "").immutable(),
		text("masterauth", "").sensitive(),
	}
}

func redisEnums() []*Param {
	protected := []string{"no", "yes", "local"}
	return []*Param{
		choice("supervised", "no", "upstart", "systemd", "auto", "no").immutable(),
		choice("syslog-facility", "local0", "user", "local0", "local1", "local2", "local3",
			"local4", "local5", "local6", "local7").immutable(),
		choice("repl-diskless-load", "disabled", "disabled", "on-empty-db", "swapdb"),
		oomScoreAdjParam(),
		choice("sanitize-dump-payload", "no", "no", "yes", "clients"),
		choice("enable-protected-configs", "no", protected...).immutable(),
		choice("enable-debug-command", "no", protected...).immutable(),
		choice("enable-module-command", "no", protected...).immutable(),
		choice("cluster-preferred-endpoint-type", "ip", "ip", "hostname", "unknown-endpoint"),
		choice("propagation-error-behavior", "ignore", "ignore", "panic", "panic-on-replicas"),
		shutdownOnSignalParam("shutdown-on-sigint"), shutdownOnSignalParam("shutdown-on-sigterm"),
	}
}

func redisInts() []*Param {
	return []*Param{
		integer("io-threads", "1", 1, 128).immutable(),
		integer("cluster-replica-validity-factor", "10", 0, intMax).alias("cluster-slave-validity-factor"),
		integer("tcp-keepalive", "300", 0, intMax), integer("cluster-migration-barrier", "1", 0, intMax),
		integer("active-defrag-cycle-min", "1", 1, 99), integer("active-defrag-cycle-max", "25", 1, 99),
		integer("active-defrag-threshold-lower", "10", 0, 1000),
		integer("active-defrag-threshold-upper", "100", 0, 1000),

		integer("replica-priority", "100", 0, intMax).alias("slave-priority"),
		integer("repl-diskless-sync-delay", "5", 0, intMax), integer("maxmemory-samples", "5", 1, intMax),
		integer("maxmemory-eviction-tenacity", "10", 0, 100),
		integer("replica-announce-port", "0", 0, 65535).alias("slave-announce-port"),
		integer("tcp-backlog", "511", 0, intMax).immutable(), integer("cluster-port", "0", 0, 65535).immutable(),
		integer("cluster-announce-bus-port", "0", 0, 65535), integer("cluster-announce-port", "0", 0, 65535),
		integer("cluster-announce-tls-port", "0", 0, 65535), integer("repl-timeout", "60", 1, intMax),
		integer("repl-ping-replica-period", "10", 1, intMax).alias("repl-ping-slave-period"),
		integer("rdb-key-save-delay", "0", intMin, intMax).hidden(),
		integer("key-load-delay", "0", intMin, intMax).hidden(),
		integer("active-expire-effort", "1", 1, 10), hzParam(),
		integer("min-replicas-to-write", "0", 0, intMax).alias("min-slaves-to-write"),
		integer("min-replicas-max-lag", "10", 0, intMax).alias("min-slaves-max-lag"),
		integer("watchdog-period", "0", 0, intMax).hidden(), integer("shutdown-timeout", "10", 0, intMax),
		integer("repl-diskless-sync-max-replicas", "0", 0, intMax),
		integer("unixsocketperm", "0", 0, 0o777).immutable(), integer("socket-mark-id", "0", 0, uintMax).immutable(),
		integer("active-defrag-max-scan-fields", "1000", 1, longMax),
		integer("cluster-node-timeout", "15000", 0, longMax),

		integer("stream-node-max-entries", "100", 0, longMax),
		memory("repl-backlog-size", "1048576", 1, longMax), memory("cluster-link-sendbuf-limit", "0", 0, 0),
		memory("active-defrag-ignore-bytes", "104857600", 1, longMax),
		memory("stream-node-max-bytes", "4096", 0, longMax),
		integer("tracking-table-max-keys", "1000000", 0, longMax),
		{Name: "maxmemory-clients", Kind: KindMemory, Default: "0", Min: -100, Max: longMax, Percent: true, Compat: true},
		integer("repl-backlog-ttl", "3600", 0, longMax),
		integer("loading-process-events-interval-bytes", "2097152", 1024, intMax).hidden(),
	}
}
