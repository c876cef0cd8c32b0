package command_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
)

// eventRecorder keeps the channel and payload of every message pushed.
type eventRecorder struct {
	mu   sync.Mutex
	msgs []string
}

func (p *eventRecorder) Start() {}
func (p *eventRecorder) Push(m *command.Message) {
	p.mu.Lock()
	p.msgs = append(p.msgs, string(m.Channel)+" "+string(m.Payload))
	p.mu.Unlock()
}

func (p *eventRecorder) count(prefix string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, m := range p.msgs {
		if strings.HasPrefix(m, prefix) {
			n++
		}
	}
	return n
}

// fillOver writes n keys of 100 bytes named prefix0… and fails on any error.
func fillOver(t *testing.T, d *command.Dispatcher, s *command.Session, prefix string, n int, ttl bool) {
	t.Helper()
	v := strings.Repeat("v", 100)
	for i := range n {
		argv := []string{"SET", prefix + strconv.Itoa(i), v}
		if ttl {
			argv = append(argv, "EX", "3600")
		}
		if r := commandtest.Do(d, s, argv...); r != "+OK\r\n" {
			t.Fatalf("%v = %q (used %d, limit %d)", argv, r, d.UsedMemory(), d.MaxMemory())
		}
	}
}

// limitAbove sets maxmemory to the current usage plus room bytes.
func limitAbove(t *testing.T, d *command.Dispatcher, s *command.Session, room int64) int64 {
	t.Helper()
	limit := d.UsedMemory() + room
	if r := commandtest.Do(d, s, "CONFIG", "SET", "maxmemory", strconv.FormatInt(limit, 10)); r != "+OK\r\n" {
		t.Fatalf("CONFIG SET maxmemory = %q", r)
	}
	return limit
}

// TestEvict_AllKeysJournaled: under allkeys-lru writes past maxmemory never
// fail, usage stays at the limit, and each eviction is a DEL in the journal,
// an "evicted" event, a failed WATCH and one more evicted_keys (which
// CONFIG RESETSTAT clears).
func TestEvict_AllKeysJournaled(t *testing.T) {
	d, j, s := journaled()
	sub := command.NewSession("sub", "127.0.0.1:3", "127.0.0.1:2", time.Now())
	d.Register(sub)
	rec := &eventRecorder{}
	sub.Pusher = rec
	commandtest.Do(d, s, "CONFIG", "SET", "notify-keyspace-events", "Ee", "maxmemory-policy", "allkeys-lru",
		"maxmemory-eviction-tenacity", "100") // no background eviction: the counts below are final
	commandtest.Do(d, sub, "SUBSCRIBE", "__keyevent@0__:evicted")
	fillOver(t, d, s, "w", 10, false)
	commandtest.Do(d, s, "WATCH", "w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9")
	limit := limitAbove(t, d, s, 50_000)
	fillOver(t, d, s, "k", 2000, false)
	if used := d.UsedMemory(); used > limit+1000 {
		t.Fatalf("used %d after the writes, limit %d", used, limit)
	}
	evicted := d.EvictedKeys()
	if evicted < 1000 {
		t.Fatalf("evicted_keys = %d after 2000 writes of ~200 bytes over 50 KB of room", evicted)
	}
	dels := 0
	for _, r := range j.Recs {
		if strings.HasPrefix(r, "DEL ") {
			dels++
		}
	}
	if int64(dels) != evicted || int64(rec.count("__keyevent@0__:evicted ")) != evicted {
		t.Fatalf("evicted %d keys: %d DEL records, %d evicted events", evicted, dels, rec.count("__keyevent@0__:evicted "))
	}
	// INFO is a command too: over the limit it may evict first.
	if info := commandtest.Do(d, s, "INFO", "stats"); !strings.Contains(info, "evicted_keys:"+strconv.FormatInt(d.EvictedKeys(), 10)+"\r\n") {
		t.Fatalf("INFO stats does not show evicted_keys %d: %q", d.EvictedKeys(), info)
	}
	// Each of the ten watched keys survives with about the odds of 250 in
	// 2000: that none was evicted is not a chance worth a flake.
	if r := commandtest.Do(d, s, "EXISTS", "w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9"); r == ":10\r\n" {
		t.Fatal("no watched key was evicted")
	}
	commandtest.Do(d, s, "MULTI")
	commandtest.Do(d, s, "PING")
	if r := commandtest.Do(d, s, "EXEC"); r != "*-1\r\n" {
		t.Fatalf("EXEC after a watched key was evicted = %q", r)
	}
	commandtest.Do(d, s, "CONFIG", "RESETSTAT")
	if d.EvictedKeys() != 0 {
		t.Fatalf("evicted_keys = %d after CONFIG RESETSTAT", d.EvictedKeys())
	}
}

