package protocol

import (
	"errors"
	"net"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
)

// Options configure a Server.
type Options struct {
	Dispatcher *command.Dispatcher
	Logger     zerolog.Logger
}

// Server serves RESP clients on one listener: a goroutine per connection.
type Server struct {
	d   *command.Dispatcher
	log zerolog.Logger
	ln  net.Listener

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// New returns a Server that will serve ln when Serve is called.
func New(ln net.Listener, o Options) *Server {
	return &Server{d: o.Dispatcher, log: o.Logger, ln: ln, conns: map[net.Conn]struct{}{}}
}

// Addr returns the listening address.
func (sv *Server) Addr() net.Addr { return sv.ln.Addr() }

// Serve accepts connections until Close; it returns nil after Close.
func (sv *Server) Serve() error {
	var delay time.Duration
	for {
		nc, err := sv.ln.Accept()
		if err != nil {
			if sv.isClosed() || errors.Is(err, net.ErrClosed) {
				return nil
			}
			// Out of file descriptors and the like: back off, as net/http does.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			sv.log.Warn().Err(err).Dur("retry_in", delay).Msg("accept failed")
			time.Sleep(delay)
			continue
		}
		delay = 0
		if !sv.track(nc) {
			_ = nc.Close() // shutting down
			continue
		}
		go sv.serveConn(nc)
	}
}

func (sv *Server) isClosed() bool {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return sv.closed
}

func (sv *Server) track(nc net.Conn) bool {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if sv.closed {
		return false
	}
	sv.conns[nc] = struct{}{}
	sv.wg.Add(1)
	return true
}

func (sv *Server) untrack(nc net.Conn) {
	sv.mu.Lock()
	delete(sv.conns, nc)
	sv.mu.Unlock()
	sv.wg.Done()
}

// Close stops accepting, closes every connection and waits for their
// goroutines to finish.
func (sv *Server) Close() error {
	sv.mu.Lock()
	if sv.closed {
		sv.mu.Unlock()
		return nil
	}
	sv.closed = true
	err := sv.ln.Close()
	for nc := range sv.conns {
		_ = nc.Close() // unblocks its reader; the error is of no use here
	}
	sv.mu.Unlock()
	sv.wg.Wait()
	return err
}
