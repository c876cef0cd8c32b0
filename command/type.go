package command

import (
	"fmt"
	"slices"

	"github.com/larder-db/larder/keyspace"
)

// Type is what the core needs of one value type beside the commands that
// work on it. The family that defines a type (its keyspace kind, its
// Object, its commands) returns the type's row from Types(), beside
// Commands(); package families joins them into Options.Types, and the core
// reaches a value's type through its row only, never by a switch on kinds.
//
// DUMP and RESTORE (Redis's RDB value encoding, command/dumpcmd) serialize
// the built-in kinds through their keyspace types; a family's own kind
// (streams) brings its serialization in DumpRDB and LoadRDB.
type Type struct {
	// Kind is the keyspace kind of the type's values: a built-in one, or a
	// family's own from keyspace.NewKind.
	Kind keyspace.Kind
	// Snapshot writes records (ordinary write commands) that rebuild e's
	// value under w.Key on replay. The key's expiry follows as PEXPIREAT,
	// unless SnapshotsExpiry.
	Snapshot func(w *SnapshotWriter, e *keyspace.Entry)
	// SnapshotsExpiry says Snapshot's records carry the key's expiry
	// themselves (a string's SET … PXAT).
	SnapshotsExpiry bool
	// DumpRDB, when set, writes e's value as DUMP does: the RDB type byte,
	// then the body in Redis 7.0's serialization.
	DumpRDB func(e *keyspace.Entry) []byte
	// RDBTypes are the RDB type bytes LoadRDB decodes for RESTORE.
	RDBTypes []byte
	// LoadRDB decodes a body (after its type byte t, one of RDBTypes) into
	// a value of Kind; any error is RESTORE's "Bad data format".
	LoadRDB func(t byte, body []byte) (keyspace.Object, error)
}

// TypeOf returns the joined row of kind k.
func (d *Dispatcher) TypeOf(k keyspace.Kind) *Type { return &d.types[k] }

// TypeForRDB returns the joined row whose LoadRDB decodes RDB type t, or
// nil.
func (d *Dispatcher) TypeForRDB(t byte) *Type {
	for i := range d.types {
		if row := &d.types[i]; row.LoadRDB != nil && slices.Contains(row.RDBTypes, t) {
			return row
		}
	}
	return nil
}

// kindTypes is the joined types indexed by kind: every kind has a slot, so
// finding a value's row is an index.
type kindTypes [1 << 8]Type

// joinTypes indexes the joined rows by kind. It panics, as New does on a
// table without families, when a row has no Snapshot hook, when two rows
// claim a kind, or when a registered kind has no row: a value the snapshot
// cannot write would be lost at the next restart.
func joinTypes(rows []Type) *kindTypes {
	var types kindTypes
	for _, t := range rows {
		if t.Snapshot == nil {
			panic(fmt.Sprintf("command.New: type %s has no Snapshot hook", t.Kind))
		}
		if types[t.Kind].Snapshot != nil {
			panic(fmt.Sprintf("command.New: type %s is joined twice", t.Kind))
		}
		types[t.Kind] = t
	}
	for _, k := range keyspace.Kinds() {
		if types[k].Snapshot == nil {
			panic(fmt.Sprintf("command.New: no family joins type %s (families.Types)", k))
		}
	}
	return &types
}

// SnapshotWriter takes the records of one key from its type's Snapshot hook.
type SnapshotWriter struct {
	Key  []byte // the key being written
	Now  int64  // the snapshot's clock, unix ms
	emit func(argv [][]byte)
}

// Record writes one record.
func (w *SnapshotWriter) Record(argv ...[]byte) { w.emit(argv) }

// Batches writes a collection of n elements as "cmd key words…" records of
// at most snapItems elements each (RPUSH, SADD, ZADD, HSET append), so a huge
// collection becomes several records; words appends element i's words.
func (w *SnapshotWriter) Batches(cmd string, n int, words func(argv [][]byte, i int) [][]byte) {
	argv := make([][]byte, 0, 2+2*min(n, snapItems))
	for i := 0; i < n; i += snapItems {
		argv = append(argv[:0], []byte(cmd), w.Key)
		for j := i; j < min(i+snapItems, n); j++ {
			argv = words(argv, j)
		}
		w.emit(argv)
	}
}
