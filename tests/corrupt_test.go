package tests

// R7 (RELIABILITY.md §4): damage to a cleanly stopped data dir is detected.
// Each case copies the dir, damages the bbolt file(s) in it (a truncation,
// a single-bit flip, a broken meta page) and starts the server on the copy.
// The server must never panic and never serve a wrong value: it either
// (1) starts with the identical data set, (2) starts with the data set of a
// prefix of the writes and a warning in its log (records dropped at the
// tail), or (3) exits non-zero with a message that names `larder check`
// (and `larder check` then fails on the copy too).

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// corruptOps is the number of writes in the damaged data dir: op i adds
// one item (a string key, a hash field, a list element, a set member or a
// sorted-set member), so a prefix of the writes is recognisable.
const corruptOps = 1500

// TestCrash_CorruptDataDir is R7. Knobs: LARDER_SEED, LARDER_CORRUPT_TRUNCATIONS
// (default 8; 100 under LARDER_SOAK=1), LARDER_CORRUPT_FLIPS (default 20;
// 1000 under LARDER_SOAK=1). The seed fixes the offsets, not the file: the
// base dir's layout differs from run to run, so a failure message names the
// damage (offset, bit) and the log tail rather than relying on a replay.
func TestCrash_CorruptDataDir(t *testing.T) {
	seed := testSeed(t)
	truncs := envCount(t, "LARDER_CORRUPT_TRUNCATIONS", 8, 100)
	flips := envCount(t, "LARDER_CORRUPT_FLIPS", 20, 1000)
	base := filepath.Join(t.TempDir(), "base")
	buildCorruptBase(t, base)
	files := bboltFiles(t, base)
	var cases []damage
	for _, f := range files {
		rel, err := filepath.Rel(base, f.path)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, boltDamages(f, rel, newRand(seed, 7), truncs, flips)...)
	}
	counts := map[string]int{}
	for i, c := range cases {
		dir := filepath.Join(t.TempDir(), "case")
		if err := copyDir(base, dir); err != nil {
			t.Fatal(err)
		}
		if err := c.apply(filepath.Join(dir, c.file)); err != nil {
			t.Fatalf("case %d (%s): %v", i, c.name, err)
		}
		began := time.Now()
		outcome := runCorruptCase(t, dir, c.metaHit, corruptOps, aofFlags)
		if d := time.Since(began); d > 10*time.Second {
			t.Logf("case %d (%s) took %v: %s", i, c.name, d.Round(time.Second), outcome)
		}
		if outcome == "" {
			t.Errorf("case %d (%s): see above (seed %d)", i, c.name, seed)
			continue
		}
		counts[outcome]++
	}
	t.Logf("%d cases: %v", len(cases), counts)
}

// damage is one way to break a copy of the data dir.
type damage struct {
	name    string
	file    string // relative to the data dir
	apply   func(path string) error
	metaHit bool // a meta page: the previous commit may come back, without a warning
}

// boltDamages lists the damage cases of one bbolt file: fixed cuts
// (page-aligned and mid-page at a quarter, half and three quarters) so every
// run damages the same regions, random cuts and bit flips, and broken meta
// pages.
func boltDamages(f boltFile, rel string, r *rand.Rand, truncs, flips int) []damage {
	var cases []damage
	var cuts []int64
	for _, q := range []int64{1, 2, 3} {
		page := f.size * q / 4 / f.pageSize * f.pageSize
		cuts = append(cuts, page, page+100)
	}
	for i := 0; i < truncs; i++ {
		cuts = append(cuts, r.Int64N(f.size))
	}
	for _, at := range cuts {
		cases = append(cases, damage{name: fmt.Sprintf("truncate %s to %d of %d", rel, at, f.size), file: rel,
			apply: func(p string) error { return os.Truncate(p, at) }})
	}
	for i := 0; i < flips; i++ {
		at, bit := r.Int64N(f.size), r.IntN(8)
		cases = append(cases, damage{name: fmt.Sprintf("flip bit %d at %d of %s", bit, at, rel), file: rel,
			apply: func(p string) error { return flipBit(p, at, bit) }, metaHit: at < 2*f.pageSize})
	}
	for _, m := range []struct {
		name string
		at   []int64
	}{
		{"meta page 0", []int64{16 + 20}},
		{"meta page 1", []int64{f.pageSize + 16 + 20}},
		{"both meta pages", []int64{16 + 20, f.pageSize + 16 + 20}},
	} {
		cases = append(cases, damage{name: fmt.Sprintf("corrupt %s of %s", m.name, rel), file: rel, metaHit: true,
			apply: func(p string) error { return flipBits(p, m.at, 3) }})
	}
	return cases
}

