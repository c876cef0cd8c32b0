package command

import "github.com/larder-db/larder/keyspace"

// lookupKind is a read of a collection: the live entry of key when it holds
// kind, nil when the key is missing, keyspace.ErrWrongType otherwise.
func (c *Call) lookupKind(key []byte, kind keyspace.Kind) (*keyspace.Entry, error) {
	e := c.Lookup(key)
	if e != nil && e.Kind() != kind {
		return nil, keyspace.ErrWrongType
	}
	return e, nil
}

// lookupWriteKind is lookupKind for a write: an expired key is removed
// first (and journaled), as Redis's lookupKeyWrite does.
func (c *Call) lookupWriteKind(key []byte, kind keyspace.Kind) (*keyspace.Entry, error) {
	e := c.LookupWrite(key)
	if e != nil && e.Kind() != kind {
		return nil, keyspace.ErrWrongType
	}
	return e, nil
}

// deleteIfEmpty removes key when its collection became empty, as Redis
// never keeps an empty hash, list, set or sorted set. n is the length left.
func (c *Call) deleteIfEmpty(key []byte, n int) {
	if n == 0 {
		c.DB().Delete(key)
	}
}
