package acl

import (
	"strings"
	"testing"
)

// testCatalog is a small command table: get (read string fast), set
// (write string slow), config with get/set subcommands (admin), select
// (fast connection), auth (no_auth connection).
func testCatalog() *Catalog {
	const (
		read    = 1 << 1
		write   = 1 << 2
		str     = 1 << 7
		admin   = 1 << 13
		fast    = 1 << 14
		slow    = 1 << 15
		connect = 1 << 18
	)
	c := NewCatalog()
	c.Add("auth", fast|connect, true, nil)
	cfg := c.Add("config", slow, false, nil)
	c.Add("config|get", admin|slow, false, cfg)
	c.Add("config|set", admin|slow, false, cfg)
	c.Add("get", read|str|fast, false, nil)
	c.Add("select", fast|connect, false, nil)
	c.Add("set", write|str|slow, false, nil)
	return c
}

func mustSet(t *testing.T, s *Store, name string, rules ...string) {
	t.Helper()
	if err := s.SetUser(name, rules); err != nil {
		t.Fatalf("SETUSER %s %v: %v", name, rules, err)
	}
}

func TestStore_DefaultUser(t *testing.T) {
	s := NewStore(testCatalog())
	if got := s.Describe(s.Default()); got != "on nopass ~* &* +@all" {
		t.Errorf("default = %q", got)
	}
	if !s.Default().Unrestricted() || s.AuthRequired() {
		t.Error("default user must be unrestricted and need no AUTH")
	}
	s.SetDefaultPassword("pw")
	if !s.AuthRequired() || !s.Default().CheckPassword([]byte("pw")) || s.Default().CheckPassword([]byte("x")) {
		t.Error("requirepass not applied")
	}
}

func TestStore_RulesDescribed(t *testing.T) {
	s := NewStore(testCatalog())
	cases := []struct {
		rules []string
		want  string
	}{
		{nil, "off resetchannels -@all"},
		{[]string{"on", ">p1", "~k*", "%R~r*", "%W~w*", "&ch", "+get"},
			"on #" + HashPassword([]byte("p1")) + " ~k* %R~r* %W~w* resetchannels &ch -@all +@read"},
		{[]string{"reset", "allkeys", "allchannels", "+@all", "-config|set"}, "off sanitize-payload ~* &* +@all -config|set"},
		{[]string{"reset", "+@string"}, "off sanitize-payload resetchannels -@all +@string"},
		{[]string{"reset", "+select|0"}, "off sanitize-payload resetchannels -@all +select|0"},
		{[]string{"reset", "%RW~x", "(+get ~a)"}, "off sanitize-payload ~x resetchannels -@all (~a resetchannels -@all +@read)"},
		{[]string{"clearselectors", "nopass"}, "off nopass sanitize-payload ~x resetchannels -@all"},
	}
	for _, c := range cases {
		mustSet(t, s, "u", c.rules...)
		if got := s.Describe(s.Get("u")); got != c.want {
			t.Errorf("%v: got %q, want %q", c.rules, got, c.want)
		}
	}
}

func TestStore_RuleErrors(t *testing.T) {
	s := NewStore(testCatalog())
	cases := map[string]string{
		"+nosuch":       "Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL",
		"+@nosuch":      "Error in ACL SETUSER modifier '+@nosuch': Unknown command or category name in ACL",
		"bogus":         "Error in ACL SETUSER modifier 'bogus': Syntax error",
		"#abc":          "Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters",
		"<nope":         "Error in ACL SETUSER modifier '<nope': The password you are trying to remove from the user does not exist",
		"+config|get|x": "Error in ACL SETUSER modifier '+config|get|x': Allowing first-arg of a subcommand is not supported",
		"%X~k":          "Error in ACL SETUSER modifier '%X~k': Syntax error",
		"(+get":         "Unmatched parenthesis in acl selector starting at '(+get'.",
	}
	for rule, want := range cases {
		if err := s.SetUser("e", []string{"on", rule}); err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %q", rule, err, want)
		}
	}
	if s.Get("e") != nil {
		t.Error("a failed SETUSER created the user")
	}
	mustSet(t, s, "e", "allkeys")
	if err := s.SetUser("e", []string{"~x"}); err == nil || !strings.Contains(err.Error(), "'allkeys' flag") {
		t.Errorf("pattern after allkeys: %v", err)
	}
}

