package hashcmd

import (
	"strconv"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

// Types returns the value type this family defines: the hash.
func Types() []command.Type {
	return []command.Type{{Kind: keyspace.KindHash, Snapshot: snapshotHash}}
}

// snapshotHash writes a hash as HSET batches of its live fields, then one
// HPEXPIREAT per field with a TTL.
func snapshotHash(w *command.SnapshotWriter, e *keyspace.Entry) {
	h := command.HashOf(e)
	pairs := h.Pairs(w.Now)
	w.Batches("HSET", len(pairs)/2, func(argv [][]byte, i int) [][]byte {
		return append(argv, []byte(pairs[2*i]), []byte(pairs[2*i+1]))
	})
	if h.TTLCount() == 0 {
		return
	}
	for i := 0; i < len(pairs); i += 2 {
		if at, ok := h.TTL([]byte(pairs[i])); ok {
			w.Record([]byte("HPEXPIREAT"), w.Key, strconv.AppendInt(nil, at, 10),
				[]byte("FIELDS"), []byte("1"), []byte(pairs[i]))
		}
	}
}
