package command

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// What the metrics endpoint reads from the core at scrape time: the
// LATENCY HISTOGRAM buckets of each row and the commands each user ran,
// by front end.

// LatencyBounds returns the upper bounds of the LATENCY HISTOGRAM buckets
// (latency.go) but the last, which also holds every slower call.
func LatencyBounds() []time.Duration {
	out := make([]time.Duration, latencyBuckets-1)
	for i := range out {
		k := latencyFirstShift + i
		out[i] = time.Duration(1<<k + 1<<(k-7) - 1)
	}
	return out
}

// LatencyCounts returns the row's calls per LATENCY HISTOGRAM bucket
// (not cumulative; the last bucket counts the calls beyond every bound of
// LatencyBounds). They are counted while latency-tracking is yes.
func (s *Spec) LatencyCounts() []int64 {
	out := make([]int64, latencyBuckets)
	for i := range out {
		out[i] = s.Stats.Hist[i].Load()
	}
	return out
}

// userMeterLimit bounds the (user, front end) pairs counted apart; ACL
// SETUSER can make users without end, the metrics' labels must not grow
// with them. Later pairs are counted under user UserMeterOther.
const userMeterLimit = 1000

// UserMeterOther is the user that commands of users past the limit count
// under.
const UserMeterOther = "_other"

type userKey struct{ user, frontEnd string }

// userMeters count the commands each user ran, per front end (the
// metering Upstash bills by: a REST token is its user). A session caches
// its counter, so a command costs one atomic add; only a new session or
// a change of user looks it up.
type userMeters struct {
	mu sync.RWMutex
	m  map[userKey]*atomic.Int64
}

func (u *userMeters) get(user, frontEnd string) *atomic.Int64 {
	k := userKey{user, frontEnd}
	u.mu.RLock()
	c := u.m[k]
	u.mu.RUnlock()
	if c != nil {
		return c
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.m == nil {
		u.m = map[userKey]*atomic.Int64{}
	}
	if c = u.m[k]; c == nil {
		if len(u.m) >= userMeterLimit {
			k.user = UserMeterOther
		}
		if c = u.m[k]; c == nil {
			c = new(atomic.Int64)
			u.m[k] = c
		}
	}
	return c
}

// meterCommand counts a command s ran for its user. Commands a script runs
// count as the script's call only; replayed records count nothing.
func (d *Dispatcher) meterCommand(s *Session) {
	if s.replay || s.FrontEnd == FrontEndScript {
		return
	}
	if s.meter == nil || s.meterUser != s.user {
		s.meter, s.meterUser = d.meters.get(s.user, s.FrontEnd), s.user
	}
	s.meter.Add(1)
}

// UserCommands is the count of commands one user ran on one front end.
type UserCommands struct {
	User, FrontEnd string
	Calls          int64
}

// UserCommands returns the commands each user ran per front end since
// start, ordered by user and front end.
func (d *Dispatcher) UserCommands() []UserCommands {
	u := &d.meters
	u.mu.RLock()
	out := make([]UserCommands, 0, len(u.m))
	for k, c := range u.m {
		out = append(out, UserCommands{k.user, k.frontEnd, c.Load()})
	}
	u.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].User != out[j].User {
			return out[i].User < out[j].User
		}
		return out[i].FrontEnd < out[j].FrontEnd
	})
	return out
}
