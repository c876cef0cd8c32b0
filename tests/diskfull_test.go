package tests

// R16 (RELIABILITY.md §4): the data dir on a small tmpfs that the test fills.
// Writes must then be refused with MISCONF (never acknowledged and lost),
// reads keep working, a refused write is not visible, writes resume once
// space returns, and after SIGKILL and a restart every acknowledged write is
// there and no refused one is. Needs root (mount); skipped otherwise. R17's
// injected fsync errors need a seam inside the server and are not tested here.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const misconfPrefix = "MISCONF Errors writing to the AOF file"

// TestDurability_DiskFull is R16 for appendfsync always, everysec and no.
func TestDurability_DiskFull(t *testing.T) {
	for _, policy := range []string{"always", "everysec", "no"} {
		t.Run(policy, func(t *testing.T) {
			mnt := mountTmpfs(t, "8m")
			n := newNode(t, filepath.Join(mnt, "data"), "--appendonly", "yes", "--appendfsync", policy)
			n.start()
			diskFull(t, n, mnt)
		})
	}
}

// mountTmpfs mounts a tmpfs of the given size on a new directory and
// unmounts it when the test ends (after the servers registered later stop).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("R16 disk-full test needs root to mount a tmpfs; skipped (not root)")
	}
	mnt := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("R16 disk-full test: cannot mount a tmpfs (%v): %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", mnt, err, out)
			_ = exec.Command("umount", "-l", mnt).Run() // last resort; the error is reported above
		}
	})
	return mnt
}

// fillDisk writes a filler file until the filesystem is full.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the disk: %v", err)
			}
			break
		}
	}
	// Smaller writes take the last partial blocks too.
	for _, err := f.Write(chunk[:512]); err == nil; _, err = f.Write(chunk[:512]) {
	}
	_ = f.Close() // the file is full either way
	return path
}

// diskLedger is what the disk-full test knows about each key it wrote.
type diskLedger struct {
	acked   map[string]string // the reply was OK
	refused map[string]bool   // answered MISCONF: must never appear
	maybe   map[string]string // no answer (timeout): either state
}

func diskFull(t *testing.T, n *node, mnt string) {
	ctx := context.Background()
	rdb := n.client()
	l := diskLedger{acked: map[string]string{}, refused: map[string]bool{}, maybe: map[string]string{}}
	for i := 0; i < 200; i++ {
		k, v := fmt.Sprintf("before:%d", i), fmt.Sprintf("v%d", i)
		if err := rdb.Set(ctx, k, v, 0).Err(); err != nil {
			t.Fatalf("SET %s before the disk is full: %v", k, err)
		}
		l.acked[k] = v
	}
	if err := rdb.Set(ctx, "ctr", "100", 0).Err(); err != nil {
		t.Fatal(err)
	}
	l.acked["ctr"] = "100"
	filler := fillDisk(t, mnt)
	// A write that waits for the disk (queued, not refused) is "maybe":
	// give it a short read timeout on its own client.
	w := redis.NewClient(&redis.Options{Addr: n.srv.addr, Protocol: 2, MaxRetries: -1, ReadTimeout: 3 * time.Second, PoolSize: 1})
	defer func() { _ = w.Close() }() // the test's own client
	writeUntilMisconf(t, w, rdb, l)
	if st, err := infoField(rdb, "persistence", "aof_last_write_status"); err != nil || st != "err" {
		t.Errorf("while the disk is full: aof_last_write_status = %q, %v; want err", st, err)
	}
	refusedLeavesData(t, w, rdb, l.acked, l.refused, l.maybe)
	checkAcked(t, rdb, l.acked, l.refused, nil, "while the disk is full")

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	writeUntilRecovered(t, w, l)
	if st, err := infoField(rdb, "persistence", "aof_last_write_status"); err != nil || st != "ok" {
		t.Errorf("after a write succeeded again: aof_last_write_status = %q, %v; want ok", st, err)
	}
	for i := 0; i < 50; i++ {
		k := fmt.Sprintf("later:%d", i)
		if err := rdb.Set(ctx, k, "v", 0).Err(); err != nil {
			t.Fatalf("SET %s after recovery: %v", k, err)
		}
		l.acked[k] = "v"
	}
	n.kill()
	n.start()
	checkAcked(t, n.client(), l.acked, l.refused, l.maybe, "after SIGKILL and a restart")
	t.Logf("%d acked, %d refused with MISCONF, %d unanswered", len(l.acked), len(l.refused), len(l.maybe))
}

// writeUntilMisconf writes 4 KiB values to new keys until 20 MISCONF
// replies (or 5 unanswered writes); a refused key must stay absent.
func writeUntilMisconf(t *testing.T, w, rdb *redis.Client, l diskLedger) {
	t.Helper()
	ctx := context.Background()
	big := strings.Repeat("x", 4096)
	misconfs := 0
	for i := 0; i < 4000 && misconfs < 20 && len(l.maybe) < 5; i++ {
		k := fmt.Sprintf("full:%d", i)
		err := w.Set(ctx, k, big, 0).Err()
		switch {
		case err == nil:
			l.acked[k] = big
		case replyErr(err) && strings.HasPrefix(err.Error(), misconfPrefix):
			misconfs++
			l.refused[k] = true
			if v, gerr := rdb.Get(ctx, k).Result(); gerr != redis.Nil {
				t.Fatalf("SET %s was refused (%v) but GET returns %d bytes, %v: memory diverged from disk", k, err, len(v), gerr)
			}
		case replyErr(err):
			t.Fatalf("SET %s on a full disk: %v; want an error starting with %q", k, err, misconfPrefix)
		default:
			l.maybe[k] = big
		}
	}
	if misconfs == 0 {
		t.Fatalf("4000 SETs of 4 KiB on a full 8 MiB tmpfs: no MISCONF (%d acked, %d unanswered)", len(l.acked), len(l.maybe))
	}
}

