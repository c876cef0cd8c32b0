package rest_test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/keyspace"
	"github.com/larder-db/larder/rest"
)

const (
	stdToken = "std-token-0123456789"
	roToken  = "ro-token-9876543210"
)

// testServer is an in-process REST server on a free loopback port.
type testServer struct {
	url string
	d   *command.Dispatcher
	log *syncBuffer // everything the server logged
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startREST runs a server with both tokens; tweak adjusts its options. It
// stops when the test ends.
func startREST(t testing.TB, tweak func(*rest.Options)) *testServer {
	t.Helper()
	cfg := command.NewConfig()
	for k, v := range map[string]string{"rest-token": stdToken, "rest-readonly-token": roToken} {
		if err := cfg.Init(k, v); err != nil {
			t.Fatal(err)
		}
	}
	logs := &syncBuffer{}
	log := zerolog.New(logs).Level(zerolog.DebugLevel)
	d := families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Config: cfg, Logger: log})
	o := rest.Options{Dispatcher: d, Logger: log, CORSOrigins: []string{"*"}}
	if tweak != nil {
		tweak(&o)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := rest.New(o)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return &testServer{url: "http://" + ln.Addr().String(), d: d, log: logs}
}

// response is what a test looks at.
type response struct {
	status int
	header http.Header
	body   string
}

// do sends one request; headers are "Name: value" strings, and a token
// "std"/"ro" becomes the Authorization header.
func (ts *testServer) do(t testing.TB, method, path, body, token string, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	switch token {
	case "std":
		req.Header.Set("Authorization", "Bearer "+stdToken)
	case "ro":
		req.Header.Set("Authorization", "Bearer "+roToken)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	client := &http.Client{Timeout: 10 * time.Second}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// post is a JSON POST with the standard token.
func (ts *testServer) post(t testing.TB, path, body string) response {
	t.Helper()
	return ts.do(t, http.MethodPost, path, body, "std")
}
