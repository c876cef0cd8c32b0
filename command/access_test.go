package command_test

import (
	"strings"
	"testing"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
)

// TestAccess_ReadOnlyUser: the REST read-only token is the default_ro
// user's password over TCP; its session runs reads and gets Redis 7.0's
// NOPERM text for the rest, inside MULTI too (UPSTASH-REST.md §3).
func TestAccess_ReadOnlyUser(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	for k, v := range map[string]string{"rest-token": "std", "rest-readonly-token": "ro"} {
		if err := d.Config().Init(k, v); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct{ argv, want string }{
		{"set k v", "+OK\r\n"},
		{"auth default_ro wrong", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{"auth default_ro std", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{"auth default_ro ro", "+OK\r\n"},
		{"get k", "$1\r\nv\r\n"},
		{"ping", "+PONG\r\n"},
		{"set k w", "-NOPERM this user has no permissions to run the 'set' command\r\n"},
		{"keys *", "-NOPERM this user has no permissions to run the 'keys' command\r\n"},
		{"scan 0", "-NOPERM this user has no permissions to run the 'scan' command\r\n"},
		{"publish c m", "-NOPERM this user has no permissions to run the 'publish' command\r\n"},
		{"config set maxclients 5", "-NOPERM this user has no permissions to run the 'config|set' command\r\n"},
		{"multi", "+OK\r\n"},
		{"get k", "+QUEUED\r\n"},
		{"del k", "-NOPERM this user has no permissions to run the 'del' command\r\n"},
		{"exec", "-EXECABORT Transaction discarded because of previous errors.\r\n"},
		{"client info", ""},
		{"reset", "+RESET\r\n"},
		{"del k", ":1\r\n"},
	}
	for _, st := range steps {
		got := commandtest.Do(d, s, strings.Fields(st.argv)...)
		if st.argv == "client info" {
			if !strings.Contains(got, " user=default_ro ") {
				t.Errorf("client info: %q", got)
			}
			continue
		}
		if got != st.want {
			t.Errorf("%s: got %q, want %q", st.argv, got, st.want)
		}
	}
}

// TestAccess_StandardToken: the REST standard token is a password of the
// default user next to requirepass, in AUTH's one- and two-argument forms
// and in HELLO.
func TestAccess_StandardToken(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	if err := d.Config().Init("rest-token", "tok"); err != nil {
		t.Fatal(err)
	}
	// A token without requirepass (the generated one of a loopback start)
	// leaves default as nopass: Redis's answers, byte for byte.
	if got := commandtest.Do(d, s, "auth", "tok"); !strings.HasPrefix(got, "-ERR AUTH <password> called without any password configured") {
		t.Fatalf("no password, no token: %q", got)
	}
	if got := commandtest.Do(d, s, "auth", "default", "anything"); got != "+OK\r\n" {
		t.Fatalf("nopass default: %q", got)
	}
	for k, v := range map[string]string{"rest-token": "tok", "requirepass": "pw"} {
		if err := d.Config().Init(k, v); err != nil {
			t.Fatal(err)
		}
	}
	s.Authenticated = false
	steps := []struct{ argv, want string }{
		{"get k", "-NOAUTH Authentication required.\r\n"},
		{"auth wrong", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{"auth tok", "+OK\r\n"},
		{"auth default pw", "+OK\r\n"},
		{"auth default tok", "+OK\r\n"},
		{"auth default_ro tok", "-WRONGPASS invalid username-password pair or user is disabled.\r\n"},
		{"set k v", "+OK\r\n"},
	}
	for _, st := range steps {
		if got := commandtest.Do(d, s, strings.Fields(st.argv)...); got != st.want {
			t.Errorf("%s: got %q, want %q", st.argv, got, st.want)
		}
	}
	s2 := command.NewSession("test", "a", "b", s.Created)
	d.Register(s2)
	if got := commandtest.Do(d, s2, "hello", "3", "auth", "default_ro", "tok"); !strings.HasPrefix(got, "-WRONGPASS") {
		t.Errorf("hello with the wrong user: %q", got)
	}
	if err := d.Config().Init("rest-readonly-token", "ro"); err != nil {
		t.Fatal(err)
	}
	if got := commandtest.Do(d, s2, "hello", "3", "auth", "default_ro", "ro"); !strings.HasPrefix(got, "%7\r\n") {
		t.Errorf("hello as default_ro: %q", got)
	}
	if got := commandtest.Do(d, s2, "set", "k", "v"); got != "-NOPERM this user has no permissions to run the 'set' command\r\n" {
		t.Errorf("write after hello as default_ro: %q", got)
	}
}

// TestAccess_ReadOnlyAllowed pins the decision for rows whose answer
// Upstash documents (§3: reads yes; SCAN and KEYS no) and that every
// write-flagged row is refused.
func TestAccess_ReadOnlyAllowed(t *testing.T) {
	d, _ := commandtest.New(t, command.Options{})
	want := map[string]bool{"get": true, "hgetall": true, "zrange": true, "ping": true, "echo": true,
		"dbsize": true, "subscribe": true, "exists": true, "lcs": true,
		"set": false, "keys": false, "scan": false, "randomkey": false, "publish": false,
		"flushall": false, "info": false, "sort_ro": false, "swapdb": false}
	for name, allowed := range want {
		if got := command.ReadOnlyAllowed(d.Table().Lookup(name)); got != allowed {
			t.Errorf("%s: %v, want %v", name, got, allowed)
		}
	}
	scripts := []struct {
		spec    *command.Spec
		allowed bool
	}{ // rows of the scripting issue, as Redis 7.0 declares them
		{&command.Spec{Name: "eval_ro", Flags: command.FlagReadOnly | command.FlagNoScript | command.FlagStale | command.FlagSkipMonitor | command.FlagNoMandatoryKeys | command.FlagMovableKeys, ACL: command.ACLSlow | command.ACLScripting}, true},
		{&command.Spec{Name: "eval", Flags: command.FlagNoScript | command.FlagStale | command.FlagSkipMonitor | command.FlagMayReplicate | command.FlagNoMandatoryKeys | command.FlagMovableKeys, ACL: command.ACLSlow | command.ACLScripting}, false},
		{&command.Spec{Name: "script|load", Flags: command.FlagNoScript | command.FlagStale, ACL: command.ACLSlow | command.ACLScripting}, false},
	}
	for _, c := range scripts {
		if got := command.ReadOnlyAllowed(c.spec); got != c.allowed {
			t.Errorf("%s: %v, want %v", c.spec.Name, got, c.allowed)
		}
	}
	for _, s := range d.Table().All() {
		for _, row := range append([]*command.Spec{s}, s.Subs...) {
			if row.Flags&command.FlagWrite != 0 && command.ReadOnlyAllowed(row) {
				t.Errorf("%s: write allowed", row.Name)
			}
		}
	}
}
