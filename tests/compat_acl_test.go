package tests

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/larder-db/larder/protocol/resp"
)

// ACL differential tests: each test runs on a private pair, as users and
// the ACL log outlive a test.

// TestCompat_ACLUsers: SETUSER, GETUSER, LIST, USERS, DELUSER, CAT, HELP
// and their errors.
func TestCompat_ACLUsers(t *testing.T) {
	p := newPair(t)
	runACLCases(t, p, [][]string{
		c("ACL", "USERS"), c("ACL", "LIST"), c("ACL", "GETUSER", "default"), c("ACL", "WHOAMI"),
		c("ACL", "GETUSER", "nobody"),
		c("ACL", "SETUSER", "alice"), c("ACL", "GETUSER", "alice"), c("ACL", "LIST"),
		c("ACL", "SETUSER", "alice", "on", ">p1", ">p2", "<p1", "~a*", "%R~r*", "%W~w*", "&ch*", "+get"),
		c("ACL", "GETUSER", "alice"), c("ACL", "LIST"),
		c("ACL", "SETUSER", "alice", "#"+strings.Repeat("ab", 32), "!"+strings.Repeat("ab", 32)),
		c("ACL", "SETUSER", "alice", "nopass"), c("ACL", "GETUSER", "alice"),
		c("ACL", "SETUSER", "alice", "resetpass", "resetkeys", "resetchannels", "allkeys", "allchannels"),
		c("ACL", "GETUSER", "alice"),
		c("ACL", "SETUSER", "alice", "reset"), c("ACL", "GETUSER", "alice"),
		c("ACL", "SETUSER", "alice", "+@string"), c("ACL", "GETUSER", "alice"),
		c("ACL", "SETUSER", "alice", "-@all", "+@read", "-@keyspace"), c("ACL", "GETUSER", "alice"),
		c("ACL", "SETUSER", "alice", "+@all", "-@dangerous"), c("ACL", "GETUSER", "alice"),
		c("ACL", "SETUSER", "alice", "nocommands", "+config|get"), c("ACL", "GETUSER", "alice"),
		c("ACL", "SETUSER", "alice", "allcommands", "-config"), c("ACL", "GETUSER", "alice"),
		c("ACL", "SETUSER", "alice", "nocommands", "+select|0"), c("ACL", "GETUSER", "alice"),
		c("ACL", "SETUSER", "alice", "(~x* +get)", "(", "~y*", "+set", ")"), c("ACL", "GETUSER", "alice"), c("ACL", "LIST"),
		c("ACL", "SETUSER", "alice", "clearselectors"), c("ACL", "GETUSER", "alice"),
		c("ACL", "SETUSER", "alice", "skip-sanitize-payload"), c("ACL", "GETUSER", "alice"),
		// errors
		c("ACL", "SETUSER", "alice", "+nosuch"), c("ACL", "SETUSER", "alice", "+@nosuch"),
		c("ACL", "SETUSER", "alice", "bogus"), c("ACL", "SETUSER", "alice", "#abc"),
		c("ACL", "SETUSER", "alice", "<nothere"), c("ACL", "SETUSER", "alice", "+config|get|x"),
		c("ACL", "SETUSER", "alice", "+get|"), c("ACL", "SETUSER", "alice", "%X~k"),
		c("ACL", "SETUSER", "alice", "(+get"), c("ACL", "SETUSER", "alice", "(+get", "~x"),
		c("ACL", "SETUSER", "alice", "allkeys", "~x"), c("ACL", "SETUSER", "alice", "allchannels", "&x"),
		c("ACL", "SETUSER", "a b"), c("ACL", "SETUSER"), c("ACL", "GETUSER"),
		c("ACL", "SETUSER", "bob", "on"), c("ACL", "USERS"),
		c("ACL", "DELUSER", "default"), c("ACL", "DELUSER", "bob", "nobody", "default"),
		c("ACL", "DELUSER", "bob", "nobody"), c("ACL", "USERS"), c("ACL", "DELUSER"),
		c("ACL", "CAT"), c("ACL", "CAT", "nosuch"), c("ACL", "CAT", "a", "b"),
		c("ACL", "HELP"), c("ACL", "BOGUS"), c("ACL", "WHOAMI", "x"),
		c("ACL", "GENPASS", "0"), c("ACL", "GENPASS", "4097"), c("ACL", "GENPASS", "x"),
		c("ACL", "LOG", "x"), c("ACL", "LOG", "1", "2"),
		c("ACL", "LOAD"), c("ACL", "SAVE"),
	})
	runACLCases(t, p.resp3(), [][]string{
		c("ACL", "SETUSER", "carl", "on", ">pw", "~a*", "&c", "+get", "(~b* +set)"),
		c("ACL", "GETUSER", "carl"), c("ACL", "GETUSER", "default"), c("ACL", "GETUSER", "nobody"),
		c("ACL", "USERS"), c("ACL", "CAT"), c("ACL", "WHOAMI"), c("ACL", "DELUSER", "carl"),
	})
	known := map[string]bool{}
	for _, cat := range []string{"keyspace", "read", "write", "string", "hash", "connection", "pubsub", "transaction", "scripting", "admin", "dangerous", "fast", "slow", "blocking"} {
		r, l := p.doBoth("ACL", "CAT", cat)
		if rs, ls := normaliseCat(t, p, known, r), normaliseCat(t, p, known, l); rs != ls {
			t.Errorf("ACL CAT %s:\nredis:  %s\nlarder: %s", cat, rs, ls)
		}
	}
}

