package keyspace

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
)

// Hash is a Redis hash value. Like Redis 7.0 it has two encodings: a
// listpack (here a flat field, value, field, value … slice in insertion
// order, which is the order Redis replies in) while the hash holds at most
// hash-max-listpack-entries fields and every field and value is at most
// hash-max-listpack-value bytes, and a hashtable (a Table) otherwise.
// Conversion is one-way: a hashtable never goes back to a listpack.
//
// Field expiry (Redis 7.4's HEXPIRE family) lives beside the fields in ttls,
// which stays nil while no field has a TTL, so hashes without field TTLs pay
// one nil pointer. minTTL is a lower bound of the earliest field expiry, so
// "is anything expired?" is O(1) until something actually is.
//
// Every mutating method of a Hash stored in a shard counts one change there
// and re-accounts the hash's memory (see Owner), unless it changed nothing.
type Hash struct {
	lp     []string       // the listpack encoding: field, value pairs; used while tab == nil
	tab    *Table[string] // the hashtable encoding
	bytes  int64          // bytes beyond what tab accounts (values; all strings of lp)
	ttls   map[string]int64
	minTTL int64 // lower bound of the values of ttls; math.MaxInt64 when empty
	own    Owner
}

// hashOverhead approximates the fixed bytes of a Hash value; hashTTLOverhead
// the bytes of one ttls entry beyond its field.
const (
	hashOverhead    = 80
	hashTTLOverhead = 48
	hashStrOverhead = 16 // a string header
)

// NewHash returns an empty hash in the listpack encoding.
func NewHash() *Hash { return &Hash{minTTL: math.MaxInt64} }

// Len returns the number of fields, counting expired fields not yet removed.
func (h *Hash) Len() int {
	if h.tab != nil {
		return h.tab.Len()
	}
	return len(h.lp) / 2
}

// LiveLen returns the number of fields not expired at now.
func (h *Hash) LiveLen(now int64) int {
	n := h.Len()
	if now < h.minTTL {
		return n
	}
	for _, at := range h.ttls {
		if at <= now {
			n--
		}
	}
	return n
}

// IsListpack reports whether the hash uses the listpack encoding.
func (h *Hash) IsListpack() bool { return h.tab == nil }

// Encoding returns the name OBJECT ENCODING reports.
func (h *Hash) Encoding() string {
	if h.tab != nil {
		return "hashtable"
	}
	return "listpack"
}

// MemSize returns the approximate bytes held, in O(1).
func (h *Hash) MemSize() int64 {
	n := hashOverhead + h.bytes + hashStrOverhead*int64(cap(h.lp))
	if h.tab != nil {
		n += h.tab.MemSize()
	}
	return n
}

// Owner returns the hash's link to the entry holding it (Object).
func (h *Hash) Owner() *Owner { return &h.own }

// Clone returns an independent copy (COPY), owned by no entry.
func (h *Hash) Clone() Object {
	c := &Hash{bytes: h.bytes, minTTL: h.minTTL, ttls: maps.Clone(h.ttls)}
	if h.tab != nil {
		c.tab = h.tab.Clone()
	} else {
		c.lp = slices.Clone(h.lp)
	}
	return c
}

// find returns the listpack index of field's name, or -1.
func (h *Hash) find(field []byte) int {
	for i := 0; i < len(h.lp); i += 2 {
		if h.lp[i] == string(field) {
			return i
		}
	}
	return -1
}

// raw returns the value of field, expired or not.
func (h *Hash) raw(field []byte) (string, bool) {
	if h.tab != nil {
		return h.tab.Get(field)
	}
	if i := h.find(field); i >= 0 {
		return h.lp[i+1], true
	}
	return "", false
}

// Get returns the value of field unless it is missing or expired at now.
func (h *Hash) Get(field []byte, now int64) (string, bool) {
	v, ok := h.raw(field)
	if !ok || h.expired(field, now) {
		return "", false
	}
	return v, true
}

// Has reports whether field exists and is not expired at now.
func (h *Hash) Has(field []byte, now int64) bool {
	_, ok := h.Get(field, now)
	return ok
}

