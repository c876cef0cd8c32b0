package tests

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/larder-db/larder/protocol/resp"
)

// larderOnlyFlags lists COMMAND INFO differences from Redis 7.0 that are
// deliberate, with the reason. Keys are "command: what".
var larderOnlyFlags = map[string]string{
	"client|no-touch: not in redis": "Redis 7.2 command, implemented from its documentation",
	"client|setinfo: not in redis":  "Redis 7.2 command (go-redis sends it on connect), from its documentation",
	"hexpire: not in redis":         "Redis 7.4 hash field expiry, from its documentation",
	"hpexpire: not in redis":        "Redis 7.4 hash field expiry, from its documentation",
	"hexpireat: not in redis":       "Redis 7.4 hash field expiry, from its documentation",
	"hpexpireat: not in redis":      "Redis 7.4 hash field expiry, from its documentation",
	"httl: not in redis":            "Redis 7.4 hash field expiry, from its documentation",
	"hpttl: not in redis":           "Redis 7.4 hash field expiry, from its documentation",
	"hexpiretime: not in redis":     "Redis 7.4 hash field expiry, from its documentation",
	"hpexpiretime: not in redis":    "Redis 7.4 hash field expiry, from its documentation",
	"hpersist: not in redis":        "Redis 7.4 hash field expiry, from its documentation",
	"hgetdel: not in redis":         "Redis 8.0 command, from its documentation",
	"hgetex: not in redis":          "Redis 8.0 command, from its documentation",
	"hsetex: not in redis":          "Redis 8.0 command, from its documentation",
	"xackdel: not in redis":         "Redis 8.2 command, from its documentation",
	"xdelex: not in redis":          "Redis 8.2 command, from its documentation",
	"acl|resttoken: not in redis":   "Upstash extension: the REST token of a user (UPSTASH-REST.md §3)",
}

// TestTable_MatchesRedis compares every row of Larder's command table
// (COMMAND LIST, subcommands included) with COMMAND INFO from a real
// redis-server 7.0: arity, flags, first/last/step and ACL categories. It
// lists every mismatch in one failure.
func TestTable_MatchesRedis(t *testing.T) {
	p := sharedPair(t)
	ask := func(conn *rawConn, argv ...string) resp.Value {
		t.Helper()
		conn.send(encodeArgv(argv))
		_, v, err := conn.read()
		if err != nil || v.Type == resp.TypeError {
			t.Fatalf("%s %v: %+v %v", conn.name, argv, v, err)
		}
		return v
	}
	list := ask(p.larderConn, "COMMAND", "LIST")
	var names []string
	for _, e := range list.Elems {
		names = append(names, e.Str)
	}
	sort.Strings(names)
	if len(names) < 60 {
		t.Fatalf("COMMAND LIST returned only %d names", len(names))
	}
	var problems []string
	for _, name := range names {
		r := ask(p.redisConn, "COMMAND", "INFO", name)
		l := ask(p.larderConn, "COMMAND", "INFO", name)
		if len(l.Elems) != 1 || len(l.Elems[0].Elems) != 10 {
			problems = append(problems, fmt.Sprintf("%s: larder COMMAND INFO malformed", name))
			continue
		}
		if len(r.Elems) != 1 || r.Elems[0].Null || len(r.Elems[0].Elems) == 0 {
			if _, ok := larderOnlyFlags[name+": not in redis"]; !ok {
				problems = append(problems, fmt.Sprintf("%s: not a Redis 7.0 command", name))
			}
			continue
		}
		problems = append(problems, compareInfo(name, r.Elems[0].Elems, l.Elems[0].Elems)...)
	}
	if len(problems) > 0 {
		t.Errorf("%d of %d rows differ from Redis 7.0:\n  %s", len(problems), len(names), strings.Join(problems, "\n  "))
	}
	t.Logf("%d rows compared with Redis 7.0", len(names))
}

