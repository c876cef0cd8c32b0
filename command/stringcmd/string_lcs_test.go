package stringcmd

import (
	"math"
	"testing"
)

func TestString_LcsWalkMatchesRedis(t *testing.T) {
	// Expected values from redis-server 7.0.15 (LCS … IDX).
	a, b := []byte("ohmytext"), []byte("mynewtext")
	dp := lcsTable(a, b)
	total := int(dp[len(dp)-1])
	seq, matches := lcsWalk(a, b, dp, total, 0)
	if string(seq) != "mytext" || total != 6 {
		t.Fatalf("LCS = %q (%d), want \"mytext\" (6)", seq, total)
	}
	want := []lcsMatch{{4, 7, 5, 8}, {2, 3, 0, 1}}
	if len(matches) != len(want) {
		t.Fatalf("matches = %v, want %v", matches, want)
	}
	for i := range want {
		if matches[i] != want[i] {
			t.Fatalf("matches = %v, want %v", matches, want)
		}
	}
	if _, m := lcsWalk(a, b, dp, total, 4); len(m) != 1 || m[0] != want[0] {
		t.Fatalf("MINMATCHLEN 4: %v", m)
	}
	empty := lcsTable(nil, b)
	if seq, m := lcsWalk(nil, b, empty, 0, 0); len(seq) != 0 || len(m) != 0 {
		t.Fatalf("empty LCS: %q %v", seq, m)
	}
}

func TestString_LcsCheckSize(t *testing.T) {
	const limit = 512 << 20
	cases := []struct {
		a, b int
		want error
	}{
		{0, 0, nil},
		{8191, 8191, nil},            // 8192² cells × 4 bytes = 256 MiB
		{11584, 11584, nil},          // 11585² × 4 = 536848900 bytes, just under 512 MiB
		{11585, 11585, errLCSMemory}, // 11586² × 4 = 536941584 bytes
		{math.MaxUint32 - 1, 0, errLCSTooLong},
		{0, math.MaxUint32 - 1, errLCSTooLong},
		{math.MaxUint32 - 2, math.MaxUint32 - 2, errLCSNoMemory},
	}
	for _, tc := range cases {
		if got := lcsCheckSize(tc.a, tc.b, limit); got != tc.want {
			t.Errorf("lcsCheckSize(%d, %d) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
