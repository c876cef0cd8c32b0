package tests

// The raw RESP client: one connection, replies as bytes, for the pair and
// for protocol-level tests.

import (
	"bufio"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/larder-db/larder/protocol/resp"
)

// rawConn is a minimal RESP client that hands back reply bytes untouched.
// I/O errors fail the test; replies, including error replies, are data.
type rawConn struct {
	t    testing.TB
	name string
	nc   net.Conn
	br   *bufio.Reader
}

// dial connects to addr and closes the connection when the test ends.
func dial(t testing.TB, addr string) *rawConn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = nc.Close() }) // the test is over; nothing to flush
	return &rawConn{t: t, name: addr, nc: nc, br: bufio.NewReader(nc)}
}

// with returns c bound to another test (a subtest), sharing the connection.
func (c *rawConn) with(t testing.TB) *rawConn {
	d := *c
	d.t = t
	return &d
}

// encodeArgv encodes argv as a RESP multibulk request.
func encodeArgv(argv []string) []byte {
	b := resp.AppendArray(nil, len(argv))
	for _, a := range argv {
		b = resp.AppendBulkString(b, a)
	}
	return b
}

// do sends argv as a multibulk request and returns the raw reply.
func (c *rawConn) do(argv ...string) []byte {
	c.t.Helper()
	c.send(encodeArgv(argv))
	return c.readRaw()
}

// send writes raw bytes as they are (inline commands, bad frames, pipelines).
func (c *rawConn) send(raw []byte) {
	c.t.Helper()
	_ = c.nc.SetWriteDeadline(time.Now().Add(ioTimeout)) // errors surface in Write
	if _, err := c.nc.Write(raw); err != nil {
		c.t.Fatalf("%s: write %s: %v", c.name, strconv.Quote(string(raw)), err)
	}
}

// readRaw reads one complete reply and returns its bytes.
func (c *rawConn) readRaw() []byte {
	c.t.Helper()
	raw, _, err := c.read()
	if err != nil {
		c.t.Fatalf("%s: read reply: %v (read so far: %s)", c.name, err, strconv.Quote(string(raw)))
	}
	return raw
}

// read reads one reply without failing the test, for tests that expect the
// server to close the connection (err is then io.EOF).
func (c *rawConn) read() ([]byte, resp.Value, error) {
	_ = c.nc.SetReadDeadline(time.Now().Add(ioTimeout)) // errors surface in Read
	return resp.ReadReply(c.br)
}

// hello3 switches the connection to RESP3 and returns the HELLO reply.
func (c *rawConn) hello3() []byte {
	c.t.Helper()
	c.send(encodeArgv([]string{"HELLO", "3"}))
	raw, v, err := c.read()
	if err != nil || v.Type != resp.TypeMap {
		c.t.Fatalf("%s: HELLO 3 = %s, %v; want a map", c.name, strconv.Quote(string(raw)), err)
	}
	return raw
}
