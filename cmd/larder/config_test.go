package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command/families"
)

// TestParseFlags_ConfigFile: the file, then the environment, then the
// flags; the later wins.
func TestParseFlags_ConfigFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "larder.conf")
	conf := "port 7100\nmaxmemory 2mb\nloglevel warning\nrequirepass from-file\n"
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LARDER_MAXMEMORY", "3mb")
	t.Setenv("LARDER_REQUIREPASS", "from-env")
	cfg := families.NewConfig()
	var stderr bytes.Buffer
	if err := parseFlags(cfg, []string{"--config", path, "--requirepass", "from-flag"}, &stderr); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"port": "7100", "loglevel": "warning", "maxmemory": "3145728",
		"requirepass": "from-flag", "databases": "16"} {
		if got := cfg.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if cfg.File() != path {
		t.Errorf("File() = %q, want %q", cfg.File(), path)
	}
	t.Setenv("LARDER_CONFIG", path)
	cfg = families.NewConfig()
	if err := parseFlags(cfg, nil, &stderr); err != nil || cfg.Get("port") != "7100" {
		t.Errorf("LARDER_CONFIG: port %q, err %v", cfg.Get("port"), err)
	}
	bad := filepath.Join(t.TempDir(), "bad.conf")
	if err := os.WriteFile(bad, []byte("port 1\nbogus yes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := parseFlags(families.NewConfig(), []string{"--config", bad}, &stderr)
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad config file: %v", err)
	}
	if err := parseFlags(families.NewConfig(), []string{"--version"}, &stderr); !errors.Is(err, errVersion) {
		t.Errorf("--version: %v", err)
	}
}

// TestListenRESP: port 0 turns plain RESP off; both 0 is refused.
func TestListenRESP(t *testing.T) {
	cfg, d := restConfig(t, map[string]string{"port": "0", "tls-port": "0"})
	if _, err := listenRESP(cfg, d, zerolog.Nop(), nil); err == nil || !strings.Contains(err.Error(), "both 0") {
		t.Fatalf("listenRESP with both ports 0 = %v", err)
	}
}
