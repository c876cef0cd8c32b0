package keyspace_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/larder-db/larder/keyspace"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newStore(t *testing.T) (*keyspace.Store, *clock) {
	t.Helper()
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	return keyspace.New(keyspace.Options{Databases: 2, Shards: 4, Now: c.now}), c
}

func TestStore_SetString_Lookup(t *testing.T) {
	st, _ := newStore(t)
	db := st.DB(0)
	key := []byte("k")
	db.SetString(key, []byte("v1"), false)
	e := db.Lookup(key, false)
	if e == nil || string(e.Str()) != "v1" || e.Kind() != keyspace.KindString {
		t.Fatalf("lookup after set: %+v", e)
	}
	if st.DB(1).Lookup(key, false) != nil {
		t.Fatal("key visible in another db")
	}
	val := []byte("v2")
	db.SetString(key, val, false)
	val[0] = 'X' // the store must have copied
	if got := string(db.Lookup(key, false).Str()); got != "v2" {
		t.Fatalf("got %q, want v2", got)
	}
}

func TestStore_Expire_Lazy(t *testing.T) {
	st, clk := newStore(t)
	db := st.DB(0)
	e := db.SetString([]byte("k"), []byte("v"), false)
	db.SetExpire(e, st.NowMs()+1000)
	if db.Lookup([]byte("k"), false) == nil {
		t.Fatal("key gone before its deadline")
	}
	clk.t = clk.t.Add(time.Second)
	if db.Lookup([]byte("k"), false) != nil {
		t.Fatal("expired key still visible")
	}
	var removed []string
	if db.LookupWrite([]byte("k"), func(k string) { removed = append(removed, k) }) != nil {
		t.Fatal("LookupWrite returned an expired key")
	}
	if len(removed) != 1 || removed[0] != "k" {
		t.Fatalf("expired callback got %v", removed)
	}
	if n := db.ShardOf([]byte("k")).Len(); n != 0 {
		t.Fatalf("shard still holds %d entries", n)
	}
}

func TestStore_SetString_KeepTTL(t *testing.T) {
	st, _ := newStore(t)
	db := st.DB(0)
	e := db.SetString([]byte("k"), []byte("v"), false)
	db.SetExpire(e, st.NowMs()+5000)
	if e = db.SetString([]byte("k"), []byte("w"), true); e.ExpireAt() == 0 {
		t.Fatal("KEEPTTL lost the expiry")
	}
	if e = db.SetString([]byte("k"), []byte("x"), false); e.ExpireAt() != 0 {
		t.Fatal("plain set kept the expiry")
	}
	if db.ShardOf([]byte("k")).Volatile() != 0 {
		t.Fatal("expiry heap still holds the key")
	}
}

// TestShard_ReclaimExpired_Order checks the heap hands back keys earliest
// first, across TTL changes and deletions, with a printed seed.
func TestShard_ReclaimExpired_Order(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	st := keyspace.New(keyspace.Options{Databases: 1, Shards: 1, Now: func() time.Time { return time.UnixMilli(0) }})
	db := st.DB(0)
	deadline := map[string]int64{}
	for i := 0; i < 2000; i++ {
		k := fmt.Sprintf("k%d", rng.IntN(500))
		switch rng.IntN(4) {
		case 0:
			db.Delete([]byte(k))
			delete(deadline, k)
		case 1:
			db.SetString([]byte(k), []byte("v"), false)
			delete(deadline, k)
		default:
			e := db.LookupWrite([]byte(k), nil)
			if e == nil {
				e = db.SetString([]byte(k), []byte("v"), false)
			}
			at := int64(1 + rng.IntN(10000))
			db.SetExpire(e, at)
			deadline[k] = at
		}
	}
	sh := db.Shard(0)
	if sh.Volatile() != len(deadline) {
		t.Fatalf("heap holds %d, model %d", sh.Volatile(), len(deadline))
	}
	var got []int64
	sh.ReclaimExpired(1<<62, 1<<30, func(k string) { got = append(got, deadline[k]) })
	if !sort.SliceIsSorted(got, func(i, j int) bool { return got[i] < got[j] }) {
		t.Fatal("reclaimed out of deadline order")
	}
	if len(got) != len(deadline) {
		t.Fatalf("reclaimed %d, want %d", len(got), len(deadline))
	}
}

