package command

import (
	"fmt"
	"math/bits"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Latency monitoring, as Redis 7.0's LATENCY command reports it:
//   - per-command latency histograms (latency-tracking yes): the calls of
//     each command counted in power-of-two buckets of 1 µs to about 1 s;
//   - latency events (latency-monitor-threshold > 0): a command that ran
//     for at least the threshold in milliseconds adds a sample to the
//     "command" event ("fast-command" for commands flagged fast); each
//     event keeps its last 160 samples, one per second (the highest of a
//     second), and its all-time maximum.
// Redis's other events (fork, AOF writes, eviction, expiry cycles …) time
// work that blocks its one thread; Larder's equivalents do not block
// clients in the same way and are not sampled.

// latencyBuckets: Redis's histogram reports buckets whose upper bounds are
// 1024 ns times a power of two, from 1024 ns to 2^30 ns (its 1 s maximum).
const (
	latencyFirstShift = 10
	latencyBuckets    = 21
	latencyTSLen      = 160 // LATENCY_TS_LEN
)

// latencyHist counts a command's calls per bucket.
type latencyHist [latencyBuckets]atomic.Int64

// record counts a call of d, as Redis's HDR histogram with two significant
// digits: a duration lands in the first bucket whose highest equivalent
// value (2^k + 2^(k-7) - 1 ns) reaches it; beyond 1 s it counts as 1 s.
func (h *latencyHist) record(d time.Duration) {
	ns := min(max(d.Nanoseconds(), 1), int64(time.Second))
	k := max(latencyFirstShift, bits.Len64(uint64(ns))-1) // 2^k <= ns, or the first bucket
	if ns >= 1<<k+1<<(k-7) {
		k++
	}
	h[min(k-latencyFirstShift, latencyBuckets-1)].Add(1)
}

func (h *latencyHist) reset() {
	for i := range h {
		h[i].Store(0)
	}
}

// LatencyBucket is one bucket of a command's cumulative distribution: calls
// that took at most Micros.
type LatencyBucket struct{ Micros, Calls int64 }

// cdf returns the total calls and the cumulative buckets that added calls,
// labelled as Redis labels them (the bucket's highest equivalent value in
// whole microseconds: 1, 2, 4, 8, 16, 33, 66 …).
func (h *latencyHist) cdf() (int64, []LatencyBucket) {
	var out []LatencyBucket
	total := int64(0)
	for i := range h {
		n := h[i].Load()
		if n == 0 {
			continue
		}
		total += n
		k := latencyFirstShift + i
		out = append(out, LatencyBucket{Micros: (1<<k + 1<<(k-7) - 1) / 1000, Calls: total})
	}
	return total, out
}

// LatencyHistogram is LATENCY HISTOGRAM's entry for one command.
type LatencyHistogram struct {
	Name    string
	Calls   int64
	Buckets []LatencyBucket
}

// LatencyHistograms returns the histograms of the named commands (a
// command with subcommands stands for them too; unknown names are
// skipped), or of every command with calls when names is empty.
func (d *Dispatcher) LatencyHistograms(names [][]byte) []LatencyHistogram {
	var out []LatencyHistogram
	add := func(sp *Spec) {
		if calls, b := sp.Stats.Hist.cdf(); calls > 0 {
			out = append(out, LatencyHistogram{Name: sp.Name, Calls: calls, Buckets: b})
		}
	}
	if len(names) == 0 {
		d.EachSpec(add)
		return out
	}
	for _, n := range names {
		sp := d.table.LookupFullName(string(n))
		if sp == nil {
			continue
		}
		add(sp)
		for _, sub := range sortedSubs(sp) {
			add(sub)
		}
	}
	return out
}

// latencySample is one second's highest latency of an event.
type latencySample struct{ time, ms int64 }

type latencySeries struct {
	samples [latencyTSLen]latencySample
	idx     int
	max     int64
}

// latencyEvents holds the sampled events and the cached parameters.
type latencyEvents struct {
	mu        sync.Mutex
	series    map[string]*latencySeries
	threshold atomic.Int64 // latency-monitor-threshold, ms (0: off)
	tracking  atomic.Bool  // latency-tracking
}

func (d *Dispatcher) applyLatencyConfig() {
	d.latency.threshold.Store(d.Cfg.Int("latency-monitor-threshold"))
	d.latency.tracking.Store(d.Cfg.Get("latency-tracking") == "yes")
}

// noteEvent records a latency event of the server's own work (Redis's
// latencyAddSampleIfNeeded): the active expiry cycle as "expire-cycle".
func (d *Dispatcher) noteEvent(event string, dur time.Duration, now time.Time) {
	l := &d.latency
	if th, ms := l.threshold.Load(), dur.Milliseconds(); th > 0 && ms >= th {
		l.add(event, ms, now.Unix())
	}
}

// noteLatency records a command's run in its histogram and, past the
// threshold, as a sample of the "command" or "fast-command" event.
func (d *Dispatcher) noteLatency(spec *Spec, dur time.Duration, now time.Time) {
	l := &d.latency
	if l.tracking.Load() {
		spec.Stats.Hist.record(dur)
	}
	th := l.threshold.Load()
	if ms := dur.Milliseconds(); th > 0 && ms >= th {
		event := "command"
		if spec.Flags&FlagFast != 0 {
			event = "fast-command"
		}
		l.add(event, ms, now.Unix())
	}
}

// add is Redis's latencyAddSample.
func (l *latencyEvents) add(event string, ms, now int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.series == nil {
		l.series = map[string]*latencySeries{}
	}
	ts := l.series[event]
	if ts == nil {
		ts = &latencySeries{}
		l.series[event] = ts
	}
	ts.max = max(ts.max, ms)
	prev := &ts.samples[(ts.idx+latencyTSLen-1)%latencyTSLen]
	if prev.time == now {
		prev.ms = max(prev.ms, ms)
		return
	}
	ts.samples[ts.idx] = latencySample{now, ms}
	ts.idx = (ts.idx + 1) % latencyTSLen
}

// LatencyLatest is one line of LATENCY LATEST.
type LatencyLatest struct {
	Event         string
	Time, Ms, Max int64
}

// LatencyLatest returns every event's latest sample and maximum, by name.
func (d *Dispatcher) LatencyLatest() []LatencyLatest {
	l := &d.latency
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]LatencyLatest, 0, len(l.series))
	for name, ts := range l.series {
		last := ts.samples[(ts.idx+latencyTSLen-1)%latencyTSLen]
		out = append(out, LatencyLatest{name, last.time, last.ms, ts.max})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Event < out[j].Event })
	return out
}

