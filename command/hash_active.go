package command

import (
	"sync"

	"github.com/larder-db/larder/keyspace"
)

// Active expiry of hash fields (Redis 7.4): hashes that hold fields with a
// TTL are registered here, and each expiry cycle removes their expired
// fields — journaled as HDEL, announced as "hexpired" — and deletes a hash
// left empty, so an expired field does not linger until the next write.

type fieldTTLKeys struct {
	mu   sync.Mutex
	keys map[blockKey]struct{}
}

// WatchFieldTTLs registers key when its hash holds fields with a TTL.
func (c *Call) WatchFieldTTLs(key []byte, h *keyspace.Hash) {
	if h.TTLCount() == 0 {
		return
	}
	r := &c.D.fieldTTLs
	r.mu.Lock()
	if r.keys == nil {
		r.keys = map[blockKey]struct{}{}
	}
	r.keys[blockKey{c.db.Index(), string(key)}] = struct{}{}
	r.mu.Unlock()
}

// expireHashFields is the field part of the expiry cycle; it returns how
// many fields it removed.
func (d *Dispatcher) expireHashFields() int {
	r := &d.fieldTTLs
	r.mu.Lock()
	keys := make([]blockKey, 0, len(r.keys))
	for k := range r.keys {
		keys = append(keys, k)
	}
	r.mu.Unlock()
	total := 0
	for _, k := range keys {
		n, keep := d.expireFieldsOf(k)
		total += n
		if !keep {
			r.mu.Lock()
			delete(r.keys, k)
			r.mu.Unlock()
		}
	}
	return total
}

// expireFieldsOf removes the expired fields of one registered hash; keep
// reports whether it still has fields with a TTL.
func (d *Dispatcher) expireFieldsOf(k blockKey) (removed int, keep bool) {
	db := d.store.DB(k.db)
	key := []byte(k.key)
	sh := db.ShardOf(key)
	sh.Lock()
	defer sh.Unlock()
	now := d.store.NowMs()
	e := db.LookupWriteAt(key, now, d.Expired(k.db))
	if e == nil || e.Kind() != keyspace.KindHash {
		return 0, false
	}
	h := e.Obj().(*keyspace.Hash)
	gone := h.ExpiredFields(now)
	if len(gone) > 0 {
		argv := [][]byte{[]byte("HDEL"), key}
		for _, f := range gone {
			h.Delete([]byte(f))
			argv = append(argv, []byte(f))
		}
		d.appendEffect(nil, k.db, argv)
		d.Touch(k.db, key)
		d.Notify(NotifyHash, "hexpired", key, k.db)
		if h.Len() == 0 {
			db.Delete(key)
			d.Notify(NotifyGeneric, "del", key, k.db)
			return len(gone), false
		}
	}
	return len(gone), h.TTLCount() > 0
}

// FieldEvents announces a field-TTL change as Redis 7.4 does: event for
// the fields whose TTL changed, "hexpired" for fields a past time removed.
func (c *Call) FieldEvents(key []byte, changed int, event string, expired int) {
	if changed > 0 {
		c.Notify(NotifyHash, event, key)
	}
	if expired > 0 {
		c.Notify(NotifyHash, "hexpired", key)
	}
}
