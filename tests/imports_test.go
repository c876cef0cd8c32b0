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
	// The core: table, dispatcher and gates, session, the handler API.
	{"command", []string{"keyspace", "protocol/resp", "internal/", "command/internal/"}},
	// Families (command/<name>cmd, see familyRule) import the core and
	// the keyspace, never each other.
	// The one place families are joined, and the tests' helper over it.
	{"command/families", []string{"command", "command/"}},
	{"command/commandtest", []string{"command", "command/families", "keyspace", "protocol/resp"}},
	{"command/internal", []string{"command/internal/", "protocol/resp"}},
	// The ACL matches key and channel patterns with Redis's glob.
	{"command/internal/acl", []string{"internal/glob"}},
	{"persist", nil},
	{"protocol/resp", nil},
	{"protocol", []string{"command", "protocol/resp"}},
	{"rest", []string{"command", "protocol/resp"}},
	// The /metrics collectors read the core and the log's figures.
	{"metrics", []string{"command", "keyspace", "persist"}},
	{"bench", nil},
}

// familyImports is what a family package may import (and its own
// subpackages, see familyRule).
var familyImports = []string{"command", "keyspace", "protocol/resp", "internal/", "command/internal/"}

// TestImports_Layering keeps DESIGN.md §7 true: keyspace, persist and
// protocol/resp import no Larder package; the command core only the keyspace
// and the RESP codec; each family only the core and the keyspace, never
// another family; protocol and rest never import each other, nor the keyspace
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

// familyRule gives every family package (command/<name>cmd) and its
// subpackages the family imports plus the family's own subpackages
// (scriptcmd's internal/luabox), so a new family needs no line here.
func familyRule(from string) ([]string, bool) {
	rest, ok := strings.CutPrefix(from, "command/")
	if !ok {
		return nil, false
	}
	name, _, _ := strings.Cut(rest, "/")
	if !strings.HasSuffix(name, "cmd") {
		return nil, false
	}
	return append(familyImports[:len(familyImports):len(familyImports)], "command/"+name+"/"), true
}

func importAllowed(from, target string) bool {
	if rule, ok := familyRule(from); ok {
		return allowedBy(rule, target)
	}
	rule, best := []string(nil), -1
	for _, l := range layering {
		if (from == l.dir || strings.HasPrefix(from, l.dir+"/")) && len(l.dir) > best {
			rule, best = l.allow, len(l.dir)
		}
	}
	if best < 0 {
		return false // a new top-level package needs a rule here first
	}
	return allowedBy(rule, target)
}

func allowedBy(rule []string, target string) bool {
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
		{"command/stringcmd", "command", true},
		{"command/stringcmd", "command/hashcmd", false},
		{"command", "command/stringcmd", false},
		{"command", "command/families", false},
		{"command/families", "command/zsetcmd", true},
		{"command/streamcmd", "command", true},
		{"command/streamcmd", "command/zsetcmd", false},
		{"command/scriptcmd", "command/scriptcmd/internal/luabox", true},
		{"command/scriptcmd/internal/luabox", "protocol/resp", true},
		{"command/scriptcmd/internal/luabox", "command/zsetcmd", false},
		{"command/stringcmd", "command/scriptcmd/internal/luabox", false},
		{"command", "command/scriptcmd", false},
		{"command/families", "command/scriptcmd", true},
	}
	for _, c := range cases {
		if got := importAllowed(c.from, c.target); got != c.ok {
			t.Errorf("importAllowed(%q, %q) = %v, want %v", c.from, c.target, got, c.ok)
		}
	}
}
