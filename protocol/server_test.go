package protocol_test

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/keyspace"
	"github.com/larder-db/larder/protocol"
)

// startServer runs an in-process server on a free loopback port and stops it
// when the test ends.
func startServer(t *testing.T, params map[string]string) (string, *command.Dispatcher) {
	t.Helper()
	cfg := command.NewConfig()
	for k, v := range params {
		if err := cfg.Init(k, v); err != nil {
			t.Fatal(err)
		}
	}
	d := families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Config: cfg, Logger: zerolog.Nop()})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := protocol.New(ln, protocol.Options{Dispatcher: d, Logger: zerolog.Nop()})
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }()
	t.Cleanup(func() {
		_ = srv.Close()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String(), d
}

func dial(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	return c, bufio.NewReader(c)
}

func readN(t *testing.T, r *bufio.Reader, n int) string {
	t.Helper()
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatalf("read %d bytes: %v (got %q)", n, err, buf)
	}
	return string(buf)
}

func TestServer_PipelineInOrder(t *testing.T) {
	addr, _ := startServer(t, nil)
	c, r := dial(t, addr)
	var req strings.Builder
	var want strings.Builder
	for i := 0; i < 200; i++ {
		req.WriteString("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n" + string(rune('a'+i%26)) + "xy\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
		want.WriteString("+OK\r\n$3\r\n" + string(rune('a'+i%26)) + "xy\r\n")
	}
	if _, err := io.WriteString(c, req.String()); err != nil {
		t.Fatal(err)
	}
	if got := readN(t, r, want.Len()); got != want.String() {
		t.Fatalf("pipeline replies out of order or wrong:\n%q", got)
	}
}

func TestServer_QuitRepliesThenCloses(t *testing.T) {
	addr, _ := startServer(t, nil)
	c, r := dial(t, addr)
	if _, err := io.WriteString(c, "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n"); err != nil {
		t.Fatal(err)
	}
	if got := readN(t, r, 12); got != "+PONG\r\n+OK\r\n" {
		t.Fatalf("got %q", got)
	}
	if b, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("connection still open after QUIT: %q %v", b, err)
	}
}

func TestServer_MaxClients(t *testing.T) {
	addr, _ := startServer(t, map[string]string{"maxclients": "2"})
	for i := 0; i < 2; i++ {
		c, r := dial(t, addr)
		_, _ = io.WriteString(c, "PING\r\n")
		if got := readN(t, r, 7); got != "+PONG\r\n" {
			t.Fatalf("client %d: %q", i, got)
		}
	}
	_, r := dial(t, addr)
	line, _ := r.ReadString('\n')
	if line != "-ERR max number of clients reached\r\n" {
		t.Fatalf("third client got %q", line)
	}
	if _, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("refused connection not closed: %v", err)
	}
}

func TestServer_IdleTimeout(t *testing.T) {
	addr, _ := startServer(t, map[string]string{"timeout": "1"})
	_, r := dial(t, addr)
	if _, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("idle connection not closed: %v", err)
	}
}
