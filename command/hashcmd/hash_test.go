package hashcmd_test

import (
	"strings"
	"testing"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
	"github.com/larder-db/larder/command/families"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/keyspace"
)

// TestHash_Journal checks the normalised records of the hash writes that
// journal themselves: HINCRBYFLOAT as HSET (HSETEX KEEPTTL when the field
// has a TTL), relative field expiries as HPEXPIREAT, past ones as HDEL,
// HSETEX with an absolute PXAT, and no-ops (and HRANDFIELD) log nothing.
func TestHash_Journal(t *testing.T) {
	j := &commandtest.Journal{}
	d := families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Journal: j, Logger: zerolog.Nop()})
	d.EnableJournal()
	s := command.NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	steps := []struct {
		argv []string
		want string // "" = nothing journaled; a "*" stands for an absolute time
	}{
		{[]string{"hset", "h", "a", "1", "b", "2"}, "hset h a 1 b 2"},
		{[]string{"hincrbyfloat", "h", "a", "1.5"}, "HSET h a 2.5"},
		{[]string{"hrandfield", "h", "-5"}, ""},
		{[]string{"hexpire", "h", "100", "FIELDS", "2", "a", "zz"}, "HPEXPIREAT h * FIELDS 1 a"},
		{[]string{"hexpire", "h", "100", "NX", "FIELDS", "1", "a"}, ""},
		{[]string{"hincrbyfloat", "h", "a", "1"}, "HSETEX h KEEPTTL FIELDS 1 a 3.5"},
		{[]string{"hpexpireat", "h", "1", "FIELDS", "1", "a"}, "HDEL h a"},
		{[]string{"hpersist", "h", "FIELDS", "1", "b"}, ""},
		{[]string{"hsetex", "h", "EX", "100", "FIELDS", "1", "c", "3"}, "HSETEX h PXAT * FIELDS 1 c 3"},
		{[]string{"hgetex", "h", "PERSIST", "FIELDS", "1", "c"}, "HPERSIST h FIELDS 1 c"},
		{[]string{"hgetex", "h", "PX", "5000", "FIELDS", "1", "c"}, "HPEXPIREAT h * FIELDS 1 c"},
		{[]string{"hgetdel", "h", "FIELDS", "2", "c", "zz"}, "HDEL h c"},
		{[]string{"hdel", "h", "zz"}, ""},
		{[]string{"hgetdel", "h", "FIELDS", "1", "b"}, "HDEL h b"},
	}
	for _, st := range steps {
		before := len(j.Recs)
		commandtest.Do(d, s, st.argv...)
		got := strings.Join(j.Recs[before:], " | ")
		if !matchStar(st.want, got) {
			t.Errorf("%v journaled %q, want %q", st.argv, got, st.want)
		}
	}
	if got := commandtest.Do(d, s, "exists", "h"); got != ":0\r\n" {
		t.Fatalf("the emptied hash must be gone: EXISTS = %q", got)
	}
}

// matchStar matches got against want where each "*" in want stands for one
// run of digits.
func matchStar(want, got string) bool {
	for {
		before, after, found := strings.Cut(want, "*")
		if !strings.HasPrefix(got, before) {
			return false
		}
		got = got[len(before):]
		if !found {
			return got == ""
		}
		n := 0
		for n < len(got) && got[n] >= '0' && got[n] <= '9' {
			n++
		}
		if n == 0 {
			return false
		}
		got, want = got[n:], after
	}
}
