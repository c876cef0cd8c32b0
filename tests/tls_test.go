package tests

// RESP over TLS (tls-port) and the REST API over HTTPS (rest-tls), with a
// CA and certificates made by each test: go-redis, redis-cli --tls, client
// certificates, tls-protocols/tls-ciphers, and certificate reload on
// CONFIG SET.

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startLarderTLS starts Larder with RESP over TLS on a port of its own
// (plain RESP stays on l.addr) and returns the TLS address.
func startLarderTLS(t *testing.T, ca *testCA, cert certFiles, extra ...string) (*server, string) {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--tls-port", strconv.Itoa(port), "--tls-cert-file", cert.cert,
		"--tls-key-file", cert.key, "--tls-ca-cert-file", ca.pemPath}
	l := startLarder(t, append(args, extra...)...)
	return l, net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// tlsPing runs PING over a new TLS connection; it returns the error of the
// handshake or of the exchange (a refused client certificate shows only
// when the client reads, in TLS 1.3), and the certificate the server
// presented.
func tlsPing(addr string, cfg *tls.Config) (*big.Int, error) {
	d := &net.Dialer{Timeout: ioTimeout}
	conn, err := tls.DialWithDialer(d, "tcp", addr, cfg)
	if err != nil {
		return nil, err
	}
	defer func() { _ = conn.Close() }() // a probe; nothing to flush
	_ = conn.SetDeadline(time.Now().Add(ioTimeout))
	serial := conn.ConnectionState().PeerCertificates[0].SerialNumber
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return serial, err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return serial, err
	}
	if line != "+PONG\r\n" {
		return serial, fmt.Errorf("PING answered %q", line)
	}
	return serial, nil
}

// TestTLS_GoRedis runs the go-redis scenario over TLS in RESP2 and RESP3;
// what it wrote is there over plain RESP too, and a client that does not
// trust the CA is refused by its own side.
func TestTLS_GoRedis(t *testing.T) {
	ca := newTestCA(t, "larder-test")
	l, addr := startLarderTLS(t, ca, ca.issue(t, "server", true), "--tls-auth-clients", "no")
	for _, proto := range []int{2, 3} {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: proto, DB: proto,
				TLSConfig: ca.clientConfig(t, nil)})
			defer func() { _ = rdb.Close() }()
			goRedisScenario(ctx, t, rdb)
			if err := rdb.Set(ctx, "over-tls", proto, 0).Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
	plain := dial(t, l.addr)
	plain.do("SELECT", "3")
	if got := string(plain.do("GET", "over-tls")); got != "$1\r\n3\r\n" {
		t.Errorf("GET over plain RESP = %q", got)
	}
	if _, err := tlsPing(addr, &tls.Config{ServerName: "127.0.0.1"}); err == nil {
		t.Error("a client without the test CA accepted the server's certificate")
	}
}

// TestTLS_ClientCertificates: tls-auth-clients yes (the default) refuses a
// client without a certificate or with one of another CA; optional accepts
// none but still refuses a bad one; no asks for none. CONFIG SET switches
// between them for new connections.
func TestTLS_ClientCertificates(t *testing.T) {
	ca, other := newTestCA(t, "larder-test"), newTestCA(t, "other")
	good, bad := ca.issue(t, "client", false), other.issue(t, "intruder", false)
	l, addr := startLarderTLS(t, ca, ca.issue(t, "server", true))
	plain := dial(t, l.addr)
	cases := []struct {
		auth              string
		none, goodOK, bad bool // whether each client gets its PONG
	}{
		{"yes", false, true, false},
		{"optional", true, true, false},
		{"no", true, true, true},
	}
	for _, c := range cases {
		if got := string(plain.do("CONFIG", "SET", "tls-auth-clients", c.auth)); got != "+OK\r\n" {
			t.Fatalf("CONFIG SET tls-auth-clients %s = %q", c.auth, got)
		}
		for _, cl := range []struct {
			name string
			cert *certFiles
			ok   bool
		}{{"no certificate", nil, c.none}, {"the CA's certificate", &good, c.goodOK}, {"another CA's certificate", &bad, c.bad}} {
			_, err := tlsPing(addr, ca.clientConfig(t, cl.cert))
			if (err == nil) != cl.ok {
				t.Errorf("tls-auth-clients %s, client with %s: err = %v, want success %v", c.auth, cl.name, err, cl.ok)
			}
		}
	}
}