// TestEvict_VolatileOnlyTTLKeys: every volatile policy evicts only keys
// with an expiry, and answers OOM once none is left, as Redis (tenacity 100:
// no time limit, so no command runs while an eviction goes on in the
// background).
func TestEvict_VolatileOnlyTTLKeys(t *testing.T) {
	for _, policy := range []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"} {
		t.Run(policy, func(t *testing.T) {
			d, s := commandtest.New(t, command.Options{})
			commandtest.Do(d, s, "CONFIG", "SET", "maxmemory-policy", policy, "maxmemory-eviction-tenacity", "100")
			fillOver(t, d, s, "p", 100, false)
			limitAbove(t, d, s, 40_000)
			fillOver(t, d, s, "t", 1000, true)
			if d.EvictedKeys() == 0 {
				t.Fatal("nothing evicted")
			}
			if r := commandtest.Do(d, s, "EXISTS", "p0", "p50", "p99"); r != ":3\r\n" {
				t.Fatalf("persistent keys after evictions: EXISTS = %q", r)
			}
			v := strings.Repeat("x", 100_000)
			for i := 0; ; i++ {
				r := commandtest.Do(d, s, "SET", "big"+strconv.Itoa(i), v)
				if r == "-"+string(command.ErrOOM)+"\r\n" {
					break
				}
				if r != "+OK\r\n" || i > 100 {
					t.Fatalf("SET big%d = %q", i, r)
				}
			}
			if r := commandtest.Do(d, s, "DBSIZE"); r != ":101\r\n" {
				t.Fatalf("DBSIZE after the OOM = %q, want the 100 persistent keys and one big", r)
			}
		})
	}
}

// TestEvict_NoEviction: noeviction refuses deny-oom commands and lets
// reads and deletions run; a script with allow-oom may still write.
func TestEvict_NoEviction(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	fillOver(t, d, s, "k", 10, false)
	commandtest.Do(d, s, "CONFIG", "SET", "maxmemory", "1")
	oom := "-" + string(command.ErrOOM) + "\r\n"
	for _, tc := range []struct {
		argv []string
		want string
	}{
		{[]string{"SET", "a", "1"}, oom},
		{[]string{"GET", "k1"}, "$100\r\n" + strings.Repeat("v", 100) + "\r\n"},
		{[]string{"DEL", "k1"}, ":1\r\n"},
		{[]string{"EVAL", "#!lua\nreturn 1", "0"}, oom},
		{[]string{"EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','a','1')", "0"}, "+OK\r\n"},
		{[]string{"EVAL", "return redis.call('set','b','1')", "0"}, "-OOM command not allowed when used memory > 'maxmemory'. script: "},
	} {
		if r := commandtest.Do(d, s, tc.argv...); !strings.HasPrefix(r, tc.want) {
			t.Errorf("%q = %q, want %q", tc.argv, r, tc.want)
		}
	}
	if d.EvictedKeys() != 0 {
		t.Fatalf("noeviction evicted %d keys", d.EvictedKeys())
	}
}

