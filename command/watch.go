package command

import (
	"sync"
	"sync/atomic"
)

// watchKey names a watched key.
type watchKey struct {
	db  int
	key string
}

// watchedKey is one WATCH of a session; expired records whether the key
// had already expired (but not been removed) when it was watched.
type watchedKey struct {
	db      int
	key     string
	expired bool
}

// watches is the registry WATCH writes and every data change reads. The
// count lets writes skip the mutex when nobody watches anything.
type watches struct {
	n     atomic.Int64
	mu    sync.Mutex
	byKey map[watchKey]map[*Session]struct{}
}

func (d *Dispatcher) watch(s *Session, db interface{ Index() int }, key []byte, expired bool) {
	wk := watchKey{db.Index(), string(key)}
	for _, w := range s.watched {
		if w.db == wk.db && w.key == wk.key {
			return
		}
	}
	s.watched = append(s.watched, watchedKey{wk.db, wk.key, expired})
	w := &d.watches
	w.mu.Lock()
	if w.byKey == nil {
		w.byKey = map[watchKey]map[*Session]struct{}{}
	}
	set := w.byKey[wk]
	if set == nil {
		set = map[*Session]struct{}{}
		w.byKey[wk] = set
	}
	set[s] = struct{}{}
	w.n.Add(1)
	w.mu.Unlock()
}

// unwatchAll forgets every WATCH of s and clears its dirty mark.
func (d *Dispatcher) unwatchAll(s *Session) {
	if len(s.watched) > 0 {
		w := &d.watches
		w.mu.Lock()
		for _, k := range s.watched {
			wk := watchKey{k.db, k.key}
			if set := w.byKey[wk]; set != nil {
				delete(set, s)
				if len(set) == 0 {
					delete(w.byKey, wk)
				}
			}
			w.n.Add(-1)
		}
		w.mu.Unlock()
		s.watched = s.watched[:0]
	}
	s.casDirty.Store(false)
}

// Touch signals that key in db changed outside the command's own key
// positions (expiry, MOVE, …): the sessions watching it fail their EXEC,
// and tracking clients that read it are told.
func (d *Dispatcher) Touch(db int, key []byte) {
	if d.tracking.n.Load() > 0 {
		d.trackTouched(key)
	}
	d.touchWatch(db, key)
}

// touchWatch marks the sessions watching key in db: their EXEC will fail.
func (d *Dispatcher) touchWatch(db int, key []byte) {
	w := &d.watches
	if w.n.Load() == 0 {
		return
	}
	w.mu.Lock()
	for s := range w.byKey[watchKey{db, string(key)}] {
		s.casDirty.Store(true)
	}
	w.mu.Unlock()
}

// TouchDB marks the sessions watching keys of db that exist (FLUSHDB,
// FLUSHALL, SWAPDB), as Redis's touchAllWatchedKeysInDb does.
func (d *Dispatcher) TouchDB(db int, exists func(key string) bool) {
	w := &d.watches
	if w.n.Load() == 0 {
		return
	}
	w.mu.Lock()
	for wk, set := range w.byKey {
		if wk.db == db && exists(wk.key) {
			for s := range set {
				s.casDirty.Store(true)
			}
		}
	}
	w.mu.Unlock()
}

// watchedExpired is Redis's isWatchedKeyExpired: a key live when watched
// that has logically expired since (its shard is locked by EXEC).
func (d *Dispatcher) watchedExpired(s *Session, now int64) bool {
	for _, w := range s.watched {
		db := d.store.DB(w.db)
		if !w.expired && db.LookupAt([]byte(w.key), 0, true) != nil && db.LookupAt([]byte(w.key), now, true) == nil {
			return true
		}
	}
	return false
}
