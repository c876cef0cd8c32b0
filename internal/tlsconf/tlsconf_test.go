package tlsconf

import (
	"crypto/tls"
	"slices"
	"strings"
	"testing"
)

func TestParseProtocols(t *testing.T) {
	cases := []struct {
		in     string
		lo, hi uint16
		warn   bool
		bad    bool
	}{
		{"", tls.VersionTLS12, tls.VersionTLS13, false, false},
		{"TLSv1.2 TLSv1.3", tls.VersionTLS12, tls.VersionTLS13, false, false},
		{"tlsv1.3", tls.VersionTLS13, tls.VersionTLS13, false, false},
		{"TLSv1 TLSv1.1", tls.VersionTLS10, tls.VersionTLS11, false, false},
		{"TLSv1 TLSv1.3", tls.VersionTLS10, tls.VersionTLS13, true, false},
		{"TLSv1.2 SSLv3", 0, 0, false, true},
		{"TLSv1.2  TLSv1.3", 0, 0, false, true},
	}
	for _, c := range cases {
		lo, hi, warn, err := parseProtocols(c.in)
		if (err != nil) != c.bad || lo != c.lo || hi != c.hi || (len(warn) > 0) != c.warn {
			t.Errorf("parseProtocols(%q) = %x %x %v %v", c.in, lo, hi, warn, err)
		}
	}
}

func TestParseCiphers(t *testing.T) {
	ids, warn, err := parseCiphers("ECDHE-RSA-AES256-GCM-SHA384:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:!aNULL:HIGH")
	want := []uint16{tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}
	if err != nil || !slices.Equal(ids, want) || len(warn) != 1 || !strings.Contains(warn[0], "!aNULL:HIGH") {
		t.Errorf("parseCiphers = %v, %v, %v", ids, warn, err)
	}
	// What OpenSSL selects something for is accepted (Go's defaults when
	// Go has none of it); what selects nothing is refused, as by Redis.
	for v, ok := range map[string]bool{"DEFAULT": true, "ECDHE+AESGCM": true, "DHE-RSA-AES256-GCM-SHA384": true,
		"HIGH:BOGUS": true, "aNULL": true, "BOGUS-X": false, "!aNULL": false, "BOGUS": false} {
		ids, warn, err := parseCiphers(v)
		if (err == nil) != ok || ids != nil || (ok && len(warn) != 2) {
			t.Errorf("parseCiphers(%q) = %v, %v, %v; want accepted %v", v, ids, warn, err, ok)
		}
	}
	if ids, warn, err := parseCiphers(""); ids != nil || warn != nil || err != nil {
		t.Errorf("parseCiphers(\"\") = %v, %v, %v", ids, warn, err)
	}
	// Every OpenSSL name in the table names a suite crypto/tls has.
	known := suiteIDs()
	for ossl, iana := range openSSLNames {
		if _, ok := known[iana]; !ok {
			t.Errorf("%s maps to %s, which crypto/tls does not have", ossl, iana)
		}
	}
}

func TestCheckSuites13(t *testing.T) {
	for v, ok := range map[string]bool{"": true, "TLS_AES_128_GCM_SHA256": true,
		"TLS_AES_128_GCM_SHA256:BOGUS": true, "TLS_AES_128_CCM_SHA256": true, "BOGUS": false} {
		if _, err := checkSuites13(v); (err == nil) != ok {
			t.Errorf("checkSuites13(%q) = %v, want accepted %v", v, err, ok)
		}
	}
}

func TestBuild_Refusals(t *testing.T) {
	for _, c := range []struct {
		s    Settings
		want string
	}{
		{Settings{}, "tls-cert-file and tls-key-file must be set"},
		{Settings{CertFile: "/nonexistent.crt", KeyFile: "/nonexistent.key"}, "load certificate"},
	} {
		if _, err := Build(c.s); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Build(%+v) = %v, want %q", c.s, err, c.want)
		}
	}
}