// writeUntilRecovered retries a write every 100 ms until one succeeds,
// for up to about a minute (a bound, not a timing assertion). It polls the
// state itself, a write that succeeds, and each refused try is recorded in
// the ledger, so it keeps its own loop rather than waitFor: the sleep is
// the interval between tries, kept at 100 ms because Larder retries its
// failed commit only once a second and faster tries would only add refused
// writes.
func writeUntilRecovered(t *testing.T, w *redis.Client, l diskLedger) {
	t.Helper()
	for i := 0; i < 600; i++ {
		k := fmt.Sprintf("after:%d", i)
		err := w.Set(context.Background(), k, "v", 0).Err()
		switch {
		case err == nil:
			l.acked[k] = "v"
			return
		case replyErr(err) && strings.HasPrefix(err.Error(), misconfPrefix):
			l.refused[k] = true
			time.Sleep(100 * time.Millisecond) // the interval between tries
		case replyErr(err):
			t.Fatalf("SET %s after space returned: %v", k, err)
		default:
			l.maybe[k] = "v"
		}
	}
	t.Fatal("writes did not resume within about a minute of space returning")
}

// refusedLeavesData sends writes to existing keys while the disk is full: a
// write refused with MISCONF must leave the data as it was (applied only
// after a commit, or undone); one that succeeds updates the ledger.
func refusedLeavesData(t *testing.T, w, rdb *redis.Client, acked map[string]string, refused map[string]bool, maybe map[string]string) {
	t.Helper()
	ctx := context.Background()
	for _, argv := range [][]any{{"INCR", "ctr"}, {"DEL", "before:1"}, {"EXPIRE", "before:2", "-1"}, {"APPEND", "before:3", "x"}, {"RENAME", "before:4", "renamed"}} {
		key := argv[1].(string)
		res, err := w.Do(ctx, argv...).Result()
		switch {
		case err == nil:
			t.Logf("%v succeeded on a full disk (%v)", argv, res)
			switch argv[0] {
			case "INCR":
				acked[key] = fmt.Sprint(res)
			case "APPEND":
				acked[key] += "x"
			case "RENAME":
				acked["renamed"] = acked[key]
				fallthrough
			default:
				delete(acked, key)
				refused[key] = true
			}
			continue
		case replyErr(err) && strings.HasPrefix(err.Error(), misconfPrefix):
		case replyErr(err):
			t.Fatalf("%v on a full disk: %v; want %q", argv, err, misconfPrefix)
		default: // no answer: the write may still happen
			t.Logf("%v on a full disk: no answer (%v)", argv, err)
			for _, k := range []string{key, "renamed"} {
				maybe[k] = acked[k]
				delete(acked, k)
			}
			continue
		}
		if v, gerr := rdb.Get(ctx, key).Result(); gerr != nil || v != acked[key] {
			t.Errorf("%v was refused (%v) but %s is now %q, %v; want %q: memory diverged from disk", argv, err, key, v, gerr, acked[key])
		}
		if ttl, terr := rdb.TTL(ctx, key).Result(); terr != nil || ttl != -1 {
			t.Errorf("%v was refused but %s has TTL %v, %v", argv, key, ttl, terr)
		}
		if argv[0] == "RENAME" {
			if n, _ := rdb.Exists(ctx, "renamed").Result(); n != 0 {
				t.Errorf("RENAME was refused but the new name exists")
			}
		}
	}
}

// checkAcked: every acked key holds its value, no refused key exists, and
// no key outside the three sets exists (maybe == nil: skip that last check).
func checkAcked(t *testing.T, rdb *redis.Client, acked map[string]string, refused map[string]bool, maybe map[string]string, when string) {
	t.Helper()
	ctx := context.Background()
	var problems []string
	for k, v := range acked {
		if got, err := rdb.Get(ctx, k).Result(); err != nil || got != v {
			problems = append(problems, fmt.Sprintf("acked %s: GET = %d bytes, %v", k, len(got), err))
		}
	}
	for k := range refused {
		if _, ok := acked[k]; ok {
			continue
		}
		if n, err := rdb.Exists(ctx, k).Result(); err != nil || n != 0 {
			problems = append(problems, fmt.Sprintf("refused %s exists (%d, %v)", k, n, err))
		}
	}
	if maybe != nil {
		keys, err := scanKeys(ctx, rdb)
		if err != nil {
			t.Fatalf("%s: SCAN: %v", when, err)
		}
		for _, k := range keys {
			_, a := acked[k]
			_, m := maybe[k]
			if !a && !m && !refused[k] {
				problems = append(problems, fmt.Sprintf("phantom key %s", k))
			}
		}
	}
	if len(problems) > 0 {
		t.Fatalf("%s: %d problems:\n  %s", when, len(problems), strings.Join(problems[:min(30, len(problems))], "\n  "))
	}
}
