package command

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/keyspace"
)

// TestActiveHashFieldExpiry: the expiry cycle removes expired fields
// without any access to the hash, journals them as HDEL, and deletes a
// hash left empty, so EXISTS and DBSIZE stop counting it.
func TestActiveHashFieldExpiry(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli())
	j := &recordJournal{}
	st := keyspace.New(keyspace.Options{Now: func() time.Time { return time.UnixMilli(now.Load()) }})
	d := New(Options{Store: st, Logger: zerolog.Nop(), Journal: j, ExactClock: true})
	d.EnableJournal()
	s := NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	do(d, s, "HSET", "h", "a", "1", "b", "2")
	do(d, s, "HSET", "g", "a", "1", "b", "2")
	do(d, s, "HPEXPIRE", "h", "100", "FIELDS", "2", "a", "b")
	do(d, s, "HPEXPIRE", "g", "100", "FIELDS", "1", "a")
	j.recs = nil
	now.Add(150)
	if n := d.ExpireCycle(); n != 3 {
		t.Fatalf("ExpireCycle removed %d fields, want 3", n)
	}
	if got := do(d, s, "EXISTS", "h"); got != ":0\r\n" {
		t.Fatalf("EXISTS of a hash whose fields all expired = %q", got)
	}
	if got := do(d, s, "HGETALL", "g"); got != "*2\r\n$1\r\nb\r\n$1\r\n2\r\n" {
		t.Fatalf("HGETALL g = %q", got)
	}
	if len(j.recs) != 2 || j.recs[0][:7] != "HDEL h " && j.recs[1][:7] != "HDEL h " {
		t.Fatalf("journal = %q, want an HDEL per hash", j.recs)
	}
	if n := d.ExpireCycle(); n != 0 {
		t.Fatalf("second cycle removed %d", n)
	}
	if len(d.fieldTTLs.keys) != 0 {
		t.Fatalf("registry still holds %d keys", len(d.fieldTTLs.keys))
	}
}
