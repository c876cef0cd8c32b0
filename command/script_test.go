package command

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/keyspace"
)

func TestScript_ShebangFlags(t *testing.T) {
	cases := []struct {
		name, body string
		flags      scriptFlags
		skip       int
		err        string
	}{
		{"none", "return 1", sfCompat, 0, ""},
		{"bare", "#!lua\nreturn 1", 0, 5, ""},
		{"flags", "#!lua flags=no-writes,allow-oom\nreturn 1", sfNoWrites | sfAllowOOM, 31, ""},
		{"upstash", "#!lua flags=allow-key-locking\nx", sfKeyLocking, 29, ""},
		{"empty flags", "#!lua flags=\nx", 0, 12, ""},
		{"no newline", "#!lua", 0, 0, "ERR Invalid script shebang"},
		{"engine", "#!js\nx", 0, 0, "ERR Unexpected engine in script shebang: #!js"},
		{"option", "#!lua name=x\nx", 0, 0, "ERR Unknown lua shebang option: name=x"},
		{"flag", "#!lua flags=no-writes,bogus\nx", 0, 0, "ERR Unexpected flag in script shebang: bogus"},
	}
	for _, c := range cases {
		f, skip, err := shebangFlags(c.body)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.err || (err == nil && (f != c.flags || skip != c.skip)) {
			t.Errorf("%s: got %v %d %q, want %v %d %q", c.name, f, skip, got, c.flags, c.skip, c.err)
		}
	}
}

func TestScript_ErrorText(t *testing.T) {
	for in, want := range map[string]string{
		"-WRONGTYPE Operation against a key": "WRONGTYPE Operation against a key",
		"-NOSPACE":                           "ERR NOSPACE",
		"plain message":                      "ERR plain message",
		"-ERR trailing\r\n":                  "ERR trailing",
	} {
		if got := errorText(in); got != want {
			t.Errorf("errorText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScript_EvalThroughDispatcher(t *testing.T) {
	d, s := newTestDispatcher(t)
	cases := []struct{ argv []string }{
		{[]string{"eval", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v"}},
		{[]string{"eval", "return redis.call('get', KEYS[1])", "1", "k"}},
		{[]string{"evalsha", "0000000000000000000000000000000000000000", "0"}},
		{[]string{"eval", "return {1, 'two', {ok='three'}, {err='FOUR five'}}", "0"}},
		{[]string{"eval_ro", "return redis.call('del', 'k')", "0"}},
		{[]string{"eval", "#!lua flags=allow-key-locking\nreturn redis.call('get', 'k')", "0"}},
	}
	want := []string{
		"+OK\r\n", "$1\r\nv\r\n", "-NOSCRIPT No matching script. Please use EVAL.\r\n",
		"*4\r\n:1\r\n$3\r\ntwo\r\n+three\r\n-FOUR five\r\n",
		"-ERR Write commands are not allowed from read-only scripts. script: ",
		"-ERR Dynamic keys are not allowed in Lua scripts when 'allow-key-locking' flag is set. Key was: k script: ",
	}
	for i, c := range cases {
		if got := do(d, s, c.argv...); !strings.HasPrefix(got, want[i]) {
			t.Errorf("%q: got %q, want %q…", c.argv, got, want[i])
		}
	}
}

// TestScript_ParallelKeyLocked runs key-locked and global scripts from many
// sessions at once (go test -race): the counters end exact.
func TestScript_ParallelKeyLocked(t *testing.T) {
	d, s := newTestDispatcher(t)
	const workers, each = 8, 50
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		ws := NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
		d.Register(ws)
		wg.Add(1)
		go func(w int, ws *Session) {
			defer wg.Done()
			key := fmt.Sprintf("k%d", w%3)
			for i := 0; i < each; i++ {
				do(d, ws, "eval", "#!lua flags=allow-key-locking\nreturn redis.call('incr', KEYS[1])", "1", key)
				do(d, ws, "eval", "return redis.call('incr', 'global')", "0")
			}
		}(w, ws)
	}
	wg.Wait()
	for key, want := range map[string]int{"k0": 150, "k1": 150, "k2": 100, "global": 400} {
		if got := do(d, s, "get", key); got != fmt.Sprintf("$3\r\n%d\r\n", want) {
			t.Errorf("%s = %q, want %d", key, got, want)
		}
	}
}

// TestScript_JournalsEffects: a script's writes reach the journal as the
// commands it ran (its effects), never as the EVAL; reads and failed
// writes add nothing.
func TestScript_JournalsEffects(t *testing.T) {
	j := &recordJournal{}
	d := New(Options{Store: keyspace.New(keyspace.Options{}), Journal: j, Logger: zerolog.Nop()})
	d.EnableJournal()
	s := NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	do(d, s, "eval", "redis.call('set', KEYS[1], 'v'); redis.call('get', KEYS[1]); "+
		"redis.pcall('lpush', KEYS[1], 'x'); return redis.call('incr', 'n')", "1", "k")
	do(d, s, "eval_ro", "return redis.call('get', 'k')", "0")
	want := []string{"SET k v", "incr n"} // SET is normalised by its handler
	if strings.Join(j.recs, "|") != strings.Join(want, "|") || len(j.raw) != 1 {
		t.Fatalf("journal %q in %d records, want %q in one", j.recs, len(j.raw), want)
	}
}

// TestScript_FunctionJournaled: library changes are journaled as the
// commands themselves (replay rebuilds the libraries); failed ones are not.
func TestScript_FunctionJournaled(t *testing.T) {
	j := &recordJournal{}
	d := New(Options{Store: keyspace.New(keyspace.Options{}), Journal: j, Logger: zerolog.Nop()})
	d.EnableJournal()
	s := NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	lib := "#!lua name=l\nredis.register_function('f', function(keys) return redis.call('incr', keys[1]) end)"
	do(d, s, "function", "load", lib)
	do(d, s, "function", "load", lib) // already exists: nothing
	do(d, s, "fcall", "f", "1", "c")
	do(d, s, "function", "delete", "l")
	do(d, s, "function", "flush")
	want := []string{"function load " + lib, "incr c", "function delete l", "function flush"}
	if strings.Join(j.recs, "|") != strings.Join(want, "|") {
		t.Fatalf("journal %q, want %q", j.recs, want)
	}
}

// BenchmarkScript_EvalShaKeyLocked is the fixed-window limiter's shape:
// EVALSHA of a key-locked script doing INCRBY (+ PEXPIRE once).
func BenchmarkScript_EvalShaKeyLocked(b *testing.B) {
	d, s := newTestDispatcher(b)
	body := "#!lua flags=allow-key-locking\nlocal r = redis.call('INCRBY', KEYS[1], ARGV[3])\n" +
		"if r == tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\nreturn {r, tonumber(ARGV[1])}"
	sha := strings.TrimSpace(strings.Split(do(d, s, "script", "load", body), "\r\n")[1])
	argv := [][]byte{[]byte("evalsha"), []byte(sha), []byte("1"), nil, []byte("10"), []byte("60000"), []byte("1")}
	keys := make([][]byte, 1000)
	for i := range keys {
		keys[i] = []byte(fmt.Sprintf("rl:%d", i))
	}
	w := RESPWriter{S: s}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[3] = keys[i%len(keys)]
		w.Buf = w.Buf[:0]
		d.Do(s, argv, &w)
	}
}
