package tests

import (
	"strconv"
	"testing"
)

// TestTLS_ConfigDifferential runs the same CONFIG SET tls-* on a
// redis-server 7.0 and a Larder, both serving TLS with the same
// certificates, and compares every reply byte for byte: what each accepts,
// refuses (Redis's "Unable to update TLS configuration") and then reports,
// and that a refused CONFIG SET rolls back its other parameters.
func TestTLS_ConfigDifferential(t *testing.T) {
	rbin := requireRedis(t)
	ca := newTestCA(t, "larder-test")
	cert := ca.issue(t, "server", true)
	tlsArgs := []string{"--tls-cert-file", cert.cert, "--tls-key-file", cert.key, "--tls-ca-cert-file", ca.pemPath}
	r := startFor(t, "redis", func(dir string, port int) []string {
		tlsPort, err := freePort()
		if err != nil {
			t.Error(err)
		}
		args := append(redisSpec(rbin)(dir, port), "--tls-port", strconv.Itoa(tlsPort))
		return append(args, tlsArgs...)
	})
	l, laddr := startLarderTLS(t, ca, cert)
	rc, lc := dial(t, r.addr), dial(t, l.addr)
	missing := cert.cert + ".missing"
	steps := [][]string{
		{"tls-ciphers", "HIGH"}, {"tls-ciphers", "BOGUS"}, {"tls-ciphers", "!aNULL"},
		{"tls-ciphers", "DHE-RSA-AES256-GCM-SHA384"}, {"tls-ciphers", "ECDHE+AESGCM"},
		{"tls-ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384:BOGUS"}, {"tls-ciphers", ""},
		{"tls-ciphersuites", "BOGUS"}, {"tls-ciphersuites", "TLS_AES_128_GCM_SHA256:BOGUS"}, {"tls-ciphersuites", ""},
		{"tls-protocols", "SSLv3"}, {"tls-protocols", "TLSv1.2  TLSv1.3"}, {"tls-protocols", "tlsv1.2 TLSv1.3"},
		{"tls-protocols", ""},
		{"tls-cert-file", missing}, {"tls-cert-file", missing, "maxmemory", "1mb"}, {"tls-cert-file", cert.cert},
		{"tls-key-file", ca.pemPath}, {"tls-key-file", cert.key},
		{"tls-ca-cert-file", missing}, {"tls-ca-cert-file", ""}, {"tls-ca-cert-file", ca.pemPath},
		{"tls-auth-clients", "maybe"}, {"tls-auth-clients", "optional"}, {"tls-auth-clients", "yes"},
		{"tls-session-caching", "no"}, {"tls-session-caching", "yes"},
	}
	for _, step := range steps {
		set := append([]string{"CONFIG", "SET"}, step...)
		if rg, lg := string(rc.do(set...)), string(lc.do(set...)); rg != lg {
			t.Errorf("%q: redis %q, larder %q", set, rg, lg)
		}
		for i := 0; i < len(step); i += 2 {
			if rg, lg := string(rc.do("CONFIG", "GET", step[i])), string(lc.do("CONFIG", "GET", step[i])); rg != lg {
				t.Errorf("after %q: CONFIG GET %s: redis %q, larder %q", set, step[i], rg, lg)
			}
		}
	}
	client := ca.issue(t, "client", false)
	if _, err := tlsPing(laddr, ca.clientConfig(t, &client)); err != nil {
		t.Errorf("Larder over TLS after the CONFIG SETs: %v", err)
	}
}
