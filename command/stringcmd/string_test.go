package stringcmd_test

import (
	"strings"
	"testing"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/protocol/resp"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/keyspace"
)

func TestString_IncrKeepsIntEncodingAndTTL(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	steps := []struct {
		argv []string
		want string
	}{
		{[]string{"incr", "n"}, ":1\r\n"},
		{[]string{"incrby", "n", "41"}, ":42\r\n"},
		{[]string{"object", "encoding", "n"}, "$3\r\nint\r\n"},
		{[]string{"set", "n", "9223372036854775806"}, "+OK\r\n"},
		{[]string{"incr", "n"}, ":9223372036854775807\r\n"},
		{[]string{"incr", "n"}, "-ERR increment or decrement would overflow\r\n"},
		{[]string{"get", "n"}, "$19\r\n9223372036854775807\r\n"},
		{[]string{"decrby", "n", "-9223372036854775808"}, "-ERR decrement would overflow\r\n"},
		{[]string{"set", "n", "007"}, "+OK\r\n"},
		{[]string{"incr", "n"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"set", "t", "5", "px", "100000000"}, "+OK\r\n"},
		{[]string{"decr", "t"}, ":4\r\n"},
		{[]string{"object", "encoding", "t"}, "$3\r\nint\r\n"},
	}
	for _, st := range steps {
		if got := commandtest.Do(d, s, st.argv...); got != st.want {
			t.Fatalf("%v: got %q, want %q", st.argv, got, st.want)
		}
	}
	if got := commandtest.Do(d, s, "pttl", "t"); !strings.HasPrefix(got, ":") || got == ":-1\r\n" {
		t.Fatalf("DECR dropped the TTL: PTTL = %q", got)
	}
}

// TestString_IncrAllocationFree guards the benchmarked path: once a counter
// exists, INCR rewrites its digits in place.
func TestString_IncrAllocationFree(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	commandtest.Do(d, s, "set", "counter", "1")
	argv := [][]byte{[]byte("INCR"), []byte("counter")}
	w := resp.Writer{Proto: &s.Proto}
	d.Do(s, argv, &w) // first INCR grows the buffer to 20 bytes
	allocs := testing.AllocsPerRun(200, func() {
		w.Buf = w.Buf[:0]
		d.Do(s, argv, &w)
	})
	if allocs > 0 {
		t.Fatalf("INCR allocates %.1f times per call", allocs)
	}
}

func TestString_RangesAndAppend(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	steps := []struct {
		argv []string
		want string
	}{
		{[]string{"setrange", "k", "3", "ab"}, ":5\r\n"},
		{[]string{"get", "k"}, "$5\r\n\x00\x00\x00ab\r\n"},
		{[]string{"append", "k", "c"}, ":6\r\n"},
		{[]string{"object", "encoding", "k"}, "$3\r\nraw\r\n"},
		{[]string{"getrange", "k", "-3", "-1"}, "$3\r\nabc\r\n"},
		{[]string{"getrange", "k", "-1", "-3"}, "$0\r\n\r\n"},
		{[]string{"substr", "k", "4", "100"}, "$2\r\nbc\r\n"},
		{[]string{"setrange", "k", "-1", "x"}, "-ERR offset is out of range\r\n"},
		{[]string{"setrange", "k", "536870912", "x"}, "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"},
		{[]string{"setrange", "missing", "0", ""}, ":0\r\n"},
		{[]string{"exists", "missing"}, ":0\r\n"},
		{[]string{"strlen", "k"}, ":6\r\n"},
	}
	for _, st := range steps {
		if got := commandtest.Do(d, s, st.argv...); got != st.want {
			t.Fatalf("%v: got %q, want %q", st.argv, got, st.want)
		}
	}
}

// TestString_Journal checks the normalised records: relative expiries become
// absolute, INCRBYFLOAT becomes SET … KEEPTTL, GETEX becomes PEXPIREAT, DEL
// or PERSIST, and writes that change nothing log nothing.
func TestString_Journal(t *testing.T) {
	j := &commandtest.Journal{}
	d := families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Journal: j, Logger: zerolog.Nop()})
	d.EnableJournal()
	s := command.NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	steps := []struct {
		argv []string
		want string // "" = nothing journaled; a trailing "*" matches any absolute time
	}{
		{[]string{"setex", "k", "100", "v"}, "SET k v PXAT *"},
		{[]string{"psetex", "k", "100000", "v"}, "SET k v PXAT *"},
		{[]string{"setnx", "k", "w"}, ""},
		{[]string{"setnx", "n", "1"}, "setnx n 1"},
		{[]string{"incrbyfloat", "n", "1.5"}, "SET n 2.5 KEEPTTL"},
		{[]string{"incr", "c"}, "incr c"},
		{[]string{"getex", "k"}, ""},
		{[]string{"getex", "k", "px", "5000"}, "PEXPIREAT k *"},
		{[]string{"getex", "k", "pxat", "4102444800000"}, "PEXPIREAT k 4102444800000"},
		{[]string{"getex", "k", "persist"}, "PERSIST k"},
		{[]string{"getex", "k", "persist"}, ""},
		{[]string{"getex", "missing", "ex", "10"}, ""},
		{[]string{"getex", "k", "exat", "1"}, "DEL k"},
		{[]string{"msetnx", "n", "1", "z", "2"}, ""},
		{[]string{"mset", "a", "1", "b", "2"}, "mset a 1 b 2"},
		{[]string{"getdel", "a"}, "getdel a"},
		{[]string{"getdel", "a"}, ""},
		{[]string{"setrange", "a", "0", ""}, ""},
		{[]string{"incr", "b", "extra"}, ""},
	}
	for _, st := range steps {
		before := len(j.Recs)
		commandtest.Do(d, s, st.argv...)
		got := strings.Join(j.Recs[before:], " | ")
		want, prefix := strings.CutSuffix(st.want, "*")
		if (prefix && (!strings.HasPrefix(got, want) || len(got) == len(want))) || (!prefix && got != want) {
			t.Errorf("%v journaled %q, want %q", st.argv, got, st.want)
		}
	}
}

func BenchmarkDispatcher_Incr(b *testing.B) {
	d, s := commandtest.New(b, command.Options{})
	argv := [][]byte{[]byte("INCR"), []byte("counter:000001")}
	w := resp.Writer{Proto: &s.Proto}
	b.ReportAllocs()
	for b.Loop() {
		w.Buf = w.Buf[:0]
		d.Do(s, argv, &w)
	}
}