// expired reports whether field has a TTL at or before now. Redis treats a
// field whose expiry equals the command time as gone (checkAlreadyExpired).
func (h *Hash) expired(field []byte, now int64) bool {
	if now < h.minTTL {
		return false
	}
	at, ok := h.ttls[string(field)]
	return ok && at <= now
}

// expiredStr is expired for a field held as a string.
func (h *Hash) expiredStr(field string, now int64) bool {
	if now < h.minTTL {
		return false
	}
	at, ok := h.ttls[field]
	return ok && at <= now
}

// Set stores value at field and reports whether the field is new. Unless
// keepTTL, a TTL on the field is discarded (HSET replaces the field; HINCRBY
// keeps it). maxEntries and maxValue are the current hash-max-listpack-*
// limits: a listpack receiving a longer field or value, or growing past
// maxEntries fields, converts to a hashtable for good. It counts a change
// even when the value is equal, as Redis's HSET does.
func (h *Hash) Set(field, value []byte, keepTTL bool, maxEntries, maxValue int64) bool {
	added := h.set(field, value, keepTTL, maxEntries, maxValue)
	h.own.Changed(h.MemSize())
	return added
}

func (h *Hash) set(field, value []byte, keepTTL bool, maxEntries, maxValue int64) bool {
	if !keepTTL && h.ttls != nil {
		h.persist(field)
	}
	if h.tab == nil && (int64(len(field)) > maxValue || int64(len(value)) > maxValue) {
		h.convert()
	}
	if h.tab != nil {
		old, existed := h.tab.Get(field)
		if existed {
			h.bytes -= int64(len(old))
		} else {
			h.bytes += hashStrOverhead
		}
		h.bytes += int64(len(value))
		h.tab.Set(string(field), string(value))
		return !existed
	}
	if i := h.find(field); i >= 0 {
		h.bytes += int64(len(value) - len(h.lp[i+1]))
		h.lp[i+1] = string(value)
		return false
	}
	h.lp = append(h.lp, string(field), string(value))
	h.bytes += int64(len(field) + len(value))
	if int64(len(h.lp)/2) > maxEntries {
		h.convert()
	}
	return true
}

// convert moves a listpack into a hashtable. The bytes of the listpack's
// strings give way to those of the values (the table accounts the fields);
// the bytes of the TTL index stay.
func (h *Hash) convert() {
	t := NewTable[string](len(h.lp)/2 + 1)
	var lpb, vb int64
	for i := 0; i < len(h.lp); i += 2 {
		t.Set(h.lp[i], h.lp[i+1])
		lpb += int64(len(h.lp[i]) + len(h.lp[i+1]))
		vb += int64(len(h.lp[i+1])) + hashStrOverhead
	}
	h.tab, h.lp, h.bytes = t, nil, h.bytes-lpb+vb
}

// Delete removes field (expired or not) and reports whether it was there;
// only then does it count a change. The encoding stays.
func (h *Hash) Delete(field []byte) bool {
	if !h.delete(field) {
		return false
	}
	h.own.Changed(h.MemSize())
	return true
}

func (h *Hash) delete(field []byte) bool {
	if h.ttls != nil {
		h.persist(field)
	}
	if h.tab != nil {
		old, ok := h.tab.Get(field)
		if ok {
			h.tab.Delete(field)
			h.bytes -= int64(len(old)) + hashStrOverhead
		}
		return ok
	}
	i := h.find(field)
	if i < 0 {
		return false
	}
	h.bytes -= int64(len(h.lp[i]) + len(h.lp[i+1]))
	h.lp = slices.Delete(h.lp, i, i+2)
	return true
}

// TTLCount returns how many fields carry a TTL.
func (h *Hash) TTLCount() int { return len(h.ttls) }

// TTL returns the absolute expiry (unix ms) of field, if it has one.
func (h *Hash) TTL(field []byte) (int64, bool) {
	at, ok := h.ttls[string(field)]
	return at, ok
}

