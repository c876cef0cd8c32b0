package main

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/internal/tlsconf"
	"github.com/larder-db/larder/metrics"
	"github.com/larder-db/larder/rest"
)

// restTokenFile holds the token generated on a loopback bind, in --dir.
const restTokenFile = "rest-token"

// startREST starts the Upstash REST API (rest-port 0: off) and returns the
// function that stops it.
//
// Tokens (UPSTASH-REST.md §3): with no rest-token on a loopback bind, one is
// generated on first start, kept in <dir>/rest-token and printed to out as
// the two UPSTASH_REDIS_REST_* lines (never logged); a non-loopback bind
// without a token refuses to start. An explicitly configured token is also
// the default user's password over TCP when requirepass is empty, as on
// Upstash. A busy default port only disables REST with a warning, so a
// second Larder on one machine still starts; an explicit port must bind.
//
// With mx, /metrics is served in front of the API (unless metrics-rest is
// no) and every request is counted by route and status. With rest-tls it
// serves HTTPS with the TLS configuration h.
func startREST(cfg *command.Config, d *command.Dispatcher, mx *metrics.Metrics, log zerolog.Logger, out io.Writer, h *tlsconf.Holder) (func(), error) {
	port := cfg.Int("rest-port")
	if port == 0 {
		return func() {}, nil
	}
	bind := cfg.Get("rest-bind")
	if bind == "" {
		bind = cfg.Get("bind")
	}
	generated, err := ensureToken(cfg, bind)
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort(bind, strconv.FormatInt(port, 10))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) && strconv.FormatInt(port, 10) == defaultParam(cfg, "rest-port") {
			log.Warn().Str("addr", addr).Msg("rest: default port in use, REST API disabled (set --rest-port)")
			return func() {}, nil
		}
		return nil, fmt.Errorf("rest: listen on %s: %w", addr, err)
	}
	scheme := "http"
	if cfg.Get("rest-tls") == "yes" { // setupTLS loaded the certificates
		ln, scheme = tls.NewListener(ln, h.HTTPS()), "https"
	}
	o := restOptions(cfg, d, log)
	if mx != nil {
		o.Wrap = mx.WrapREST(o.BasePath, cfg.Get("metrics-rest") == "yes")
	}
	srv := rest.New(o)
	if mx != nil {
		mx.SetStreams(srv.OpenStreams)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil {
			log.Error().Err(err).Msg("rest: serve")
		}
	}()
	url := scheme + "://" + ln.Addr().String() + strings.TrimRight(cfg.Get("rest-base-path"), "/")
	if generated {
		fmt.Fprintf(out, "UPSTASH_REDIS_REST_URL=%s\nUPSTASH_REDIS_REST_TOKEN=%s\n", url, cfg.Get("rest-token"))
	}
	log.Info().Str("url", url).Msg("rest: ready to accept requests")
	return func() {
		if err := srv.Close(); err != nil {
			log.Warn().Err(err).Msg("rest: close")
		}
		<-done
	}, nil
}

// ensureToken makes sure rest-token is set (see startREST); it reports
// whether the token came from the data dir rather than the configuration.
func ensureToken(cfg *command.Config, bind string) (bool, error) {
	if tok := cfg.Get("rest-token"); tok != "" {
		if cfg.RequirePass() == "" {
			return false, cfg.InitDerived("requirepass", tok)
		}
		return false, nil
	}
	if !isLoopback(bind) {
		return false, fmt.Errorf("rest: refusing to serve the REST API on %q without a token: set --rest-token (or --rest-port 0)", bind)
	}
	tok, err := loadOrCreateToken(cfg.Get("dir"))
	if err != nil {
		return false, err
	}
	return true, cfg.InitDerived("rest-token", tok)
}

// loadOrCreateToken reads <dir>/rest-token, creating the directory and a
// random token on first start.
func loadOrCreateToken(dir string) (string, error) {
	path := filepath.Join(dir, restTokenFile)
	if b, err := os.ReadFile(path); err == nil {
		if tok := strings.TrimSpace(string(b)); tok != "" {
			return tok, nil
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("rest: read token: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("rest: create data dir: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("rest: generate token: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(tok+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("rest: write token: %w", err)
	}
	return tok, nil
}

// isLoopback reports whether host only accepts local connections.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func defaultParam(cfg *command.Config, name string) string {
	for _, p := range cfg.Params() {
		if p.Name == name {
			return p.Default
		}
	}
	return ""
}

func restOptions(cfg *command.Config, d *command.Dispatcher, log zerolog.Logger) rest.Options {
	secs := func(name string) time.Duration { return time.Duration(cfg.Int(name)) * time.Second }
	return rest.Options{
		Dispatcher:     d,
		Logger:         log,
		BasePath:       cfg.Get("rest-base-path"),
		CORSOrigins:    strings.FieldsFunc(cfg.Get("rest-cors-origins"), func(r rune) bool { return r == ' ' || r == ',' }),
		MaxRequestSize: cfg.Int("rest-max-request-size"),
		MaxKeySize:     cfg.Int("rest-max-key-size"),
		MaxRecordSize:  cfg.Int("rest-max-record-size"),
		MaxCommands:    int(cfg.Int("rest-max-pipeline-commands")),
		MaxStreams:     int(cfg.Int("rest-max-streams")),
		MaxHeaderBytes: int(cfg.Int("rest-max-header-bytes")),
		HeaderTimeout:  secs("rest-header-timeout"),
		ReadTimeout:    secs("rest-read-timeout"),
		WriteTimeout:   secs("rest-write-timeout"),
		IdleTimeout:    secs("rest-idle-timeout"),
	}
}
