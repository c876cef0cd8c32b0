package keyspace_test

import (
	"slices"
	"testing"

	"github.com/larder-db/larder/keyspace"
)

// counter is a value type defined outside the keyspace, as a family would
// define one: its own kind, encoding, memory and change counting.
type counter struct {
	n   int64
	own keyspace.Owner
}

var kindCounter = keyspace.NewKind("counter")

func (c *counter) Encoding() string       { return "counter" }
func (c *counter) MemSize() int64         { return 16 + 8*c.n }
func (c *counter) Clone() keyspace.Object { return &counter{n: c.n} }
func (c *counter) Owner() *keyspace.Owner { return &c.own }
func (c *counter) incr()                  { c.n++; c.own.Changed(c.MemSize()) }

// TestObject_NewKind: a kind registered outside the keyspace has its TYPE
// name, is listed by Kinds, and cannot be registered twice.
func TestObject_NewKind(t *testing.T) {
	if kindCounter.String() != "counter" || keyspace.KindZSet.String() != "zset" || keyspace.KindNone.String() != "none" {
		t.Fatalf("names: %q %q %q", kindCounter, keyspace.KindZSet, keyspace.KindNone)
	}
	kinds := keyspace.Kinds()
	if !slices.Contains(kinds, kindCounter) || !slices.Contains(kinds, keyspace.KindString) || slices.Contains(kinds, keyspace.KindNone) {
		t.Fatalf("Kinds() = %v", kinds)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("registering a name twice did not panic")
		}
	}()
	keyspace.NewKind("hash")
}

// TestObject_ForeignType: a value type defined outside the keyspace is
// stored, reports its kind and encoding, counts its changes and memory
// while stored, and nothing once its key is gone or when cloned.
func TestObject_ForeignType(t *testing.T) {
	st, _ := newStore(t)
	db := st.DB(0)
	e := db.SetObject(bs("k"), kindCounter, &counter{})
	if e.Kind() != kindCounter || e.Encoding() != "counter" {
		t.Fatalf("kind %v, encoding %q", e.Kind(), e.Encoding())
	}
	c := db.Lookup(bs("k"), true).Obj().(*counter)
	before, usedBefore := changes(st), used(st)
	c.incr()
	if changes(st) != before+1 || used(st) != usedBefore+8 {
		t.Fatalf("an increment counted %d changes and %d bytes", changes(st)-before, used(st)-usedBefore)
	}
	clone := keyspace.CloneValue(e).(*counter)
	db.Delete(bs("k"))
	before, usedBefore = changes(st), used(st)
	c.incr()
	clone.incr()
	if changes(st) != before || used(st) != usedBefore {
		t.Fatal("a value outside the keyspace counted")
	}
}
