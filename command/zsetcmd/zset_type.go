package zsetcmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

// Types returns the value type this family defines: the sorted set.
func Types() []command.Type {
	return []command.Type{{Kind: keyspace.KindZSet, Snapshot: snapshotZSet}}
}

// snapshotZSet writes a sorted set as ZADD batches of score-member pairs in
// rank order; FormatScore is exact (integers as such, others %.17g).
func snapshotZSet(w *command.SnapshotWriter, e *keyspace.Entry) {
	var items []keyspace.ZItem
	command.ZsetOf(e).Each(func(it keyspace.ZItem) bool { items = append(items, it); return true })
	w.Batches("ZADD", len(items), func(argv [][]byte, i int) [][]byte {
		return append(argv, []byte(keyspace.FormatScore(items[i].Score)), []byte(items[i].Member))
	})
}