// SetTTL gives an existing field an absolute expiry in unix ms. It counts a
// change even for an unchanged expiry, as HEXPIREAT to the same time does.
func (h *Hash) SetTTL(field []byte, at int64) {
	if h.ttls == nil {
		h.ttls = make(map[string]int64)
	}
	if _, ok := h.ttls[string(field)]; !ok {
		h.bytes += int64(len(field)) + hashTTLOverhead
	}
	h.ttls[string(field)] = at
	h.minTTL = min(h.minTTL, at)
	h.own.Changed(h.MemSize())
}

// Persist removes field's TTL and reports whether it had one; only then does
// it count a change.
func (h *Hash) Persist(field []byte) bool {
	if !h.persist(field) {
		return false
	}
	h.own.Changed(h.MemSize())
	return true
}

func (h *Hash) persist(field []byte) bool {
	if _, ok := h.ttls[string(field)]; !ok {
		return false
	}
	delete(h.ttls, string(field))
	h.bytes -= int64(len(field)) + hashTTLOverhead
	if len(h.ttls) == 0 {
		h.ttls, h.minTTL = nil, math.MaxInt64
	}
	return true
}

// ExpiredFields returns the fields expired at now (nil when none), and
// tightens the lower bound of the next expiry while looking. That is
// bookkeeping, not a change; deleting the fields it returns is.
func (h *Hash) ExpiredFields(now int64) []string {
	if now < h.minTTL {
		return nil
	}
	var out []string
	next := int64(math.MaxInt64)
	for f, at := range h.ttls {
		if at <= now {
			out = append(out, f)
		} else {
			next = min(next, at)
		}
	}
	h.minTTL = next
	return out
}

// Each calls fn for every field not expired at now, in the encoding's order
// (insertion order for a listpack), until fn returns false. The hash must
// not change during the walk.
func (h *Hash) Each(now int64, fn func(field, value string) bool) {
	live := func(f string) bool { return !h.expiredStr(f, now) }
	if h.tab != nil {
		h.tab.Each(func(f, v string) bool { return !live(f) || fn(f, v) })
		return
	}
	for i := 0; i < len(h.lp); i += 2 {
		if live(h.lp[i]) && !fn(h.lp[i], h.lp[i+1]) {
			return
		}
	}
}

// Pairs returns the live field/value pairs as a flat slice, in Each's order.
func (h *Hash) Pairs(now int64) []string {
	out := make([]string, 0, 2*h.Len())
	h.Each(now, func(f, v string) bool { out = append(out, f, v); return true })
	return out
}

// Random returns a random live field and its value; ok is false when no
// field is live. With expired fields present it samples the live pairs.
func (h *Hash) Random(now int64) (field, value string, ok bool) {
	if now >= h.minTTL && h.LiveLen(now) != h.Len() {
		p := h.Pairs(now)
		if len(p) == 0 {
			return "", "", false
		}
		i := 2 * rand.IntN(len(p)/2)
		return p[i], p[i+1], true
	}
	if h.Len() == 0 {
		return "", "", false
	}
	if h.tab != nil {
		f, v := h.tab.Random()
		return f, v, true
	}
	i := 2 * rand.IntN(len(h.lp)/2)
	return h.lp[i], h.lp[i+1], true
}

// Scan is one HSCAN step: a listpack returns everything at once with cursor
// 0, as Redis does; a hashtable visits buckets along Redis's reverse-binary
// cursor until it has seen count fields or maxBuckets buckets. Expired
// fields are skipped.
func (h *Hash) Scan(cursor uint64, count, maxBuckets int, now int64, fn func(field, value string)) uint64 {
	if h.tab == nil {
		h.Each(now, func(f, v string) bool { fn(f, v); return true })
		return 0
	}
	got := 0
	for {
		cursor = h.tab.ScanBucket(cursor, func(f, v string) {
			if !h.expiredStr(f, now) {
				got++
				fn(f, v)
			}
		})
		maxBuckets--
		if cursor == 0 || maxBuckets <= 0 || got >= count {
			return cursor
		}
	}
}
