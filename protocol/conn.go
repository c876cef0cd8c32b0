package protocol

import (
	"net"
	"sync/atomic"
)

// boundedListener wraps every accepted connection in a boundedConn.
type boundedListener struct {
	net.Listener
	sv *Server
}

func (l *boundedListener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &boundedConn{Conn: nc}, nil
}

// boundedConn is a net.Conn whose Read hands redcon only complete,
// validated, canonical multibulk frames (work in progress: the scanner is
// being written).
type boundedConn struct {
	net.Conn
	authenticated bool
	auth          atomic.Bool
}

func (bc *boundedConn) setAuthenticated(v bool) { bc.auth.Store(v) }