func flipBits(path string, at []int64, bit int) error {
	for _, a := range at {
		if err := flipBit(path, a, bit); err != nil {
			return err
		}
	}
	return nil
}

// runCorruptCase starts a server on a damaged dir and returns the outcome
// ("identical", "tail dropped", "refused"), or "" after reporting a failure.
// quietPrefixOK: a prefix without a warning is accepted (a damaged meta
// page brings back the previous commit; a tail cut exactly between two
// records looks like a shorter tail).
func runCorruptCase(t *testing.T, dir string, quietPrefixOK bool, full int, flags []string) string {
	t.Helper()
	n := newNode(t, dir, flags...)
	n.startTimeout, n.checkTimeout = 30*time.Second, 30*time.Second
	defer func() { n.logs = nil }() // checked here; cleanup need not repeat it
	err := n.tryStart()
	if len(n.logs) == 0 {
		t.Errorf("no server was started: %v", err)
		return ""
	}
	b, _ := os.ReadFile(n.logs[len(n.logs)-1]) // a missing log reads as empty
	log := string(b)
	if p := panicIn(n.logs[len(n.logs)-1]); p != "" {
		n.kill()
		t.Errorf("the server panicked or crashed:\n%s", p)
		return ""
	}
	if err != nil {
		code, sig := exitCode(n.srv.waitErr)
		switch {
		case !n.exited():
			t.Errorf("the server neither served nor exited: %v", err)
		case code <= 0 || sig != 0:
			t.Errorf("the server did not exit with a non-zero status (%v): %v", n.srv.waitErr, err)
		case !strings.Contains(log, "larder check"):
			t.Errorf("the server refused to start without naming `larder check`:\n%s", readLogTail(n.logs[len(n.logs)-1]))
		default:
			if out, err := n.check(false); err == nil {
				t.Errorf("the server refused the dir, but `larder check` passes it:\n%s\nserver log:\n%s", out, readLogTail(n.logs[len(n.logs)-1]))
				return ""
			}
			return fixCorruptCase(t, n)
		}
		return ""
	}
	got, ok := digestAndStop(t, n, "digest")
	if !ok {
		return ""
	}
	if diffDigests(corruptModel(full), got, 1) == "" {
		return "identical"
	}
	k := corruptPrefix(got)
	if want := corruptModel(k); diffDigests(want, got, 1) != "" {
		t.Errorf("the server started with data that is no prefix of the writes (a wrong value): vs the prefix of %d writes: %s",
			k, diffDigests(want, got, 10))
		return ""
	}
	warned := strings.Contains(strings.ToLower(log), "warn")
	if !warned && quietPrefixOK {
		return "prefix, no warning"
	}
	if !warned {
		t.Errorf("the server started with only %d of %d writes and no warning in its log:\n%s", k, full, readLogTail(n.logs[len(n.logs)-1]))
		return ""
	}
	return "tail dropped"
}

// digestAndStop takes the digest of the running node's data, then stops
// it; a failed digest is reported as what.
func digestAndStop(t *testing.T, n *node, what string) (digest, bool) {
	t.Helper()
	ctx, cancel := ctxT()
	defer cancel()
	got, err := takeDigest(ctx, n.client())
	n.stop()
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return nil, false
	}
	return got, true
}

// fixCorruptCase runs `larder check --fix` on a refused dir. When it
// reports success the server must start, with a prefix of the writes.
func fixCorruptCase(t *testing.T, n *node) string {
	t.Helper()
	out, err := n.check(true)
	if err != nil {
		return "refused (not fixable)"
	}
	if err := n.tryStart(); err != nil {
		t.Errorf("`larder check --fix` succeeded:\n%s\nbut the server still refuses: %v", out, err)
		return ""
	}
	got, ok := digestAndStop(t, n, "digest after --fix")
	if !ok {
		return ""
	}
	if k := corruptPrefix(got); diffDigests(corruptModel(k), got, 1) != "" {
		t.Errorf("after `larder check --fix` the data is no prefix of the writes (a wrong value): %s", diffDigests(corruptModel(k), got, 10))
		return ""
	}
	return "refused (fixed)"
}

