package tests

import (
	"regexp"
	"strings"
	"testing"
)

func TestCompat_Connection(t *testing.T) {
	runCompat(t, [][]string{
		c("PING"), c("PING", "hello"), c("PING", "a", "b"), c("PING", ""),
		c("ECHO", "x"), c("ECHO", ""), c("ECHO", "a\r\nb"), c("ECHO"), c("ECHO", "a", "b"),
		c("SELECT", "3"), c("SET", "k", "v3"), c("SELECT", "0"), c("GET", "k"), c("SELECT", "3"), c("GET", "k"),
		c("AUTH", "pw"), c("AUTH", "default", "pw"), c("AUTH", "bob", "pw"), c("AUTH", "a", "b", "c"), c("AUTH"),
		c("HELLO", "4"), c("HELLO", "1"), c("HELLO", "x"), c("HELLO", "2", "BOGUS"), c("HELLO", "2", "AUTH", "default"),
		c("HELLO", "2", "SETNAME", "bad name"),
		c("HELLO", "2", "AUTH", "bob", "pw"),
		c("CLIENT", "SETNAME", "myname"), c("CLIENT", "GETNAME"), c("CLIENT", "SETNAME", ""), c("CLIENT", "GETNAME"),
		c("CLIENT", "SETNAME", "a b"), c("CLIENT", "SETNAME", "a\nb"), c("CLIENT", "SETNAME"),
		c("CLIENT", "NO-EVICT", "on"), c("CLIENT", "NO-EVICT", "OFF"), c("CLIENT", "NO-EVICT", "maybe"),
		c("CLIENT", "REPLY", "maybe"), c("CLIENT", "REPLY", "ON"),
		c("CLIENT", "KILL", "1.2.3.4:5"), c("CLIENT", "KILL", "id"), c("CLIENT", "KILL", "ID", "0"),
		c("CLIENT", "KILL", "ID", "x"), c("CLIENT", "KILL", "ID", "999999"), c("CLIENT", "KILL", "TYPE", "foo"),
		c("CLIENT", "KILL", "TYPE", "pubsub"), c("CLIENT", "KILL", "TYPE", "master"), c("CLIENT", "KILL", "USER", "bob"),
		c("CLIENT", "KILL", "SKIPME", "maybe"), c("CLIENT", "KILL", "ADDR", "1.2.3.4:5", "ID"),
		c("CLIENT", "KILL", "LADDR", "1.2.3.4:5"), c("CLIENT", "KILL", "BOGUS", "x"),
		c("CLIENT", "LIST", "ID", "x"), c("CLIENT", "LIST", "ID", "0"), c("CLIENT", "LIST", "ID", "-3"), c("CLIENT", "LIST", "TYPE", "foo"),
		c("CLIENT", "LIST", "foo"), c("CLIENT", "LIST", "TYPE", "pubsub"), c("CLIENT", "LIST", "ID", "999999"),
		c("CLIENT"), c("CLIENT", "BOGUS"), c("CLIENT", "ID", "x"), c("CLIENT", "INFO", "x"),
	})
}

// TestCompat_ClientReply: OFF and SKIP silence replies exactly as Redis.
func TestCompat_ClientReply(t *testing.T) {
	p := sharedPair(t)
	raw := []byte(strings.Join([]string{
		"*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n",
		"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n", // skipped
		"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
	}, ""))
	p.doRaw(raw)
	p.doRaw([]byte("*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n*2\r\n$4\r\nINCR\r\n$1\r\nk\r\n" +
		"*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n*1\r\n$4\r\nPING\r\n" +
		"*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$2\r\nON\r\n"))
	p.do("GET", "k")
}

