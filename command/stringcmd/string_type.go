package stringcmd

import (
	"strconv"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

// Types returns the value type this family defines: the string.
func Types() []command.Type {
	return []command.Type{{Kind: keyspace.KindString, Snapshot: snapshotString, SnapshotsExpiry: true}}
}

// snapshotString writes a string as one SET key value, with PXAT when the
// key has an expiry.
func snapshotString(w *command.SnapshotWriter, e *keyspace.Entry) {
	if at := e.ExpireAt(); at != 0 {
		w.Record([]byte("SET"), w.Key, e.Str(), []byte("PXAT"), strconv.AppendInt(nil, at, 10))
		return
	}
	w.Record([]byte("SET"), w.Key, e.Str())
}
