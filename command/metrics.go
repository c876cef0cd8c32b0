package command

import (
	"sort"
	"sync"
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
// metering Upstash bills by: a REST token is its user). A command costs
// one uncontended atomic add on its own session; a session's count is
// folded into its user's total when it closes or changes user, and a
// scrape adds the live sessions' counts to the totals. Both happen under
// mu, so a scrape sees each command exactly once and a total never goes
// down.
type userMeters struct {
	mu      sync.Mutex
	retired map[userKey]int64
}

// key is the pair a count goes under (u.mu held).
func (u *userMeters) key(user, frontEnd string) userKey {
	k := userKey{user, frontEnd}
	if _, ok := u.retired[k]; !ok && len(u.retired) >= userMeterLimit {
		k.user = UserMeterOther
	}
	return k
}

// fold moves s's count into its user's total and makes user the one its
// next commands count for. Only s's owner calls it.
func (u *userMeters) fold(s *Session, user string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if n := s.metered.Swap(0); n > 0 {
		if u.retired == nil {
			u.retired = map[userKey]int64{}
		}
		u.retired[u.key(s.meterUser, s.FrontEnd)] += n
	}
	s.meterUser = user
}

// meterCommand counts a command s ran for its user. Commands a script runs
// count as the script's call only; replayed records count nothing.
func (d *Dispatcher) meterCommand(s *Session) {
	if s.replay || s.FrontEnd == FrontEndScript {
		return
	}
	if s.meterUser != s.user {
		d.meters.fold(s, s.user)
	}
	s.metered.Add(1)
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
	u.mu.Lock()
	totals := make(map[userKey]int64, len(u.retired))
	for k, n := range u.retired {
		totals[k] = n
	}
	for _, s := range d.clients.snapshot() {
		if n := s.metered.Load(); n > 0 {
			totals[u.key(s.meterUser, s.FrontEnd)] += n
		}
	}
	u.mu.Unlock()
	out := make([]UserCommands, 0, len(totals))
	for k, n := range totals {
		out = append(out, UserCommands{k.user, k.frontEnd, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].User != out[j].User {
			return out[i].User < out[j].User
		}
		return out[i].FrontEnd < out[j].FrontEnd
	})
	return out
}
