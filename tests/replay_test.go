package tests

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestDurability_ReplayEveryWriteCommand runs every write command of the
// table (COMMAND over the wire, flags containing "write"; examples in
// writeExamples) plus a few compound paths (MULTI/EXEC, type overwrite, a
// pop that empties a key), then checks that the data set digest (types,
// values, absolute expiries of keys and hash fields, every database) is the
// same after SIGKILL (log replay), after a clean restart, and after SAVE
// then SIGKILL (snapshot load). A write command without an example fails
// the test; each example must succeed and change the data set. It runs
// under appendfsync always (records in bbolt) and everysec (records in the
// tail files when the server is killed).
func TestDurability_ReplayEveryWriteCommand(t *testing.T) {
	for _, policy := range []string{"always", "everysec"} {
		t.Run(policy, func(t *testing.T) { replayEveryWriteCommand(t, policy) })
	}
}

func replayEveryWriteCommand(t *testing.T, policy string) {
	n := newNode(t, filepath.Join(t.TempDir(), "data"), "--appendonly", "yes", "--appendfsync", policy)
	n.start()
	ctx := context.Background()
	rdb := n.client()
	names := writeCommandNames(t, rdb)
	var missing []string
	for _, name := range names {
		if _, ok := writeExamples[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		t.Errorf("write commands without a replay example (add them to writeExamples in replay_examples_test.go): %s", strings.Join(missing, " "))
	}
	// FLUSHALL first: it would wipe the others' keys.
	slices.SortFunc(names, func(x, y string) int {
		return strings.Compare(fmt.Sprint(x != "flushall", x), fmt.Sprint(y != "flushall", y))
	})
	conn := rdb.Conn()
	defer func() { _ = conn.Close() }() // the test's own connection
	ran := 0
	for _, name := range names {
		for i, c := range writeExamples[name] {
			runReplayCase(t, ctx, conn, rdb, fmt.Sprintf("%s #%d", name, i+1), c)
			ran++
		}
	}
	extras := make([]string, 0, len(replayExtras))
	for name := range replayExtras {
		extras = append(extras, name)
	}
	sort.Strings(extras)
	for _, name := range extras {
		for i, c := range replayExtras[name] {
			runReplayCase(t, ctx, conn, rdb, fmt.Sprintf("%s #%d", name, i+1), c)
			ran++
		}
	}
	want, err := takeDigest(ctx, rdb)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d write commands, %d cases, %d keys in the digest", len(names), ran, len(want))
	if len(want) < 50 {
		t.Fatalf("only %d keys after all cases: the examples did not run", len(want))
	}
	compare := func(when string) {
		t.Helper()
		got, err := takeDigest(ctx, n.client())
		if err != nil {
			t.Fatalf("%s: digest: %v", when, err)
		}
		if d := diffDigests(want, got, 40); d != "" {
			t.Errorf("%s (keys start with the command that wrote them): %s", when, d)
		}
	}
	n.kill()
	n.start()
	compare("after SIGKILL (log replay)")
	n.stop()
	n.start()
	compare("after a clean restart")
	if err := n.client().Save(ctx).Err(); err != nil {
		t.Fatalf("SAVE: %v", err)
	}
	n.kill()
	n.start()
	compare("after SAVE and SIGKILL (snapshot load)")
}

// runReplayCase runs one example: SELECT, setup, the command (no error, the
// data set must change unless c.same), SELECT 0.
func runReplayCase(t *testing.T, ctx context.Context, conn *redis.Conn, rdb *redis.Client, name string, c replayCase) {
	t.Helper()
	do := func(argv []string) (any, error) {
		args := make([]any, len(argv))
		for i, s := range argv {
			args[i] = s
		}
		return conn.Do(ctx, args...).Result()
	}
	if _, err := do(av("SELECT", fmt.Sprint(c.db))); err != nil {
		t.Fatalf("%s: SELECT %d: %v", name, c.db, err)
	}
	for _, argv := range c.setup {
		if _, err := do(argv); err != nil && err != redis.Nil {
			t.Fatalf("%s: setup %s: %v", name, quoteArgv(argv), err)
		}
	}
	if c.build != nil {
		cmd, err := c.build(do)
		if err != nil {
			t.Fatalf("%s: building the command: %v", name, err)
		}
		c.cmd = cmd
	}
	before, err := takeDigest(ctx, rdb)
	if err != nil {
		t.Fatal(err)
	}
	seqBefore := logLastSeq(t, ctx, rdb)
	reply, err := do(c.cmd)
	if err != nil && err != redis.Nil {
		t.Errorf("%s: %s: %v (fix the example)", name, quoteArgv(c.cmd), err)
	}
	if items, ok := reply.([]any); ok {
		for _, it := range items {
			if e, ok := it.(error); ok {
				t.Errorf("%s: %s: element error %v", name, quoteArgv(c.cmd), e)
			}
		}
	}
	if _, err := do(av("SELECT", "0")); err != nil {
		t.Fatalf("%s: SELECT 0: %v", name, err)
	}
	after, err := takeDigest(ctx, rdb)
	if err != nil {
		t.Fatal(err)
	}
	changed := diffDigests(before, after, 1) != ""
	if !c.same && !changed {
		t.Errorf("%s: %s did not change the data set: the example tests nothing (fix it)", name, quoteArgv(c.cmd))
	}
	// A write without a record: the data set changed, the log did not grow
	// (the acknowledged write would be lost by a crash).
	if changed && logLastSeq(t, ctx, rdb) == seqBefore {
		t.Errorf("%s: %s changed the data set but appended no log record", name, quoteArgv(c.cmd))
	}
}

// logLastSeq reads INFO persistence's larder_log_last_seq: the number of the
// last record appended to the log.
func logLastSeq(t *testing.T, ctx context.Context, rdb *redis.Client) string {
	t.Helper()
	info, err := rdb.Info(ctx, "persistence").Result()
	if err != nil {
		t.Fatalf("INFO persistence: %v", err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "larder_log_last_seq:"); ok {
			return v
		}
	}
	t.Fatalf("INFO persistence has no larder_log_last_seq")
	return ""
}

// writeCommandNames lists the commands and subcommands (as "name|sub")
// whose COMMAND flags contain "write".
func writeCommandNames(t *testing.T, rdb *redis.Client) []string {
	t.Helper()
	all, err := rdb.Do(context.Background(), "COMMAND").Slice()
	if err != nil {
		t.Fatalf("COMMAND: %v", err)
	}
	var names []string
	var walk func(entry any)
	walk = func(entry any) {
		e, ok := entry.([]any)
		if !ok || len(e) < 3 {
			t.Fatalf("COMMAND: malformed entry %#v", entry)
		}
		name, _ := e[0].(string)
		flags, _ := e[2].([]any)
		for _, f := range flags {
			if s, _ := f.(string); s == "write" {
				names = append(names, strings.ToLower(name))
			}
		}
		if len(e) > 9 {
			subs, _ := e[9].([]any)
			for _, s := range subs {
				walk(s)
			}
		}
	}
	for _, entry := range all {
		walk(entry)
	}
	if len(names) < 20 {
		t.Fatalf("COMMAND lists only %d write commands: %v", len(names), names)
	}
	sort.Strings(names)
	return names
}
