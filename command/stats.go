package command

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// ApplyConfig makes parameters that the engine caches take effect: the
// access tracking follows maxmemory-policy (LFU counters for *-lfu, with
// lfu-log-factor and lfu-decay-time), the slow log and latency monitoring
// their parameters.
func (d *Dispatcher) ApplyConfig() {
	d.store.SetLFU(strings.HasSuffix(d.Cfg.Get("maxmemory-policy"), "-lfu"))
	d.store.SetLFUParams(d.Cfg.Int("lfu-log-factor"), d.Cfg.Int("lfu-decay-time"))
	f, _ := parseNotify(d.Cfg.Get("notify-keyspace-events"))
	d.notifyFlags.Store(uint32(f))
	d.applySlowlogConfig()
	d.applyLatencyConfig()
	d.applyACLConfig()
	d.applyReplicasConfig()
}

// ResetStats is CONFIG RESETSTAT: every counter INFO stats and
// commandstats and errorstats report goes back to zero.
func (d *Dispatcher) ResetStats() {
	s := &d.Stats
	for _, c := range []interface{ Store(int64) }{&s.Commands, &s.Connections, &s.RejectedConns,
		&s.Hits, &s.Misses, &s.Expired, &s.Errors, &s.NetIn, &s.NetOut} {
		c.Store(0)
	}
	d.evict.keys.Store(0)
	d.EachSpec(func(sp *Spec) {
		sp.Stats.Calls.Store(0)
		sp.Stats.Usec.Store(0)
		sp.Stats.Rejected.Store(0)
		sp.Stats.Failed.Store(0)
		sp.Stats.Hist.reset()
	})
	d.resetErrorStats()
}

// EachSpec calls fn for every row and subcommand, in name order.
func (d *Dispatcher) EachSpec(fn func(*Spec)) {
	for _, sp := range d.table.All() {
		if len(sp.Subs) == 0 {
			fn(sp)
			continue
		}
		for _, sub := range sortedSubs(sp) {
			fn(sub)
		}
	}
}

func sortedSubs(sp *Spec) []*Spec {
	out := append([]*Spec(nil), sp.Subs...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Name < out[j-1].Name; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// newRunID is INFO's run_id: 40 random hex digits, new on every start.
func newRunID() string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
