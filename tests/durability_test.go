package tests

// Durability tests of the built binary that need no crash loop: R6 (a
// counter while snapshotting), R18 (expiry across restarts), snapshot
// triggers, one process per data dir, appendonly no, INFO persistence.

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// aofFlags start the server with the log on and the strictest policy.
var aofFlags = []string{"--appendonly", "yes", "--appendfsync", "always"}

// TestDurability_CounterWhileSnapshotting is R6 (aof-race.tcl): 20 clients
// × 1000 INCR on one key while BGSAVE is forced every 100 ms give exactly
// 20000, live and after a clean restart; 20000 more, a BGSAVE, SIGKILL at
// once, give 40000 after the restart.
func TestDurability_CounterWhileSnapshotting(t *testing.T) {
	n := newNode(t, filepath.Join(t.TempDir(), "data"), aofFlags...)
	n.start()
	expect := func(when string, want int64) {
		t.Helper()
		got, err := n.client().Get(context.Background(), "counter").Int64()
		if err != nil || got != want {
			t.Fatalf("%s: counter = %d, %v; want %d", when, got, err, want)
		}
	}
	incrWhileSnapshotting(t, n)
	expect("live", 20000)
	n.stop()
	n.start()
	expect("after a clean restart", 20000)

	// The second batch ends with a snapshot started: kill at once.
	incrWhileSnapshotting(t, n)
	expect("live", 40000)
	if err := n.client().BgSave(context.Background()).Err(); err != nil && !strings.Contains(err.Error(), "in progress") {
		t.Fatalf("BGSAVE: %v", err)
	}
	n.kill()
	n.start()
	expect("after SIGKILL during snapshots", 40000)
}

// incrWhileSnapshotting runs 20 clients × 1000 INCR counter while a BGSAVE
// is sent every 100 ms, and fails the test unless one was started.
func incrWhileSnapshotting(t *testing.T, n *node) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int64
	done := make(chan struct{})
	saver := n.client()
	go func() {
		defer close(done)
		started.Store(countBgSaves(ctx, saver, 100*time.Millisecond))
	}()
	err := runParallel(20, func(i int) error {
		c := n.client2()
		defer func() { _ = c.Close() }() // the test's own connection
		for j := 0; j < 1000; j++ {
			if err := c.Incr(context.Background(), "counter").Err(); err != nil {
				return fmt.Errorf("client %d, INCR %d: %w", i, j, err)
			}
		}
		return nil
	})
	cancel()
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if started.Load() == 0 {
		t.Fatal("no BGSAVE was started during the INCRs (every reply was an error): nothing was tested")
	}
	t.Logf("%d BGSAVEs started during 20000 INCRs", started.Load())
}

