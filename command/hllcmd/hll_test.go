package hllcmd_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/keyspace"
)

// journaled returns a dispatcher logging to a commandtest.Journal, and a session.
func journaled(t *testing.T) (*command.Dispatcher, *commandtest.Journal, *command.Session) {
	t.Helper()
	j := &commandtest.Journal{}
	d := families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Journal: j, Logger: zerolog.Nop()})
	d.EnableJournal()
	s := command.NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	return d, j, s
}

func many(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint("e", i)
	}
	return out
}

// TestHLL_Journal: what each HLL command logs. A PFADD or PFCOUNT that
// changed nothing logs nothing; a promotion to dense is logged after the
// command as PFDEBUG TODENSE; PFCOUNT refreshing its cache logs itself.
func TestHLL_Journal(t *testing.T) {
	d, j, s := journaled(t)
	steps := []struct {
		argv []string
		want string // the records the step appends, joined by " | "
	}{
		{[]string{"pfadd", "h", "a"}, "pfadd h a"},
		{[]string{"pfadd", "h", "a"}, ""},
		{[]string{"pfcount", "h"}, "pfcount h"},
		{[]string{"pfcount", "h"}, ""},
		{[]string{"pfcount", "h", "nokey"}, ""},
		{append([]string{"pfadd", "big"}, many(2000)...), strings.Join(append([]string{"pfadd", "big"}, many(2000)...), " ") + " | PFDEBUG TODENSE big"},
		{[]string{"pfmerge", "m", "h"}, "pfmerge m h"},
		{[]string{"pfmerge", "m2", "big"}, "pfmerge m2 big | PFDEBUG TODENSE m2"},
		{[]string{"pfdebug", "encoding", "m"}, ""},
		{[]string{"pfdebug", "getreg", "m"}, "PFDEBUG TODENSE m"},
		{[]string{"pfdebug", "todense", "m"}, ""},
		{[]string{"pfdebug", "todense", "h"}, "PFDEBUG TODENSE h"},
		{[]string{"set", "c", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x40\x00\x7f\xfd"}, "SET c HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x40\x00\x7f\xfd"},
		{[]string{"pfadd", "c", "q6193"}, ""}, // corrupted, nothing changed
	}
	for _, st := range steps {
		before := len(j.Recs)
		commandtest.Do(d, s, st.argv...)
		if got := strings.Join(j.Recs[before:], " | "); got != st.want {
			t.Fatalf("%.60q: logged %.200q, want %.200q", st.argv, got, st.want)
		}
	}
	// a PFADD stopped by corruption after a change logs the bytes it left
	before := len(j.Recs)
	if got := commandtest.Do(d, s, "pfadd", "c", "a", "q6193"); got != "-INVALIDOBJ Corrupted HLL object detected\r\n" {
		t.Fatalf("PFADD c a q6193 = %q", got)
	}
	want := "SET c " + strings.TrimSuffix(strings.SplitN(commandtest.Do(d, s, "get", "c"), "\r\n", 2)[1], "\r\n")
	if got := strings.Join(j.Recs[before:], " | "); got != want {
		t.Fatalf("logged %q, want %q", got, want)
	}
}

// TestHLL_ReplayAndMemory: replaying the log rebuilds the same values, and
// the keyspace's memory accounting follows the values as they grow.
func TestHLL_ReplayAndMemory(t *testing.T) {
	d, j, s := journaled(t)
	used := func(d *command.Dispatcher) int64 {
		var n int64
		db := d.Store().DB(0)
		for i := 0; i < d.Store().ShardsPerDB(); i++ {
			n += db.Shard(i).Used()
		}
		return n
	}
	commandtest.Do(d, s, "pfadd", "h", "a")
	small := used(d)
	commandtest.Do(d, s, append([]string{"pfadd", "h"}, many(3000)...)...)
	if grown := used(d); grown < small+12000 {
		t.Fatalf("memory %d after the promotion to dense, %d before", grown, small)
	}
	commandtest.Do(d, s, "pfcount", "h")
	commandtest.Do(d, s, "pfmerge", "m", "h", "x")
	commandtest.Do(d, s, "config", "set", "hll-sparse-max-bytes", "10")
	commandtest.Do(d, s, "pfadd", "tiny", "a", "b", "c")
	d2, _, s2 := journaled(t)
	for _, rec := range j.Raw {
		if err := d2.Replay(rec); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{"h", "m", "tiny"} {
		if a, b := commandtest.Do(d, s, "get", k), commandtest.Do(d2, s2, "get", k); a != b {
			t.Fatalf("%s differs after replay:\n%q\n%q", k, a, b)
		}
	}
	if got := commandtest.Do(d2, s2, "pfdebug", "encoding", "tiny"); got != "+dense\r\n" {
		t.Fatalf("tiny after replay: %q", got)
	}
}

// TestHLL_ConcurrentCount: PFCOUNT writes its cache into the value, so it
// must hold the shard for writing; under -race, clients counting and adding
// at once would otherwise be reported.
func TestHLL_ConcurrentCount(t *testing.T) {
	d, _, _ := journaled(t)
	done := make(chan struct{})
	for w := 0; w < 3; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			s := command.NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
			d.Register(s)
			for i := 0; i < 200; i++ {
				commandtest.Do(d, s, "pfadd", "h", fmt.Sprint(w, "-", i))
				if got := commandtest.Do(d, s, "pfcount", "h"); !strings.HasPrefix(got, ":") {
					t.Errorf("PFCOUNT = %q", got)
					return
				}
			}
		}()
	}
	for w := 0; w < 3; w++ {
		<-done
	}
}