// TestTLS_RedisCli: redis-cli --tls with the CA and a client certificate,
// and refused without the certificate.
func TestTLS_RedisCli(t *testing.T) {
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Skip("redis-cli not installed")
	}
	if help, _ := exec.Command(cli, "--help").CombinedOutput(); !strings.Contains(string(help), "--tls") {
		t.Skip("this redis-cli was built without TLS support (no --tls in its --help)")
	}
	ca := newTestCA(t, "larder-test")
	client := ca.issue(t, "client", false)
	_, addr := startLarderTLS(t, ca, ca.issue(t, "server", true))
	host, port, _ := strings.Cut(addr, ":")
	run := func(withCert bool, args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		base := []string{"--tls", "--cacert", ca.pemPath, "-h", host, "-p", port}
		if withCert {
			base = append(base, "--cert", client.cert, "--key", client.key)
		}
		out, err := exec.CommandContext(ctx, cli, append(base, args...)...).CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	for _, c := range []struct{ args, want string }{
		{"PING", "PONG"}, {"SET k v", "OK"}, {"GET k", "v"}, {"DBSIZE", "1"},
	} {
		if got, err := run(true, strings.Fields(c.args)...); err != nil || got != c.want {
			t.Errorf("redis-cli --tls %s = %q, %v; want %q", c.args, got, err, c.want)
		}
	}
	if got, _ := run(false, "PING"); got == "PONG" {
		t.Error("redis-cli --tls without a client certificate got PONG under tls-auth-clients yes")
	}
}

// TestTLS_Reload: CONFIG SET tls-cert-file/tls-key-file serves the new
// certificate to new connections while established ones go on; a file that
// does not load is refused with Redis's error and changes nothing.
func TestTLS_Reload(t *testing.T) {
	ca := newTestCA(t, "larder-test")
	first, second := ca.issue(t, "server", true), ca.issue(t, "server-renewed", true)
	l, addr := startLarderTLS(t, ca, first, "--tls-auth-clients", "no")
	client := ca.clientConfig(t, nil)
	presented := func() *big.Int {
		t.Helper()
		serial, err := tlsPing(addr, client)
		if err != nil {
			t.Fatalf("TLS PING: %v", err)
		}
		return serial
	}
	if got := presented(); got.Cmp(first.serial) != 0 {
		t.Fatalf("server presented serial %v, want %v", got, first.serial)
	}
	old, err := tls.Dial("tcp", addr, client)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = old.Close() }() // the test is over
	oldConn := &rawConn{t: t, name: "old tls", nc: old, br: bufio.NewReader(old)}
	plain := dial(t, l.addr)
	if got := string(plain.do("CONFIG", "SET", "tls-cert-file", second.cert, "tls-key-file", second.key)); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET tls-cert-file = %q", got)
	}
	if got := presented(); got.Cmp(second.serial) != 0 {
		t.Errorf("after CONFIG SET the server presented serial %v, want %v", got, second.serial)
	}
	if got := string(oldConn.do("PING")); got != "+PONG\r\n" {
		t.Errorf("established TLS connection after the reload: PING = %q", got)
	}
	want := "-ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs.\r\n"
	if got := string(plain.do("CONFIG", "SET", "tls-cert-file", first.cert+".missing")); got != want {
		t.Errorf("CONFIG SET of a missing certificate = %q, want %q", got, want)
	}
	if got := string(plain.do("CONFIG", "GET", "tls-cert-file")); !strings.Contains(got, second.cert) {
		t.Errorf("CONFIG GET tls-cert-file after the refused SET = %q, want %s", got, second.cert)
	}
	if got := presented(); got.Cmp(second.serial) != 0 {
		t.Errorf("after the refused SET the server presented serial %v, want %v", got, second.serial)
	}
	// A renewed certificate written over the same files: CONFIG SET of the
	// same path reloads it.
	third := ca.renewInPlace(t, "server-third", second)
	if got := string(plain.do("CONFIG", "SET", "tls-cert-file", second.cert)); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET tls-cert-file to its own value = %q", got)
	}
	if got := presented(); got.Cmp(third.serial) != 0 {
		t.Errorf("after CONFIG SET of the same path the server presented serial %v, want the renewed %v", got, third.serial)
	}
	want = "-ERR CONFIG SET failed (possibly related to argument 'tls-port') - can't set immutable config\r\n"
	if got := string(plain.do("CONFIG", "SET", "tls-port", "1")); got != want {
		t.Errorf("CONFIG SET tls-port = %q, want %q", got, want)
	}
}

