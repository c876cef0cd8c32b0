package protocol

import (
	"errors"
	"net"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/tidwall/redcon"

	"github.com/larder-db/larder/engine/command"
)

// Options configure a Server.
type Options struct {
	Dispatcher *command.Dispatcher
	Logger     zerolog.Logger
}

// Server serves RESP clients on one listener.
type Server struct {
	d    *command.Dispatcher
	log  zerolog.Logger
	srv  *redcon.Server
	ln   net.Listener
	once sync.Once
}

// client is one connection's state, kept in the redcon conn's context.
type client struct {
	s   *command.Session
	w   command.RESPWriter
	nc  net.Conn
	bc  *boundedConn
	out int // bytes written, for INFO
}

// New returns a Server that will serve ln when Serve is called.
func New(ln net.Listener, o Options) *Server {
	sv := &Server{d: o.Dispatcher, log: o.Logger, ln: ln}
	sv.srv = redcon.NewServerNetwork("tcp", ln.Addr().String(), sv.handle, sv.accept, sv.closed)
	sv.applyTimeout()
	return sv
}

// Addr returns the listening address.
func (sv *Server) Addr() net.Addr { return sv.ln.Addr() }

// Serve accepts connections until Close; it returns nil after Close.
func (sv *Server) Serve() error {
	err := sv.srv.Serve(&boundedListener{Listener: sv.ln, sv: sv})
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Close stops accepting and closes every connection.
func (sv *Server) Close() error {
	var err error
	sv.once.Do(func() { err = sv.srv.Close() })
	return err
}

// ApplyConfig re-reads parameters that affect the server (CONFIG SET).
func (sv *Server) ApplyConfig() { sv.applyTimeout() }

func (sv *Server) applyTimeout() {
	secs := sv.d.Config().Int("timeout")
	sv.srv.SetIdleClose(time.Duration(secs) * time.Second)
}

// accept registers a session, or refuses the connection past maxclients
// with Redis's text.
func (sv *Server) accept(conn redcon.Conn) bool {
	nc := conn.NetConn()
	if int64(sv.d.Clients()) >= sv.d.Config().Int("maxclients") {
		sv.d.RejectedConnection()
		_, _ = nc.Write([]byte("-ERR max number of clients reached\r\n")) // best effort: closing anyway
		return false
	}
	cl := &client{nc: nc}
	if bc, ok := nc.(*boundedConn); ok {
		cl.bc = bc
	}
	cl.s = command.NewSession("tcp", conn.RemoteAddr(), nc.LocalAddr().String(), time.Now())
	cl.w.S = cl.s
	cl.s.Kill = func() { _ = nc.Close() } // a second close only reports an error
	sv.d.Register(cl.s)
	if cl.bc != nil {
		cl.bc.authenticated = cl.s.Authenticated
	}
	conn.SetContext(cl)
	sv.log.Debug().Int64("conn_id", cl.s.ID).Str("addr", cl.s.Addr).Msg("client connected")
	return true
}

func (sv *Server) closed(conn redcon.Conn, err error) {
	cl, ok := conn.Context().(*client)
	if !ok {
		return
	}
	sv.d.Unregister(cl.s)
	sv.log.Debug().Int64("conn_id", cl.s.ID).AnErr("err", err).Msg("client closed")
}

// handle runs a command and every command already pipelined behind it, then
// hands all their replies to redcon, which writes them with one flush.
func (sv *Server) handle(conn redcon.Conn, cmd redcon.Command) {
	cl := conn.Context().(*client)
	cl.w.Buf = cl.w.Buf[:0]
	in := len(cmd.Raw)
	sv.exec(cl, cmd.Args)
	for _, next := range conn.ReadPipeline() {
		if cl.s.Closing {
			break
		}
		in += len(next.Raw)
		sv.exec(cl, next.Args)
	}
	sv.d.NetBytes(in, len(cl.w.Buf))
	if cl.bc != nil {
		cl.bc.setAuthenticated(cl.s.Authenticated)
	}
	if cl.s.Closing {
		_, _ = cl.nc.Write(cl.w.Buf) // QUIT: the +OK goes out before the close
		_ = conn.Close()
		return
	}
	conn.WriteRaw(cl.w.Buf)
}

func (sv *Server) exec(cl *client, argv [][]byte) {
	mark := len(cl.w.Buf)
	cl.s.BeginCommand()
	sv.d.Do(cl.s, argv, &cl.w)
	if cl.s.ReplySuppressed() {
		cl.w.Buf = cl.w.Buf[:mark]
	}
}
