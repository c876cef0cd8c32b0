package keyspace

import (
	"strconv"
	"testing"
)

// TestTableRandomUniform: Random picks every entry about equally often,
// whatever the length of its chain (SRANDMEMBER and ZRANDMEMBER with a
// negative count rely on it; Redis's suite checks their histogram).
func TestTableRandomUniform(t *testing.T) {
	const entries, draws = 12, 120000
	tab := NewTable[int](0)
	for i := range entries {
		tab.Set("m"+strconv.Itoa(i), i)
	}
	counts := map[string]int{}
	for range draws {
		k, _ := tab.Random()
		counts[k]++
	}
	want := draws / entries
	for i := range entries {
		// The standard deviation is about 96; 10% is ten of them.
		if got := counts["m"+strconv.Itoa(i)]; got < want*9/10 || got > want*11/10 {
			t.Errorf("m%d drawn %d times in %d, want about %d (chains: %v)", i, got, draws, want, chainLens(tab))
		}
	}
}

func chainLens(t *Table[int]) []int {
	out := make([]int, len(t.buckets))
	for i, b := range t.buckets {
		out[i] = len(b)
	}
	return out
}
