package command_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
	"github.com/larder-db/larder/command/families"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/keyspace"
)

// TestActiveHashFieldExpiry: the expiry cycle removes expired fields
// without any access to the hash, journals them as HDEL, and deletes a
// hash left empty, so EXISTS and DBSIZE stop counting it.
func TestActiveHashFieldExpiry(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli())
	j := &commandtest.Journal{}
	st := keyspace.New(keyspace.Options{Now: func() time.Time { return time.UnixMilli(now.Load()) }})
	d := families.New(command.Options{Store: st, Logger: zerolog.Nop(), Journal: j, ExactClock: true})
	d.EnableJournal()
	s := command.NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	commandtest.Do(d, s, "HSET", "h", "a", "1", "b", "2")
	commandtest.Do(d, s, "HSET", "g", "a", "1", "b", "2")
	commandtest.Do(d, s, "HPEXPIRE", "h", "100", "FIELDS", "2", "a", "b")
	commandtest.Do(d, s, "HPEXPIRE", "g", "100", "FIELDS", "1", "a")
	j.Recs = nil
	now.Add(150)
	if n := d.DropExpired(); n != 3 {
		t.Fatalf("ExpireCycle removed %d fields, want 3", n)
	}
	if got := commandtest.Do(d, s, "EXISTS", "h"); got != ":0\r\n" {
		t.Fatalf("EXISTS of a hash whose fields all expired = %q", got)
	}
	if got := commandtest.Do(d, s, "HGETALL", "g"); got != "*2\r\n$1\r\nb\r\n$1\r\n2\r\n" {
		t.Fatalf("HGETALL g = %q", got)
	}
	if len(j.Recs) != 2 || j.Recs[0][:7] != "HDEL h " && j.Recs[1][:7] != "HDEL h " {
		t.Fatalf("journal = %q, want an HDEL per hash", j.Recs)
	}
	if n := d.DropExpired(); n != 0 {
		t.Fatalf("second cycle removed %d", n)
	}
}
