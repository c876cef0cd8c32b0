package rest_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestGzip_Responses: a body over 1 KB is gzip-encoded when the request
// accepts gzip (and decodes to the plain body); small bodies, requests
// without gzip (or with q=0) and error bodies under the threshold are sent
// as they are. SSE streams stay plain.
func TestGzip_Responses(t *testing.T) {
	ts := startREST(t, nil)
	big := strings.Repeat("x", 4000)
	ts.post(t, "/", jsonBody(t, []string{"SET", "big", big}))
	want := jsonBody(t, map[string]string{"result": big})
	plain := ts.do(t, http.MethodPost, "/", `["GET","big"]`, "std", "Accept-Encoding: identity")
	expectBody(t, "identity", plain, 200, want)
	if plain.header.Get("Content-Encoding") != "" {
		t.Errorf("identity: Content-Encoding %q", plain.header.Get("Content-Encoding"))
	}
	for _, ae := range []string{"gzip", "deflate, GZIP;q=0.5", "br, gzip"} {
		res := ts.do(t, http.MethodPost, "/", `["GET","big"]`, "std", "Accept-Encoding: "+ae)
		if res.header.Get("Content-Encoding") != "gzip" || res.header.Get("Upstash-Sync-Token") == "" {
			t.Fatalf("%s: headers %v", ae, res.header)
		}
		if len(res.body) >= len(want) {
			t.Errorf("%s: %d bytes compressed, %d plain", ae, len(res.body), len(want))
		}
		zr, err := gzip.NewReader(strings.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || string(got) != want {
			t.Errorf("%s: decoded %d bytes, %v", ae, len(got), err)
		}
	}
	for _, c := range []struct{ name, path, body, ae string }{
		{"q=0", "/", `["GET","big"]`, "gzip;q=0"},
		{"small body", "/", `["PING"]`, "gzip"},
		{"pipeline small", "/pipeline", `[["PING"]]`, "gzip"},
	} {
		res := ts.do(t, http.MethodPost, c.path, c.body, "std", "Accept-Encoding: "+c.ae)
		if res.header.Get("Content-Encoding") != "" || res.status != 200 {
			t.Errorf("%s: %d %v", c.name, res.status, res.header)
		}
	}
	res := ts.do(t, http.MethodPost, "/pipeline", jsonBody(t, [][]string{{"GET", "big"}, {"GET", "big"}}), "std", "Accept-Encoding: gzip")
	if res.header.Get("Content-Encoding") != "gzip" {
		t.Errorf("pipeline: %v", res.header)
	}
	// The SDKs' default client (Go's here) asks for gzip itself and
	// decodes transparently.
	expectBody(t, "transparent", ts.do(t, http.MethodPost, "/", `["GET","big"]`, "std"), 200, want)
	sub := ts.subscribe(t, "/subscribe/zipped", "std")
	sub.expect(t, "data: subscribe,zipped,1")
	ts.post(t, "/", jsonBody(t, []string{"PUBLISH", "zipped", big}))
	sub.expect(t, "data: message,zipped,"+big)
}
