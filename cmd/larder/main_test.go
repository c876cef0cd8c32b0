package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/larder-db/larder/command/families"
)

func TestParseFlags(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		check   map[string]string
	}{
		{name: "defaults", check: map[string]string{"port": "6379", "bind": "127.0.0.1", "databases": "16", "appendonly": "yes", "appendfsync": "always"}},
		{name: "flags", args: []string{"--port", "7000", "--requirepass", "pw", "--maxmemory", "1mb"},
			check: map[string]string{"port": "7000", "requirepass": "pw", "maxmemory": "1048576"}},
		{name: "env fallback", env: map[string]string{"LARDER_PORT": "7001", "LARDER_MAXMEMORY_POLICY": "allkeys-lru"},
			check: map[string]string{"port": "7001", "maxmemory-policy": "allkeys-lru"}},
		{name: "flag beats env", args: []string{"--port=7002"}, env: map[string]string{"LARDER_PORT": "7001"},
			check: map[string]string{"port": "7002"}},
		{name: "a family's parameter", args: []string{"--busy-reply-threshold", "250"},
			check: map[string]string{"busy-reply-threshold": "250"}},
		{name: "unknown flag", args: []string{"--nosuch", "1"}, wantErr: "flag provided but not defined: -nosuch"},
		{name: "stray argument", args: []string{"6379"}, wantErr: `unexpected argument "6379"`},
		{name: "bad appendfsync", args: []string{"--appendfsync", "sometimes"}, wantErr: "appendfsync"},
		{name: "bad number", args: []string{"--port", "x"}, wantErr: "port"},
		{name: "bad enum", args: []string{"--loglevel", "loud"}, wantErr: "loglevel"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			cfg := families.NewConfig()
			var stderr bytes.Buffer
			err := parseFlags(cfg, c.args, &stderr)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, want := range c.check {
				if got := cfg.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

// TestRun_RefusesBadConfig: run stops before listening on a bad flag.
func TestRun_RefusesBadConfig(t *testing.T) {
	var stderr bytes.Buffer
	if err := run([]string{"--appendonly", "maybe"}, &stderr); err == nil || !strings.Contains(err.Error(), "appendonly") {
		t.Fatalf("run = %v", err)
	}
}
