package keyspace

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// TestListAgainstSlice drives the ring buffer and a plain slice with the
// same random operations, across growth and shrinking.
func TestListAgainstSlice(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	l := NewList()
	var ref []string
	for i := range 20000 {
		v := strconv.Itoa(i)
		switch op := r.IntN(10); {
		case op < 3:
			l.PushLeft(v)
			ref = append([]string{v}, ref...)
		case op < 6:
			l.PushRight(v)
			ref = append(ref, v)
		case op < 8 && len(ref) > 0:
			if got := l.PopLeft(); got != ref[0] {
				t.Fatalf("PopLeft = %s, want %s", got, ref[0])
			}
			ref = ref[1:]
		case len(ref) > 0:
			if got := l.PopRight(); got != ref[len(ref)-1] {
				t.Fatalf("PopRight = %s, want %s", got, ref[len(ref)-1])
			}
			ref = ref[:len(ref)-1]
		}
		if i%1000 == 0 {
			if got := l.Slice(0, l.Len()-1); !slices.Equal(got, ref) {
				t.Fatalf("contents differ at step %d", i)
			}
			c := l.Clone().(*List)
			c.PushLeft("x")
			if l.Len() != len(ref) || c.Len() != len(ref)+1 {
				t.Fatal("clone shares state")
			}
		}
	}
	for l.Len() > 0 {
		l.PopLeft()
	}
	if l.MemSize() > listOverhead+16*64 {
		t.Fatalf("a drained list holds %d bytes", l.MemSize())
	}
	l.Replace([]string{"a", "b", "c", "d", "e"})
	l.Trim(1, 3)
	if got := l.Slice(0, l.Len()-1); !slices.Equal(got, []string{"b", "c", "d"}) {
		t.Fatalf("Trim(1,3) = %q", got)
	}
}

// BenchmarkListMillionElements reports heap bytes per element of a
// 1M-element list ("element:N"), for comparison with redis-server's
// used_memory for the same RPUSHes.
func BenchmarkListMillionElements(b *testing.B) {
	reportHeapPer(b, 1_000_000, "element", func() interface{ MemSize() int64 } {
		l := NewList()
		for i := range 1_000_000 {
			l.PushRight("element:" + strconv.Itoa(i))
		}
		return l
	})
}
