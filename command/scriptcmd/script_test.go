package scriptcmd_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/protocol/resp"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/keyspace"
)

func TestScript_EvalThroughDispatcher(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
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
		if got := commandtest.Do(d, s, c.argv...); !strings.HasPrefix(got, want[i]) {
			t.Errorf("%q: got %q, want %q…", c.argv, got, want[i])
		}
	}
}

// TestScript_ParallelKeyLocked runs key-locked and global scripts from many
// sessions at once (go test -race): the counters end exact.
func TestScript_ParallelKeyLocked(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	const workers, each = 8, 50
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		ws := command.NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
		d.Register(ws)
		wg.Add(1)
		go func(w int, ws *command.Session) {
			defer wg.Done()
			key := fmt.Sprintf("k%d", w%3)
			for i := 0; i < each; i++ {
				commandtest.Do(d, ws, "eval", "#!lua flags=allow-key-locking\nreturn redis.call('incr', KEYS[1])", "1", key)
				commandtest.Do(d, ws, "eval", "return redis.call('incr', 'global')", "0")
			}
		}(w, ws)
	}
	wg.Wait()
	for key, want := range map[string]int{"k0": 150, "k1": 150, "k2": 100, "global": 400} {
		if got := commandtest.Do(d, s, "get", key); got != fmt.Sprintf("$3\r\n%d\r\n", want) {
			t.Errorf("%s = %q, want %d", key, got, want)
		}
	}
}

// TestScript_JournalsEffects: a script's writes reach the journal as the
// commands it ran (its effects), never as the EVAL; reads and failed
// writes add nothing.
func TestScript_JournalsEffects(t *testing.T) {
	j := &commandtest.Journal{}
	d := families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Journal: j, Logger: zerolog.Nop()})
	d.EnableJournal()
	s := command.NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	commandtest.Do(d, s, "eval", "redis.call('set', KEYS[1], 'v'); redis.call('get', KEYS[1]); "+
		"redis.pcall('lpush', KEYS[1], 'x'); return redis.call('incr', 'n')", "1", "k")
	commandtest.Do(d, s, "eval_ro", "return redis.call('get', 'k')", "0")
	want := []string{"SET k v", "incr n"} // SET is normalised by its handler
	if strings.Join(j.Recs, "|") != strings.Join(want, "|") || len(j.Raw) != 1 {
		t.Fatalf("journal %q in %d records, want %q in one", j.Recs, len(j.Raw), want)
	}
}

// TestScript_FunctionJournaled: library changes are journaled as the
// commands themselves (replay rebuilds the libraries); failed ones are not.
func TestScript_FunctionJournaled(t *testing.T) {
	j := &commandtest.Journal{}
	d := families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Journal: j, Logger: zerolog.Nop()})
	d.EnableJournal()
	s := command.NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	lib := "#!lua name=l\nredis.register_function('f', function(keys) return redis.call('incr', keys[1]) end)"
	commandtest.Do(d, s, "function", "load", lib)
	commandtest.Do(d, s, "function", "load", lib) // already exists: nothing
	commandtest.Do(d, s, "fcall", "f", "1", "c")
	commandtest.Do(d, s, "function", "delete", "l")
	commandtest.Do(d, s, "function", "flush")
	want := []string{"function load " + lib, "incr c", "function delete l", "function flush"}
	if strings.Join(j.Recs, "|") != strings.Join(want, "|") {
		t.Fatalf("journal %q, want %q", j.Recs, want)
	}
}

// BenchmarkScript_EvalShaKeyLocked is the fixed-window limiter's shape:
// EVALSHA of a key-locked script doing INCRBY (+ PEXPIRE once).
func BenchmarkScript_EvalShaKeyLocked(b *testing.B) {
	d, s := commandtest.New(b, command.Options{})
	body := "#!lua flags=allow-key-locking\nlocal r = redis.call('INCRBY', KEYS[1], ARGV[3])\n" +
		"if r == tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\nreturn {r, tonumber(ARGV[1])}"
	sha := strings.TrimSpace(strings.Split(commandtest.Do(d, s, "script", "load", body), "\r\n")[1])
	argv := [][]byte{[]byte("evalsha"), []byte(sha), []byte("1"), nil, []byte("10"), []byte("60000"), []byte("1")}
	keys := make([][]byte, 1000)
	for i := range keys {
		keys[i] = []byte(fmt.Sprintf("rl:%d", i))
	}
	w := resp.Writer{Proto: &s.Proto}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		argv[3] = keys[i%len(keys)]
		w.Buf = w.Buf[:0]
		d.Do(s, argv, &w)
	}
}
