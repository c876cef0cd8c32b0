package listcmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

// Types returns the value type this family defines: the list.
func Types() []command.Type {
	return []command.Type{{Kind: keyspace.KindList, Snapshot: snapshotList}}
}

// snapshotList writes a list as RPUSH batches, head to tail.
func snapshotList(w *command.SnapshotWriter, e *keyspace.Entry) {
	l := command.ListOf(e)
	w.Batches("RPUSH", l.Len(), func(argv [][]byte, i int) [][]byte {
		return append(argv, []byte(l.At(i)))
	})
}
