package keyspace

// CloneValue returns an independent copy of e's non-string value (COPY),
// or nil for a string: Restore copies a string's bytes itself.
func CloneValue(e *Entry) Object {
	if e.obj != nil {
		return e.obj.Clone()
	}
	return nil
}

// Move re-homes src's value under key in db (RENAME, MOVE): the value
// object is shared, not copied, because the caller deletes src next. The
// new entry owns the value from here on, so deleting src does not cut it
// loose.
func (db *DB) Move(key []byte, src *Entry) *Entry {
	return db.Restore(key, src, src.obj)
}
