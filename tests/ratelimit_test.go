package tests

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"
)

// The @upstash/ratelimit scenarios over TCP through go-redis: the scripts
// are EVALSHA'd (EVAL on NOSCRIPT, as the package does) against Larder with
// their allow-key-locking shebang, and against redis-server 7.0 with that
// line reduced to "#!lua" (Redis refuses the flag); both must answer the
// same.
//
// The scripts come from the package itself when its dist/index.js is found
// (LARDER_RATELIMIT_DIST, or tests/sdk/node_modules after `npm install`
// there): then the SHA-1 constants the package sends are checked too.
// Otherwise the test runs Larder's own scripts of the same shape (same
// KEYS, ARGV, commands and replies), written for this test.

type rlScript struct {
	body string
	hash string // the package's constant, "" for our own scripts
}

// ownRatelimitScripts are equivalents of the package's limiter scripts.
var ownRatelimitScripts = map[string]string{
	"fixedWindow.limit": `#!lua flags=allow-key-locking
local limit = tonumber(ARGV[1])
if KEYS[2] and KEYS[2] ~= "" then
  local dyn = redis.call("GET", KEYS[2])
  if dyn then limit = tonumber(dyn) end
end
local count = redis.call("INCRBY", KEYS[1], ARGV[3])
if count == tonumber(ARGV[3]) then redis.call("PEXPIRE", KEYS[1], ARGV[2]) end
return {count, limit}
`,
	"fixedWindow.getRemaining": `#!lua flags=allow-key-locking
local limit = tonumber(ARGV[1])
if KEYS[2] and KEYS[2] ~= "" then
  local dyn = redis.call("GET", KEYS[2])
  if dyn then limit = tonumber(dyn) end
end
local used = tonumber(redis.call("GET", KEYS[1]) or 0)
return {limit - used, limit}
`,
	"slidingWindow.limit": `#!lua flags=allow-key-locking
local limit, now, window, rate = tonumber(ARGV[1]), ARGV[2], ARGV[3], tonumber(ARGV[4])
local cur = redis.call("GET", KEYS[1]) or 0
local prev = redis.call("GET", KEYS[2]) or 0
prev = math.floor((1 - (now % window) / window) * prev)
if rate > 0 and prev + cur >= limit then return {-1, limit} end
local n = redis.call("INCRBY", KEYS[1], rate)
if n == rate then redis.call("PEXPIRE", KEYS[1], window * 2 + 1000) end
return {limit - (n + prev), limit}
`,
	"tokenBucket.limit": `#!lua flags=allow-key-locking
local max, interval, refill, now, rate = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local b = redis.call("HMGET", KEYS[1], "refilledAt", "tokens")
local at, tokens = now, max
if b[1] ~= false then at, tokens = tonumber(b[1]), tonumber(b[2]) end
if now >= at + interval then
  local k = math.floor((now - at) / interval)
  tokens = math.min(max, tokens + k * refill)
  at = at + k * interval
end
if rate > 0 and tokens < rate then return {-1, at + interval, max} end
local left = tokens - rate
redis.call("HSET", KEYS[1], "refilledAt", at, "tokens", left)
local ttl = math.ceil((max - left) / refill) * interval
if ttl > 0 then redis.call("PEXPIRE", KEYS[1], ttl) end
return {left, at + interval, max}
`,
	"cachedFixedWindow.limit": `#!lua flags=allow-key-locking
local n = redis.call("INCRBY", KEYS[1], ARGV[2])
if n == ARGV[2] then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end
return n
`,
	"multiRegion.fixedWindow.limit": `#!lua flags=allow-key-locking
redis.call("HSET", KEYS[1], ARGV[1], tonumber(ARGV[3]))
local fields = redis.call("HGETALL", KEYS[1])
if #fields == 2 and tonumber(fields[2]) == tonumber(ARGV[3]) then redis.call("PEXPIRE", KEYS[1], ARGV[2]) end
return fields
`,
	"reset": `
local cursor = "0"
repeat
  local r = redis.call("SCAN", cursor, "MATCH", KEYS[1])
  cursor = r[1]
  for _, k in ipairs(r[2]) do redis.call("DEL", k) end
until cursor == "0"
`,
}