func TestUser_Check(t *testing.T) {
	cat := testCatalog()
	s := NewStore(cat)
	mustSet(t, s, "u", "on", "nopass", "+get", "+set", "%R~r*", "%W~w*", "~k*", "+select|1", "+config|get")
	u := s.Get("u")
	req := func(name string, keys []KeyRef, argv ...string) *Request {
		r := &Request{Cmd: cat.Lookup(name), HasKeys: keys != nil, Keys: func() []KeyRef { return keys }}
		for _, a := range argv {
			r.Argv = append(r.Argv, []byte(a))
		}
		return r
	}
	read := []KeyRef{{Pos: 1, Perm: PermRead}}
	write := []KeyRef{{Pos: 1, Perm: PermAll}}
	cases := []struct {
		r    *Request
		want Denial
	}{
		{req("get", read, "get", "r1"), OK},
		{req("get", read, "get", "w1"), DeniedKey},
		{req("set", write, "set", "r1", "v"), DeniedKey},
		{req("set", write, "set", "k1", "v"), OK},
		{req("set", []KeyRef{{Pos: 1, Perm: PermWrite}}, "set", "w1", "v"), OK},
		{req("select", nil, "select", "1"), OK},
		{req("select", nil, "select", "2"), DeniedCommand},
		{req("config|get", nil, "config", "get", "x"), OK},
		{req("config|set", nil, "config", "set", "x", "y"), DeniedCommand},
		{req("auth", nil, "auth", "x"), OK},
	}
	for i, c := range cases {
		if got, _ := u.Check(c.r); got != c.want {
			t.Errorf("case %d (%s): got %v, want %v", i, c.r.Cmd.Name, got, c.want)
		}
	}
	mustSet(t, s, "p", "on", "resetchannels", "&news.*", "+@all")
	p := s.Get("p")
	pub := &Request{Cmd: cat.Lookup("get"), Argv: [][]byte{[]byte("publish"), []byte("news.1")}, Channels: []ChannelRef{{Pos: 1}}}
	if d, _ := p.Check(pub); d != OK {
		t.Errorf("publish news.1: %v", d)
	}
	pub.Argv[1] = []byte("other")
	if d, pos := p.Check(pub); d != DeniedChannel || pos != 1 {
		t.Errorf("publish other: %v at %d", d, pos)
	}
	if !p.ChannelAllowed([]byte("news.*"), true) || p.ChannelAllowed([]byte("news.1*"), true) {
		t.Error("patterns are compared literally")
	}
}

func TestLog_Groups(t *testing.T) {
	var l Log
	e := Entry{Reason: DeniedCommand, Object: "get", Username: "u"}
	l.Add(e, 3)
	l.Add(Entry{Reason: DeniedKey, Object: "k", Username: "u"}, 3)
	l.Add(e, 3)
	got := l.Entries(10)
	if len(got) != 2 || got[0].Object != "get" || got[0].Count != 2 || got[1].Count != 1 {
		t.Fatalf("entries = %+v", got)
	}
	for i := 0; i < 5; i++ {
		l.Add(Entry{Reason: DeniedKey, Object: string(rune('a' + i))}, 3)
	}
	if n := len(l.Entries(10)); n != 3 {
		t.Errorf("log kept %d entries, want 3", n)
	}
	l.Reset()
	if n := len(l.Entries(10)); n != 0 {
		t.Errorf("after reset: %d", n)
	}
}

func TestStore_SaveLoad(t *testing.T) {
	s := NewStore(testCatalog())
	mustSet(t, s, "alice", "on", ">pw", "~a*", "+get")
	text := s.Save()
	t2 := NewStore(testCatalog())
	mustSet(t, t2, "bob", "on")
	gone, err := t2.Load(text, "f.acl")
	if err != nil || len(gone) != 1 || gone[0].Name != "bob" {
		t.Fatalf("load: %v %v", gone, err)
	}
	if t2.Save() != text {
		t.Errorf("round trip: %q != %q", t2.Save(), text)
	}
	_, err = t2.Load("user x +nosuch\nbogus\n", "f.acl")
	want := "f.acl:1: Error in applying operation '+nosuch': Unknown command or category name in ACL. f.acl:2 should start with user keyword followed by the username. WARNING: ACL errors detected, no change to the previously active ACL rules was performed"
	if err == nil || err.Error() != want {
		t.Errorf("bad file: %v", err)
	}
}

func TestUser_UnrestrictedRead(t *testing.T) {
	cat := testCatalog()
	s := NewStore(cat)
	req := &Request{Cmd: cat.Lookup("get"), Argv: [][]byte{[]byte("get"), []byte("k")}}
	for rules, want := range map[string]bool{
		"+get ~k*":           false,
		"+get %R~*":          true,
		"+get %W~*":          false,
		"+get allkeys":       true,
		"-get allkeys":       false,
		"+get ~k* (+get ~*)": true,
	} {
		mustSet(t, s, "r", append([]string{"reset", "on"}, strings.Fields(rules)...)...)
		if got := s.Get("r").UnrestrictedRead(req); got != want {
			t.Errorf("%s: %v, want %v", rules, got, want)
		}
	}
}
