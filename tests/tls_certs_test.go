package tests

// A test CA and the certificates the TLS tests use, made with crypto/x509
// in each test's temporary directory.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// testCA is a certificate authority that signs server and client
// certificates.
type testCA struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	pemPath string // the CA certificate, for tls-ca-cert-file and clients
	pool    *x509.CertPool
	dir     string
}

// certFiles is a signed certificate and its key on disk.
type certFiles struct {
	cert, key string
	serial    *big.Int
}

// serialSeq numbers certificates, so a test can tell which one a server
// presented.
var serialSeq atomic.Int64

func nextSerial() *big.Int { return big.NewInt(100 + serialSeq.Add(1)) }

// newTestCA makes a CA named name in a temporary directory.
func newTestCA(t testing.TB, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          nextSerial(),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	ca := &testCA{cert: cert, key: key, dir: t.TempDir(), pool: x509.NewCertPool()}
	ca.pool.AddCert(cert)
	ca.pemPath = writePEM(t, filepath.Join(ca.dir, name+"-ca.crt"), "CERTIFICATE", der)
	return ca
}

// issue signs a certificate for cn: a server certificate for 127.0.0.1 and
// localhost, or a client certificate.
func (ca *testCA) issue(t testing.TB, cn string, server bool) certFiles {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: nextSerial(),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
		tmpl.DNSNames = []string{"localhost"}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return certFiles{
		cert:   writePEM(t, filepath.Join(ca.dir, cn+".crt"), "CERTIFICATE", der),
		key:    writePEM(t, filepath.Join(ca.dir, cn+".key"), "PRIVATE KEY", keyDER),
		serial: tmpl.SerialNumber,
	}
}

// renewInPlace issues a new server certificate named cn and writes it over
// old's files, as a certificate renewal does; it returns the new one
// (with old's paths).
func (ca *testCA) renewInPlace(t testing.TB, cn string, old certFiles) certFiles {
	t.Helper()
	renewed := ca.issue(t, cn, true)
	for from, to := range map[string]string{renewed.cert: old.cert, renewed.key: old.key} {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return certFiles{cert: old.cert, key: old.key, serial: renewed.serial}
}

// clientConfig is a client configuration trusting ca, presenting cert
// when it is given.
func (ca *testCA) clientConfig(t testing.TB, cert *certFiles) *tls.Config {
	t.Helper()
	c := &tls.Config{RootCAs: ca.pool, ServerName: "127.0.0.1"}
	if cert != nil {
		pair, err := tls.LoadX509KeyPair(cert.cert, cert.key)
		if err != nil {
			t.Fatal(err)
		}
		// Always presented: Go's default choice sends none when the
		// server's list of acceptable CAs does not name the issuer.
		c.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &pair, nil }
	}
	return c
}

func writePEM(t testing.TB, path, kind string, der []byte) string {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
