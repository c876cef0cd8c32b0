package keyspace

// home is the address through which the values stored in a shard reach it.
// It follows the shard's data: Swap exchanges two shards' homes along with
// their maps, and Clear gives the shard a fresh home and points the old one
// at nothing, so values dropped by a flush stop counting in O(1).
type home struct{ sh *Shard }

// Owner links a value (an Object: List, Hash, Set, ZSet or a family's own
// type) to the entry that holds it, so the value's mutating methods count
// themselves in the shard's change counter and re-account the entry's
// memory. A value keeps its Owner in a field (Object.Owner) and only the
// keyspace sets it. The zero Owner (a value built standalone, a clone, a
// value whose key was deleted) counts nothing; such a value is accounted
// when it is inserted.
type Owner struct {
	e *Entry
	h *home
}

// Changed records one change of the owned value, whose memory is now mem
// bytes (its MemSize). It runs under the shard's write lock, as every
// mutation does.
func (o *Owner) Changed(mem int64) {
	if o.h == nil {
		return
	}
	sh := o.h.sh
	if sh == nil {
		return
	}
	sh.changes++
	n := o.e.sizeWith(mem)
	sh.addUsed(n - o.e.size)
	o.e.size = n
}

// adopt makes sh's entry e the owner of its value, if it has one.
func (sh *Shard) adopt(e *Entry) {
	if e.obj != nil {
		*e.obj.Owner() = Owner{e: e, h: sh.home}
	}
}

// release cuts e's value loose from e (the key was deleted or its value
// replaced), unless the value has moved to another entry meanwhile (RENAME
// and MOVE share the value with the new key before deleting the old one).
func release(e *Entry) {
	if e.obj != nil {
		if o := e.obj.Owner(); o.e == e {
			*o = Owner{}
		}
	}
}
