package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/keyspace"
)

func restConfig(t *testing.T, params map[string]string) (*command.Config, *command.Dispatcher) {
	t.Helper()
	cfg := command.NewConfig()
	for k, v := range params {
		if err := cfg.Init(k, v); err != nil {
			t.Fatal(err)
		}
	}
	return cfg, families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Config: cfg, Logger: zerolog.Nop()})
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// TestStartREST_GeneratesToken: on a loopback bind without a token, one is
// generated into the data dir (created if missing), printed as the two
// UPSTASH_REDIS_REST_* lines, reused on the next start, and it works.
func TestStartREST_GeneratesToken(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "sub")
	port := freePort(t)
	cfg, d := restConfig(t, map[string]string{"dir": dir, "rest-port": port, "bind": "127.0.0.1"})
	var out bytes.Buffer
	stop, err := startREST(cfg, d, nil, zerolog.Nop(), &out, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	raw, err := os.ReadFile(filepath.Join(dir, "rest-token"))
	if err != nil {
		t.Fatal(err)
	}
	tok := strings.TrimSpace(string(raw))
	want := "UPSTASH_REDIS_REST_URL=http://127.0.0.1:" + port + "\nUPSTASH_REDIS_REST_TOKEN=" + tok + "\n"
	if len(tok) < 32 || out.String() != want {
		t.Fatalf("printed %q, token %q", out.String(), tok)
	}
	if cfg.RequirePass() != "" {
		t.Error("a generated token must not become requirepass (the loopback quick start stays password-free over TCP)")
	}
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:"+port+"/", strings.NewReader(`["PING"]`))
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if string(body) != `{"result":"PONG"}` {
		t.Fatalf("with the generated token: %s", body)
	}
	stop()
	cfg2, d2 := restConfig(t, map[string]string{"dir": dir, "rest-port": freePort(t)})
	stop2, err := startREST(cfg2, d2, nil, zerolog.Nop(), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	stop2()
	if cfg2.Get("rest-token") != tok {
		t.Fatal("the second start did not reuse the stored token")
	}
}

// TestStartREST_RefusesWithoutToken is R23: no token on a non-loopback
// bind refuses to start (checked before anything listens).
func TestStartREST_RefusesWithoutToken(t *testing.T) {
	for _, bind := range []string{"0.0.0.0", "::", "192.0.2.1"} {
		cfg, d := restConfig(t, map[string]string{"dir": t.TempDir(), "bind": bind})
		_, err := startREST(cfg, d, nil, zerolog.Nop(), io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), "without a token") {
			t.Errorf("bind %s: %v", bind, err)
		}
	}
	cfg, d := restConfig(t, map[string]string{"dir": t.TempDir(), "bind": "0.0.0.0", "rest-bind": "127.0.0.1", "rest-port": freePort(t)})
	stop, err := startREST(cfg, d, nil, zerolog.Nop(), io.Discard, nil)
	if err != nil {
		t.Fatalf("loopback rest-bind: %v", err)
	}
	stop()
}

// TestStartREST_ExplicitToken: a configured token is not stored or printed
// and becomes the default user's password when requirepass is empty.
func TestStartREST_ExplicitToken(t *testing.T) {
	dir := t.TempDir()
	cfg, d := restConfig(t, map[string]string{"dir": dir, "rest-token": "tok", "rest-port": freePort(t)})
	var out bytes.Buffer
	stop, err := startREST(cfg, d, nil, zerolog.Nop(), &out, nil)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if out.Len() != 0 || cfg.RequirePass() != "tok" {
		t.Fatalf("printed %q, requirepass %q", out.String(), cfg.RequirePass())
	}
	if _, err := os.Stat(filepath.Join(dir, "rest-token")); !os.IsNotExist(err) {
		t.Fatalf("token file written: %v", err)
	}
}

// TestStartREST_BusyPort: an explicit busy port fails the start; the busy
// default port only disables REST.
func TestStartREST_BusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	cfg, d := restConfig(t, map[string]string{"dir": t.TempDir(), "rest-token": "t", "rest-port": port})
	if _, err := startREST(cfg, d, nil, zerolog.Nop(), io.Discard, nil); err == nil {
		t.Fatal("explicit busy port: started")
	}
	if def, err := net.Listen("tcp", "127.0.0.1:8080"); err == nil { // else 8080 is busy already
		defer func() { _ = def.Close() }()
	}
	cfg, d = restConfig(t, map[string]string{"dir": t.TempDir(), "rest-token": "t"})
	stop, err := startREST(cfg, d, nil, zerolog.Nop(), io.Discard, nil)
	if err != nil {
		t.Fatalf("busy default port: %v", err)
	}
	stop()
}
