package rest_test

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/larder-db/larder/command"
)

// rowArgv builds a call of spec with a valid arity: every argument "1"
// (so keys are "1"), subcommands spelled as two words.
func rowArgv(spec *command.Spec) []string {
	argv := strings.Split(spec.Name, "|")
	n := spec.Arity
	if n < 0 {
		n = -n
	}
	for len(argv) < n {
		argv = append(argv, "1")
	}
	return argv
}

// rows returns every runnable row: top-level commands and subcommands.
func rows(d *command.Dispatcher) []*command.Spec {
	var out []*command.Spec
	for _, s := range d.Table().All() {
		if len(s.Subs) == 0 {
			out = append(out, s)
		}
		out = append(out, s.Subs...)
	}
	return out
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func pathOf(argv []string) string {
	esc := make([]string, len(argv))
	for i, a := range argv {
		esc[i] = url.PathEscape(a)
	}
	return "/" + strings.Join(esc, "/")
}

// TestReadOnly_WholeTable is RELIABILITY R19: every row of the command table
// through every route with the read-only token. Writes, admin commands,
// PUBLISH and keyspace enumerations get NOPERM (EXECABORT in /multi-exec),
// TCP-only rows REST's own refusal; everything else runs. The data set must
// not change (the write sequence is the digest: it grows with every write
// that changed data).
func TestReadOnly_WholeTable(t *testing.T) {
	ts := startREST(t, nil)
	ts.post(t, "/pipeline", `[["SET","1","1"],["SET","other","v"]]`)
	seq := ts.d.SyncSeq()
	mustRefuse := map[string]bool{"set": true, "del": true, "flushall": true, "flushdb": true, "publish": true,
		"keys": true, "scan": true, "randomkey": true, "config|set": true, "incr": true, "blpop": true, "swapdb": true}
	mustAllow := map[string]bool{"get": true, "mget": true, "hgetall": true, "ttl": true, "exists": true, "ping": true,
		"echo": true, "dbsize": true, "zrange": true, "strlen": true, "client|setinfo": true}
	for _, spec := range rows(ts.d) {
		argv := rowArgv(spec)
		tcpOnly := spec.Flags&command.FlagTCPOnly != 0
		allowed := command.ReadOnlyAllowed(spec)
		if spec.Flags&command.FlagWrite != 0 && allowed {
			t.Errorf("%s: write-flagged row allowed for the read-only token", spec.Name)
		}
		if mustRefuse[spec.Name] && allowed || mustAllow[spec.Name] && !allowed {
			t.Errorf("%s: ReadOnlyAllowed = %v", spec.Name, allowed)
		}
		noperm := "NOPERM this user has no permissions to run the '" + spec.Name + "' command"
		if text, ok := scriptRows[spec.Name]; ok {
			// EVAL/EVALSHA/FCALL are judged by the script's flags in the
			// handler (TestReadOnly_Scripts): "1" is no known no-writes
			// script, so each is refused at run time, inside EXEC too.
			if text == "" {
				text = noperm
			}
			for _, route := range []string{"/", "/pipeline", "/multi-exec"} {
				body := jsonBody(t, argv)
				want := jsonBody(t, map[string]string{"error": text})
				status := 400
				if route != "/" {
					body, want, status = jsonBody(t, [][]string{argv}), jsonBody(t, []map[string]string{{"error": text}}), 200
				}
				expectBody(t, spec.Name+" "+route, ts.do(t, http.MethodPost, route, body, "ro"), status, want)
			}
			continue
		}
		tcpText := "ERR Command is not available over the REST API: '" + strings.ToUpper(strings.ReplaceAll(spec.Name, "|", " ")) + "'"
		single := []response{ts.do(t, http.MethodPost, "/", jsonBody(t, argv), "ro")}
		if spec.Name != "subscribe" && spec.Name != "psubscribe" && spec.Name != "monitor" { // their paths are the SSE routes
			single = append(single, ts.do(t, http.MethodGet, pathOf(argv), "", "ro"))
		}
		for _, res := range single {
			switch {
			case tcpOnly:
				expectError(t, spec.Name, res, 400, tcpText)
			case !allowed:
				expectError(t, spec.Name, res, 400, noperm)
			case strings.Contains(res.body, "NOPERM"):
				t.Errorf("%s: allowed row refused: %s", spec.Name, res.body)
			}
		}
		pipe := ts.do(t, http.MethodPost, "/pipeline", jsonBody(t, [][]string{argv}), "ro")
		tx := ts.do(t, http.MethodPost, "/multi-exec", jsonBody(t, [][]string{argv}), "ro")
		switch {
		case tcpOnly:
			expectBody(t, spec.Name, pipe, 200, jsonBody(t, []map[string]string{{"error": tcpText}}))
			expectError(t, spec.Name, tx, 400, tcpText)
		case !allowed:
			expectBody(t, spec.Name, pipe, 200, jsonBody(t, []map[string]string{{"error": noperm}}))
			expectError(t, spec.Name, tx, 400, "EXECABORT Transaction discarded because of previous errors.")
		case strings.Contains(pipe.body+tx.body, "NOPERM") || strings.Contains(tx.body, "EXECABORT"):
			t.Errorf("%s: allowed row refused: %s %s", spec.Name, pipe.body, tx.body)
		}
	}
	if got := ts.d.SyncSeq(); got != seq {
		t.Errorf("the read-only token changed data: write sequence %d → %d", seq, got)
	}
	if res := ts.post(t, "/", `["MGET","1","other"]`); res.body != `{"result":["1","v"]}` {
		t.Errorf("data after the run: %s", res.body)
	}
	for _, secret := range []string{stdToken, roToken, "Authorization", "authorization"} {
		if strings.Contains(ts.log.String(), secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
}

// scriptRows are the rows the read-only gate hands to their handler, with
// the error an unknown script gets ("" for NOPERM).
var scriptRows = map[string]string{"eval": "", "evalsha": "NOSCRIPT No matching script. Please use EVAL.",
	"fcall": "ERR Function not found"}

// TestReadOnly_Scripts: the read-only token runs EVAL_RO/EVALSHA_RO/FCALL_RO,
// and EVAL/EVALSHA/FCALL of scripts declared no-writes; not other scripts
// (NOPERM), and no script it runs may call what the token could not run
// itself (the same NOPERM text as a script error). Data never changes.
func TestReadOnly_Scripts(t *testing.T) {
	ts := startREST(t, nil)
	lib := "#!lua name=lib\n" +
		"redis.register_function('rd', function(keys) return redis.call('get', keys[1]) end)\n" +
		"redis.register_function{function_name='nwrd', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}\n" +
		"redis.register_function{function_name='nwkeys', callback=function() return redis.call('keys', '*') end, flags={'no-writes'}}"
	ts.post(t, "/pipeline", jsonBody(t, [][]string{{"SET", "k", "v"}, {"FUNCTION", "LOAD", lib}}))
	nw := "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])"
	plain := "return redis.call('get', KEYS[1])"
	ts.post(t, "/", jsonBody(t, []string{"SCRIPT", "LOAD", nw}))
	seq := ts.d.SyncSeq()
	perm := func(cmd string) string { return "NOPERM this user has no permissions to run the '" + cmd + "' command" }
	cases := []struct {
		argv []string
		want string // JSON body of a 200, or an error text
	}{
		{[]string{"EVAL_RO", plain, "1", "k"}, `{"result":"v"}`},
		{[]string{"EVALSHA_RO", sha1hex(nw), "1", "k"}, `{"result":"v"}`},
		{[]string{"FCALL_RO", "rd", "1", "k"}, `{"result":"v"}`},
		{[]string{"EVAL", nw, "1", "k"}, `{"result":"v"}`},
		{[]string{"EVALSHA", sha1hex(nw), "1", "k"}, `{"result":"v"}`},
		{[]string{"FCALL", "nwrd", "1", "k"}, `{"result":"v"}`},
		{[]string{"EVAL", plain, "1", "k"}, perm("eval")},
		{[]string{"EVAL", "#!lua\n" + plain, "1", "k"}, perm("eval")},
		{[]string{"EVALSHA", sha1hex(plain), "1", "k"}, perm("evalsha")}, // cached by the EVAL_RO above
		{[]string{"EVALSHA", sha1hex("unknown"), "1", "k"}, "NOSCRIPT No matching script. Please use EVAL."},
		{[]string{"FCALL", "rd", "1", "k"}, perm("fcall")},
		{[]string{"FCALL_RO", "nwkeys", "0"}, perm("keys") + " script: nwkeys, on @user_function:4."},
		{[]string{"EVAL_RO", "return redis.call('scan', '0')", "0"}, perm("scan") + " script: " + sha1hex("return redis.call('scan', '0')") + ", on @user_script:1."},
		{[]string{"EVAL_RO", "return redis.call('randomkey')", "0"}, perm("randomkey") + " script: " + sha1hex("return redis.call('randomkey')") + ", on @user_script:1."},
		{[]string{"EVAL_RO", "return redis.pcall('set', 'k', 'w')", "0"}, perm("set")},
		{[]string{"EVAL_RO", "return redis.pcall('flushall')", "0"}, perm("flushall")},
		{[]string{"EVAL_RO", "local e = redis.pcall('sort_ro', 'k') return e['err']", "0"}, `{"result":"` + perm("sort_ro") + `"}`},
	}
	for _, c := range cases {
		res := ts.do(t, http.MethodPost, "/", jsonBody(t, c.argv), "ro")
		if strings.HasPrefix(c.want, "{") {
			expectBody(t, strings.Join(c.argv, " "), res, 200, c.want)
		} else {
			expectError(t, strings.Join(c.argv, " "), res, 400, c.want)
		}
	}
	// The standard token is not limited by the read-only gate.
	if res := ts.post(t, "/", jsonBody(t, []string{"EVAL", plain, "1", "k"})); res.body != `{"result":"v"}` {
		t.Errorf("standard token EVAL: %s", res.body)
	}
	if got := ts.d.SyncSeq(); got != seq {
		t.Errorf("the read-only token changed data: write sequence %d → %d", seq, got)
	}
}

func sha1hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func expectError(t *testing.T, name string, res response, status int, text string) {
	t.Helper()
	expectBody(t, name, res, status, jsonBody(t, map[string]string{"error": text}))
}

func expectBody(t *testing.T, name string, res response, status int, body string) {
	t.Helper()
	if res.status != status || res.body != body {
		t.Errorf("%s: %d %s, want %d %s", name, res.status, res.body, status, body)
	}
}

// TestReadOnly_SSE: the read-only token may subscribe (reading messages
// changes no data) and may not publish.
func TestReadOnly_SSE(t *testing.T) {
	ts := startREST(t, nil)
	sub := ts.subscribe(t, "/subscribe/news", "ro")
	sub.expect(t, "data: subscribe,news,1")
	res := ts.do(t, http.MethodPost, "/", `["PUBLISH","news","x"]`, "ro")
	expectError(t, "publish", res, 400, "NOPERM this user has no permissions to run the 'publish' command")
}

// TestAuth_TokenForms: every bad or missing token form is a 401 with the
// JSON body on every route; the good forms work (R19, §3).
func TestAuth_TokenForms(t *testing.T) {
	ts := startREST(t, nil)
	sameLen := strings.Repeat("x", len(stdToken))
	routes := []struct{ method, path, body string }{
		{"POST", "/", `["PING"]`}, {"GET", "/ping", ""}, {"POST", "/pipeline", `[["PING"]]`},
		{"POST", "/multi-exec", `[["PING"]]`}, {"POST", "/subscribe/c", `[]`}, {"POST", "/psubscribe/c*", `[]`},
		{"GET", "/monitor", ""},
	}
	bad := []struct {
		name, query string
		headers     []string
	}{
		{name: "none"},
		{name: "wrong", headers: []string{"Authorization: Bearer nope"}},
		{name: "wrong, equal length", headers: []string{"Authorization: Bearer " + sameLen}},
		{name: "wrong, extra spaces", headers: []string{"Authorization: Bearer    " + sameLen + "   "}},
		{name: "empty bearer", headers: []string{"Authorization: Bearer "}},
		{name: "token without scheme", headers: []string{"Authorization: " + stdToken}},
		{name: "wrong _token", query: "?_token=" + sameLen},
		{name: "empty _token", query: "?_token="},
		{name: "bad header beats good _token", query: "?_token=" + stdToken, headers: []string{"Authorization: Bearer nope"}},
	}
	for _, r := range routes {
		for _, b := range bad {
			res := ts.do(t, r.method, r.path+b.query, r.body, "none", b.headers...)
			expectError(t, r.path+" "+b.name, res, 401, "WRONGPASS invalid or missing auth token")
		}
	}
	good := [][]string{{"Authorization: Bearer " + stdToken}, {"Authorization: bearer  " + roToken + " "}}
	for _, h := range good {
		if res := ts.do(t, "POST", "/", `["PING"]`, "none", h...); res.status != 200 {
			t.Errorf("%v: %d %s", h, res.status, res.body)
		}
	}
	if res := ts.do(t, "GET", "/ping?_token="+url.QueryEscape(roToken), "", "none"); res.status != 200 {
		t.Errorf("_token: %d %s", res.status, res.body)
	}
}

// TestACL_RestTokenOverREST: ACL RESTTOKEN over REST with the standard
// token returns each user's bearer token, which then works; the read-only
// token may not run it (§3).
func TestACL_RestTokenOverREST(t *testing.T) {
	ts := startREST(t, nil)
	expectBody(t, "default", ts.post(t, "/", jsonBody(t, []string{"ACL", "RESTTOKEN", "default", stdToken})), 200,
		jsonBody(t, map[string]string{"result": stdToken}))
	expectBody(t, "default_ro", ts.do(t, http.MethodGet, "/acl/resttoken/default_ro/"+url.PathEscape(roToken), "", "std"), 200,
		jsonBody(t, map[string]string{"result": roToken}))
	expectError(t, "wrong", ts.post(t, "/", `["ACL","RESTTOKEN","default","nope"]`), 400, `ERR Wrong password or user "default" does not exist`)
	expectError(t, "read-only", ts.do(t, http.MethodPost, "/", jsonBody(t, []string{"ACL", "RESTTOKEN", "default_ro", roToken}), "ro"), 400,
		"NOPERM this user has no permissions to run the 'acl|resttoken' command")
}
