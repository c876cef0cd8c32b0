package tests

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Bad input on the wire (RELIABILITY.md §3, R8, R9): each case is sent on a
// fresh connection to redis-server and to larder; the bytes each answers and
// whether it then closes the connection must be identical.

// quiet is how long a connection must stay silent to count as "still open,
// waiting for more": it decides the outcome of cases where Redis waits, it
// is not a speed assertion.
const quiet = 300 * time.Millisecond

// exchange sends in on a new connection and returns every byte received,
// followed by "<closed>" or "<open>".
func exchange(t *testing.T, addr string, setup, in []byte) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	var got bytes.Buffer
	buf := make([]byte, 64<<10)
	if len(setup) > 0 {
		if _, err := c.Write(setup); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(ioTimeout))
		if _, err := c.Read(buf); err != nil {
			t.Fatalf("setup reply: %v", err)
		}
	}
	// Write while reading: a server that rejects a big request closes the
	// connection mid-write, and its reply must still be read.
	go func() { _, _ = c.Write(in) }()
	for {
		_ = c.SetReadDeadline(time.Now().Add(quiet))
		n, err := c.Read(buf)
		got.Write(buf[:n])
		var ne net.Error
		switch {
		case err == nil:
			continue
		case errors.As(err, &ne) && ne.Timeout():
			return got.String() + "<open>"
		case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
			return got.String() + "<closed>"
		default: // connection reset: the server closed with unread input
			return got.String() + "<closed>"
		}
	}
}

type wireCase struct {
	name string
	in   string
}

func wireCases() []wireCase {
	return []wireCase{
		{"empty multibulk ignored", "*0\r\n*1\r\n$4\r\nPING\r\n"},
		{"negative multibulk ignored", "*-1\r\n*-10\r\nPING\r\n"},
		{"blank inline ignored", "\r\n   \r\nPING\r\n"},
		{"huge multibulk count", "*8589934592\r\n"},
		{"int max multibulk waits", "*2147483647\r\n"},
		{"bulk over 512MB", "*2\r\n$3\r\nGET\r\n$536870913\r\n"},
		{"bulk 1GB", "*2\r\n$3\r\nGET\r\n$1073741824\r\n"},
		{"negative bulk", "*1\r\n$-1\r\n"},
		{"expected dollar", "*2\r\n$3\r\nGET\r\nxx\r\n"},
		{"bad multibulk length", "*1x\r\nPING\r\n"},
		{"partial then open", "*1\r\n$4\r\nPIN"},
		{"replies before the error", "PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n$x\r\n"},
		{"unbalanced quotes", "set a \"b\r\n"},
		{"inline quoting", "set k \"a\\x41\\n\" \r\nget k\r\nset k 'it\\'s'\r\nget k\r\n"},
		{"inline newline only", "PING\nECHO hi\n"},
		{"too big inline", strings.Repeat("a", 64<<10+1)},
		{"too big mbulk count string", "*" + strings.Repeat("1", 64<<10+1)},
		{"too big bulk count string", "*1\r\n$" + strings.Repeat("1", 64<<10+1)},
		{"unknown command then ok", "NOPE a b\r\nPING\r\n"},
	}
}

func TestProtocol_BadInputLikeRedis(t *testing.T) {
	r, l := startRedis(t), startLarder(t)
	for _, c := range wireCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			want := exchange(t, r.addr, nil, []byte(c.in))
			got := exchange(t, l.addr, nil, []byte(c.in))
			if got != want {
				t.Errorf("input %.80q\nredis  %.300q\nlarder %.300q", c.in, want, got)
			}
		})
	}
}

// TestProtocol_UnauthenticatedLimits is R9: before AUTH, more than 10
// arguments or a bulk over 16 KiB close the connection with Redis's texts.
func TestProtocol_UnauthenticatedLimits(t *testing.T) {
	r, l := startRedis(t), startLarder(t, "--requirepass", "pw")
	setPass := dial(t, r.addr).do("CONFIG", "SET", "requirepass", "pw")
	if string(setPass) != "+OK\r\n" {
		t.Fatalf("redis CONFIG SET requirepass: %q", setPass)
	}
	auth := []byte("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n")
	cases := []struct {
		name      string
		in        string
		authFirst bool
	}{
		{name: "noauth", in: "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"},
		{name: "11 args", in: "*11\r\n"},
		{name: "big bulk", in: "*2\r\n$4\r\nECHO\r\n$16385\r\n"},
		{name: "2MB query", in: "*2\r\n$4\r\nECHO\r\n$2000000\r\n" + strings.Repeat("x", 2000000) + "\r\n"},
		{name: "ok after auth", in: "*11\r\n$4\r\nMSET\r\n" + strings.Repeat("$1\r\na\r\n", 10), authFirst: true},
		{name: "auth pipelined with big bulk", in: string(auth) + "*2\r\n$4\r\nECHO\r\n$20000\r\n" + strings.Repeat("y", 20000) + "\r\n"},
		{name: "wrong password", in: "*2\r\n$4\r\nAUTH\r\n$2\r\nno\r\n*11\r\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var setup []byte
			if c.authFirst {
				setup = auth
			}
			want := exchange(t, r.addr, setup, []byte(c.in))
			got := exchange(t, l.addr, setup, []byte(c.in))
			// A server closing on unread input sends a reset, which can
			// discard its reply in flight: retry before calling it a difference.
			for i := 0; i < 3 && got != want; i++ {
				want = exchange(t, r.addr, setup, []byte(c.in))
				got = exchange(t, l.addr, setup, []byte(c.in))
			}
			if got != want {
				t.Errorf("redis  %.300q\nlarder %.300q", want, got)
			}
		})
	}
}

// TestProtocol_LargePipeline is R14's invariant: one connection sending
// 100 000 pipelined INCRs gets every reply, in order.
func TestProtocol_LargePipeline(t *testing.T) {
	l := startLarder(t)
	c, err := net.Dial("tcp", l.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	const n = 100000
	go func() {
		req := bytes.Repeat([]byte("*2\r\n$4\r\nINCR\r\n$1\r\nx\r\n"), n)
		_, _ = c.Write(req) // a failure shows as missing replies below
	}()
	_ = c.SetReadDeadline(time.Now().Add(2 * ioTimeout))
	var want bytes.Buffer
	for i := 1; i <= n; i++ {
		want.WriteString(":" + strconv.Itoa(i) + "\r\n")
	}
	got := make([]byte, want.Len())
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatalf("reading replies: %v", err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		i := 0
		for i < len(got) && got[i] == want.Bytes()[i] {
			i++
		}
		t.Fatalf("replies differ at byte %d: %.60q", i, got[i:])
	}
}