// TestShard_Scan_StablePositions: a key present for a whole scan is seen
// exactly once even while other keys come and go.
func TestShard_Scan_StablePositions(t *testing.T) {
	st := keyspace.New(keyspace.Options{Databases: 1, Shards: 1})
	db := st.DB(0)
	for i := 0; i < 1000; i++ {
		db.SetString([]byte(fmt.Sprintf("stable%d", i)), []byte("v"), false)
	}
	sh := db.Shard(0)
	seen := map[string]int{}
	pos, churn := 0, 0
	for pos >= 0 {
		pos = sh.Scan(pos, 10, st.NowMs(), func(e *keyspace.Entry) { seen[e.Key()]++ })
		for j := 0; j < 5; j++ {
			k := []byte(fmt.Sprintf("churn%d", churn))
			db.SetString(k, []byte("v"), false)
			if churn%2 == 0 {
				db.Delete(k)
			}
			churn++
		}
	}
	for i := 0; i < 1000; i++ {
		if n := seen[fmt.Sprintf("stable%d", i)]; n != 1 {
			t.Fatalf("stable%d seen %d times", i, n)
		}
	}
}

func TestStore_Memory_ReturnsToZero(t *testing.T) {
	st, _ := newStore(t)
	db := st.DB(0)
	for i := 0; i < 100; i++ {
		k := []byte(fmt.Sprintf("key%d", i))
		db.SetString(k, make([]byte, i), false)
		db.SetString(k, make([]byte, 2*i), false)
	}
	var used int64
	for i := 0; i < st.ShardsPerDB(); i++ {
		used += db.Shard(i).Used()
	}
	if used <= 100*100 {
		t.Fatalf("used %d is below the value bytes stored", used)
	}
	for i := 0; i < 100; i++ {
		db.Delete([]byte(fmt.Sprintf("key%d", i)))
	}
	for i := 0; i < st.ShardsPerDB(); i++ {
		if u := db.Shard(i).Used(); u != 0 {
			t.Fatalf("shard %d still accounts %d bytes", i, u)
		}
		if n := db.Shard(i).SlotCount(); n != 0 {
			t.Fatalf("shard %d kept %d slots", i, n)
		}
	}
}

func TestDB_Swap(t *testing.T) {
	st, _ := newStore(t)
	st.DB(0).SetString([]byte("a"), []byte("0"), false)
	st.DB(1).SetString([]byte("b"), []byte("1"), false)
	st.DB(0).Swap(st.DB(1))
	if st.DB(0).Lookup([]byte("b"), false) == nil || st.DB(1).Lookup([]byte("a"), false) == nil {
		t.Fatal("swap did not exchange contents")
	}
}

func TestStringEncoding(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{"12345", "int"}, {"-9223372036854775808", "int"}, {"9223372036854775808", "embstr"},
		{"007", "embstr"}, {"+1", "embstr"}, {"", "embstr"},
		{string(make([]byte, 44)), "embstr"}, {string(make([]byte, 45)), "raw"},
	}
	st, _ := newStore(t)
	for _, c := range cases {
		e := st.DB(0).SetString([]byte("k"), []byte(c.in), false)
		if got := e.Encoding(); got != c.want {
			t.Errorf("encoding of %q = %s, want %s", c.in, got, c.want)
		}
	}
}

// TestIsCanonicalInt checks the one-pass test against the definition:
// parses as int64 and prints back identically.
func TestIsCanonicalInt(t *testing.T) {
	ref := func(s string) bool {
		n, err := strconv.ParseInt(s, 10, 64)
		return err == nil && strconv.FormatInt(n, 10) == s
	}
	cases := []string{"", "0", "-0", "00", "01", "-01", "1", "-1", "+1", " 1", "1 ", "12a", "-",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
		"99999999999999999999", "18446744073709551616", "1e3", "123456789012345678"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		n := r.Int64() >> r.IntN(64)
		if r.IntN(2) == 0 {
			n = -n
		}
		s := strconv.FormatInt(n, 10)
		cases = append(cases, s, s+"0", "0"+s, s[:len(s)-1]+"x")
	}
	for _, s := range cases {
		if got, want := keyspace.StringEncoding([]byte(s)) == keyspace.EncInt, ref(s) && len(s) <= 20; got != want {
			t.Errorf("%q: int encoding %v, want %v", s, got, want)
		}
	}
}