// buildCorruptBase writes corruptOps items with a SAVE half way (so the dir
// has a snapshot and a log tail), stops the server cleanly and checks that
// a restart gives them all back.
func buildCorruptBase(t *testing.T, dir string) {
	t.Helper()
	n := writeCorruptBase(t, dir, aofFlags)
	n.stop()
	n.start()
	ctx := context.Background()
	got, err := takeDigest(ctx, n.client())
	if err != nil {
		t.Fatal(err)
	}
	if d := diffDigests(corruptModel(corruptOps), got, 10); d != "" {
		t.Fatalf("the undamaged dir after a restart: %s", d)
	}
	n.stop()
}

// writeCorruptBase starts a server on dir and writes the corruptOps
// writes, with a SAVE half way; the server is left running.
func writeCorruptBase(t *testing.T, dir string, flags []string) *node {
	t.Helper()
	n := newNode(t, dir, flags...)
	n.start()
	writeCorruptOps(t, n, 0, corruptOps)
	return n
}

// writeCorruptOps writes ops [from, to), with a SAVE after op corruptOps/2.
func writeCorruptOps(t *testing.T, n *node, from, to int) {
	t.Helper()
	rdb := n.client()
	ctx := context.Background()
	for i := from; i < to; i++ {
		if err := rdb.Do(ctx, corruptOp(i)...).Err(); err != nil {
			t.Fatalf("op %d: %v", i, err)
		}
		if i == corruptOps/2 {
			if err := rdb.Save(ctx).Err(); err != nil {
				t.Fatalf("SAVE: %v", err)
			}
		}
	}
}

func corruptVal(i int) string { return fmt.Sprintf("v%d-%s", i, strings.Repeat("x", 80)) }

func corruptOp(i int) []any {
	switch i % 5 {
	case 0:
		return []any{"SET", "k:" + strconv.Itoa(i), corruptVal(i)}
	case 1:
		return []any{"HSET", "h", "f:" + strconv.Itoa(i), corruptVal(i)}
	case 2:
		return []any{"RPUSH", "l", corruptVal(i)}
	case 3:
		return []any{"SADD", "s", "m:" + strconv.Itoa(i)}
	}
	return []any{"ZADD", "z", strconv.Itoa(i), "m:" + strconv.Itoa(i)}
}

// corruptModel is the digest after the first n ops.
func corruptModel(n int) digest {
	d := digest{}
	var hash, list, set, zset []string
	for i := 0; i < n; i++ {
		is := strconv.Itoa(i)
		switch i % 5 {
		case 0:
			d["0/k:"+is] = dentry{Type: "string", Val: corruptVal(i), Exp: -1}
		case 1:
			hash = append(hash, strconv.Quote("f:"+is)+"="+strconv.Quote(corruptVal(i)))
		case 2:
			list = append(list, corruptVal(i))
		case 3:
			set = append(set, "m:"+is)
		case 4:
			zset = append(zset, "m:"+is, is)
		}
	}
	if len(hash) > 0 {
		d["0/h"] = dentry{Type: "hash", Val: strings.Join(sortedCopy(hash), ","), Exp: -1}
	}
	if len(list) > 0 {
		d["0/l"] = dentry{Type: "list", Val: quoteList(list), Exp: -1}
	}
	if len(set) > 0 {
		d["0/s"] = dentry{Type: "set", Val: quoteList(sortedCopy(set)), Exp: -1}
	}
	if len(zset) > 0 {
		d["0/z"] = dentry{Type: "zset", Val: quoteList(zset), Exp: -1}
	}
	return d
}

// corruptPrefix guesses how many ops a digest holds: one item per op.
func corruptPrefix(d digest) int {
	n := 0
	for k, e := range d {
		switch {
		case strings.HasPrefix(k, "0/k:"):
			n++
		case k == "0/h":
			n += strings.Count(e.Val, `"f:`)
		case k == "0/l", k == "0/s":
			n += strings.Count(e.Val, `"`) / 2
		case k == "0/z":
			n += strings.Count(e.Val, `"`) / 4
		}
	}
	return n
}

func sortedCopy(s []string) []string { return slices.Sorted(slices.Values(s)) }

// boltFile is a bbolt database found in a data dir.
type boltFile struct {
	path     string
	size     int64
	pageSize int64
}

