package servercmd

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/keyspace"
)

// infoSection is one INFO section: its name as the header shows it and the
// function appending its "field:value" lines.
type infoSection struct {
	name    string
	dflt    bool // part of INFO / INFO default
	collect func(d *command.Dispatcher, b *strings.Builder)
}

var infoSections = []infoSection{
	{"Server", true, infoServer},
	{"Clients", true, infoClients},
	{"Memory", true, infoMemory},
	{"Persistence", true, infoPersistence},
	{"Stats", true, infoStats},
	{"Replication", true, infoReplication},
	{"CPU", true, infoCPU},
	{"Commandstats", false, infoCommandstats},
	{"Errorstats", true, infoErrorstats},
	{"Keyspace", true, infoKeyspace},
}

// cmdInfo: INFO [section [section ...]]
//
// Sections are Redis's (server, clients, memory, persistence, stats,
// replication, cpu, commandstats, errorstats, keyspace; default, all, everything); unknown names select nothing, as in
// Redis. Field names follow Redis; values Larder does not have are left out
// rather than faked.
func cmdInfo(c *command.Call) error {
	want := map[string]bool{}
	all, dflt := false, len(c.Args) == 1
	for _, a := range c.Args[1:] {
		switch s := strings.ToLower(string(a)); s {
		case "all", "everything":
			all = true
		case "default":
			dflt = true
		default:
			want[s] = true
		}
	}
	var b strings.Builder
	n := 0
	for _, sec := range infoSections {
		if !all && !want[strings.ToLower(sec.name)] && !(dflt && sec.dflt) {
			continue
		}
		if n > 0 {
			b.WriteString("\r\n")
		}
		n++
		b.WriteString("# " + sec.name + "\r\n")
		collect := sec.collect
		if c.S.InExec && sec.name == "Keyspace" { // EXEC holds every shard already (lockTx): read them unlocked
			collect = func(d *command.Dispatcher, b *strings.Builder) { infoKeyspaceOf(d, b, false) }
		}
		collect(c.D, &b)
	}
	c.R.Verbatim("txt", b.String())
	return nil
}

func field(b *strings.Builder, name string, v any) {
	fmt.Fprintf(b, "%s:%v\r\n", name, v)
}

func infoServer(d *command.Dispatcher, b *strings.Builder) {
	now := d.Store().Now()
	up := int64(now.Sub(d.Started) / time.Second)
	exe, _ := os.Executable()
	field(b, "redis_version", command.RedisVersion)
	field(b, "redis_mode", "standalone")
	field(b, "larder_version", d.Version)
	field(b, "os", runtime.GOOS+" "+runtime.GOARCH)
	field(b, "arch_bits", strconv.Itoa(strconv.IntSize))
	field(b, "go_version", runtime.Version())
	field(b, "process_id", os.Getpid())
	field(b, "run_id", d.RunID)
	field(b, "tcp_port", d.Cfg.Get("port"))
	field(b, "server_time_usec", now.UnixMicro())
	field(b, "uptime_in_seconds", up)
	field(b, "uptime_in_days", up/86400)
	field(b, "hz", 10)
	field(b, "executable", exe)
	field(b, "config_file", d.Cfg.File())
}

func infoClients(d *command.Dispatcher, b *strings.Builder) {
	field(b, "connected_clients", d.Clients())
	field(b, "maxclients", d.Cfg.Get("maxclients"))
	field(b, "blocked_clients", d.BlockedClients())
	tc, _, _, _ := d.TrackingStats()
	field(b, "tracking_clients", tc)
}

// infoMemory reads used memory from the keyspace's running totals, which
// take no shard lock (also inside EXEC, which holds them all).
func infoMemory(d *command.Dispatcher, b *strings.Builder) {
	used := d.UsedMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	max := d.MaxMemory()
	field(b, "used_memory", used)
	field(b, "used_memory_human", humanBytes(used))
	field(b, "used_memory_startup", d.StartupMemory())
	field(b, "used_memory_rss", ms.Sys)
	field(b, "used_memory_rss_human", humanBytes(int64(ms.Sys)))
	field(b, "go_heap_alloc", ms.HeapAlloc)
	field(b, "maxmemory", max)
	field(b, "maxmemory_human", humanBytes(max))
	field(b, "maxmemory_policy", d.Cfg.Get("maxmemory-policy"))
	// Nothing in used_memory is left out of the maxmemory test (Redis leaves
	// out replication and AOF buffers), and memory is freed at once.
	field(b, "mem_not_counted_for_evict", 0)
	field(b, "lazyfree_pending_objects", 0)
	field(b, "mem_allocator", "go")
	d.ExtensionInfo("memory", func(name string, v any) { field(b, name, v) })
}

