package protocol

import (
	"errors"
	"io"
	"net"
	"os"
	"sync/atomic"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/protocol/resp"
)

// Input buffer sizes: small for the many idle connections a server holds,
// grown on demand (never past what the scanner has validated).
const (
	minInput    = 4 << 10
	maxReadSize = 64 << 10
	shrinkInput = 256 << 10
)

// conn is one client connection. Its loop reads what the socket has, runs
// every complete command in order, and writes all their replies at once:
// a pipeline is answered with one write (DESIGN.md §5).
//
// Every byte goes through resp.Scanner first, so Redis's limits hold before
// anything is buffered for a claimed length, and protocol errors get
// Redis's exact reply followed by a close. (redcon's own read loop was
// measured here: no limits, a 16 s CPU burn on a 13-byte header, a fresh
// buffer per large pipeline and a flush per read, halving SET throughput at
// pipeline 16 — so the loop is Larder's.)
type conn struct {
	sv         *Server
	nc         net.Conn
	sc         *resp.Scanner
	s          *command.Session
	w          resp.Writer
	in         []byte
	start, end int // unscanned input is in[start:end]
	readSize   int // grows while reads fill it (a pipelining client)
	argv       [][]byte
	pq         atomic.Pointer[pushQueue] // set once the client subscribes (or is pushed to)
	side       []byte                    // input read while a command was blocked
	mark       int                       // reply bytes before the running command
}

// Handlers write a connection's replies straight into its resp.Writer.
var _ command.Reply = (*resp.Writer)(nil)

func (sv *Server) serveConn(nc net.Conn) {
	defer sv.untrack(nc)
	defer func() { _ = nc.Close() }() // may already be closed by CLIENT KILL
	if int64(sv.d.Clients()) >= sv.d.Config().Int("maxclients") {
		sv.d.RejectedConnection()
		_, _ = nc.Write([]byte("-ERR max number of clients reached\r\n")) // closing anyway
		return
	}
	cfg := sv.d.Config()
	lim := resp.DefaultLimits()
	lim.MaxBulk = cfg.Int("proto-max-bulk-len")
	lim.MaxQuery = cfg.Int("client-query-buffer-limit")
	c := &conn{sv: sv, nc: nc, sc: resp.NewScanner(lim)}
	c.s = command.NewSession("tcp", nc.RemoteAddr().String(), nc.LocalAddr().String(), time.Now())
	c.w.Proto = &c.s.Proto
	c.s.Kill = func() { _ = nc.Close() } // a second close only reports an error
	c.s.Pusher = c
	c.s.BlockHook = c.blockHook
	sv.d.Register(c.s)
	defer sv.d.Unregister(c.s)
	log := sv.log.With().Int64("conn_id", c.s.ID).Logger()
	log.Debug().Str("addr", c.s.Addr).Msg("client connected")
	err := c.loop()
	sv.d.Unregister(c.s) // no more pushes (Unregister is idempotent)
	if q := c.pq.Load(); q != nil {
		q.close()
	}
	switch {
	case err == nil, errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
		log.Debug().Msg("client closed")
	case errors.Is(err, os.ErrDeadlineExceeded):
		log.Debug().Msg("client timed out")
	case errors.Is(err, resp.ErrQueryBufferLimit):
		log.Warn().Str("addr", c.s.Addr).Msg("closing client that reached max query buffer length")
	default:
		log.Debug().Err(err).Msg("client closed")
	}
}

// loop runs until the client goes away, QUITs, or breaks the protocol.
func (c *conn) loop() error {
	for {
		need := 0
		for {
			f, err := c.sc.Scan(c.in[c.start:c.end], c.s.Authenticated)
			if err != nil {
				return c.refuse(err)
			}
			if f.Kind == resp.NeedMore {
				need = f.Need
				break
			}
			switch f.Kind {
			case resp.Multibulk:
				c.argv = resp.SplitCommand(c.in[c.start:c.start+f.N], c.argv[:0])
				c.exec(c.argv, f.N)
			case resp.Inline:
				c.exec(f.Args, f.N)
			}
			c.start += f.N
			if c.s.Closing {
				return c.flush()
			}
		}
		if err := c.flush(); err != nil {
			return err
		}
		if err := c.read(need); err != nil {
			return err
		}
	}
}

