package families_test

import (
	"testing"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/keyspace"
)

// TestTypes_EveryKindSnapshots: every kind registered in the keyspace (the
// built-in ones and any a family defines with keyspace.NewKind) is joined
// by exactly one family's Types row, and that row has a Snapshot hook.
func TestTypes_EveryKindSnapshots(t *testing.T) {
	rows := map[keyspace.Kind]int{}
	for _, ty := range families.Types() {
		if ty.Snapshot == nil {
			t.Errorf("type %s has no Snapshot hook", ty.Kind)
		}
		rows[ty.Kind]++
	}
	for _, k := range keyspace.Kinds() {
		if rows[k] != 1 {
			t.Errorf("type %s is joined by %d families, want 1", k, rows[k])
		}
	}
}

// TestNew_RefusesIncompleteTypes: command.New refuses to build a dispatcher
// whose snapshots could not write every value: a row without a Snapshot
// hook, a kind joined twice, a registered kind no row joins.
func TestNew_RefusesIncompleteTypes(t *testing.T) {
	cases := map[string]func(types []command.Type) []command.Type{
		"no hook": func(types []command.Type) []command.Type { types[0].Snapshot = nil; return types },
		"twice":   func(types []command.Type) []command.Type { return append(types, types[0]) },
		"missing": func(types []command.Type) []command.Type { return types[1:] },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("command.New accepted the types")
				}
			}()
			command.New(command.Options{Store: keyspace.New(keyspace.Options{}), Logger: zerolog.Nop(),
				Families: families.All(), Types: edit(families.Types())})
		})
	}
}
