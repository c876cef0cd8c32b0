package command

import (
	"maps"
	"slices"
	"strings"
)

// trackCommand runs after each command while some client tracks, under
// the command's shard locks: a write's changed keys are invalidated, a
// read-only command's keys remembered for its client (for a script's
// redis.call, the script's declared keys for the script's caller, as
// Redis's call()), and, once a top-level command is over, BCAST batches
// are sent and the table kept within tracking-table-max-keys.
func (d *Dispatcher) trackCommand(c *Call, changed bool) {
	s, spec := c.S, c.Spec
	caller, cc := s, c // the client a script's redis.call runs for
	if s.locksFrom != nil && s.locksFrom.S != nil {
		caller, cc = s.locksFrom.S, s.locksFrom
	}
	t := &d.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	if changed && spec.Flags&(FlagWrite|FlagNoLock) == FlagWrite {
		if c.touchSome {
			for _, k := range c.touchOnly {
				t.invalidate(d, caller, string(k))
			}
		} else {
			for _, p := range spec.KeyPositions(c.Args) {
				t.invalidate(d, caller, string(c.Args[p]))
			}
		}
	}
	if spec.Flags&(FlagReadOnly|FlagPubSub) == FlagReadOnly && !scriptRO(spec.Name) {
		if caller.trk.on && !caller.trk.bcast {
			t.remember(caller, cc)
		}
	}
	if s.InExec {
		return
	}
	if s.multi == nil && !strings.HasPrefix(spec.Name, "client|") {
		s.trk.caching = false // CLIENT CACHING covers the next command or transaction
	}
	if limit := d.Cfg.Int("tracking-table-max-keys"); limit > 0 {
		t.limit(d, int(limit))
	}
	t.broadcast(d)
}

// scriptRO names the read-only script commands, whose own keys are not
// remembered (their redis.calls' are).
func scriptRO(name string) bool {
	return name == "eval_ro" || name == "evalsha_ro" || name == "fcall_ro"
}

// remember adds the keys of c's command to the table for s, unless
// OPTIN/OPTOUT and CLIENT CACHING say otherwise.
func (t *tracking) remember(s *Session, c *Call) {
	st := &s.trk
	if (st.optin && !st.caching) || (st.optout && st.caching) || c.Spec == nil {
		return
	}
	if t.keys == nil {
		t.keys = map[string]map[int64]struct{}{}
	}
	for _, p := range c.Spec.KeyPositions(c.Args) {
		k := string(c.Args[p])
		ids := t.keys[k]
		if ids == nil {
			ids = map[int64]struct{}{}
			t.keys[k] = ids
		}
		if _, ok := ids[s.ID]; !ok {
			ids[s.ID] = struct{}{}
			t.items++
		}
	}
}

// invalidate is Redis's trackingInvalidateKey: key changed (by s; nil for
// expiry and eviction). BCAST prefixes note it for the next broadcast;
// every client that read it hears of it once, but a NOLOOP client about
// its own change, and the key is forgotten.
func (t *tracking) invalidate(d *Dispatcher, s *Session, key string) { t.invalidateFor(d, s, s, key) }

// invalidateFor is invalidate of a change by s (nil: by no client) while
// pend's command runs: pend hears of it through its pending invalidations,
// the others at once. An eviction is by no client, pend the client whose
// command made room (evict.go).
func (t *tracking) invalidateFor(d *Dispatcher, s, pend *Session, key string) {
	for p, bs := range t.prefixes {
		if strings.HasPrefix(key, p) {
			bs.keys[key] = s
			t.pending = true
		}
	}
	ids, ok := t.keys[key]
	if !ok {
		return
	}
	delete(t.keys, key)
	t.items -= int64(len(ids))
	for id := range ids {
		target := d.clients.get(id)
		switch {
		case target == nil || !target.trk.on || target.trk.bcast || (target.trk.noloop && target == s):
		case target == pend: // the client whose command is running: after its reply
			pend.trkPending = append(pend.trkPending, pendingInvalidation{key: key})
		default:
			d.sendInvalidation(target, [][]byte{[]byte(key)}, false)
		}
	}
}

