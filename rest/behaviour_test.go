package rest_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/larder-db/larder/rest"
)

func syncToken(t *testing.T, res response) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(res.header.Get("Upstash-Sync-Token"), 10, 64)
	if err != nil {
		t.Fatalf("sync token %q: %v", res.header.Get("Upstash-Sync-Token"), err)
	}
	return n
}

// TestSyncToken: on every response; changes after every write (single,
// pipeline, multi-exec), not after reads; any incoming value accepted (§9).
func TestSyncToken(t *testing.T) {
	ts := startREST(t, nil)
	garbage := "Upstash-Sync-Token: my-new-sync-token"
	t0 := syncToken(t, ts.do(t, "POST", "/", `["GET","k"]`, "std", garbage))
	t1 := syncToken(t, ts.do(t, "POST", "/", `["SET","k","v"]`, "std", garbage))
	t2 := syncToken(t, ts.post(t, "/", `["SET","k","v"]`))
	t3 := syncToken(t, ts.post(t, "/pipeline", `[["SET","a","1"],["SET","b","1"]]`))
	t4 := syncToken(t, ts.post(t, "/multi-exec", `[["INCR","a"]]`))
	t5 := syncToken(t, ts.post(t, "/pipeline", `[["GET","a"],["EXISTS","b"]]`))
	if !(t0 < t1 && t1 < t2 && t2 < t3 && t3 < t4 && t4 == t5) {
		t.Fatalf("tokens %d %d %d %d %d %d", t0, t1, t2, t3, t4, t5)
	}
	if res := ts.do(t, "POST", "/", `["PING"]`, "none"); res.status != 401 || res.header.Get("Upstash-Sync-Token") == "" {
		t.Fatalf("401 without a sync token: %v", res.header)
	}
}

// TestBasePath: routes live under the base path (a reverse proxy's
// prefix, §2); health probes also answer at the root.
func TestBasePath(t *testing.T) {
	ts := startREST(t, func(o *rest.Options) { o.BasePath = "/redis/" })
	expectBody(t, "pipeline", ts.post(t, "/redis/pipeline", `[["PING"]]`), 200, `[{"result":"PONG"}]`)
	expectBody(t, "single", ts.post(t, "/redis", `["PING"]`), 200, `{"result":"PONG"}`)
	expectBody(t, "single, trailing slash", ts.post(t, "/redis/", `["PING"]`), 200, `{"result":"PONG"}`)
	expectBody(t, "path-style", ts.do(t, "GET", "/redis/echo/x", "", "std"), 200, `{"result":"x"}`)
	expectError(t, "outside", ts.post(t, "/pipeline", `[["PING"]]`), 404, "ERR not found")
	expectError(t, "prefix of a segment", ts.post(t, "/redisx/ping", ``), 404, "ERR not found")
	expectBody(t, "healthz at the root", ts.do(t, "GET", "/healthz", "", "none"), 200, `{"result":"OK"}`)
	expectBody(t, "readyz under the base", ts.do(t, "GET", "/redis/readyz", "", "none"), 200, `{"result":"OK"}`)
}

// TestReadyz_Loading: /readyz is 503 while the data set is recovered, and
// commands get Redis's LOADING error meanwhile.
func TestReadyz_Loading(t *testing.T) {
	ts := startREST(t, nil)
	ts.d.SetLoading(true)
	expectError(t, "readyz", ts.do(t, "GET", "/readyz", "", "none"), 503, "LOADING Redis is loading the dataset in memory")
	expectBody(t, "healthz", ts.do(t, "GET", "/healthz", "", "none"), 200, `{"result":"OK"}`)
	expectError(t, "get", ts.post(t, "/", `["GET","k"]`), 400, "LOADING Redis is loading the dataset in memory")
	ts.d.SetLoading(false)
	expectBody(t, "readyz after", ts.do(t, "GET", "/readyz", "", "none"), 200, `{"result":"OK"}`)
}

// TestContentType_NotStrict: any Content-Type is accepted (§8: don't be
// stricter than the SDKs; SRH's exact-match check is a known gap).
func TestContentType_NotStrict(t *testing.T) {
	ts := startREST(t, nil)
	for _, ct := range []string{"text/plain", "application/json; charset=utf-8", ""} {
		res := ts.do(t, http.MethodPost, "/", `["PING"]`, "std", "Content-Type: "+ct)
		expectBody(t, ct, res, 200, `{"result":"PONG"}`)
	}
}