// TestCompat_ACLGenPass: GENPASS answers random hex of the asked length.
func TestCompat_ACLGenPass(t *testing.T) {
	p := newPair(t)
	for _, bits := range []string{"", "1", "5", "128", "4096"} {
		argv := []string{"ACL", "GENPASS"}
		if bits != "" {
			argv = append(argv, bits)
		}
		r, l := p.doBoth(argv...)
		shape := regexp.MustCompile(`^\$(\d+)\r\n[0-9a-f]+\r\n$`)
		rm, lm := shape.FindSubmatch(r), shape.FindSubmatch(l)
		if rm == nil || lm == nil || string(rm[1]) != string(lm[1]) {
			t.Errorf("%v: redis %q, larder %q", argv, r, l)
		}
	}
}

// TestCompat_ACLEnforced: AUTH as a user, then what it may and may not
// run: commands, subcommands, first arguments, key patterns by access,
// channels, selectors, MULTI/EXEC and scripts; DRYRUN agrees.
func TestCompat_ACLEnforced(t *testing.T) {
	p := newPair(t)
	runCases(t, p, [][]string{
		c("ACL", "SETUSER", "bob", "on", ">pw", "+get", "+set", "+del", "+lpush", "+copy", "+multi", "+exec",
			"+publish", "+subscribe", "+psubscribe", "+eval", "+config|get", "+select|0", "+acl|whoami",
			"+exists", "+getdel", "+sort", "+rename", "+object", "+type", "+mset", "+blpop", "+xread", "+eval_ro",
			"~k*", "%R~r*", "%W~w*", "&news.*", "(+mget ~m*)"),
		c("SET", "r1", "v"), c("SET", "m1", "v"),
		c("AUTH", "bob", "wrong"), c("AUTH", "nobody", "pw"), c("HELLO", "2", "AUTH", "bob", "wrong"),
	})
	q := p.newClient()
	runCases(t, q, [][]string{
		c("AUTH", "bob", "pw"), c("ACL", "WHOAMI"),
		c("GET", "k1"), c("SET", "k1", "v"), c("GET", "r1"), c("SET", "r1", "v"),
		c("SET", "w1", "v"), c("GET", "w1"), c("DEL", "w1"), c("DEL", "r1"), c("GET", "x"),
		c("LPUSH", "w2", "a"), c("COPY", "r1", "w3"), c("COPY", "w1", "r3"),
		c("MGET", "m1", "m2"), c("MGET", "m1", "k1"),
		c("EXISTS", "w1"), c("EXISTS", "x"), c("TYPE", "w1"), c("OBJECT", "ENCODING", "w1"), c("GETDEL", "w1"),
		c("SET", "w1", "v", "GET"), c("SET", "w1", "v", "NX"), c("SORT", "r1", "STORE", "w5"), c("SORT", "w1", "STORE", "r5"),
		c("RENAME", "w1", "w6"), c("RENAME", "k1", "r7"), c("MSET", "w1", "a", "k1", "b"), c("MSET", "w1", "a", "r1", "b"),
		c("BLPOP", "w1", "0.01"), c("BLPOP", "r1", "0.01"), c("XREAD", "STREAMS", "r1", "w1", "0", "0"),
		c("EVAL_RO", "return 1", "1", "w1"),
		c("SORT", "k1", "BY", "w*"), c("SORT", "k1", "BY", "nosort"), c("SORT", "k1", "GET", "#"), c("SORT", "k1", "LIMIT", "0", "1"),
		c("INCR", "k1"), c("CONFIG", "GET", "maxmemory"), c("CONFIG", "SET", "maxmemory", "0"),
		c("SELECT", "0"), c("SELECT", "1"), c("ACL", "USERS"), c("PING"),
		c("PUBLISH", "news.1", "x"), c("PUBLISH", "other", "x"),
		c("PSUBSCRIBE", "news.1*"),
		c("MULTI"), c("GET", "k1"), c("GET", "x"), c("EXEC"),
		c("MULTI"), c("GET", "k1"), c("SET", "k2", "v"), c("EXEC"),
		c("EVAL", "return redis.call('get', KEYS[1])", "1", "k1"),
		c("EVAL", "return redis.call('get', KEYS[1])", "1", "x"),
		c("EVAL", "return redis.call('incr', 'k1')", "0"),
		c("EVAL", "return redis.pcall('publish', 'other', 'x')", "0"),
	})
	runCases(t, p, [][]string{
		c("ACL", "DRYRUN", "bob", "get", "k1"), c("ACL", "DRYRUN", "bob", "get", "x"),
		c("ACL", "DRYRUN", "bob", "incr", "k1"), c("ACL", "DRYRUN", "bob", "set", "r1", "v"),
		c("ACL", "DRYRUN", "bob", "publish", "other", "x"), c("ACL", "DRYRUN", "bob", "config", "set", "a", "b"),
		c("ACL", "DRYRUN", "bob", "mget", "m1", "k1"), c("ACL", "DRYRUN", "bob", "mget", "m1", "m2"),
		c("ACL", "DRYRUN", "nobody", "get", "x"), c("ACL", "DRYRUN", "bob", "nosuch"),
		c("ACL", "DRYRUN", "bob", "get"), c("ACL", "DRYRUN", "bob"),
	})
	// Rules changed between MULTI and EXEC; a deleted user's connection closes.
	runCases(t, q, [][]string{c("MULTI"), c("GET", "k1"), c("SET", "k1", "v")})
	runCases(t, p, [][]string{c("ACL", "SETUSER", "bob", "-get", "resetkeys", "~z*")})
	runCases(t, q, [][]string{c("EXEC"), c("ACL", "WHOAMI")})
	runCases(t, p, [][]string{c("ACL", "DELUSER", "bob")})
	for _, conn := range []*rawConn{q.redisConn, q.larderConn} {
		conn.send(encodeArgv([]string{"PING"}))
		if raw, _, err := conn.read(); err == nil {
			t.Errorf("%s: a deleted user's connection answered %q", conn.name, raw)
		}
	}
}

