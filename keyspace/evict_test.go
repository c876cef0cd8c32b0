package keyspace_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/larder-db/larder/keyspace"
)

// TestEviction_SampleVolatileOnly: a volatile sample holds only keys with an
// expiry, each once, scored soonest-first under EvictTTL; Evict refuses a
// persistent key when asked for a volatile one.
func TestEviction_SampleVolatileOnly(t *testing.T) {
	now := time.UnixMilli(1_000_000)
	st := keyspace.New(keyspace.Options{Databases: 1, Shards: 1, Now: func() time.Time { return now }})
	db := st.DB(0)
	for i := range 100 {
		e := db.SetString([]byte("k"+strconv.Itoa(i)), []byte("v"), false)
		if i%10 == 0 {
			db.SetExpire(e, now.UnixMilli()+int64(1000*(i+1)))
		}
	}
	if got := db.VolatileKeys(); got != 10 {
		t.Fatalf("VolatileKeys = %d, want 10", got)
	}
	sh := db.Shard(0)
	s := db.SampleForEviction(sh, 50, true, keyspace.EvictTTL, nil)
	if len(s) != 10 {
		t.Fatalf("volatile sample of 50 from 10 volatile keys: %d keys", len(s))
	}
	seen := map[string]bool{}
	for _, c := range s {
		n, _ := strconv.Atoi(c.Key[1:])
		if n%10 != 0 || seen[c.Key] {
			t.Fatalf("sample %v: %q has no expiry or came twice", s, c.Key)
		}
		seen[c.Key] = true
		if want := ^uint64(0) - uint64(now.UnixMilli()+int64(1000*(n+1))); c.Score != want {
			t.Fatalf("%q: TTL score %d, want %d", c.Key, c.Score, want)
		}
	}
	if db.Evict([]byte("k1"), true) {
		t.Fatal("a volatile eviction removed a persistent key")
	}
	if !db.Evict([]byte("k1"), false) || db.Lookup([]byte("k1"), true) != nil {
		t.Fatal("an allkeys eviction left k1")
	}
	if !db.Evict([]byte("k10"), true) || db.VolatileKeys() != 9 {
		t.Fatalf("evicting volatile k10: %d volatile keys left, want 9", db.VolatileKeys())
	}
}

// TestEviction_Scores: LRU scores grow with idle time, LFU scores fall as
// the counter grows, and Store.Used follows every write without locks.
func TestEviction_Scores(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	st := keyspace.New(keyspace.Options{Databases: 2, Shards: 4, Now: func() time.Time { return now }})
	db := st.DB(1)
	db.SetString([]byte("old"), []byte("v"), false)
	now = now.Add(30 * time.Second)
	db.SetString([]byte("new"), []byte("v"), false)
	score := func(key string, by keyspace.EvictBy) uint64 {
		sh := db.ShardOf([]byte(key))
		for _, c := range db.SampleForEviction(sh, 10, false, by, nil) {
			if c.Key == key {
				return c.Score
			}
		}
		t.Fatalf("%q not sampled from its own shard", key)
		return 0
	}
	if o, n := score("old", keyspace.EvictLRU), score("new", keyspace.EvictLRU); o != 30 || n != 0 {
		t.Fatalf("LRU scores old %d new %d, want 30 and 0", o, n)
	}
	st.SetLFU(true)
	st.SetLFUParams(0, 0) // every access counts
	for range 20 {
		db.Lookup([]byte("new"), false)
	}
	if o, n := score("old", keyspace.EvictLFU), score("new", keyspace.EvictLFU); o != 250 || n != 230 {
		t.Fatalf("LFU scores old %d new %d, want 250 and 230", o, n)
	}
	var sum int64
	for i := range st.ShardsPerDB() {
		sum += db.Shard(i).Used()
	}
	if st.Used() != sum || sum == 0 || st.DB(0).Used() != 0 {
		t.Fatalf("Store.Used %d, db 1's shards %d, db 0 %d", st.Used(), sum, st.DB(0).Used())
	}
}
