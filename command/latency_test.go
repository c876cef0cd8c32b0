package command

import (
	"testing"
	"time"
)

// TestLatencyHistBuckets: a duration counts in the first bucket whose
// highest equivalent value (2^k + 2^(k-7) - 1 ns) reaches it, labelled in
// whole microseconds as Redis labels them.
func TestLatencyHistBuckets(t *testing.T) {
	for _, tc := range []struct {
		d      time.Duration
		micros int64
	}{{0, 1}, {1, 1}, {1031, 1}, {1032, 2}, {2063, 2}, {2064, 4}, {16 * time.Microsecond, 16},
		{60 * time.Microsecond, 66}, {66047, 66}, {66048, 132}, {time.Second, 1082130}, {time.Hour, 1082130}} {
		var h latencyHist
		h.record(tc.d)
		calls, b := h.cdf()
		if calls != 1 || len(b) != 1 || b[0].Micros != tc.micros {
			t.Errorf("%v: calls %d buckets %v, want one call at %d µs", tc.d, calls, b, tc.micros)
		}
	}
}

// TestLatencyServerEvent: the server's own work (the expiry cycle) is a
// latency event past latency-monitor-threshold, and only past it.
func TestLatencyServerEvent(t *testing.T) {
	d := &Dispatcher{}
	d.noteEvent("expire-cycle", 30*time.Millisecond, time.Now())
	if got := d.LatencyLatest(); len(got) != 0 {
		t.Fatalf("recorded with monitoring off: %+v", got)
	}
	d.latency.threshold.Store(20)
	d.noteEvent("expire-cycle", 10*time.Millisecond, time.Now())
	if got := d.LatencyLatest(); len(got) != 0 {
		t.Fatalf("recorded below the threshold: %+v", got)
	}
	d.noteEvent("expire-cycle", 30*time.Millisecond, time.Now())
	if got := d.LatencyLatest(); len(got) != 1 || got[0].Event != "expire-cycle" || got[0].Ms != 30 {
		t.Fatalf("LATENCY LATEST: %+v", got)
	}
}