// TestCompat_ACLRevokedSubscriber: a subscriber whose user loses the
// channel it listens to is disconnected; one whose channels stay is not.
func TestCompat_ACLRevokedSubscriber(t *testing.T) {
	p := newPair(t)
	runCases(t, p, [][]string{c("ACL", "SETUSER", "sub", "on", "nopass", "+@all", "resetchannels", "&news*", "&sport")})
	keep, lose := p.newClient(), p.newClient()
	runCases(t, keep, [][]string{c("AUTH", "sub", "x"), c("SUBSCRIBE", "sport")})
	runCases(t, lose, [][]string{c("AUTH", "sub", "x"), c("PSUBSCRIBE", "news*"), c("PSUBSCRIBE", "news1")})
	runCases(t, p, [][]string{c("ACL", "SETUSER", "sub", "resetchannels", "&sport", "&news1")})
	for _, conn := range []*rawConn{lose.redisConn, lose.larderConn} {
		conn.send(encodeArgv([]string{"PING"}))
		if raw, _, err := conn.read(); err == nil {
			t.Errorf("%s: a subscriber to a revoked pattern answered %q", conn.name, raw)
		}
	}
	runCases(t, keep, [][]string{c("PING")})
}

// TestCompat_ACLDefaultUser: requirepass is the default user's password;
// an ACL change of the default user applies to new connections.
func TestCompat_ACLDefaultUser(t *testing.T) {
	p := newPair(t)
	runCases(t, p, [][]string{
		c("AUTH", "x"), c("AUTH", "default", "anything"),
		c("CONFIG", "SET", "requirepass", "pw"), c("ACL", "GETUSER", "default"),
		c("AUTH", "x"), c("AUTH", "pw"),
		c("ACL", "SETUSER", "default", "resetpass", "nopass", "-flushall"), c("ACL", "LIST"),
		c("FLUSHALL"), c("CONFIG", "SET", "requirepass", ""), c("ACL", "LIST"),
		c("ACL", "SETUSER", "default", "-exec", "-discard"), c("MULTI"), c("PING"), c("EXEC"), c("EXEC"),
		c("ACL", "SETUSER", "default", "+@all"), c("ACL", "LIST"),
	})
	q := p.newClient()
	runCases(t, q, [][]string{c("PING"), c("FLUSHALL"), c("ACL", "WHOAMI")})
}

