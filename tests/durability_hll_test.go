package tests

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// TestDurability_HLLReplayIgnoresSparseLimit: HyperLogLog values come back
// byte for byte when hll-sparse-max-bytes differs between the run that
// logged them and the restart, both ways: a value promoted early under a
// small limit stays dense, one kept sparse under a raised limit stays
// sparse (the log holds each promotion; replay never promotes for size).
func TestDurability_HLLReplayIgnoresSparseLimit(t *testing.T) {
	ctx := context.Background()
	n := newNode(t, filepath.Join(t.TempDir(), "data"), "--appendonly", "yes", "--hll-sparse-max-bytes", "60")
	n.start()
	rdb := n.client()
	conn := rdb.Conn() // MULTI below: one connection
	do := func(args ...any) {
		t.Helper()
		if err := conn.Do(ctx, args...).Err(); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	batch := func(cmd, key string, from, count int) []any {
		args := []any{cmd, key}
		for i := from; i < from+count; i++ {
			args = append(args, fmt.Sprint("el", i))
		}
		return args
	}
	do(batch("PFADD", "small", 0, 30)...) // dense under 60 bytes
	do("PFADD", "m1", "a", "b")
	do(batch("PFADD", "m2", 0, 8)...)
	do("PFMERGE", "merged", "m1", "m2") // promoted by size while merging
	do("CONFIG", "SET", "hll-sparse-max-bytes", "20000")
	for i := 0; i < 4; i++ {
		do(batch("PFADD", "large", i*600, 600)...) // sparse beyond 3000 bytes
	}
	do(batch("PFADD", "l2", 5000, 900)...)
	do("PFMERGE", "lmerged", "large", "l2") // sparse under 20000 bytes
	do("PFCOUNT", "large")
	do("MULTI")
	do(batch("PFADD", "tx", 0, 40)...)
	do("CONFIG", "GET", "hll-sparse-max-bytes")
	do("EXEC")
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	keys := []string{"small", "merged", "large", "lmerged", "tx"}
	want := map[string]string{}
	for _, k := range keys {
		want[k] = rdb.Get(ctx, k).Val()
	}
	if enc := rdb.Do(ctx, "PFDEBUG", "ENCODING", "lmerged").Val(); enc != "sparse" || len(want["lmerged"]) <= 3000 {
		t.Fatalf("lmerged: %v, %d bytes: the test no longer builds a large sparse value", enc, len(want["lmerged"]))
	}
	for _, flags := range [][]string{{"--appendonly", "yes"}, {"--appendonly", "yes", "--hll-sparse-max-bytes", "0"}} {
		n.kill()
		n.flags = flags
		n.start()
		rdb = n.client()
		for _, k := range keys {
			if got := rdb.Get(ctx, k).Val(); got != want[k] {
				t.Errorf("restart with %v: %s differs after replay (%d bytes, want %d)", flags, k, len(got), len(want[k]))
			}
		}
	}
}
