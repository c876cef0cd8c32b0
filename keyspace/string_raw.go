package keyspace

// MarkStringRaw makes a string entry's encoding raw without touching its
// bytes: Redis's dbUnshareStringValue, which turns an int or embstr value
// into a raw one before an in-place edit (SETBIT, BITFIELD) even when the
// edit then changes nothing. Only what OBJECT ENCODING reports changes, so
// no change is counted and nothing needs journaling.
func (db *DB) MarkStringRaw(e *Entry) {
	if e.kind == KindString {
		e.enc = EncRaw
	}
}
