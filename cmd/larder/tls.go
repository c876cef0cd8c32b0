package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/internal/tlsconf"
	"github.com/larder-db/larder/protocol"
)

// tlsUpdateFailed is Redis's reason when CONFIG SET tls-* cannot be applied.
const tlsUpdateFailed = "Unable to update TLS configuration. Check server logs."

func tlsSettings(cfg *command.Config) tlsconf.Settings {
	return tlsconf.Settings{
		CertFile:       cfg.Get("tls-cert-file"),
		KeyFile:        cfg.Get("tls-key-file"),
		CAFile:         cfg.Get("tls-ca-cert-file"),
		CADir:          cfg.Get("tls-ca-cert-dir"),
		AuthClients:    cfg.Get("tls-auth-clients"),
		Protocols:      cfg.Get("tls-protocols"),
		Ciphers:        cfg.Get("tls-ciphers"),
		CipherSuites:   cfg.Get("tls-ciphersuites"),
		SessionCaching: cfg.Get("tls-session-caching") == "yes",
		ServeRESP:      cfg.Int("tls-port") != 0,
	}
}

// setupTLS loads the certificates when tls-port or rest-tls asks for TLS
// (nil otherwise) and makes CONFIG SET tls-* reload them: new handshakes
// get the new configuration, established connections keep theirs, and a
// configuration that does not load is refused with Redis's error, the old
// one still served.
func setupTLS(cfg *command.Config, log zerolog.Logger) (*tlsconf.Holder, error) {
	if cfg.Int("tls-port") == 0 && cfg.Get("rest-tls") != "yes" {
		return nil, nil
	}
	b, err := tlsconf.Build(tlsSettings(cfg))
	if err != nil {
		return nil, fmt.Errorf("tls: %w", err)
	}
	logTLSWarnings(log, b)
	h := tlsconf.NewHolder(b)
	cfg.OnApply(func() string {
		b, err := tlsconf.Build(tlsSettings(cfg))
		if err != nil {
			log.Warn().Err(err).Msg("tls: configuration not reloaded, the previous one stays")
			return tlsUpdateFailed
		}
		logTLSWarnings(log, b)
		h.Store(b)
		log.Info().Msg("tls: configuration reloaded")
		return ""
	}, command.TLSParams...)
	return h, nil
}

func logTLSWarnings(log zerolog.Logger, b *tlsconf.Bundle) {
	for _, w := range b.Warnings {
		log.Warn().Msg("tls: " + w)
	}
}

// respServers are the RESP front ends: plain on port, TLS on tls-port
// (either may be 0: off).
type respServers []*protocol.Server

// listenRESP binds the RESP listeners.
func listenRESP(cfg *command.Config, d *command.Dispatcher, log zerolog.Logger, h *tlsconf.Holder) (respServers, error) {
	var out respServers
	bind := cfg.Get("bind")
	for _, name := range []string{"port", "tls-port"} {
		port := cfg.Get(name)
		if port == "0" {
			continue
		}
		addr := net.JoinHostPort(bind, port)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			_ = out.close() // not serving yet: only listeners to release
			return nil, fmt.Errorf("listen on %s: %w", addr, err)
		}
		if name == "tls-port" {
			ln = tls.NewListener(ln, h.RESP())
		}
		out = append(out, protocol.New(ln, protocol.Options{Dispatcher: d, Logger: log}))
	}
	if len(out) == 0 {
		return nil, errors.New("port and tls-port are both 0: nothing to listen on")
	}
	return out, nil
}

// serve runs every server; each sends Serve's result to errc (buffered
// for all of them).
func (s respServers) serve(errc chan<- error) {
	for _, sv := range s {
		go func() { errc <- sv.Serve() }()
	}
}

// close stops every server and waits for their connections.
func (s respServers) close() error {
	var errs []error
	for _, sv := range s {
		errs = append(errs, sv.Close())
	}
	return errors.Join(errs...)
}

// addrs returns the listening addresses, for the log.
func (s respServers) addrs() []string {
	var out []string
	for _, sv := range s {
		out = append(out, sv.Addr().String())
	}
	return out
}
