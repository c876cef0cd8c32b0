package rest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzServe sends arbitrary requests through the whole handler: it never
// panics, every response carries the sync token, and every JSON body is
// {"result"}/{"error"} with exactly one key, or an array of those (§6, §9).
func FuzzServe(f *testing.F) {
	seeds := []struct {
		method, path, body string
		flags              uint8
	}{
		{"POST", "/", `["SET","k","v"]`, 1}, {"GET", "/get/k", "", 1}, {"POST", "/pipeline", `[["INCR","n"],["GET","n"]]`, 3},
		{"POST", "/multi-exec", `[["SET","a","1"],["NOSUCH"]]`, 1}, {"PUT", "/set/k?EX=1&NX", "body", 5},
		{"POST", "//pipeline", `[]`, 1}, {"DELETE", "/", "", 1}, {"OPTIONS", "/", "", 0}, {"GET", "/healthz", "", 0},
		{"POST", "/", `["AUTH","x"]`, 1}, {"POST", "/", `["HSET","h","f","v"]`, 7}, {"GET", "/monitor", "", 0},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.body, s.flags)
	}
	h := benchHandler(f)
	f.Fuzz(func(t *testing.T, method, path, body string, flags uint8) {
		if u, err := url.Parse(path); err != nil || !strings.HasPrefix(path, "/") || u.Host != "" {
			return
		}
		first, _, _ := strings.Cut(strings.TrimLeft(path, "/"), "/")
		first, _, _ = strings.Cut(first, "?")
		if first == "subscribe" || first == "psubscribe" || first == "monitor" {
			return // streams run until the client leaves; TestSSE_* cover them
		}
		r, err := http.NewRequest(method, "http://larder"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		if flags&1 != 0 {
			r.Header.Set("Authorization", "Bearer "+stdToken)
		}
		if flags&2 != 0 {
			r.Header.Set("Upstash-Encoding", "base64")
		}
		if flags&4 != 0 {
			r.Header.Set("Upstash-Response-Format", "resp2")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Header().Get("Upstash-Sync-Token") == "" && w.Code != http.StatusNotFound {
			t.Fatalf("%s %s: no sync token (%d)", method, path, w.Code)
		}
		if w.Header().Get("Content-Type") == "application/json" && method != http.MethodHead {
			checkJSONBody(t, w.Body.Bytes())
		}
	})
}

func checkJSONBody(t *testing.T, b []byte) {
	t.Helper()
	var one map[string]json.RawMessage
	if json.Unmarshal(b, &one) == nil {
		if len(one) != 1 || (one["result"] == nil && one["error"] == nil) {
			t.Fatalf("body %s", b)
		}
		return
	}
	var many []map[string]json.RawMessage
	if err := json.Unmarshal(b, &many); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	for _, e := range many {
		if len(e) != 1 || (e["result"] == nil && e["error"] == nil) {
			t.Fatalf("entry in %s", b)
		}
	}
}
