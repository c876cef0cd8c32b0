package metrics

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc("larder_"+name, help, labels, nil)
}

// The dispatcher's figures: the same counters INFO stats, commandstats,
// errorstats, clients, memory and keyspace print.
var (
	dCalls    = desc("command_calls_total", "Calls of each command (INFO commandstats calls).", "cmd")
	dRejected = desc("command_rejected_calls_total", "Calls refused before they ran (INFO commandstats rejected_calls).", "cmd")
	dFailed   = desc("command_failed_calls_total", "Calls that ran and answered an error (INFO commandstats failed_calls).", "cmd")
	dDuration = desc("command_duration_seconds", "Command run time: LATENCY HISTOGRAM's buckets (counted while latency-tracking is yes).", "cmd")
	dErrors   = desc("errors_total", "Error replies by error code (INFO errorstats).", "code")
	dUser     = desc("user_commands_total", "Commands run per user (a REST token's user, a RESP connection's AUTH user) and front end.", "user", "frontend")
	dConns    = desc("connected_clients", "Connected clients by front end (a REST request is a client while it runs).", "frontend")
	dKeys     = desc("db_keys", "Keys per database (db 0 and every non-empty one).", "db")
	dExpiring = desc("db_expiring_keys", "Keys with a time to live per database.", "db")
	dBuild    = desc("build_info", "Larder's version (always 1).", "version")

	dProcessed   = desc("commands_processed_total", "Commands processed (INFO total_commands_processed).")
	dConnsTotal  = desc("connections_received_total", "Connections accepted, REST requests included (INFO total_connections_received).")
	dConnsRej    = desc("rejected_connections_total", "Connections refused by maxclients.")
	dErrReplies  = desc("error_replies_total", "Error replies (INFO total_error_replies).")
	dNetIn       = desc("net_input_bytes_total", "Bytes read from clients.")
	dNetOut      = desc("net_output_bytes_total", "Bytes written to clients.")
	dHits        = desc("keyspace_hits_total", "Key lookups that found the key.")
	dMisses      = desc("keyspace_misses_total", "Key lookups that did not.")
	dExpired     = desc("expired_keys_total", "Keys removed because their time to live passed.")
	dEvicted     = desc("evicted_keys_total", "Keys evicted to stay under maxmemory.")
	dBlocked     = desc("blocked_clients", "Clients waiting in a blocking command.")
	dUsed        = desc("memory_used_bytes", "Memory used as INFO used_memory counts it.")
	dMax         = desc("memory_max_bytes", "maxmemory (0: no limit).")
	dStartup     = desc("memory_startup_bytes", "Memory in use before any data (INFO used_memory_startup).")
	dLoading     = desc("loading", "1 while the data set is being loaded at start.")
	dRecovery    = desc("recovery_duration_seconds", "How long loading the data set took at start.")
	dStreams     = desc("rest_sse_streams", "Open REST SSE streams (subscribe, psubscribe, monitor).")
	dDirty       = desc("changes_since_last_snapshot", "Changes since the last successful snapshot (INFO rdb_changes_since_last_save).")
	dSnapRunning = desc("snapshot_in_progress", "1 while a snapshot is being written.")
)

// coreCollector reads the dispatcher at scrape time.
type coreCollector struct{ m *Metrics }

func (c coreCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dCalls, dRejected, dFailed, dDuration, dErrors, dUser,
		dConns, dKeys, dExpiring, dBuild, dProcessed, dConnsTotal, dConnsRej, dErrReplies, dNetIn,
		dNetOut, dHits, dMisses, dExpired, dEvicted, dBlocked, dUsed, dMax, dStartup, dLoading,
		dRecovery, dStreams, dDirty, dSnapRunning} {
		ch <- d
	}
}

