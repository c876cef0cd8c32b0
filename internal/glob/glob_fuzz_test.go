package glob

import "testing"

// FuzzGlob checks Match against the recursive transliteration of Redis's
// stringmatchlen (refMatch in glob_test.go): same answer whenever the
// reference finishes within a small budget, no panic, and work bounded by
// O(len(pattern)·len(s)).
func FuzzGlob(f *testing.F) {
	seeds := []struct {
		p, s   string
		nocase bool
	}{
		{"*", "abc", false},
		{"h?llo", "hello", false},
		{"h[^e]llo", "hallo", true},
		{"[a-\xff]", "\x80", false},
		{"[\\]]x\\", "]x\\", false},
		{"a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"[", "[", false},
		{"[^", "z", true},
		{"*[A-z]*", "__", true},
	}
	for _, s := range seeds {
		f.Add([]byte(s.p), []byte(s.s), s.nocase)
	}
	f.Fuzz(func(t *testing.T, p, s []byte, nocase bool) {
		if len(p) > 4096 || len(s) > 4096 {
			t.Skip("keep executions fast")
		}
		matched, used := globRun(p, s, nocase, 1<<40)
		if bound := 4 * (len(p) + 2) * (len(s) + 2); used > bound {
			t.Fatalf("used %d steps, bound %d", used, bound)
		}
		if got := Match(p, s, nocase); got != matched {
			t.Fatalf("Match %v, unbounded run %v", got, matched)
		}
		want, ok := refGlob(p, s, nocase, 100000)
		if ok && want != matched {
			t.Fatalf("globMatch(%q, %q, nocase=%v) = %v, reference %v", p, s, nocase, matched, want)
		}
	})
}
