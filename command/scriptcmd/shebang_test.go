package scriptcmd

import (
	"testing"
)

func TestScript_ShebangFlags(t *testing.T) {
	cases := []struct {
		name, body string
		flags      scriptFlags
		skip       int
		err        string
	}{
		{"none", "return 1", sfCompat, 0, ""},
		{"bare", "#!lua\nreturn 1", 0, 5, ""},
		{"flags", "#!lua flags=no-writes,allow-oom\nreturn 1", sfNoWrites | sfAllowOOM, 31, ""},
		{"upstash", "#!lua flags=allow-key-locking\nx", sfKeyLocking, 29, ""},
		{"empty flags", "#!lua flags=\nx", 0, 12, ""},
		{"no newline", "#!lua", 0, 0, "ERR Invalid script shebang"},
		{"engine", "#!js\nx", 0, 0, "ERR Unexpected engine in script shebang: #!js"},
		{"option", "#!lua name=x\nx", 0, 0, "ERR Unknown lua shebang option: name=x"},
		{"flag", "#!lua flags=no-writes,bogus\nx", 0, 0, "ERR Unexpected flag in script shebang: bogus"},
	}
	for _, c := range cases {
		f, skip, err := shebangFlags(c.body)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.err || (err == nil && (f != c.flags || skip != c.skip)) {
			t.Errorf("%s: got %v %d %q, want %v %d %q", c.name, f, skip, got, c.flags, c.skip, c.err)
		}
	}
}

func TestScript_ErrorText(t *testing.T) {
	for in, want := range map[string]string{
		"-WRONGTYPE Operation against a key": "WRONGTYPE Operation against a key",
		"-NOSPACE":                           "ERR NOSPACE",
		"plain message":                      "ERR plain message",
		"-ERR trailing\r\n":                  "ERR trailing",
	} {
		if got := errorText(in); got != want {
			t.Errorf("errorText(%q) = %q, want %q", in, got, want)
		}
	}
}