// limit is Redis's trackingLimitUsedSlots: past max keys, keys are
// invalidated (their clients told) until the table is within it.
func (t *tracking) limit(d *Dispatcher, max int) {
	for k := range t.keys { // map order: Redis picks them at random too
		if len(t.keys) <= max {
			return
		}
		t.invalidate(d, nil, k)
	}
}

// broadcast is Redis's trackingBroadcastInvalidationMessages: each
// prefix's changed keys go in one message to each of its clients (for a
// NOLOOP client, without the keys it changed itself).
func (t *tracking) broadcast(d *Dispatcher) {
	if !t.pending {
		return
	}
	t.pending = false
	for _, p := range slices.Sorted(maps.Keys(t.prefixes)) { // Redis's radix tree order
		bs := t.prefixes[p]
		if len(bs.keys) == 0 {
			continue
		}
		changed := slices.Sorted(maps.Keys(bs.keys))
		for s := range bs.clients {
			keys := make([][]byte, 0, len(changed))
			for _, k := range changed {
				if !(s.trk.noloop && bs.keys[k] == s) {
					keys = append(keys, []byte(k))
				}
			}
			if len(keys) > 0 {
				d.sendInvalidation(s, keys, false)
			}
		}
		clear(bs.keys)
	}
}

// TrackFlush is FLUSHDB's and FLUSHALL's part, run by cur: every tracking
// client gets a null invalidation (cur after its reply) and the table
// empties, as Redis's trackingInvalidateKeysOnFlush.
func (d *Dispatcher) TrackFlush(cur *Session) {
	if cur.locksFrom != nil && cur.locksFrom.S != nil {
		cur = cur.locksFrom.S // a script's FLUSHALL is its caller's
	}
	t := &d.tracking
	track := t.n.Load() > 0
	t.mu.Lock()
	defer t.mu.Unlock()
	t.keys, t.items = nil, 0
	if !track {
		return
	}
	for _, s := range d.clients.snapshot() {
		switch {
		case !s.trk.on:
		case s == cur:
			s.trkPending = append(s.trkPending, pendingInvalidation{null: true})
		default:
			d.sendInvalidation(s, nil, true)
		}
	}
}

// pendingInvalidation is an invalidation of key (null: a flush) held
// until the running command has replied.
type pendingInvalidation struct {
	key  string
	null bool
}

// trackPending sends s the invalidations its own command caused, after
// the command's reply: into r, as Redis appends them to the output
// buffer, when they are pushes to s itself that r will not drop.
func (d *Dispatcher) trackPending(s *Session, r Reply) {
	pending := s.trkPending
	s.trkPending = nil
	t := &d.tracking
	t.mu.Lock()
	defer t.mu.Unlock()
	inline := s.trk.redirect == 0 && s.Proto >= 3 && !s.ReplySuppressed()
	for _, p := range pending {
		switch {
		case !inline:
			var keys [][]byte
			if !p.null {
				keys = [][]byte{[]byte(p.key)}
			}
			d.sendInvalidation(s, keys, p.null)
		case p.null:
			r.Push(2)
			r.BulkString("invalidate")
			r.Null()
		default:
			r.Push(2)
			r.BulkString("invalidate")
			r.Array(1)
			r.BulkString(p.key)
		}
	}
}

// trackTouched invalidates a key changed outside a command's key
// positions (expiry, MOVE's target, …): no client made the change.
func (d *Dispatcher) trackTouched(key []byte) {
	t := &d.tracking
	t.mu.Lock()
	t.invalidate(d, nil, string(key))
	t.mu.Unlock()
}

// trackCron is the tracking part of the server's cron: BCAST batches of
// keys the active expiry cycle removed go out, and the table is brought
// within tracking-table-max-keys.
func (d *Dispatcher) trackCron() {
	t := &d.tracking
	if t.n.Load() == 0 {
		return
	}
	limit := d.Cfg.Int("tracking-table-max-keys")
	t.mu.Lock()
	if limit > 0 {
		t.limit(d, int(limit))
	}
	t.broadcast(d)
	t.mu.Unlock()
}
