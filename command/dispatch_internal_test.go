package command

import (
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/keyspace"
	"github.com/larder-db/larder/protocol/resp"
)

// unsnapshotted joins every registered kind with a Snapshot hook that
// writes nothing, for a dispatcher that never stores a value (New requires
// a row per kind; the real ones live in the family packages).
func unsnapshotted() []Type {
	var types []Type
	for _, k := range keyspace.Kinds() {
		types = append(types, Type{Kind: k, Snapshot: func(*SnapshotWriter, *keyspace.Entry) {}})
	}
	return types
}

func TestDispatcher_HandlerPanicIsContained(t *testing.T) {
	spec := &Spec{Name: "boom", Arity: 1, Flags: FlagNoLock, Handler: func(*Call) error { panic("bad") }}
	d := New(Options{Store: keyspace.New(keyspace.Options{}), Logger: zerolog.Nop(), Families: [][]*Spec{{spec}}, Types: unsnapshotted()})
	s := NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	w := resp.Writer{Proto: &s.Proto}
	d.Do(s, [][]byte{[]byte("boom")}, &w)
	if string(w.Buf) != "-ERR internal error\r\n" {
		t.Fatalf("got %q", w.Buf)
	}
}
