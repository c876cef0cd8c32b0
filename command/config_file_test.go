package command

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConf(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "larder.conf")
	if err := os.WriteFile(path, []byte(text), 0o640); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConfig_LoadFile(t *testing.T) {
	c := NewConfig()
	path := writeConf(t, "# a comment\n\n  maxmemory 10mb  \r\nHASH-MAX-ZIPLIST-ENTRIES 100\n"+
		"requirepass \"with space\"\nsave 900 1\nsave 300 10\nclient-output-buffer-limit normal 1mb 2mb 3\n")
	if err := c.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"maxmemory": "10485760", "hash-max-listpack-entries": "100",
		"requirepass": "with space", "save": "900 1 300 10"} {
		if got := c.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := c.Get("client-output-buffer-limit"); !strings.HasPrefix(got, "normal 1048576 2097152 3 ") {
		t.Errorf("client-output-buffer-limit = %q", got)
	}
	if c.File() != path {
		t.Errorf("File() = %q, want %q", c.File(), path)
	}
	for text, want := range map[string]string{
		"maxmemory 1 2\n":        "line 1: >>> 'maxmemory 1 2': wrong number of arguments",
		"\nnosuch 1\n":           "line 2: >>> 'nosuch 1': Bad directive or wrong number of arguments",
		"requirepass \"abc\n":    "Unbalanced quotes in configuration line",
		"maxmemory-policy lru\n": "maxmemory-policy: argument(s) must be one of the following",
		"include other.conf\n":   "Bad directive",
	} {
		err := NewConfig().LoadFile(writeConf(t, text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadFile(%q) = %v, want %q", text, err, want)
		}
	}
}

// TestConfig_Rewrite: comments, blank lines, order and unknown lines stay;
// the first line of a parameter gets its value, later ones go; an alias is
// written under the parameter's name; changed parameters not in the file
// are appended after the signature, once.
func TestConfig_Rewrite(t *testing.T) {
	c := NewConfig()
	path := writeConf(t, "# top comment\nslowlog-max-len 64\n\n\n# kept\nhash-max-ziplist-entries 100\nslowlog-max-len 65\nloglevel notice\n")
	if err := c.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if err := c.Set([][]byte{[]byte("slowlog-max-len"), []byte("99"), []byte("maxmemory"), []byte("3gb"),
		[]byte("notify-keyspace-events"), []byte("Ex"), []byte("save"), []byte("60 5 10 20")}); err != nil {
		t.Fatal(err)
	}
	if err := c.InitDerived("requirepass", "generated"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rewrite(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "# top comment\nslowlog-max-len 99\n\n# kept\nhash-max-listpack-entries 100\n\nloglevel notice\n\n" +
		rewriteSignature + "\nsave 60 5\nsave 10 20\nmaxmemory 3gb\nnotify-keyspace-events \"xE\"\n"
	if string(got) != want {
		t.Errorf("rewritten file:\n%s\nwant:\n%s", got, want)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("mode after rewrite: %v, %v", st.Mode(), err)
	}
	// A second rewrite appends nothing more.
	if err := c.Rewrite(); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); string(again) != want {
		t.Errorf("second rewrite changed the file:\n%s", again)
	}
	if err := NewConfig().Rewrite(); err == nil || err.Error() != "ERR The server is running without a config file" {
		t.Errorf("Rewrite without a file = %v", err)
	}
}

// TestConfig_OnApply: a refusing applier rolls the whole CONFIG SET back.
func TestConfig_OnApply(t *testing.T) {
	c := NewConfig()
	calls, refuse := 0, false
	c.OnApply(func() string {
		calls++
		if refuse {
			return "Unable to update TLS configuration. Check server logs."
		}
		return ""
	}, TLSParams...)
	if err := c.Set([][]byte{[]byte("tls-cert-file"), []byte("a"), []byte("tls-key-file"), []byte("b")}); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("applier ran %d times for one CONFIG SET, want 1", calls)
	}
	refuse = true
	err := c.Set([][]byte{[]byte("maxmemory"), []byte("1mb"), []byte("tls-key-file"), []byte("c")})
	want := "ERR CONFIG SET failed (possibly related to argument 'tls-key-file') - Unable to update TLS configuration. Check server logs."
	if err == nil || err.Error() != want {
		t.Fatalf("refused Set = %v, want %q", err, want)
	}
	if c.Get("tls-key-file") != "b" || c.Get("maxmemory") != "0" || c.Int("maxmemory") != 0 {
		t.Errorf("after the refusal: tls-key-file %q, maxmemory %q", c.Get("tls-key-file"), c.Get("maxmemory"))
	}
	if err := c.Set([][]byte{[]byte("maxmemory"), []byte("1mb")}); err != nil || calls != 2 {
		t.Errorf("a SET of no TLS parameter: %v, applier calls %d (want 2)", err, calls)
	}
}
