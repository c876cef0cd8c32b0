package streamcmd

import (
	"strconv"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

// Types returns the value type this family defines: the stream.
func Types() []command.Type {
	return []command.Type{{Kind: kindStream, Snapshot: snapshotStream, DumpRDB: dumpStream,
		RDBTypes: []byte{rdbStreamListpacks, rdbStreamListpacks2}, LoadRDB: loadStream}}
}

// snapshotStream writes a stream as Redis's AOF rewrite does: every entry
// by XADD with its ID, then XSETID with the last ID, entries added and max
// deleted ID (an empty stream is created by XADD MAXLEN 0), then each
// group by XGROUP CREATE … ENTRIESREAD, its consumers and pending entries.
func snapshotStream(w *command.SnapshotWriter, e *keyspace.Entry) {
	s := streamOf(e)
	if s.Len() == 0 {
		w.Record([]byte("XADD"), w.Key, []byte("MAXLEN"), []byte("0"), []byte("0-1"), []byte("x"), []byte("y"))
	}
	s.items.Scan(func(it *entry) bool {
		argv := [][]byte{[]byte("XADD"), w.Key, it.id.Bytes()}
		for _, f := range it.fields {
			argv = append(argv, []byte(f))
		}
		w.Record(argv...)
		return true
	})
	w.Record([]byte("XSETID"), w.Key, s.lastID.Bytes(),
		[]byte("ENTRIESADDED"), strconv.AppendUint(nil, s.entriesAdded, 10),
		[]byte("MAXDELETEDID"), s.maxDeleted.Bytes())
	for _, name := range sortedGroups(s) {
		snapshotGroup(w, s.groups[name])
	}
}

// snapshotGroup writes one group: XGROUP CREATE with its last ID and read
// counter, XGROUP CREATECONSUMER for a consumer without pending entries,
// and XCLAIM … FORCE JUSTID with time and count for each pending entry.
func snapshotGroup(w *command.SnapshotWriter, g *group) {
	name := []byte(g.name)
	w.Record([]byte("XGROUP"), []byte("CREATE"), w.Key, name, g.lastID.Bytes(),
		[]byte("ENTRIESREAD"), strconv.AppendInt(nil, g.entriesRead, 10))
	for _, cn := range sortedConsumers(g) {
		cs := g.consumers[cn]
		if cs.pel.Len() == 0 {
			w.Record([]byte("XGROUP"), []byte("CREATECONSUMER"), w.Key, name, []byte(cn))
			continue
		}
		cs.pel.Scan(func(p *pending) bool {
			w.Record([]byte("XCLAIM"), w.Key, name, []byte(cn), []byte("0"), p.id.Bytes(),
				[]byte("TIME"), strconv.AppendInt(nil, p.delivered, 10),
				[]byte("RETRYCOUNT"), strconv.AppendUint(nil, p.count, 10), []byte("JUSTID"), []byte("FORCE"))
			return true
		})
	}
}
