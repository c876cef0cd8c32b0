package servercmd_test

import (
	"strings"
	"testing"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
)

// TestACL_RestToken: ACL RESTTOKEN hands out the REST token of a user whose
// password is right, and Upstash's error otherwise (UPSTASH-REST.md §3);
// an unknown ACL subcommand answers Redis's unknown-subcommand
// error; the read-only user may not run it.
func TestACL_RestToken(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	if got := commandtest.Do(d, s, "acl", "resttoken", "default", "anything"); got != "-ERR Wrong password or user \"default\" does not exist\r\n" {
		t.Errorf("nopass, no token configured: %q", got)
	}
	for k, v := range map[string]string{"rest-token": "std", "rest-readonly-token": "ro", "requirepass": "pw"} {
		if err := d.Config().Init(k, v); err != nil {
			t.Fatal(err)
		}
	}
	wrong := func(user string) string { return "-ERR Wrong password or user \"" + user + "\" does not exist\r\n" }
	steps := []struct{ argv, want string }{
		{"auth pw", "+OK\r\n"},
		{"acl resttoken default std", "$3\r\nstd\r\n"},
		{"ACL RESTTOKEN default pw", "$3\r\nstd\r\n"},
		{"acl resttoken default ro", wrong("default")},
		{"acl resttoken default_ro ro", "$2\r\nro\r\n"},
		{"acl resttoken default_ro std", wrong("default_ro")},
		{"acl resttoken default_ro pw", wrong("default_ro")},
		{"acl resttoken nobody pw", wrong("nobody")},
		{"acl resttoken default", "-ERR wrong number of arguments for 'acl|resttoken' command\r\n"},
		{"acl", "-ERR wrong number of arguments for 'acl' command\r\n"},
		{"acl whoami", "$7\r\ndefault\r\n"},
		{"acl bogus", "-ERR unknown subcommand 'bogus'. Try ACL HELP.\r\n"},
		{"auth default_ro ro", "+OK\r\n"},
		{"acl resttoken default_ro ro", "-NOPERM this user has no permissions to run the 'acl|resttoken' command\r\n"},
	}
	for _, st := range steps {
		if got := commandtest.Do(d, s, strings.Fields(st.argv)...); got != st.want {
			t.Errorf("%s: got %q, want %q", st.argv, got, st.want)
		}
	}
}
