package keyspace

import (
	"strconv"
	"testing"
)

func TestSetIntsetConversion(t *testing.T) {
	s := NewSet()
	for i := range 4 {
		s.Add([]byte(strconv.Itoa(i)), 4)
	}
	if !s.IsIntset() || s.Encoding() != "intset" {
		t.Fatalf("4 ints under a limit of 4: %s", s.Encoding())
	}
	s.Add([]byte("4"), 4)
	if s.IsIntset() {
		t.Fatal("5 ints over a limit of 4 stayed an intset")
	}
	s.Remove([]byte("4"))
	if s.Encoding() != "hashtable" || s.Len() != 4 || !s.Has([]byte("3")) {
		t.Fatalf("after removal: %s len %d", s.Encoding(), s.Len())
	}
	n := NewSet()
	n.Add([]byte("07"), 512)
	if n.IsIntset() || !n.Has([]byte("07")) || n.Has([]byte("7")) {
		t.Fatal("a non-canonical integer must convert and stay verbatim")
	}
}

// TestSetScanAcrossResizes checks SSCAN's guarantee: a member present for
// the whole walk is returned, even while the table grows and shrinks.
func TestSetScanAcrossResizes(t *testing.T) {
	s := NewSet()
	for i := range 1000 {
		s.Add([]byte("m"+strconv.Itoa(i)), 0)
	}
	seen := map[string]bool{}
	var cur uint64
	step := 0
	for {
		cur = s.Scan(cur, 10, 100, func(m string) { seen[m] = true })
		step++
		switch step {
		case 5: // grow
			for i := 1000; i < 5000; i++ {
				s.Add([]byte("m"+strconv.Itoa(i)), 0)
			}
		case 20: // shrink hard, keeping m0..m99
			for i := 100; i < 5000; i++ {
				s.Remove([]byte("m" + strconv.Itoa(i)))
			}
		}
		if cur == 0 {
			break
		}
	}
	for i := range 100 {
		if !seen["m"+strconv.Itoa(i)] {
			t.Fatalf("m%d was present throughout but not returned", i)
		}
	}
}

func TestSetCloneIndependent(t *testing.T) {
	for _, m := range []string{"1", "x"} {
		s := NewSet()
		s.Add([]byte(m), 512)
		c := s.Clone().(*Set)
		c.Add([]byte("2"), 512)
		if s.Len() != 1 || c.Len() != 2 {
			t.Fatalf("clone shares storage (%s)", s.Encoding())
		}
	}
}