// TestTLS_ProtocolsAndCiphers: tls-protocols bounds the versions offered,
// tls-ciphers picks the TLS 1.2 suite (OpenSSL's name), both at run time.
func TestTLS_ProtocolsAndCiphers(t *testing.T) {
	ca := newTestCA(t, "larder-test")
	l, addr := startLarderTLS(t, ca, ca.issue(t, "server", true), "--tls-auth-clients", "no",
		"--tls-protocols", "TLSv1.3")
	tls12 := ca.clientConfig(t, nil)
	tls12.MaxVersion = tls.VersionTLS12
	if _, err := tlsPing(addr, tls12); err == nil {
		t.Error("a TLS 1.2 client was served under tls-protocols TLSv1.3")
	}
	plain := dial(t, l.addr)
	if got := string(plain.do("CONFIG", "SET", "tls-protocols", "TLSv1.2", "tls-ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384")); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET tls-protocols/tls-ciphers = %q", got)
	}
	conn, err := tls.Dial("tcp", addr, ca.clientConfig(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	st := conn.ConnectionState()
	_ = conn.Close() // only the handshake was wanted
	if st.Version != tls.VersionTLS12 || st.CipherSuite != tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 {
		t.Errorf("negotiated %s %s, want TLS 1.2 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
			tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite))
	}
	want := "-ERR CONFIG SET failed (possibly related to argument 'tls-protocols') - Unable to update TLS configuration. Check server logs.\r\n"
	if got := string(plain.do("CONFIG", "SET", "tls-protocols", "SSLv3")); got != want {
		t.Errorf("CONFIG SET tls-protocols SSLv3 = %q, want %q", got, want)
	}
}

// TestTLS_REST: rest-tls serves the REST API over HTTPS with the same
// certificate (reloaded with it); plain HTTP on that port is refused.
func TestTLS_REST(t *testing.T) {
	ca := newTestCA(t, "larder-test")
	first, second := ca.issue(t, "server", true), ca.issue(t, "server-renewed", true)
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	l, _ := startLarderTLS(t, ca, first, "--rest-port", strconv.Itoa(port), "--rest-tls", "yes",
		"--rest-token", "tls-token")
	base := "https://127.0.0.1:" + strconv.Itoa(port)
	call := func(method, path, body string) (string, *tls.ConnectionState) {
		t.Helper()
		hc := &http.Client{Timeout: ioTimeout, Transport: &http.Transport{
			TLSClientConfig: ca.clientConfig(t, nil), DisableKeepAlives: true}}
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer tls-token")
		res, err := hc.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer func() { _ = res.Body.Close() }() // read to the end below
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), res.TLS
	}
	if got, st := call("POST", "/", `["SET","k","over https"]`); got != `{"result":"OK"}` || st == nil ||
		st.PeerCertificates[0].SerialNumber.Cmp(first.serial) != 0 {
		t.Fatalf("POST / = %q (TLS state %v)", got, st != nil)
	}
	if got, _ := call("GET", "/get/k", ""); got != `{"result":"over https"}` {
		t.Errorf("GET /get/k = %q", got)
	}
	res, err := (&http.Client{Timeout: ioTimeout}).Get("http://127.0.0.1:" + strconv.Itoa(port) + "/healthz")
	if err == nil {
		_ = res.Body.Close() // only the status matters
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("plain HTTP on the HTTPS port: status %d, want 400", res.StatusCode)
		}
	}
	plain := dial(t, l.addr)
	plain.do("AUTH", "tls-token") // rest-token is the default user's password too
	if got := string(plain.do("CONFIG", "SET", "tls-cert-file", second.cert, "tls-key-file", second.key)); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET tls-cert-file = %q", got)
	}
	if _, st := call("GET", "/ping", ""); st.PeerCertificates[0].SerialNumber.Cmp(second.serial) != 0 {
		t.Errorf("HTTPS after the reload presented serial %v, want %v", st.PeerCertificates[0].SerialNumber, second.serial)
	}
}

// TestTLS_PlainOff: port 0 turns plain RESP off; RESP is served over TLS
// alone (on the harness's port, which a plain PING cannot use).
func TestTLS_PlainOff(t *testing.T) {
	ca := newTestCA(t, "larder-test")
	cert := ca.issue(t, "server", true)
	s, err := spawn("larder", t.TempDir(), func(dir string, port int) []string {
		return []string{larderBinary(t), "--port", "0", "--tls-port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--tls-cert-file", cert.cert, "--tls-key-file", cert.key, "--tls-auth-clients", "no",
			"--appendonly", "no", "--rest-port", "0", "--loglevel", "warning", "--dir", dir}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopAllFor(t, s) })
	client := ca.clientConfig(t, nil)
	waitFor(t, startTimeout, "PING over TLS", func() bool {
		select {
		case <-s.exited:
			t.Fatalf("larder exited: %v\n%s", s.waitErr, readLogTail(s.logPath))
		default:
		}
		_, err := tlsPing(s.addr, client)
		return err == nil
	})
	conn, err := tls.Dial("tcp", s.addr, client)
	if err != nil {
		t.Fatal(err)
	}
	c := &rawConn{t: t, name: "tls", nc: conn, br: bufio.NewReader(conn)}
	t.Cleanup(func() { _ = conn.Close() }) // the test is over
	if got := string(c.do("CONFIG", "GET", "port")); got != "*2\r\n$4\r\nport\r\n$1\r\n0\r\n" {
		t.Errorf("CONFIG GET port = %q", got)
	}
}