// countBgSaves sends BGSAVE every period until ctx ends and returns how
// many were started.
func countBgSaves(ctx context.Context, rdb *redis.Client, period time.Duration) int64 {
	tick := time.NewTicker(period)
	defer tick.Stop()
	var started int64
	for ctx.Err() == nil {
		if s, err := rdb.BgSave(ctx).Result(); err == nil && strings.Contains(strings.ToLower(s), "started") {
			started++
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
	return started
}

// ttlKey is a key of the expiry test and what it must look like later.
type ttlKey struct {
	key      string
	deadline int64 // PEXPIRETIME when written: -1 none
	short    bool  // expires before the restart
	field    string
	fieldAt  int64 // HPEXPIRETIME of field when written
}

// TestDurability_ExpiryAcrossRestarts is R18: keys with short TTLs (set with
// SET PX, PSETEX, PEXPIRE, PEXPIREAT, GETEX PX, hash field HPEXPIRE) expire,
// some while the server runs and some while it is down, and never come back
// after a restart (GET, EXISTS, TTL, TYPE, MGET, KEYS, SCAN, RANDOMKEY,
// HGETALL); long-TTL keys keep their absolute deadline exactly; PERSIST,
// GETEX PERSIST and SET KEEPTTL survive. Rounds alternate a clean stop and
// SIGKILL (LARDER_TTL_ROUNDS, default 2; 20 under LARDER_SOAK=1).
func TestDurability_ExpiryAcrossRestarts(t *testing.T) {
	rounds := envCount(t, "LARDER_TTL_ROUNDS", 2, 20)
	n := newNode(t, filepath.Join(t.TempDir(), "data"), aofFlags...)
	n.start()
	var all []ttlKey
	for round := 0; round < rounds; round++ {
		rdb := n.client()
		p := fmt.Sprintf("r%d:", round)
		// Expire while the server runs: written first, waited for.
		early := writeTTLKeys(t, rdb, p+"early:", 300)
		waitPast(early)
		for _, k := range early[:len(early)/2] {
			_ = rdb.Get(context.Background(), k.key).Err() // lazy expiry on half of them
		}
		// Expire while the server is down.
		late := writeTTLKeys(t, rdb, p+"late:", 600)
		all = append(append(all, early...), late...)
		all = append(all, writeLongTTLKeys(t, rdb, p)...)
		checkTTLKeys(t, rdb, all, false, "before the restart")
		if round%2 == 0 {
			n.stop()
		} else {
			n.kill()
		}
		waitPast(late)
		n.start()
		checkTTLKeys(t, n.client(), all, true, fmt.Sprintf("round %d after a restart (%s)", round, map[bool]string{true: "clean", false: "SIGKILL"}[round%2 == 0]))
	}
}

// writeTTLKeys writes keys that expire within about maxMs, in every way a
// relative or absolute TTL can be given.
func writeTTLKeys(t *testing.T, rdb *redis.Client, prefix string, maxMs int) []ttlKey {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UnixMilli()
	px := strconv.Itoa(maxMs / 2)
	cmds := [][]any{
		{"SET", prefix + "set-px", "v", "PX", px},
		{"PSETEX", prefix + "psetex", px, "v"},
		{"SET", prefix + "pexpire", "v"}, {"PEXPIRE", prefix + "pexpire", px},
		{"RPUSH", prefix + "list", "a", "b"}, {"PEXPIREAT", prefix + "list", now + int64(maxMs)},
		{"SADD", prefix + "set", "a"}, {"PEXPIRE", prefix + "set", px},
		{"ZADD", prefix + "zset", "1", "a"}, {"PEXPIRE", prefix + "zset", px},
		{"HSET", prefix + "hash", "f", "v"}, {"PEXPIRE", prefix + "hash", px},
		{"SET", prefix + "getex", "v"}, {"GETEX", prefix + "getex", "PX", px},
		{"HSET", prefix + "fields", "stay", "1", "go", "2"}, {"HPEXPIRE", prefix + "fields", px, "FIELDS", 1, "go"},
	}
	for _, c := range cmds {
		if err := rdb.Do(ctx, c...).Err(); err != nil {
			t.Fatalf("%v: %v", c, err)
		}
	}
	// In one transaction, so the short TTL cannot run out in between.
	if _, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, prefix+"keepttl", "v", time.Duration(maxMs/2)*time.Millisecond)
		p.Set(ctx, prefix+"keepttl", "w", redis.KeepTTL)
		return nil
	}); err != nil {
		t.Fatalf("SET PX then SET KEEPTTL: %v", err)
	}
	var keys []ttlKey
	for _, name := range []string{"set-px", "psetex", "pexpire", "list", "set", "zset", "hash", "getex", "keepttl"} {
		d := pexpiretime(t, rdb, prefix+name)
		if d == -2 {
			d = now // a slow machine: it expired before it could be read
		}
		keys = append(keys, ttlKey{key: prefix + name, short: true, deadline: d})
	}
	// The hash stays; its field "go" expires.
	keys = append(keys, ttlKey{key: prefix + "fields", deadline: -1, field: "go", fieldAt: hpexpiretime(t, rdb, prefix+"fields", "go")})
	for _, k := range keys {
		if k.short && (k.deadline < now || k.deadline > time.Now().UnixMilli()+int64(maxMs)) {
			t.Fatalf("%s: PEXPIRETIME %d outside [%d, now+%d]", k.key, k.deadline, now, maxMs)
		}
	}
	return keys
}