// TestEvict_AllKeysLFUKeepsHotKeys: under allkeys-lfu a key read often
// survives a stream of new keys that fill memory many times over.
func TestEvict_AllKeysLFUKeepsHotKeys(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	commandtest.Do(d, s, "CONFIG", "SET", "maxmemory-policy", "allkeys-lfu", "lfu-log-factor", "0",
		"maxmemory-eviction-tenacity", "100")
	fillOver(t, d, s, "hot", 10, false)
	for range 50 {
		for i := range 10 {
			commandtest.Do(d, s, "GET", "hot"+strconv.Itoa(i))
		}
	}
	limitAbove(t, d, s, 30_000)
	fillOver(t, d, s, "cold", 3000, false)
	for i := range 10 {
		if r := commandtest.Do(d, s, "EXISTS", "hot"+strconv.Itoa(i)); r != ":1\r\n" {
			t.Fatalf("hot%d was evicted (freq %q)", i, commandtest.Do(d, s, "OBJECT", "FREQ", "hot"+strconv.Itoa(i)))
		}
	}
}

// TestEvict_Concurrent: sessions writing at once at the limit, with
// maxmemory-eviction-tenacity 0 so evictions also go on in the background,
// never get OOM under allkeys-random, and usage settles under the limit.
func TestEvict_Concurrent(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	commandtest.Do(d, s, "CONFIG", "SET", "maxmemory-policy", "allkeys-random", "maxmemory-eviction-tenacity", "0")
	limit := limitAbove(t, d, s, 100_000)
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for w := range 4 {
		c := command.NewSession("w", "127.0.0.1:4", "127.0.0.1:2", time.Now())
		d.Register(c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1500 {
				if r := commandtest.Do(d, c, "SET", strconv.Itoa(w)+":"+strconv.Itoa(i), strings.Repeat("v", 100)); r != "+OK\r\n" {
					errs <- r
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for r := range errs {
		t.Fatalf("SET at the limit = %q", r)
	}
	// Each command evicts at least 16 keys while over the limit (tenacity
	// 0 stops it there): a few bring usage back under it.
	for i := 0; d.UsedMemory() > limit; i++ {
		if i == 100 {
			t.Fatalf("used %d, limit %d, after 100 commands", d.UsedMemory(), limit)
		}
		commandtest.Do(d, s, "PING")
	}
}

// TestEvict_TrackingBeforeReply: a RESP3 tracking client whose command makes
// room hears of its evicted key before that command's reply, as Redis's
// "Tracking invalidation message of eviction keys should be before response".
func TestEvict_TrackingBeforeReply(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	s.Pusher = &eventRecorder{}
	commandtest.Do(d, s, "HELLO", "3")
	commandtest.Do(d, s, "CLIENT", "TRACKING", "on")
	commandtest.Do(d, s, "CONFIG", "SET", "maxmemory-policy", "volatile-random")
	limitAbove(t, d, s, 100<<10)
	commandtest.Do(d, s, "SETEX", "volatile-key", "10000", "x")
	commandtest.Do(d, s, "GET", "volatile-key")
	commandtest.Do(d, s, "SETBIT", "big-key", "1600000", "0")
	want := ">2\r\n$10\r\ninvalidate\r\n*1\r\n$12\r\nvolatile-key\r\n:0\r\n"
	if r := commandtest.Do(d, s, "GETBIT", "big-key", "0"); r != want {
		t.Fatalf("GETBIT after the limit = %q, want %q", r, want)
	}
}

// TestEvict_OOMInMulti: over the limit with nothing to evict, MULTI queues
// nothing (a read included) and an EXEC whose queue holds a deny-oom
// command is refused, discarding it; DISCARD still runs, as in Redis.
func TestEvict_OOMInMulti(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	commandtest.Do(d, s, "MULTI")
	commandtest.Do(d, s, "SET", "a", "1")
	c := command.NewSession("admin", "127.0.0.1:5", "127.0.0.1:2", time.Now())
	d.Register(c)
	commandtest.Do(d, c, "CONFIG", "SET", "maxmemory", "1")
	oom := "-" + string(command.ErrOOM) + "\r\n"
	for _, tc := range []struct {
		argv []string
		want string
	}{
		{[]string{"EXEC"}, "-EXECABORT Transaction discarded because of: " + string(command.ErrOOM) + "\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"GET", "a"}, oom},
		{[]string{"DISCARD"}, "+OK\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"EXEC"}, "*0\r\n"},
	} {
		if r := commandtest.Do(d, s, tc.argv...); r != tc.want {
			t.Errorf("%v = %q, want %q", tc.argv, r, tc.want)
		}
	}
}