func (c *conn) exec(argv [][]byte, size int) {
	c.mark = len(c.w.Buf) // a blocking command's hook flushes and resets it
	if q := c.pq.Load(); q != nil {
		q.begin()
	}
	c.s.BeginCommand()
	argvMem := 0
	for _, a := range argv {
		argvMem += len(a)
	}
	c.s.SetQueryBuf(c.end-c.start, len(c.in)-c.end, argvMem)
	c.sv.d.Do(c.s, argv, &c.w)
	c.s.SetQueryBuf(0, 0, 0)
	if c.s.ReplySuppressed() {
		c.w.Buf = c.w.Buf[:c.mark]
	}
	c.sv.d.NetBytes(size, len(c.w.Buf)-c.mark)
}

// flush writes the replies gathered so far, once the writes they may
// depend on are durable by the appendfsync policy (journal before reply:
// DESIGN.md §4).
func (c *conn) flush() error {
	if len(c.w.Buf) > 0 {
		c.sv.d.Durable(c.s)
	}
	var err error
	q := c.pq.Load()
	switch {
	case q != nil:
		if !q.flush(c.w.Buf) {
			err = net.ErrClosed
		}
	case len(c.w.Buf) == 0:
		return nil
	default:
		_, err = c.nc.Write(c.w.Buf)
	}
	if cap(c.w.Buf) > shrinkInput {
		c.w.Buf = nil // one huge reply must not pin its buffer
	} else {
		c.w.Buf = c.w.Buf[:0]
	}
	return err
}

// refuse answers a protocol error as Redis does: the replies of the
// commands before it, the error line, then the connection closes.
func (c *conn) refuse(err error) error {
	var pe *resp.ProtocolError
	if errors.As(err, &pe) {
		c.w.Buf = append(c.w.Buf, '-')
		c.w.Buf = append(c.w.Buf, pe.Text...)
		c.w.Buf = append(c.w.Buf, '\r', '\n')
		if ferr := c.flush(); ferr != nil {
			return ferr
		}
		return io.EOF
	}
	_ = c.flush() // best effort before closing for the query buffer limit
	return err
}

// read appends at least one byte of input, keeping the unscanned bytes. need
// is the input length the scanner wants for the current frame (validated
// against the limits): the buffer grows geometrically towards it, so a huge
// argument is copied O(log n) times, not once per read.
func (c *conn) read(need int) error {
	pending := c.end - c.start
	c.readSize = max(c.readSize, minInput)
	want := pending + c.readSize
	switch {
	case cap(c.in) < want || (pending == 0 && cap(c.in) > shrinkInput):
		size := max(want, minInput)
		if need > size {
			size = min(need, max(size, 2*cap(c.in)))
		}
		buf := make([]byte, size)
		copy(buf, c.in[c.start:c.end])
		c.in = buf
		c.start, c.end = 0, pending
	case cap(c.in)-c.end < c.readSize:
		copy(c.in[:cap(c.in)], c.in[c.start:c.end])
		c.start, c.end = 0, pending
	}
	c.in = c.in[:cap(c.in)]
	if secs := c.sv.d.Config().Int("timeout"); secs > 0 {
		_ = c.nc.SetReadDeadline(time.Now().Add(time.Duration(secs) * time.Second))
	}
	if len(c.side) > 0 { // sent while a command was blocked
		n := copy(c.in[c.end:], c.side)
		c.side = c.side[n:]
		c.end += n
		return nil
	}
	room := len(c.in) - c.end
	n, err := c.nc.Read(c.in[c.end:])
	c.end += n
	if n == room && c.readSize < maxReadSize {
		c.readSize *= 2
	}
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}