// packageScriptVars maps our names to the package's variable names.
var packageScriptVars = map[string]string{
	"fixedWindow.limit":             "fixedWindowLimitScript",
	"fixedWindow.getRemaining":      "fixedWindowRemainingTokensScript",
	"slidingWindow.limit":           "slidingWindowLimitScript",
	"tokenBucket.limit":             "tokenBucketLimitScript",
	"cachedFixedWindow.limit":       "cachedFixedWindowLimitScript",
	"multiRegion.fixedWindow.limit": "fixedWindowLimitScript2",
	"reset":                         "resetScript",
}

// ratelimitScripts returns the package's scripts if its dist is at hand,
// else ours.
func ratelimitScripts(t *testing.T) (map[string]rlScript, bool) {
	path := os.Getenv("LARDER_RATELIMIT_DIST")
	if path == "" {
		path = filepath.Join("sdk", "node_modules", "@upstash", "ratelimit", "dist", "index.js")
	}
	src, err := os.ReadFile(path)
	out := map[string]rlScript{}
	if err != nil {
		t.Logf("@upstash/ratelimit dist not found (%v): running Larder's equivalent scripts", err)
		for name, body := range ownRatelimitScripts {
			out[name] = rlScript{body: body}
		}
		return out, false
	}
	js := string(src)
	js = strings.ReplaceAll(js, "${tokenBucketIdentifierNotFound}", "-1")
	for name, v := range packageScriptVars {
		m := regexp.MustCompile(`(?s)var ` + v + " = `(.*?)`;").FindStringSubmatch(js)
		if m == nil {
			t.Fatalf("%s: script %s not found", path, v)
		}
		h := regexp.MustCompile(`script: ` + v + `,\s*hash: "([0-9a-f]{40})"`).FindStringSubmatch(js)
		if h == nil {
			t.Fatalf("%s: hash of %s not found", path, v)
		}
		out[name] = rlScript{body: m[1], hash: h[1]}
	}
	t.Logf("using the scripts of %s", path)
	return out, true
}

// rlClient runs scripts the package's way: EVALSHA, then EVAL on NOSCRIPT.
type rlClient struct {
	rdb     *redis.Client
	scripts map[string]rlScript
	strip   bool // Redis: "#!lua flags=allow-key-locking" -> "#!lua"
}

func (c *rlClient) body(name string) string {
	b := c.scripts[name].body
	if c.strip {
		b = strings.Replace(b, "#!lua flags=allow-key-locking", "#!lua", 1)
	}
	return b
}

func (c *rlClient) run(name string, keys []string, args ...any) (any, error) {
	ctx := context.Background()
	body := c.body(name)
	sum := sha1.Sum([]byte(body))
	res, err := c.rdb.EvalSha(ctx, hex.EncodeToString(sum[:]), keys, args...).Result()
	if err != nil && strings.Contains(err.Error(), "NOSCRIPT") {
		res, err = c.rdb.Eval(ctx, body, keys, args...).Result()
	}
	if err == redis.Nil {
		return nil, nil
	}
	return res, err
}

