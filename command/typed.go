package command

import "github.com/larder-db/larder/keyspace"

// LookupKind is a read of a collection: the live entry of key when it holds
// kind, nil when the key is missing, keyspace.ErrWrongType otherwise.
func (c *Call) LookupKind(key []byte, kind keyspace.Kind) (*keyspace.Entry, error) {
	e := c.Lookup(key)
	if e != nil && e.Kind() != kind {
		return nil, keyspace.ErrWrongType
	}
	return e, nil
}

// LookupWriteKind is lookupKind for a write: an expired key is removed
// first (and journaled), as Redis's lookupKeyWrite does.
func (c *Call) LookupWriteKind(key []byte, kind keyspace.Kind) (*keyspace.Entry, error) {
	e := c.LookupWrite(key)
	if e != nil && e.Kind() != kind {
		return nil, keyspace.ErrWrongType
	}
	return e, nil
}

// DeleteIfEmpty removes key when its collection became empty, as Redis
// never keeps an empty hash, list, set or sorted set. n is the length left.
func (c *Call) DeleteIfEmpty(key []byte, n int) {
	if n == 0 {
		c.DB().Delete(key)
	}
}

// HashOf returns the hash value of a hash entry.
func HashOf(e *keyspace.Entry) *keyspace.Hash { return e.Obj().(*keyspace.Hash) }

// ListOf returns the list value of a list entry.
func ListOf(e *keyspace.Entry) *keyspace.List { return e.Obj().(*keyspace.List) }

// SetOf returns the set value of a set entry.
func SetOf(e *keyspace.Entry) *keyspace.Set { return e.Obj().(*keyspace.Set) }

// ZsetOf returns the sorted set value of a zset entry.
func ZsetOf(e *keyspace.Entry) *keyspace.ZSet { return e.Obj().(*keyspace.ZSet) }

// SetOp is the operation of the set and sorted-set algebra commands
// (SINTER/SUNION/SDIFF and their Z forms).
type SetOp int

const (
	OpInter SetOp = iota
	OpUnion
	OpDiff
)
