package keyspace

// Cloner is implemented by non-string values (hashes, lists, …) so COPY
// can duplicate them; strings are copied by the engine itself.
type Cloner interface {
	Clone() any
}

// CloneValue returns an independent copy of e's non-string value, or nil
// for strings.
func CloneValue(e *Entry) any {
	if c, ok := e.obj.(Cloner); ok {
		return c.Clone()
	}
	return e.obj
}

// Move re-homes src's value under key in db (RENAME, MOVE): the value
// object is shared, not copied, because the caller deletes src next. The
// new entry owns the value from here on, so deleting src does not cut it
// loose.
func (db *DB) Move(key []byte, src *Entry) *Entry {
	return db.Restore(key, src, src.obj)
}