// TestCompat_ACLLog: the log's entries as Redis makes them: reason,
// context, object, user and grouping compared; ages and client lines by
// shape (field names).
func TestCompat_ACLLog(t *testing.T) {
	p := newPair(t)
	runCases(t, p, [][]string{
		c("ACL", "LOG"), c("ACL", "SETUSER", "eve", "on", "nopass", "+get", "+publish", "+multi", "+exec", "+eval", "+discard", "~k*", "resetchannels"),
		c("AUTH", "nobody", "x"), c("AUTH", "nobody", "x"),
	})
	q := p.newClient()
	runCases(t, q, [][]string{
		c("AUTH", "eve", "x"), c("GET", "other"), c("SET", "k", "v"), c("PUBLISH", "ch", "m"),
		c("MULTI"), c("GET", "zz"), c("DEL", "k"), c("DISCARD"),
		c("EVAL", "return redis.pcall('get', 'yy')", "0"), c("GET", "other"),
	})
	for _, argv := range [][]string{{"ACL", "LOG"}, {"ACL", "LOG", "2"}, {"ACL", "LOG", "0"}, {"ACL", "LOG", "-1"}} {
		r, l := p.doBoth(argv...)
		if rn, ln := normaliseACLLog(t, r), normaliseACLLog(t, l); rn != ln {
			t.Errorf("%v:\nredis:  %s\nlarder: %s", argv, rn, ln)
		}
	}
	runCases(t, p, [][]string{c("ACL", "LOG", "RESET"), c("ACL", "LOG")})
}