// humanBytes is Redis's bytesToHuman: B, K, M, G, T with two decimals.
func humanBytes(n int64) string {
	v := float64(n)
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + "B"
	case n < 1<<20:
		return fmt.Sprintf("%.2fK", v/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.2fM", v/(1<<20))
	case n < 1<<40:
		return fmt.Sprintf("%.2fG", v/(1<<30))
	}
	return fmt.Sprintf("%.2fT", v/(1<<40))
}

func infoStats(d *command.Dispatcher, b *strings.Builder) {
	s := &d.Stats
	field(b, "total_connections_received", s.Connections.Load())
	field(b, "total_commands_processed", s.Commands.Load())
	field(b, "total_net_input_bytes", s.NetIn.Load())
	field(b, "total_net_output_bytes", s.NetOut.Load())
	field(b, "rejected_connections", s.RejectedConns.Load())
	field(b, "expired_keys", s.Expired.Load())
	field(b, "evicted_keys", d.EvictedKeys())
	field(b, "keyspace_hits", s.Hits.Load())
	field(b, "keyspace_misses", s.Misses.Load())
	d.ExtensionInfo("stats", func(name string, v any) { field(b, name, v) })
	_, keys, items, prefixes := d.TrackingStats()
	field(b, "tracking_total_keys", keys)
	field(b, "tracking_total_items", items)
	field(b, "tracking_total_prefixes", prefixes)
	field(b, "total_error_replies", s.Errors.Load())
}

// infoErrorstats lists the error replies by code, as errorstat_CODE:count=N.
func infoErrorstats(d *command.Dispatcher, b *strings.Builder) {
	codes, counts := d.ErrorStats()
	for i, code := range codes {
		field(b, "errorstat_"+code, "count="+strconv.FormatInt(counts[i], 10))
	}
}

// infoReplication: Larder is a master without replicas and keeps no
// replication backlog; these fields say so in Redis's terms (clients read
// role from here).
func infoReplication(d *command.Dispatcher, b *strings.Builder) {
	field(b, "role", "master")
	field(b, "connected_slaves", 0)
	field(b, "master_failover_state", "no-failover")
	field(b, "master_replid", d.RunID)
	field(b, "master_replid2", strings.Repeat("0", 40))
	field(b, "master_repl_offset", 0)
	field(b, "second_repl_offset", -1)
	field(b, "repl_backlog_active", 0)
	field(b, "repl_backlog_size", d.Cfg.Get("repl-backlog-size"))
	field(b, "repl_backlog_first_byte_offset", 0)
	field(b, "repl_backlog_histlen", 0)
}

// infoCPU: the process's and its children's CPU time, as Redis prints it
// (seconds with six decimals). Larder's work runs on many threads, so
// Redis's *_main_thread fields have no counterpart and are left out.
func infoCPU(_ *command.Dispatcher, b *strings.Builder) {
	for _, who := range []struct {
		suffix string
		who    int
	}{{"", syscall.RUSAGE_SELF}, {"_children", syscall.RUSAGE_CHILDREN}} {
		var ru syscall.Rusage
		if syscall.Getrusage(who.who, &ru) != nil {
			continue
		}
		field(b, "used_cpu_sys"+who.suffix, fmt.Sprintf("%d.%06d", ru.Stime.Sec, ru.Stime.Usec))
		field(b, "used_cpu_user"+who.suffix, fmt.Sprintf("%d.%06d", ru.Utime.Sec, ru.Utime.Usec))
	}
}

func infoCommandstats(d *command.Dispatcher, b *strings.Builder) {
	d.EachSpec(func(sp *command.Spec) {
		st := &sp.Stats
		calls, rej, failed := st.Calls.Load(), st.Rejected.Load(), st.Failed.Load()
		if calls == 0 && rej == 0 && failed == 0 {
			return
		}
		usec := st.Usec.Load()
		per := 0.0
		if calls > 0 {
			per = float64(usec) / float64(calls)
		}
		fmt.Fprintf(b, "cmdstat_%s:calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d\r\n",
			sp.Name, calls, usec, per, rej, failed)
	})
}

// infoKeyspace reports each non-empty db. avg_ttl is not tracked (0, which
// Redis also reports until its sampling has run).
func infoKeyspace(d *command.Dispatcher, b *strings.Builder) { infoKeyspaceOf(d, b, true) }

// infoKeyspaceOf reads the shards under their read locks, or as they are
// when the caller holds them all (lock false).
func infoKeyspaceOf(d *command.Dispatcher, b *strings.Builder, lock bool) {
	keys := make([]int, d.Store().Databases())
	expires := make([]int, d.Store().Databases())
	d.EachShard(lock, func(db int, sh *keyspace.Shard) {
		keys[db] += sh.Len()
		expires[db] += sh.Volatile()
	})
	for i := range keys {
		if keys[i] > 0 {
			fmt.Fprintf(b, "db%d:keys=%d,expires=%d,avg_ttl=0\r\n", i, keys[i], expires[i])
		}
	}
}
