package command

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Server-assisted client side caching (CLIENT TRACKING), as Redis 7.0's
// tracking.c. In the default mode the keys a tracking client reads are
// remembered (key -> client ids); the first change to such a key sends
// each of them one invalidation and forgets the key. In BCAST mode a client
// names prefixes and hears about every changed key under them, batched
// once per command. Keys are tracked by name, whatever their database, as
// in Redis.
//
// Everything here is guarded by tracking.mu, taken while the command's
// shard locks are held (so a read and a later write of the same key are
// remembered and invalidated in order); tracking.mu never waits for a
// shard lock. n, the count of tracking clients, lets commands skip all of
// it with one atomic load when nobody tracks.

// trackState is one session's CLIENT TRACKING state, guarded by
// Dispatcher.tracking.mu.
type trackState struct {
	on, bcast, optin, optout, noloop bool
	caching                          bool // CLIENT CACHING given for the next command
	broken                           bool // the redirect target is gone
	redirect                         int64
	prefixes                         []string // BCAST prefixes, sorted
}

// bcastState is one BCAST prefix: its clients and the keys under it
// changed since the last broadcast, each with the session that last
// changed it (nil: expiry, eviction), for NOLOOP.
type bcastState struct {
	clients map[*Session]struct{}
	keys    map[string]*Session
}

// tracking is the dispatcher's tracking table.
type tracking struct {
	n        atomic.Int64 // sessions with tracking on
	mu       sync.Mutex
	keys     map[string]map[int64]struct{}
	items    int64 // client ids across keys (tracking_total_items)
	prefixes map[string]*bcastState
	pending  bool // some prefix has keys to broadcast
}

// TrackingOptions are CLIENT TRACKING ON's options.
type TrackingOptions struct {
	Redirect                     int64
	BCast, OptIn, OptOut, NoLoop bool
	Prefixes                     []string
}

// EnableTracking is CLIENT TRACKING ON after its options were parsed: it
// checks them against each other and s's state, with Redis's errors.
func (d *Dispatcher) EnableTracking(s *Session, o TrackingOptions) error {
	t := &d.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	st := &s.trk
	switch {
	case !o.BCast && len(o.Prefixes) > 0:
		return Error("ERR PREFIX option requires BCAST mode to be enabled")
	case st.on && st.bcast != o.BCast:
		return Error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.")
	case o.BCast && (o.OptIn || o.OptOut):
		return Error("ERR OPTIN and OPTOUT are not compatible with BCAST")
	case o.OptIn && o.OptOut:
		return Error("ERR You can't specify both OPTIN mode and OPTOUT mode")
	case (o.OptIn && st.optout) || (o.OptOut && st.optin):
		return Error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.")
	}
	if o.BCast {
		if err := prefixCollision(st.prefixes, o.Prefixes); err != nil {
			return err
		}
	}
	if !st.on {
		t.n.Add(1)
	}
	st.on, st.redirect, st.broken = true, o.Redirect, false
	st.bcast, st.optin, st.optout, st.noloop = o.BCast, o.OptIn, o.OptOut, o.NoLoop
	if o.BCast {
		if len(o.Prefixes) == 0 {
			t.addPrefix(s, "")
		}
		for _, p := range o.Prefixes {
			t.addPrefix(s, p)
		}
	}
	return nil
}

// prefixCollision is Redis's checkPrefixCollisionsOrReply: no new prefix
// may be a prefix of, or start with, one the client has or another new one.
func prefixCollision(have, add []string) error {
	overlap := func(a, b string) bool { return strings.HasPrefix(a, b) || strings.HasPrefix(b, a) }
	for i, p := range add {
		for _, h := range have {
			if overlap(p, h) {
				return Error("ERR Prefix '" + p + "' overlaps with an existing prefix '" + h +
					"'. Prefixes for a single client must not overlap.")
			}
		}
		for _, q := range add[i+1:] {
			if overlap(p, q) {
				return Error("ERR Prefix '" + p + "' overlaps with another provided prefix '" + q +
					"'. Prefixes for a single client must not overlap.")
			}
		}
	}
	return nil
}

func (t *tracking) addPrefix(s *Session, p string) {
	if t.prefixes == nil {
		t.prefixes = map[string]*bcastState{}
	}
	bs := t.prefixes[p]
	if bs == nil {
		bs = &bcastState{clients: map[*Session]struct{}{}, keys: map[string]*Session{}}
		t.prefixes[p] = bs
	}
	if _, ok := bs.clients[s]; ok {
		return
	}
	bs.clients[s] = struct{}{}
	i := sort.SearchStrings(s.trk.prefixes, p)
	s.trk.prefixes = append(s.trk.prefixes, "")
	copy(s.trk.prefixes[i+1:], s.trk.prefixes[i:])
	s.trk.prefixes[i] = p
}

// DisableTracking is CLIENT TRACKING OFF (also RESET and a closed
// connection): s leaves its prefixes; keys it read stay in the table
// until they change, as in Redis.
func (d *Dispatcher) DisableTracking(s *Session) {
	t := &d.tracking
	if t.n.Load() == 0 {
		return // s is not tracking either (closed connections, REST requests)
	}
	t.mu.Lock()
	t.disable(s)
	t.mu.Unlock()
}

func (t *tracking) disable(s *Session) {
	for _, p := range s.trk.prefixes {
		if bs := t.prefixes[p]; bs != nil {
			delete(bs.clients, s)
			if len(bs.clients) == 0 {
				delete(t.prefixes, p)
			}
		}
	}
	if s.trk.on {
		t.n.Add(-1)
	}
	s.trk = trackState{}
}

// SetCaching is CLIENT CACHING YES|NO.
func (d *Dispatcher) SetCaching(s *Session, yes bool) error {
	t := &d.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case !s.trk.on:
		return Error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled")
	case yes && !s.trk.optin:
		return Error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.")
	case !yes && !s.trk.optout:
		return Error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.")
	}
	s.trk.caching = true
	return nil
}

// TrackingInfo is a copy of a session's tracking state (CLIENT
// TRACKINGINFO, GETREDIR, LIST).
type TrackingInfo struct {
	On, BCast, OptIn, OptOut, NoLoop, Caching, Broken bool
	Redirect                                          int64 // -1 when off
	Prefixes                                          []string
}

// Tracking returns s's tracking state.
func (d *Dispatcher) Tracking(s *Session) TrackingInfo {
	t := &d.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	st := &s.trk
	ti := TrackingInfo{On: st.on, BCast: st.bcast, OptIn: st.optin, OptOut: st.optout,
		NoLoop: st.noloop, Caching: st.caching, Broken: st.broken, Redirect: -1,
		Prefixes: append([]string(nil), st.prefixes...)}
	if st.on {
		ti.Redirect = st.redirect
	}
	return ti
}

// TrackingStats are INFO's tracking_clients, tracking_total_keys,
// tracking_total_items and tracking_total_prefixes.
func (d *Dispatcher) TrackingStats() (clients, keys, items, prefixes int64) {
	t := &d.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n.Load(), int64(len(t.keys)), t.items, int64(len(t.prefixes))
}