// aclClientFields is a CLIENT INFO line reduced to the fields both servers
// print alike: field names, and the values of flags, db, cmd and user.
func aclClientFields(line string) string {
	var out []string
	for _, f := range strings.Fields(line) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "db", "cmd", "user", "resp":
			out = append(out, k+"="+v)
		case "id", "addr", "laddr", "name", "age", "idle", "flags", "multi", "sub", "psub":
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// runACLCases is runCases with the replies of ACL GETUSER and ACL LIST
// compared after normaliseRules.
func runACLCases(t *testing.T, p *pair, cases [][]string) {
	t.Helper()
	known := map[string]bool{}
	for i, argv := range cases {
		if len(argv) < 2 || argv[0] != "ACL" || (argv[1] != "GETUSER" && argv[1] != "LIST") {
			if d := p.with(t).compareCase(argv); d != "" {
				t.Fatalf("case %d of %d:\n%s", i+1, len(cases), d)
			}
			continue
		}
		r, l := p.doBoth(argv...)
		rs, ls := normaliseRules(t, p, known, r), normaliseRules(t, p, known, l)
		if rs != ls {
			t.Fatalf("case %d of %d: %q\nredis:  %s\nlarder: %s", i+1, len(cases), argv, rs, ls)
		}
	}
}

// normaliseRules prints a reply with each command-rule string ("… -@all
// …", "… +@all …") normalised: Redis emits the single-command rules in
// its hash table's order, which changes between runs, so they are sorted;
// and rules naming a command only one server has are left out.
func normaliseRules(t *testing.T, p *pair, known map[string]bool, raw []byte) string {
	t.Helper()
	_, v, err := resp.ReadReply(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("reply %q: %v", raw, err)
	}
	var walk func(v *resp.Value)
	walk = func(v *resp.Value) {
		for i := range v.Elems {
			walk(&v.Elems[i])
		}
		if !strings.Contains(v.Str, "@all") {
			return
		}
		var keep, singles []string
		for _, w := range strings.Fields(v.Str) {
			name := strings.TrimLeft(w, "+-")
			if strings.HasPrefix(name, "@") || (w[0] != '+' && w[0] != '-') || strings.HasSuffix(w, ")") {
				keep = append(keep, w)
				continue
			}
			parts := strings.SplitN(name, "|", 2)
			if cmdInBoth(p, known, []string{name}) || len(parts) == 2 && cmdInBoth(p, known, parts[:1]) {
				singles = append(singles, w)
			}
		}
		sort.Strings(singles)
		v.Str = strings.Join(append(keep, singles...), " ")
	}
	walk(&v)
	return v.String()
}

// normaliseCat is an ACL CAT reply sorted, without the commands only one
// server has.
func normaliseCat(t *testing.T, p *pair, known map[string]bool, raw []byte) string {
	t.Helper()
	_, v, err := resp.ReadReply(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("reply %q: %v", raw, err)
	}
	var names []string
	for _, e := range v.Elems {
		if cmdInBoth(p, known, []string{e.Str}) {
			names = append(names, e.Str)
		}
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

// cmdInBoth reports whether both servers know a command ("get",
// "config|get").
func cmdInBoth(p *pair, known map[string]bool, parts []string) bool {
	name := strings.Join(parts, "|")
	if v, ok := known[name]; ok {
		return v
	}
	unknown := func(c *rawConn, name string) bool {
		r := string(c.do("COMMAND", "INFO", name))
		return strings.HasPrefix(r, "*1\r\n*-1") || strings.HasPrefix(r, "*1\r\n$-1") || strings.HasPrefix(r, "*1\r\n_")
	}
	known[name] = !unknown(p.redisConn, name) && !unknown(p.larderConn, name)
	return known[name]
}

// normaliseACLLog prints an ACL LOG reply with each entry's age replaced by
// whether it is a number below 60 and its client line by its field names.
func normaliseACLLog(t *testing.T, raw []byte) string {
	t.Helper()
	_, v, err := resp.ReadReply(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("ACL LOG reply %q: %v", raw, err)
	}
	var b strings.Builder
	for _, e := range v.Elems {
		for i := 0; i+1 < len(e.Elems); i += 2 {
			k, val := e.Elems[i].Str, e.Elems[i+1]
			switch k {
			case "age-seconds":
				b.WriteString(k + "=number ")
			case "client-info":
				b.WriteString(k + "=" + aclClientFields(val.Str) + " ")
			default:
				b.WriteString(k + "=" + val.Str)
				if val.Type == ':' {
					b.WriteString(strconv.FormatInt(val.Int, 10))
				}
				b.WriteString(" ")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestACL_File: ACL SAVE writes the users as ACL LIST shows them, ACL LOAD
// reads them back all or none, and a server started with the file has its
// users.
func TestACL_File(t *testing.T) {
	file := filepath.Join(t.TempDir(), "users.acl")
	if err := os.WriteFile(file, []byte("user default on nopass ~* &* +@all\nuser carol on >pw ~c* +get\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := startLarder(t, "--aclfile", file)
	conn := dial(t, srv.addr)
	want := func(argv []string, reply string) {
		t.Helper()
		if got := string(conn.do(argv...)); got != reply {
			t.Errorf("%v = %q, want %q", argv, got, reply)
		}
	}
	want([]string{"ACL", "USERS"}, "*2\r\n$5\r\ncarol\r\n$7\r\ndefault\r\n")
	want([]string{"ACL", "SETUSER", "dave", "on", "nopass", "+@read"}, "+OK\r\n")
	want([]string{"ACL", "SAVE"}, "+OK\r\n")
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, list, _ := resp.ReadReply(bufio.NewReader(bytes.NewReader(conn.do("ACL", "LIST"))))
	var lines []string
	for _, e := range list.Elems {
		lines = append(lines, e.Str)
	}
	if string(saved) != strings.Join(lines, "\n")+"\n" {
		t.Errorf("saved %q, ACL LIST %q", saved, lines)
	}
	if err := os.WriteFile(file, []byte("user carol on nopass +nosuch\nbogus\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want([]string{"ACL", "LOAD"}, "-ERR "+file+":1: Error in applying operation '+nosuch': Unknown command or category name in ACL. "+
		file+":2 should start with user keyword followed by the username. WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n")
	want([]string{"ACL", "USERS"}, "*3\r\n$5\r\ncarol\r\n$4\r\ndave\r\n$7\r\ndefault\r\n")
	if err := os.WriteFile(file, []byte("user erin on nopass +get ~*\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want([]string{"ACL", "LOAD"}, "+OK\r\n")
	want([]string{"ACL", "USERS"}, "*2\r\n$7\r\ndefault\r\n$4\r\nerin\r\n")
	def, erin := "user default on nopass ~* &* +@all", "user erin on nopass ~* resetchannels -@all +get"
	want([]string{"ACL", "LIST"}, "*2\r\n$"+strconv.Itoa(len(def))+"\r\n"+def+"\r\n$"+strconv.Itoa(len(erin))+"\r\n"+erin+"\r\n")
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	want([]string{"ACL", "LOAD"}, "-ERR Error loading ACLs, opening file '"+file+"': No such file or directory\r\n")
}

// TestCompat_ACLCheckFromScript: redis.acl_check_cmd answers for the
// script's user, command, keys and channels, without an ACL LOG entry.
func TestCompat_ACLCheckFromScript(t *testing.T) {
	admin := sharedPair(t).newClient()
	admin.do("ACL", "SETUSER", "scriptbob", "on", ">123", "+@scripting", "+set", "~x*", "&chan*", "+publish")
	defer admin.do("ACL", "DELUSER", "scriptbob")
	admin.do("ACL", "LOG", "RESET")
	p := admin.newClient()
	p.do("AUTH", "scriptbob", "123")
	for _, script := range []string{
		"return redis.acl_check_cmd('set','xx',1)",
		"return redis.acl_check_cmd('hset','xx','f',1)",
		"return redis.acl_check_cmd('set','yy',1)",
		"return redis.acl_check_cmd('publish','chan1','m')",
		"return redis.acl_check_cmd('publish','other','m')",
		"return redis.acl_check_cmd('invalid-cmd','arg')",
		"return redis.acl_check_cmd()",
	} {
		p.do("EVAL", script, "0")
	}
	admin.do("ACL", "LOG")
}
