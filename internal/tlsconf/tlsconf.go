// Package tlsconf turns Redis's tls-* parameters into crypto/tls server
// configurations, and holds the current ones so that a reload (CONFIG SET
// tls-cert-file …) reaches every new handshake without a new listener.
package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// Settings are the tls-* parameters, as redis.conf spells their values.
type Settings struct {
	CertFile, KeyFile string
	CAFile, CADir     string
	AuthClients       string // yes, no or optional
	Protocols         string // e.g. "TLSv1.2 TLSv1.3"; empty: those two
	Ciphers           string // tls-ciphers: OpenSSL or IANA names of TLS ≤1.2 suites
	CipherSuites      string // tls-ciphersuites: TLS 1.3 suites (Go picks these itself)
	SessionCaching    bool
	// ServeRESP is whether RESP is served over TLS (tls-port): without it
	// client certificates, and so the CA, are not needed.
	ServeRESP bool
}

// Bundle is one loaded configuration: RESP's (client certificates as
// tls-auth-clients says; nil unless Settings.ServeRESP) and HTTPS's (the same certificate, no client
// certificate asked for: REST clients authenticate with tokens).
type Bundle struct {
	RESP, HTTPS *tls.Config
	// Warnings name what the settings asked for and crypto/tls cannot do
	// (OpenSSL cipher keywords, a gap in tls-protocols …), for the log.
	Warnings []string
}

// Build reads the certificate files and returns the configurations.
func Build(s Settings) (*Bundle, error) {
	if s.CertFile == "" || s.KeyFile == "" {
		return nil, errors.New("tls-cert-file and tls-key-file must be set")
	}
	cert, err := tls.LoadX509KeyPair(s.CertFile, s.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("load certificate %s / key %s: %w", s.CertFile, s.KeyFile, err)
	}
	b := &Bundle{}
	lo, hi, warn, err := parseProtocols(s.Protocols)
	if err != nil {
		return nil, err
	}
	b.Warnings = append(b.Warnings, warn...)
	suites, warn, err := parseCiphers(s.Ciphers)
	if err != nil {
		return nil, err
	}
	b.Warnings = append(b.Warnings, warn...)
	if warn, err = checkSuites13(s.CipherSuites); err != nil {
		return nil, err
	}
	b.Warnings = append(b.Warnings, warn...)
	base := &tls.Config{
		Certificates:           []tls.Certificate{cert},
		MinVersion:             lo,
		MaxVersion:             hi,
		CipherSuites:           suites,
		SessionTicketsDisabled: !s.SessionCaching,
	}
	b.HTTPS = base.Clone()
	b.HTTPS.NextProtos = []string{"http/1.1"} // SSE and the write timeouts assume HTTP/1.1
	if !s.ServeRESP {
		return b, nil
	}
	b.RESP = base
	switch strings.ToLower(s.AuthClients) {
	case "no":
		b.RESP.ClientAuth = tls.NoClientCert
		return b, nil
	case "optional":
		b.RESP.ClientAuth = tls.VerifyClientCertIfGiven
	case "yes", "":
		b.RESP.ClientAuth = tls.RequireAndVerifyClientCert
	default:
		return nil, fmt.Errorf("tls-auth-clients %q: must be yes, no or optional", s.AuthClients)
	}
	if b.RESP.ClientCAs, err = loadCAs(s.CAFile, s.CADir); err != nil {
		return nil, err
	}
	return b, nil
}

// loadCAs reads the CA certificates that verify client certificates.
func loadCAs(file, dir string) (*x509.CertPool, error) {
	if file == "" && dir == "" {
		return nil, errors.New("either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-auth-clients is yes or optional")
	}
	pool := x509.NewCertPool()
	var files []string
	if file != "" {
		files = append(files, file)
	}
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("read tls-ca-cert-dir: %w", err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				files = append(files, filepath.Join(dir, e.Name()))
			}
		}
	}
	added := false
	for _, f := range files {
		pem, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read CA certificates: %w", err)
		}
		if pool.AppendCertsFromPEM(pem) {
			added = true
		} else if f == file {
			return nil, fmt.Errorf("tls-ca-cert-file %s: no PEM certificate in it", f)
		}
	}
	if !added {
		return nil, fmt.Errorf("tls-ca-cert-dir %s: no PEM certificate in it", dir)
	}
	return pool, nil
}

// parseProtocols is Redis's parseProtocolsConfig: a set of TLSv1, TLSv1.1,
// TLSv1.2 and TLSv1.3 (any case) separated by single spaces; empty means
// TLSv1.2 and TLSv1.3. crypto/tls takes a range, so a set with a gap enables the
// versions between (a warning says so).
func parseProtocols(v string) (lo, hi uint16, warn []string, err error) {
	names := map[string]uint16{"tlsv1": tls.VersionTLS10, "tlsv1.1": tls.VersionTLS11,
		"tlsv1.2": tls.VersionTLS12, "tlsv1.3": tls.VersionTLS13}
	if v == "" {
		return tls.VersionTLS12, tls.VersionTLS13, nil, nil
	}
	fields := strings.Split(v, " ") // as Redis: two spaces make an empty, invalid word
	set := map[uint16]bool{}
	for _, f := range fields {
		ver, ok := names[strings.ToLower(f)]
		if !ok {
			return 0, 0, nil, errors.New("invalid tls-protocols specified: use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'")
		}
		set[ver] = true
		if lo == 0 || ver < lo {
			lo = ver
		}
		hi = max(hi, ver)
	}
	for ver := lo; ver <= hi; ver++ {
		if !set[ver] {
			warn = append(warn, fmt.Sprintf("tls-protocols %q has a gap: crypto/tls enables every version from %s to %s",
				v, tls.VersionName(lo), tls.VersionName(hi)))
			break
		}
	}
	return lo, hi, warn, nil
}

// Holder keeps the current Bundle; the configurations it hands out fetch
// it on every handshake, so Store reaches new connections at once and
// leaves established ones alone.
type Holder struct {
	cur atomic.Pointer[Bundle]
}

// NewHolder returns a Holder serving b.
func NewHolder(b *Bundle) *Holder {
	h := &Holder{}
	h.cur.Store(b)
	return h
}

// Store replaces the configuration for new handshakes.
func (h *Holder) Store(b *Bundle) { h.cur.Store(b) }

// RESP returns the configuration for the RESP listener (tls-port).
func (h *Holder) RESP() *tls.Config {
	return &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		return h.cur.Load().RESP, nil
	}}
}

// HTTPS returns the configuration for the REST listener.
func (h *Holder) HTTPS() *tls.Config {
	return &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		return h.cur.Load().HTTPS, nil
	}}
}
