package keyspace_test

import (
	"fmt"
	"testing"
)

// TestShard_Reserve: reserving an empty shard keeps it working (keys set
// after it are found); reserving one that holds keys changes nothing.
func TestShard_Reserve(t *testing.T) {
	st, _ := newStore(t)
	db := st.DB(0)
	db.SetString([]byte("before"), []byte("v"), false)
	for j := range st.ShardsPerDB() {
		db.Shard(j).Lock()
		db.Shard(j).Reserve(100)
		db.Shard(j).Unlock()
	}
	for i := range 300 {
		db.SetString(fmt.Appendf(nil, "k%d", i), []byte("v"), false)
	}
	if db.Lookup([]byte("before"), false) == nil {
		t.Fatal("a key set before Reserve is gone")
	}
	for i := range 300 {
		if e := db.Lookup(fmt.Appendf(nil, "k%d", i), false); e == nil || string(e.Str()) != "v" {
			t.Fatalf("k%d after Reserve: %+v", i, e)
		}
	}
}