// writeLongTTLKeys writes keys that outlive the test, and keys whose TTL
// was removed.
func writeLongTTLKeys(t *testing.T, rdb *redis.Client, prefix string) []ttlKey {
	t.Helper()
	ctx := context.Background()
	at := time.Now().Add(3 * time.Hour).UnixMilli()
	cmds := [][]any{
		{"SET", prefix + "ex", "v", "EX", "3600"},
		{"SET", prefix + "pxat", "v", "PXAT", at},
		{"SET", prefix + "expireat", "v"}, {"EXPIREAT", prefix + "expireat", at / 1000},
		{"RPUSH", prefix + "llist", "x"}, {"PEXPIRE", prefix + "llist", "7200000"},
		{"SET", prefix + "keep", "v", "EX", "3600"}, {"SET", prefix + "keep", "w", "KEEPTTL"},
		{"SET", prefix + "persist", "v", "PX", "60000"}, {"PERSIST", prefix + "persist"},
		{"SET", prefix + "getexp", "v", "PX", "60000"}, {"GETEX", prefix + "getexp", "PERSIST"},
		{"HSET", prefix + "lfields", "a", "1", "b", "2"}, {"HPEXPIRE", prefix + "lfields", "7200000", "FIELDS", 1, "a"},
	}
	for _, c := range cmds {
		if err := rdb.Do(ctx, c...).Err(); err != nil {
			t.Fatalf("%v: %v", c, err)
		}
	}
	var keys []ttlKey
	for _, name := range []string{"ex", "pxat", "expireat", "llist", "keep", "persist", "getexp"} {
		keys = append(keys, ttlKey{key: prefix + name, deadline: pexpiretime(t, rdb, prefix+name)})
	}
	keys = append(keys, ttlKey{key: prefix + "lfields", deadline: -1, field: "a", fieldAt: hpexpiretime(t, rdb, prefix+"lfields", "a")})
	if d := pexpiretime(t, rdb, prefix+"pxat"); d != at {
		t.Fatalf("SET PXAT %d: PEXPIRETIME %d", at, d)
	}
	return keys
}

func hpexpiretime(t *testing.T, rdb *redis.Client, key, field string) int64 {
	t.Helper()
	v, err := rdb.Do(context.Background(), "HPEXPIRETIME", key, "FIELDS", 1, field).Int64Slice()
	if err != nil || len(v) != 1 {
		t.Fatalf("HPEXPIRETIME %s FIELDS 1 %s: %v, %v", key, field, v, err)
	}
	return v[0]
}

func pexpiretime(t *testing.T, rdb *redis.Client, key string) int64 {
	t.Helper()
	v, err := rdb.Do(context.Background(), "PEXPIRETIME", key).Int64()
	if err != nil {
		t.Fatalf("PEXPIRETIME %s: %v", key, err)
	}
	return v
}

// waitPast sleeps until every short key's deadline has passed (a wait, not
// a timing assertion). A sleep, not a poll: the deadlines passing on the
// clock with no one reading the keys is what the checks after it test
// (expiry seen by every read path, and across a restart); polling EXISTS or
// PTTL would expire the keys lazily first.
func waitPast(keys []ttlKey) {
	var last int64
	for _, k := range keys {
		last = max(last, k.deadline)
	}
	if d := time.Until(time.UnixMilli(last + 50)); d > 0 {
		time.Sleep(d)
	}
}

// checkTTLKeys checks that expired keys are gone by every read path and
// that the others are there with their deadline. expiredAll: every short
// key's deadline has passed (otherwise only those whose deadline has).
func checkTTLKeys(t *testing.T, rdb *redis.Client, keys []ttlKey, expiredAll bool, when string) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UnixMilli()
	var gone []string
	for _, k := range keys {
		if k.short && (expiredAll || k.deadline < now) {
			gone = append(gone, k.key)
		}
	}
	all, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatalf("%s: KEYS: %v", when, err)
	}
	problems := checkGone(t, rdb, gone, all)
	for _, k := range keys {
		switch {
		case k.short:
		case !slices.Contains(all, k.key):
			problems = append(problems, fmt.Sprintf("%s (deadline %d) is missing", k.key, k.deadline))
		default:
			if d := pexpiretime(t, rdb, k.key); d != k.deadline {
				problems = append(problems, fmt.Sprintf("%s: PEXPIRETIME %d, was %d before", k.key, d, k.deadline))
			}
		}
	}
	for _, k := range keys {
		if k.field != "" {
			fieldGone := expiredAll && k.fieldAt < now+time.Hour.Milliseconds() || k.fieldAt < now
			problems = append(problems, checkField(t, rdb, k, fieldGone)...)
		}
	}
	if len(problems) > 0 {
		t.Fatalf("%s: %d problems:\n  %s", when, len(problems), strings.Join(problems, "\n  "))
	}
}