func (c coreCollector) Collect(ch chan<- prometheus.Metric) {
	d := c.m.d
	collectCommands(d, ch)
	codes, counts := d.ErrorStats()
	for i, code := range codes {
		ch <- counter(dErrors, counts[i], code)
	}
	for _, u := range d.UserCommands() {
		ch <- counter(dUser, u.Calls, u.User, frontEndLabel(u.FrontEnd))
	}
	collectClients(d, ch)
	collectKeyspace(d, ch)
	s := &d.Stats
	for _, v := range []struct {
		d *prometheus.Desc
		n int64
	}{{dProcessed, s.Commands.Load()}, {dConnsTotal, s.Connections.Load()},
		{dConnsRej, s.RejectedConns.Load()}, {dErrReplies, s.Errors.Load()},
		{dNetIn, s.NetIn.Load()}, {dNetOut, s.NetOut.Load()}, {dHits, s.Hits.Load()},
		{dMisses, s.Misses.Load()}, {dExpired, s.Expired.Load()}, {dEvicted, d.EvictedKeys()}} {
		ch <- counter(v.d, v.n)
	}
	ch <- gauge(dUsed, float64(d.UsedMemory()))
	ch <- gauge(dMax, float64(d.MaxMemory()))
	ch <- gauge(dStartup, float64(d.StartupMemory()))
	ch <- gauge(dBuild, 1, d.Version)
	ch <- gauge(dLoading, boolValue(d.Loading()))
	ch <- gauge(dDirty, float64(d.ChangesSinceSave()))
	ch <- gauge(dSnapRunning, boolValue(d.Saver.Running.Load()))
	if r := c.m.recovery.Load(); r >= 0 {
		ch <- gauge(dRecovery, float64(r)/1e9)
	}
	if fn := c.m.streams.Load(); fn != nil {
		ch <- gauge(dStreams, float64((*fn)()))
	}
}

// collectCommands reports each row with calls as INFO commandstats does,
// and its latency histogram when it has one.
func collectCommands(d *command.Dispatcher, ch chan<- prometheus.Metric) {
	bounds := command.LatencyBounds()
	d.EachSpec(func(sp *command.Spec) {
		st := &sp.Stats
		calls, rej, failed := st.Calls.Load(), st.Rejected.Load(), st.Failed.Load()
		if calls == 0 && rej == 0 && failed == 0 {
			return
		}
		ch <- counter(dCalls, calls, sp.Name)
		ch <- counter(dRejected, rej, sp.Name)
		ch <- counter(dFailed, failed, sp.Name)
		counts := sp.LatencyCounts()
		buckets := make(map[float64]uint64, len(bounds))
		total := uint64(0)
		for i, b := range bounds {
			total += uint64(counts[i])
			buckets[b.Seconds()] = total
		}
		total += uint64(counts[len(counts)-1])
		if total > 0 {
			ch <- prometheus.MustNewConstHistogram(dDuration, total, float64(st.Usec.Load())/1e6, buckets, sp.Name)
		}
	})
}

// collectClients counts the registered sessions by front end; both front
// ends are always reported, so a dashboard sees their zeros.
func collectClients(d *command.Dispatcher, ch chan<- prometheus.Metric) {
	n := map[string]int{"resp": 0, "rest": 0}
	for _, s := range d.Sessions() {
		n[frontEndLabel(s.FrontEnd)]++
	}
	for fe, v := range n {
		ch <- gauge(dConns, float64(v), fe)
	}
	ch <- gauge(dBlocked, float64(d.BlockedClients()))
}

// collectKeyspace reads each shard under its read lock, as INFO keyspace.
func collectKeyspace(d *command.Dispatcher, ch chan<- prometheus.Metric) {
	n := d.Store().Databases()
	keys, expires := make([]int, n), make([]int, n)
	d.EachShard(true, func(db int, sh *keyspace.Shard) {
		keys[db] += sh.Len()
		expires[db] += sh.Volatile()
	})
	for i := range keys {
		if i == 0 || keys[i] > 0 {
			db := strconv.Itoa(i)
			ch <- gauge(dKeys, float64(keys[i]), db)
			ch <- gauge(dExpiring, float64(expires[i]), db)
		}
	}
}

// frontEndLabel names a session's front end: RESP's sessions are "tcp" in
// the core.
func frontEndLabel(fe string) string {
	if fe == "tcp" {
		return "resp"
	}
	return fe
}

func counter(d *prometheus.Desc, v int64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
}

func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