func compareInfo(name string, r, l []resp.Value) []string {
	var out []string
	diff := func(what, rv, lv string) {
		if rv != lv {
			if _, ok := larderOnlyFlags[name+": "+what]; !ok {
				out = append(out, fmt.Sprintf("%s: %s redis %s, larder %s", name, what, rv, lv))
			}
		}
	}
	setOf := func(v resp.Value) string {
		var s []string
		for _, e := range v.Elems {
			s = append(s, e.Str)
		}
		sort.Strings(s)
		return "[" + strings.Join(s, " ") + "]"
	}
	diff("arity", fmt.Sprint(r[1].Int), fmt.Sprint(l[1].Int))
	diff("flags", setOf(r[2]), setOf(l[2]))
	diff("first", fmt.Sprint(r[3].Int), fmt.Sprint(l[3].Int))
	diff("last", fmt.Sprint(r[4].Int), fmt.Sprint(l[4].Int))
	diff("step", fmt.Sprint(r[5].Int), fmt.Sprint(l[5].Int))
	diff("acl", setOf(r[6]), setOf(l[6]))
	return out
}

func TestCompat_Command(t *testing.T) {
	p := sharedPair(t)
	for _, argv := range [][]string{
		{"COMMAND", "INFO", "get"}, {"COMMAND", "INFO", "set", "nosuch", "GET"}, {"COMMAND", "INFO", "config|get"},
		{"COMMAND", "INFO", "mset", "lcs", "incrbyfloat", "expire", "scan"},
		{"COMMAND", "DOCS", "get"}, {"COMMAND", "DOCS", "nosuch"}, {"COMMAND", "DOCS", "set", "getex"},
		{"COMMAND", "GETKEYS", "set", "a", "b"}, {"COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"},
		{"COMMAND", "GETKEYS", "mset", "a", "1", "b"}, {"COMMAND", "GETKEYS", "nosuch", "x"},
		{"COMMAND", "GETKEYS", "get", "a", "b"}, {"COMMAND", "GETKEYS", "ping", "x"}, {"COMMAND", "GETKEYS", "config", "x"},
		{"COMMAND", "GETKEYS", "config", "get"}, {"COMMAND", "GETKEYS", "object", "encoding"},
		{"COMMAND", "GETKEYS", "object", "encoding", "k"}, {"COMMAND", "GETKEYS", "lcs", "a", "b", "IDX"},
		{"COMMAND", "GETKEYS", "copy", "a", "b", "DB", "1"}, {"COMMAND", "GETKEYS", "get"},
		{"COMMAND", "GETKEYSANDFLAGS", "lcs", "a", "b"}, {"COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"}, {"COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "get"},
		{"COMMAND", "GETKEYSANDFLAGS", "getdel", "a"}, {"COMMAND", "GETKEYSANDFLAGS", "rename", "a", "b"},
		{"COMMAND", "LIST", "bogus"}, {"COMMAND", "LIST", "FILTERBY", "bogus", "x"}, {"COMMAND", "LIST", "FILTERBY", "module", "x"},
		{"COMMAND", "LIST", "FILTERBY", "aclcat", "nosuchcat"}, {"COMMAND", "LIST", "FILTERBY", "PATTERN"},
		{"COMMAND", "COUNT", "x"}, {"COMMAND", "HELP"}, {"COMMAND", "BOGUS"},
	} {
		p.do(argv...)
	}
	p.doSorted("COMMAND", "LIST", "FILTERBY", "PATTERN", "incr*")
	p.doSorted("COMMAND", "LIST", "FILTERBY", "pattern", "CONFIG|*")
	q := p.resp3()
	q.do("COMMAND", "INFO", "get", "nosuch", "client|kill")
	q.do("COMMAND", "DOCS", "lcs")
	q.do("COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2")

	count := string(p.larderConn.do("COMMAND", "COUNT"))
	all := p.larderConn.do("COMMAND")
	if !strings.HasPrefix(string(all), "*"+strings.TrimPrefix(strings.TrimSuffix(count, "\r\n"), ":")+"\r\n") {
		t.Errorf("COMMAND has a different length from COMMAND COUNT %q", count)
	}
}