// checkGone checks expired keys by every read path (EXISTS, TTL, TYPE,
// MGET, KEYS as all, SCAN, RANDOMKEY) and returns the problems.
func checkGone(t *testing.T, rdb *redis.Client, gone, all []string) []string {
	t.Helper()
	ctx := context.Background()
	var problems []string
	bad := func(f string, args ...any) { problems = append(problems, fmt.Sprintf(f, args...)) }
	for _, key := range gone {
		if v, err := rdb.Exists(ctx, key).Result(); err != nil || v != 0 {
			bad("%s expired but EXISTS = %d, %v", key, v, err)
		}
		if v, err := rdb.Do(ctx, "TTL", key).Int64(); err != nil || v != -2 {
			bad("%s expired but TTL = %d, %v", key, v, err)
		}
		if v, err := rdb.Type(ctx, key).Result(); err != nil || v != "none" {
			bad("%s expired but TYPE = %s, %v", key, v, err)
		}
	}
	if len(gone) > 0 {
		vals, err := rdb.MGet(ctx, gone...).Result()
		for i := 0; err == nil && i < len(vals); i++ {
			if vals[i] != nil {
				bad("%s expired but MGET returned %v", gone[i], vals[i])
			}
		}
		if err != nil {
			bad("MGET: %v", err)
		}
	}
	scanned, err := scanKeys(ctx, rdb)
	if err != nil {
		t.Fatalf("SCAN: %v", err)
	}
	for _, key := range gone {
		if slices.Contains(all, key) || slices.Contains(scanned, key) {
			bad("%s expired but is listed by KEYS or SCAN", key)
		}
	}
	for i := 0; i < 50; i++ {
		if k, err := rdb.RandomKey(ctx).Result(); err == nil && slices.Contains(gone, k) {
			bad("RANDOMKEY returned expired %s", k)
			break
		}
	}
	return problems
}

// checkField checks one hash field with a TTL: gone by HEXISTS and
// HGETALL once expired, otherwise with its deadline unchanged.
func checkField(t *testing.T, rdb *redis.Client, k ttlKey, gone bool) []string {
	t.Helper()
	ctx := context.Background()
	var problems []string
	if !gone {
		if at := hpexpiretime(t, rdb, k.key, k.field); at != k.fieldAt {
			problems = append(problems, fmt.Sprintf("%s: field %s HPEXPIRETIME %d, was %d before", k.key, k.field, at, k.fieldAt))
		}
		return problems
	}
	if v, err := rdb.HExists(ctx, k.key, k.field).Result(); err != nil || v {
		problems = append(problems, fmt.Sprintf("%s: field %s expired (at %d) but HEXISTS = %v, %v", k.key, k.field, k.fieldAt, v, err))
	}
	if h, err := rdb.HGetAll(ctx, k.key).Result(); err != nil || h[k.field] != "" {
		problems = append(problems, fmt.Sprintf("%s: field %s expired but HGETALL = %v, %v", k.key, k.field, h, err))
	}
	return problems
}

func scanKeys(ctx context.Context, rdb *redis.Client) ([]string, error) {
	var out []string
	var cursor uint64
	for {
		keys, next, err := rdb.Scan(ctx, cursor, "*", 100).Result()
		if err != nil {
			return nil, err
		}
		out = append(out, keys...)
		if cursor = next; cursor == 0 {
			return out, nil
		}
	}
}