// bboltFiles finds the bbolt files of a data dir by the meta page magic
// (0xED0CDAED at byte 16), so the test does not depend on file names.
func bboltFiles(t *testing.T, dir string) []boltFile {
	t.Helper()
	var out []boltFile
	err := filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err != nil || !de.Type().IsRegular() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }() // read-only
		head := make([]byte, 32)
		if _, err := io.ReadFull(f, head); err != nil {
			return nil // too short to be a bbolt file
		}
		if binary.LittleEndian.Uint32(head[16:]) != 0xED0CDAED {
			return nil
		}
		st, err := f.Stat()
		if err != nil {
			return err
		}
		out = append(out, boltFile{path: p, size: st.Size(), pageSize: int64(binary.LittleEndian.Uint32(head[24:]))})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no bbolt file (meta magic 0xED0CDAED) in the data dir %s", dir)
	}
	return out
}

func flipBit(path string, at int64, bit int) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, at); err != nil {
		_ = f.Close()
		return err
	}
	b[0] ^= 1 << bit
	if _, err := f.WriteAt(b, at); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// copyDir copies a directory tree of regular files.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, de os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if de.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		if !de.Type().IsRegular() {
			return nil // sockets, lock files as symlinks: not data
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o600)
	})
}

// TestCrash_CorruptTail is R7 for the tail files (larder.tail*), where
// appendfsync everysec writes records before they reach bbolt: the writes,
// SIGKILL while a tail holds records, then truncations and bit flips of a
// non-empty tail on copies. Same outcomes as TestCrash_CorruptDataDir.
// Knobs: LARDER_SEED, LARDER_CORRUPT_TAIL (cases of each kind, default 6;
// 200 under LARDER_SOAK=1).
func TestCrash_CorruptTail(t *testing.T) {
	seed := testSeed(t)
	count := envCount(t, "LARDER_CORRUPT_TAIL", 6, 200)
	flags := []string{"--appendonly", "yes", "--appendfsync", "everysec"}
	base := filepath.Join(t.TempDir(), "base")
	n := writeCorruptBase(t, base, flags)
	full := corruptOps
	for ; full < 20*corruptOps && len(tailFiles(t, base)) == 0; full++ {
		writeCorruptOps(t, n, full, full+1)
	}
	n.kill()
	tails := tailFiles(t, base)
	if len(tails) == 0 {
		t.Fatalf("no non-empty larder.tail* in %s after %d writes under everysec and SIGKILL", base, full)
	}
	r := newRand(seed, 11)
	type tailDamage struct {
		name     string
		file     string
		apply    func(path string) error
		cleanCut bool // a truncation: it may fall exactly between records
	}
	cases := []tailDamage{{"no damage", tails[0].path, func(string) error { return nil }, false}}
	for i := 0; i < count; i++ {
		f := tails[r.IntN(len(tails))]
		name := filepath.Base(f.path)
		at := r.Int64N(f.size)
		cases = append(cases, tailDamage{fmt.Sprintf("truncate %s to %d of %d", name, at, f.size), f.path,
			func(p string) error { return os.Truncate(p, at) }, true})
		f = tails[r.IntN(len(tails))]
		fat, bit := r.Int64N(f.size), r.IntN(8)
		cases = append(cases, tailDamage{fmt.Sprintf("flip bit %d at %d of %s (%d bytes)", bit, fat, filepath.Base(f.path), f.size), f.path,
			func(p string) error { return flipBit(p, fat, bit) }, false})
	}
	counts := map[string]int{}
	for i, c := range cases {
		dir := filepath.Join(t.TempDir(), "case")
		if err := copyDir(base, dir); err != nil {
			t.Fatal(err)
		}
		if err := c.apply(filepath.Join(dir, filepath.Base(c.file))); err != nil {
			t.Fatalf("case %d (%s): %v", i, c.name, err)
		}
		outcome := runCorruptCase(t, dir, c.cleanCut, full, flags)
		if outcome == "" {
			t.Errorf("case %d (%s): see above (seed %d)", i, c.name, seed)
			continue
		}
		if i == 0 && outcome != "identical" {
			t.Fatalf("the undamaged copy gave %q, want identical", outcome)
		}
		counts[outcome]++
	}
	t.Logf("%d writes, tails %v, %d cases: %v", full, tails, len(cases), counts)
}

// tailFiles lists the non-empty larder.tail* files of a data dir.
func tailFiles(t *testing.T, dir string) []boltFile {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "larder.tail*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []boltFile
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Size() > 0 {
			out = append(out, boltFile{path: p, size: st.Size()})
		}
	}
	return out
}