// LatencyHistory returns an event's samples, oldest first, as [time, ms].
func (d *Dispatcher) LatencyHistory(event string) [][2]int64 {
	l := &d.latency
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.series[event]
	if ts == nil {
		return nil
	}
	var out [][2]int64
	for j := range latencyTSLen {
		if s := ts.samples[(ts.idx+j)%latencyTSLen]; s.time != 0 {
			out = append(out, [2]int64{s.time, s.ms})
		}
	}
	return out
}

// LatencyReset forgets the named events (every event when none is named)
// and returns how many it forgot.
func (d *Dispatcher) LatencyReset(events [][]byte) int {
	l := &d.latency
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(events) == 0 {
		n := len(l.series)
		clear(l.series)
		return n
	}
	n := 0
	for _, e := range events {
		if _, ok := l.series[string(e)]; ok {
			delete(l.series, string(e))
			n++
		}
	}
	return n
}

// LatencyDoctor is LATENCY DOCTOR's report: Redis's texts for no
// monitoring and no events, and per event Redis's statistics line. Redis
// then gives tuning advice for its own internals (fork, AOF, THP …); Larder
// gives none, with Redis's text for that case.
func (d *Dispatcher) LatencyDoctor() string {
	l := &d.latency
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.series) == 0 && l.threshold.Load() == 0 {
		return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"
	}
	if len(l.series) == 0 {
		return "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n"
	}
	names := make([]string, 0, len(l.series))
	for name := range l.series {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n")
	now := time.Now().Unix()
	for i, name := range names {
		ts := l.series[name]
		n, avg, mad, oldest := ts.stats()
		period := max(now-oldest, 1)
		fmt.Fprintf(&b, "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.\n",
			i+1, name, n, avg, mad, float64(period)/float64(n), ts.max)
	}
	b.WriteString("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n")
	return b.String()
}

// stats is Redis's analyzeLatencyForEvent: samples, average, mean absolute
// deviation and the oldest sample's time.
func (ts *latencySeries) stats() (n, avg, mad, oldest int64) {
	sum := int64(0)
	for _, s := range ts.samples {
		if s.time == 0 {
			continue
		}
		n++
		sum += s.ms
		if oldest == 0 || s.time < oldest {
			oldest = s.time
		}
	}
	if n == 0 {
		return 0, 0, 0, 0
	}
	avg = sum / n
	dev := int64(0)
	for _, s := range ts.samples {
		if s.time != 0 {
			dev += max(avg-s.ms, s.ms-avg)
		}
	}
	return n, avg, dev / n, oldest
}