// rlScenario is one limiter conversation; it returns what it saw.
func rlScenario(t *testing.T, c *rlClient) []string {
	var log []string
	note := func(name string, keys []string, args ...any) {
		t.Helper()
		res, err := c.run(name, keys, args...)
		log = append(log, fmt.Sprintf("%s %v %v -> %v %v", name, keys, args, res, err))
	}
	now := int64(1_700_000_000_000)
	for i := 0; i < 7; i++ {
		note("fixedWindow.limit", []string{"rl:fw:u1:1", "rl:dynamic:global"}, 5, 60000, 1)
	}
	note("fixedWindow.getRemaining", []string{"rl:fw:u1:1", "rl:dynamic:global"}, 5)
	c.rdb.Set(context.Background(), "rl:dynamic:global", "9", 0)
	note("fixedWindow.limit", []string{"rl:fw:u1:1", "rl:dynamic:global"}, 5, 60000, 1)
	note("fixedWindow.getRemaining", []string{"rl:fw:u1:1", "rl:dynamic:global"}, 5)
	note("fixedWindow.limit", []string{"rl:fw:u2:1"}, 5, 60000, 3)
	for i := 0; i < 5; i++ {
		note("slidingWindow.limit", []string{"rl:sw:u1:11", "rl:sw:u1:10"}, 4, now, 10000, 1)
	}
	note("slidingWindow.limit", []string{"rl:sw:u1:11", "rl:sw:u1:10"}, 4, now, 10000, -1)
	for i := 0; i < 4; i++ {
		note("tokenBucket.limit", []string{"rl:tb:u1"}, 3, 1000, 1, now+int64(i)*400, 1)
	}
	note("tokenBucket.limit", []string{"rl:tb:u1"}, 3, 1000, 1, now+5000, 2)
	note("tokenBucket.limit", []string{"rl:tb:u1"}, 3, 1000, 1, now+5000, 5)
	for i := 0; i < 3; i++ {
		note("cachedFixedWindow.limit", []string{"rl:cfw:u1:1"}, 60000, 1)
	}
	note("multiRegion.fixedWindow.limit", []string{"rl:mr:u1:1"}, "req0000000000001", 60000, 1)
	note("multiRegion.fixedWindow.limit", []string{"rl:mr:u1:1"}, "req0000000000002", 60000, 2)
	ttl := c.rdb.PTTL(context.Background(), "rl:fw:u1:1").Val()
	log = append(log, fmt.Sprintf("fixed window key has a TTL: %v", ttl > 0))
	note("reset", []string{"rl:fw:u1:*"}, "null")
	log = append(log, fmt.Sprintf("after reset: %d", c.rdb.Exists(context.Background(), "rl:fw:u1:1").Val()))
	return log
}

func TestRatelimit_Scripts(t *testing.T) {
	scripts, fromPackage := ratelimitScripts(t)
	p := sharedPair(t)
	p.do("FLUSHALL")
	l := &rlClient{rdb: redis.NewClient(&redis.Options{Addr: p.larder.addr}), scripts: scripts}
	r := &rlClient{rdb: redis.NewClient(&redis.Options{Addr: p.redis.addr}), scripts: scripts, strip: true}
	t.Cleanup(func() { _ = l.rdb.Close(); _ = r.rdb.Close() })
	if fromPackage {
		// Larder caches a script under the SHA-1 of its exact text, so the
		// package's constants hit on the second call.
		for name, s := range scripts {
			got, err := l.rdb.ScriptLoad(context.Background(), s.body).Result()
			if err != nil || got != s.hash {
				t.Errorf("%s: SCRIPT LOAD = %q, %v; the package sends %s", name, got, err, s.hash)
			}
		}
	}
	ll, rl := rlScenario(t, l), rlScenario(t, r)
	for i := range ll {
		if ll[i] != rl[i] {
			t.Errorf("step %d:\n larder %s\n redis  %s", i, ll[i], rl[i])
		}
	}
	t.Logf("%d steps alike:\n%s", len(ll), strings.Join(ll, "\n"))
}

// TestRatelimit_ExactCount: N parallel limit() calls on one identifier
// allow exactly the limit, with key locking doing the work in parallel on
// different identifiers too.
func TestRatelimit_ExactCount(t *testing.T) {
	scripts, _ := ratelimitScripts(t)
	lr := startLarder(t)
	rdb := redis.NewClient(&redis.Options{Addr: lr.addr, PoolSize: 32})
	t.Cleanup(func() { _ = rdb.Close() })
	c := &rlClient{rdb: rdb, scripts: scripts}
	const limit, calls, ids = 25, 200, 8
	var allowed [ids]atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, calls*ids)
	for w := 0; w < calls*ids; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			id := w % ids
			res, err := c.run("fixedWindow.limit", []string{fmt.Sprintf("rl:exact:%d:1", id)}, limit, 60000, 1)
			if err != nil {
				errs <- err
				return
			}
			if v := res.([]any); v[0].(int64) <= v[1].(int64) {
				allowed[id].Add(1)
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for id := range allowed {
		if n := allowed[id].Load(); n != limit {
			t.Errorf("identifier %d: %d of %d calls allowed, want exactly %d", id, n, calls, limit)
		}
		got := rdb.Get(context.Background(), fmt.Sprintf("rl:exact:%d:1", id)).Val()
		if got != fmt.Sprint(calls) {
			t.Errorf("identifier %d: counter %s, want %d", id, got, calls)
		}
	}
}
