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
