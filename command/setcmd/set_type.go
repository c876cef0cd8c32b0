package setcmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

// Types returns the value type this family defines: the set.
func Types() []command.Type {
	return []command.Type{{Kind: keyspace.KindSet, Snapshot: snapshotSet}}
}

// snapshotSet writes a set as SADD batches.
func snapshotSet(w *command.SnapshotWriter, e *keyspace.Entry) {
	members := command.SetOf(e).Members()
	w.Batches("SADD", len(members), func(argv [][]byte, i int) [][]byte {
		return append(argv, []byte(members[i]))
	})
}
