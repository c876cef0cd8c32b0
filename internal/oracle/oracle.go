// Package oracle starts a real redis-server 7.0 for differential tests in
// Larder's own packages, with a minimal RESP2 client. It imports no Larder
// package and is used by tests only.
package oracle

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Redis is a redis-server 7.0 started by a test as the reference for
// differential tests, with a minimal RESP2 client.
type Redis struct {
	conn net.Conn
	rd   *bufio.Reader
}

// Reply is one RESP2 reply: err for errors, str for simple, bulk and
// integer replies, array for arrays of bulk strings; null for nil bulks.
type Reply struct {
	Err   string
	Str   string
	Null  bool
	Array []string
}

// Start starts redis-server on a free loopback port and stops it
// when the test ends. It skips when redis-server is missing unless
// LARDER_REQUIRE_REDIS=1.
func Start(t *testing.T) *Redis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("LARDER_REQUIRE_REDIS") == "1" {
			t.Fatalf("redis-server not found: %v", err)
		}
		t.Skip("redis-server not found")
	}
	for attempt := 0; attempt < 5; attempt++ {
		if rc := tryStart(t, bin); rc != nil {
			return rc
		}
	}
	t.Fatal("could not start redis-server")
	return nil
}

func tryStart(t *testing.T, bin string) *Redis {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait() // the exit status of a killed oracle is irrelevant
		close(exited)
	}()
	stop := func() {
		_ = cmd.Process.Kill() // it may already have exited
		<-exited
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return nil // most likely the port was taken meanwhile
		default:
		}
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			t.Cleanup(func() {
				_ = conn.Close() // the server is stopped right after
				stop()
			})
			return &Redis{conn: conn, rd: bufio.NewReader(conn)}
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	return nil
}

// do sends one command and reads its reply.
func (rc *Redis) Do(args ...string) (Reply, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&buf, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := rc.conn.Write(buf.Bytes()); err != nil {
		return Reply{}, err
	}
	return rc.read()
}

func (rc *Redis) MustDo(t *testing.T, args ...string) Reply {
	t.Helper()
	r, err := rc.Do(args...)
	if err != nil {
		t.Fatalf("redis %q: %v", args[0], err)
	}
	return r
}

func (rc *Redis) line() (string, error) {
	l, err := rc.rd.ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(l, "\r\n"), nil
}

func (rc *Redis) bulk(n int) (string, error) {
	b := make([]byte, n+2)
	if _, err := io.ReadFull(rc.rd, b); err != nil {
		return "", err
	}
	return string(b[:n]), nil
}

func (rc *Redis) read() (Reply, error) {
	l, err := rc.line()
	if err != nil || l == "" {
		return Reply{}, fmt.Errorf("read reply: %q %v", l, err)
	}
	switch l[0] {
	case '-':
		return Reply{Err: l[1:]}, nil
	case '+', ':':
		return Reply{Str: l[1:]}, nil
	case '$':
		n, err := strconv.Atoi(l[1:])
		if err != nil || n < 0 {
			return Reply{Null: true}, err
		}
		s, err := rc.bulk(n)
		return Reply{Str: s}, err
	case '*':
		n, err := strconv.Atoi(l[1:])
		if err != nil {
			return Reply{}, err
		}
		out := Reply{Array: make([]string, 0, max(n, 0))}
		for i := 0; i < n; i++ {
			el, err := rc.read()
			if err != nil {
				return Reply{}, err
			}
			out.Array = append(out.Array, el.Str)
		}
		return out, nil
	}
	return Reply{}, fmt.Errorf("unexpected reply %q", l)
}