// TestCompat_ClientIdentity checks the nondeterministic CLIENT replies by
// shape: ids, addresses and ages differ between servers.
func TestCompat_ClientIdentity(t *testing.T) {
	p := sharedPair(t)
	l := p.larderConn
	id := strings.TrimSuffix(strings.TrimPrefix(string(l.do("CLIENT", "ID")), ":"), "\r\n")
	if !regexp.MustCompile(`^\d+$`).MatchString(id) {
		t.Fatalf("CLIENT ID = %q", id)
	}
	l.do("CLIENT", "SETNAME", "me")
	info := string(l.do("CLIENT", "INFO"))
	want := regexp.MustCompile(`^\$\d+\r\nid=` + id + ` addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=-?\d+ name=me age=\d+ idle=\d+ flags=N db=0 .*cmd=client\|info user=default redir=-1 resp=2.*\n\r\n$`)
	if !want.MatchString(info) {
		t.Errorf("CLIENT INFO = %q", info)
	}
	redisInfo := string(p.redisConn.do("CLIENT", "INFO"))
	fields := func(s string) []string {
		var out []string
		for _, kv := range strings.Fields(s[strings.Index(s, "\n")+1:]) {
			out = append(out, strings.SplitN(kv, "=", 2)[0])
		}
		return out
	}
	lf := strings.Join(fields(info), " ")
	for _, f := range fields(redisInfo) {
		if !strings.Contains(" "+lf+" ", " "+f+" ") {
			t.Errorf("CLIENT INFO lacks Redis's field %q", f)
		}
	}
	other := p.newClient()
	list := string(l.do("CLIENT", "LIST"))
	if strings.Count(list, "\n") < 3 || !strings.Contains(list, "id="+id+" ") {
		t.Errorf("CLIENT LIST = %q", list)
	}
	if got := string(l.do("CLIENT", "LIST", "ID", id)); strings.Count(got, "id=") != 1 {
		t.Errorf("CLIENT LIST ID %s = %q", id, got)
	}
	otherID := strings.TrimSuffix(strings.TrimPrefix(string(other.larderConn.do("CLIENT", "ID")), ":"), "\r\n")
	if got := string(l.do("CLIENT", "KILL", "ID", otherID)); got != ":1\r\n" {
		t.Errorf("CLIENT KILL ID = %q", got)
	}
	if got := string(l.do("CLIENT", "KILL", "ID", id)); got != ":0\r\n" { // SKIPME yes by default
		t.Errorf("CLIENT KILL own ID = %q", got)
	}
	l.do("CLIENT", "SETINFO", "LIB-NAME", "go-redis")
	l.do("CLIENT", "SETINFO", "lib-ver", "9.0")
	if got := string(l.do("CLIENT", "INFO")); !strings.Contains(got, "lib-name=go-redis lib-ver=9.0") {
		t.Errorf("after SETINFO: %q", got)
	}
	for argv, want := range map[string]string{
		"CLIENT SETINFO LIB-NAME a\tb": "-ERR lib-name cannot contain spaces, newlines or special characters.\r\n",
		"CLIENT SETINFO bogus x":       "-ERR Unrecognized option 'bogus'\r\n",
		"CLIENT NO-TOUCH on":           "+OK\r\n",
		"CLIENT NO-TOUCH maybe":        "-ERR syntax error\r\n",
	} {
		if got := string(l.do(strings.SplitN(argv, " ", 4)...)); got != want {
			t.Errorf("%s = %q, want %q", argv, got, want)
		}
	}
	if got := string(l.do("CLIENT", "KILL", "ID", id, "SKIPME", "no")); got != ":1\r\n" {
		t.Errorf("CLIENT KILL self = %q", got)
	}
}

// TestCompat_ResetAndQuit compares RESET's effect and QUIT's close.
func TestCompat_ResetAndQuit(t *testing.T) {
	p := sharedPair(t)
	runCases(t, p, [][]string{
		c("SELECT", "2"), c("CLIENT", "SETNAME", "n"), c("RESET"), c("CLIENT", "GETNAME"), c("SET", "k", "db0"),
		c("SELECT", "2"), c("GET", "k"), c("RESET", "x"),
	})
	q := p.resp3()
	q.do("RESET")
	q.do("PING")
	q.do("QUIT")
}

// TestCompat_Hello3 compares RESP3 replies after HELLO 3 (the HELLO map
// itself differs only in the client id).
func TestCompat_Hello3(t *testing.T) {
	p := sharedPair(t)
	r, l := p.doBoth("HELLO", "3", "SETNAME", "x")
	norm := regexp.MustCompile(`\$2\r\nid\r\n:\d+\r\n`)
	if a, b := norm.ReplaceAll(r, nil), norm.ReplaceAll(l, nil); string(a) != string(b) {
		t.Errorf("HELLO 3:\nredis  %q\nlarder %q", r, l)
	}
	runCases(t, p, [][]string{
		c("SET", "k", "v"), c("GET", "nope"), c("CLIENT", "GETNAME"), c("CONFIG", "GET", "timeout"),
		c("HELLO", "3", "BOGUS"), c("MGET", "k", "nope"), c("LCS", "k", "k", "IDX"),
	})
	r, l = p.doBoth("HELLO", "2")
	if a, b := norm.ReplaceAll(r, nil), norm.ReplaceAll(l, nil); string(a) != string(b) {
		t.Errorf("HELLO 2:\nredis  %q\nlarder %q", r, l)
	}
	p.do("GET", "nope")
}

// TestCompat_RequirePass runs the AUTH/HELLO AUTH paths with a password.
func TestCompat_RequirePass(t *testing.T) {
	p := newPair(t, "--requirepass", "s3cret")
	if raw := p.redisConn.do("CONFIG", "SET", "requirepass", "s3cret"); string(raw) != "+OK\r\n" {
		t.Fatalf("redis: %q", raw)
	}
	q := p.newClient()
	runCases(t, q, [][]string{
		c("GET", "k"), c("PING"), c("HELLO", "3"), c("AUTH", "wrong"), c("AUTH", "default", "wrong"),
		c("AUTH", "s3cret"), c("GET", "k"), c("RESET"), c("GET", "k"), c("AUTH", "default", "s3cret"),
		c("GET", "k"),
	})
	s := p.newClient()
	r, l := s.doBoth("HELLO", "2", "AUTH", "default", "s3cret")
	norm := regexp.MustCompile(`\$2\r\nid\r\n:\d+\r\n`)
	if a, b := norm.ReplaceAll(r, nil), norm.ReplaceAll(l, nil); string(a) != string(b) {
		t.Errorf("HELLO AUTH:\nredis  %q\nlarder %q", r, l)
	}
	s.do("GET", "k")
}
