package rest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/keyspace"
	"github.com/larder-db/larder/rest"
)

// benchHandler is the REST handler without the network: what one request
// costs Larder beyond net/http.
func benchHandler(b testing.TB) http.Handler {
	cfg := command.NewConfig()
	if err := cfg.Init("rest-token", stdToken); err != nil {
		b.Fatal(err)
	}
	d := families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Config: cfg, Logger: zerolog.Nop()})
	return rest.New(rest.Options{Dispatcher: d, Logger: zerolog.Nop()})
}

func benchRequests(b *testing.B, method, path, body string, headers ...string) {
	h := benchHandler(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+stdToken)
		for _, kv := range headers {
			k, v, _ := strings.Cut(kv, ": ")
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}

func BenchmarkServer_PostGet(b *testing.B) { benchRequests(b, "POST", "/", `["GET","k"]`) }
func BenchmarkServer_PostSet(b *testing.B) { benchRequests(b, "POST", "/", `["SET","k","v"]`) }
func BenchmarkServer_PathGet(b *testing.B) { benchRequests(b, "GET", "/get/k", "") }
func BenchmarkServer_Pipeline(b *testing.B) {
	benchRequests(b, "POST", "/pipeline", `[["SET","k","v"],["GET","k"],["INCR","n"]]`, "Upstash-Encoding: base64")
}