// TestDurability_SnapshotTriggers: SAVE, BGSAVE and BGREWRITEAOF each take
// a snapshot (larder_snapshot_seq grows) and the data written before and
// after it survives SIGKILL.
func TestDurability_SnapshotTriggers(t *testing.T) {
	n := newNode(t, filepath.Join(t.TempDir(), "data"), aofFlags...)
	n.start()
	ctx := context.Background()
	for i, trigger := range []string{"SAVE", "BGSAVE", "BGREWRITEAOF"} {
		rdb := n.client()
		for j := 0; j < 200; j++ {
			if err := rdb.Set(ctx, fmt.Sprintf("%s:before:%d", trigger, j), j, 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
		seq0 := snapshotSeq(t, rdb)
		if err := rdb.Do(ctx, trigger).Err(); err != nil {
			t.Fatalf("%s: %v", trigger, err)
		}
		waitSnapshot(t, rdb, trigger, seq0)
		if trigger == "SAVE" {
			if last, err := rdb.LastSave(ctx).Result(); err != nil || last < time.Now().Add(-time.Minute).Unix() {
				t.Errorf("LASTSAVE after SAVE = %d, %v", last, err)
			}
		}
		for j := 0; j < 200; j++ {
			if err := rdb.HSet(ctx, trigger+":after", strconv.Itoa(j), i).Err(); err != nil {
				t.Fatal(err)
			}
		}
		want, err := takeDigest(ctx, rdb)
		if err != nil {
			t.Fatal(err)
		}
		n.kill()
		n.start()
		got, err := takeDigest(ctx, n.client())
		if err != nil {
			t.Fatal(err)
		}
		if d := diffDigests(want, got, 20); d != "" {
			t.Fatalf("after %s and SIGKILL: %s", trigger, d)
		}
	}
}

// snapshotSeq reads larder_snapshot_seq from INFO persistence.
func snapshotSeq(t *testing.T, rdb *redis.Client) int64 {
	t.Helper()
	v, err := infoField(rdb, "persistence", "larder_snapshot_seq")
	if err != nil || v == "" {
		t.Fatalf("INFO persistence: larder_snapshot_seq missing (%q, %v)", v, err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		t.Fatalf("larder_snapshot_seq %q: %v", v, err)
	}
	return n
}

// waitSnapshot waits (bounded, not asserted on time) for the snapshot
// sequence to move past seq0.
func waitSnapshot(t *testing.T, rdb *redis.Client, trigger string, seq0 int64) {
	t.Helper()
	waitFor(t, 60*time.Second, fmt.Sprintf("%s: larder_snapshot_seq to move past %d", trigger, seq0), func() bool {
		return snapshotSeq(t, rdb) > seq0
	})
}

// TestDurability_InfoPersistence checks the INFO persistence fields the
// tests and operators rely on, with the log on and off.
func TestDurability_InfoPersistence(t *testing.T) {
	n := newNode(t, filepath.Join(t.TempDir(), "data"), aofFlags...)
	n.start()
	rdb := n.client()
	want := map[string]string{"aof_enabled": "1", "aof_last_write_status": "ok", "loading": "0"}
	for f, v := range want {
		if got, err := infoField(rdb, "persistence", f); err != nil || got != v {
			t.Errorf("appendonly yes: INFO persistence %s = %q, %v; want %q", f, got, err, v)
		}
	}
	rec := func() int64 {
		v, err := infoField(rdb, "persistence", "larder_log_records")
		n, perr := strconv.ParseInt(v, 10, 64)
		if err != nil || perr != nil {
			t.Fatalf("larder_log_records = %q, %v %v", v, err, perr)
		}
		return n
	}
	r0 := rec()
	for i := 0; i < 10; i++ {
		if err := rdb.Set(context.Background(), "k"+strconv.Itoa(i), i, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if r1 := rec(); r1 < r0+10 && r1 != 0 {
		// A snapshot may have truncated the log meanwhile (then it can be
		// small, even 0), but never grown by less than the writes otherwise.
		t.Errorf("larder_log_records went from %d to %d after 10 SETs", r0, r1)
	}
	for _, f := range []string{"rdb_last_save_time", "larder_snapshot_seq"} {
		if v, err := infoField(rdb, "persistence", f); err != nil || v == "" {
			t.Errorf("INFO persistence lacks %s (%v)", f, err)
		}
	}
	n.stop()

	m := newNode(t, filepath.Join(t.TempDir(), "mem"), "--appendonly", "no")
	m.start()
	if got, err := infoField(m.client(), "persistence", "aof_enabled"); err != nil || got != "0" {
		t.Errorf("appendonly no: aof_enabled = %q, %v; want 0", got, err)
	}
}

// TestDurability_AppendOnlyNo: with --appendonly no the data dir stays
// untouched and a restart starts empty.
func TestDurability_AppendOnlyNo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	n := newNode(t, dir, "--appendonly", "no")
	n.start()
	if err := n.client().Set(context.Background(), "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	n.stop()
	if ents, err := os.ReadDir(dir); err != nil || len(ents) != 0 {
		t.Fatalf("appendonly no wrote to the data dir: %v, %v", ents, err)
	}
	n.start()
	if v, err := n.client().DBSize(context.Background()).Result(); err != nil || v != 0 {
		t.Fatalf("appendonly no: after a restart DBSIZE = %d, %v; want 0", v, err)
	}
}

// TestDurability_OneProcessPerDir: a second larder on a data dir in use
// exits non-zero with a message, and the first keeps serving its data;
// `larder check` passes on the dir after a clean stop.
func TestDurability_OneProcessPerDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	n := newNode(t, dir, aofFlags...)
	n.start()
	rdb := n.client()
	if err := rdb.Set(context.Background(), "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), recoverTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--rest-port", "0",
		"--dir", dir, "--appendonly", "yes")
	cmd.SysProcAttr = orphanGuard()
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("a second larder on %s kept running (killed after %v); output:\n%s", dir, recoverTimeout, out)
	}
	if code, _ := exitCode(err); code <= 0 {
		t.Fatalf("a second larder on the same dir: exit %v, want a non-zero exit; output:\n%s", err, out)
	}
	low := strings.ToLower(string(out))
	if strings.Contains(low, "address already in use") ||
		!strings.Contains(low, "lock") && !strings.Contains(low, "in use") && !strings.Contains(low, strings.ToLower(dir)) {
		t.Errorf("a second larder on the same dir should say the dir is in use; output:\n%s", out)
	}
	t.Logf("the second larder said: %s", strings.TrimSpace(string(out)))
	if v, err := rdb.Get(context.Background(), "k").Result(); err != nil || v != "v" {
		t.Fatalf("the first server after the attempt: GET k = %q, %v", v, err)
	}
	n.stop()
	if out, err := n.check(false); err != nil {
		t.Fatalf("larder check on a cleanly stopped dir: %v\n%s", err, out)
	}
}

// TestDurability_LoadingGate: while a restarted server replays its data,
// every command that reads data gets -LOADING or the complete answer,
// never a partial data set (the key written last missing, a short DBSIZE).
// How many -LOADING replies are seen depends on speed and is only logged.
func TestDurability_LoadingGate(t *testing.T) {
	n := newNode(t, filepath.Join(t.TempDir(), "data"), aofFlags...)
	n.start()
	rdb := n.client()
	ctx := context.Background()
	const batches, per = 100, 1000
	for b := 0; b < batches; b++ {
		args := []any{"MSET"}
		for i := 0; i < per; i++ {
			args = append(args, fmt.Sprintf("k:%d:%d", b, i), strings.Repeat("v", 32))
		}
		if err := rdb.Do(ctx, args...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if err := rdb.Set(ctx, "last", "done", 0).Err(); err != nil {
		t.Fatal(err)
	}
	n.kill() // the log is replayed, not a fresh snapshot
	if err := n.spawn(); err != nil {
		t.Fatal(err)
	}
	// Connect as soon as the server listens, to ask it while it loads.
	var c *rawConn
	waitFor(t, recoverTimeout, "the restarted server to accept a connection", func() bool {
		if n.exited() {
			t.Fatalf("the restarted server exited (%v); log tail:\n%s", n.srv.waitErr, readLogTail(n.srv.logPath))
		}
		nc, err := net.DialTimeout("tcp", n.srv.addr, time.Second)
		if err != nil {
			return false
		}
		_ = nc.Close() // only a probe: dial fails the test on error, this does not
		c = dial(t, n.srv.addr)
		return true
	})
	loading := 0
	for done := false; !done; {
		for _, q := range []struct{ argv, want string }{
			{"GET last", "$4\r\ndone\r\n"},
			{"DBSIZE", fmt.Sprintf(":%d\r\n", batches*per+1)},
		} {
			r := string(c.do(strings.Fields(q.argv)...))
			switch {
			case strings.HasPrefix(r, "-LOADING"):
				loading++
			case r == q.want:
				done = true
			default:
				t.Fatalf("%s during or after loading = %q, want -LOADING or %q", q.argv, r, q.want)
			}
		}
	}
	t.Logf("%d -LOADING replies before the data set was served", loading)
}

// TestDurability_SigintIsClean: SIGINT stops the server cleanly (exit 0)
// like SIGTERM, and the data is there after a restart.
func TestDurability_SigintIsClean(t *testing.T) {
	n := newNode(t, filepath.Join(t.TempDir(), "data"), "--appendonly", "yes", "--appendfsync", "everysec")
	n.start()
	ctx := context.Background()
	if err := n.client().Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	n.closeClients()
	if err := n.srv.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-n.srv.exited:
	case <-time.After(stopTimeout):
		n.kill()
		t.Fatalf("larder did not stop within %v of SIGINT", stopTimeout)
	}
	n.srv.killed = true // stopped on purpose
	if n.srv.waitErr != nil {
		t.Fatalf("exit after SIGINT: %v; log tail:\n%s", n.srv.waitErr, readLogTail(n.srv.logPath))
	}
	n.start()
	if v, err := n.client().Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("after SIGINT and a restart: GET k = %q, %v", v, err)
	}
}
