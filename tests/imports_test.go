package tests

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/larder-db/larder"

// layering is DESIGN.md §7: for each package (by directory prefix, longest
// match wins) the Larder packages its non-test files may import. A package
// needs a rule here before it may import anything, its own subpackages included.
var layering = []struct {
	dir   string
	allow []string
}{
	{"cmd", []string{"*"}},
	{"tests", []string{"*"}},
	{"keyspace", nil},
	{"internal", nil},
	{"command", []string{"keyspace", "protocol/resp", "internal/", "command/"}},
	{"persist", nil},
	{"protocol/resp", nil},
	{"protocol", []string{"command", "protocol/resp"}},
	{"rest", []string{"command", "protocol/resp"}},
	{"bench", nil},
}

// TestImports_Layering keeps DESIGN.md §7 true: engine, persist and
// protocol/resp import no Larder package; engine/command only the engine
// and the RESP codec; protocol and rest never import each other, nor the engine
// directly (they go through the dispatcher); bench talks to servers only
// over the network.
func TestImports_Layering(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p != module && !strings.HasPrefix(p, module+"/") {
				continue
			}
			target := strings.TrimPrefix(strings.TrimPrefix(p, module), "/")
			if !importAllowed(rel, target) {
				t.Errorf("%s imports %s: not allowed by DESIGN.md §7", filepath.ToSlash(mustRel(root, path)), target)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("only %d Go files checked: walked the wrong tree?", checked)
	}
}

func importAllowed(from, target string) bool {
	rule, best := []string(nil), -1
	for _, l := range layering {
		if (from == l.dir || strings.HasPrefix(from, l.dir+"/")) && len(l.dir) > best {
			rule, best = l.allow, len(l.dir)
		}
	}
	if best < 0 {
		return false // a new top-level package needs a rule here first
	}
	for _, a := range rule {
		if a == "*" || a == target || strings.HasSuffix(a, "/") && strings.HasPrefix(target, a) {
			return true
		}
	}
	return false
}

func mustRel(root, path string) string {
	r, err := filepath.Rel(root, path)
	if err != nil {
		return path
	}
	return r
}

func TestImports_Rules(t *testing.T) {
	cases := []struct {
		from, target string
		ok           bool
	}{
		{"keyspace", "command", false},
		{"command", "keyspace", true},
		{"command", "protocol", false},
		{"protocol", "rest", false},
		{"rest", "protocol", false},
		{"protocol", "command", true},
		{"protocol/resp", "keyspace", false},
		{"bench", "keyspace", false},
		{"cmd/larder", "protocol", true},
		{"persist", "keyspace", false},
		{"newpkg", "keyspace", false},
	}
	for _, c := range cases {
		if got := importAllowed(c.from, c.target); got != c.ok {
			t.Errorf("importAllowed(%q, %q) = %v, want %v", c.from, c.target, got, c.ok)
		}
	}
}
