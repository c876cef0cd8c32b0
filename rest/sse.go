package rest

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/larder-db/larder/command"
)

// SSE subscriptions: POST|GET /subscribe/<channel> and /psubscribe/<pattern>
// (UPSTASH-REST.md §2.5). One request is one subscription; the client ends
// it by going away, which cancels the request's context and drops the
// subscription. Payloads are sent raw, never base64.

const errTooManyStreams = "ERR max concurrent connections exceeded"

// stream is a session's Pusher for an SSE response: publishers queue
// frames without blocking; the request's goroutine writes them.
type stream struct {
	mu     sync.Mutex
	frames [][]byte
	size   int64
	limit  int64 // client-output-buffer-limit pubsub, hard (0 = none)
	gone   bool  // over the limit: the stream ends
	wake   chan struct{}
}

func newStream(limit int64) *stream {
	return &stream{limit: limit, wake: make(chan struct{}, 1)}
}

// Start implements command.Pusher.
func (st *stream) Start() {}

// Push implements command.Pusher.
func (st *stream) Push(frame []byte) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.gone {
		return
	}
	st.frames = append(st.frames, frame)
	st.size += int64(len(frame))
	if st.limit > 0 && st.size > st.limit {
		st.gone = true
	}
	select {
	case st.wake <- struct{}{}:
	default:
	}
}

// take returns the queued frames and whether the stream must end.
func (st *stream) take(into [][]byte) ([][]byte, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	into = append(into[:0], st.frames...)
	clear(st.frames)
	st.frames, st.size = st.frames[:0], 0
	return into, st.gone
}

// subscribe serves one SSE subscription of kind "subscribe" or
// "psubscribe" to the percent-decoded rest of the path (a channel may
// contain '/', §2.5).
func (s *Server) subscribe(w http.ResponseWriter, r *http.Request, ro bool, kind, escaped string) {
	name, err := url.PathUnescape(escaped)
	if err != nil {
		s.fail(w, http.StatusBadRequest, errBadPath.Error())
		return
	}
	x, st, ok := s.openStream(w, r, ro)
	if !ok {
		return
	}
	defer s.closeStream(x)
	v := s.run(x, [][]byte{[]byte(kind), []byte(name)})
	if v.Kind == command.VError {
		s.fail(w, http.StatusBadRequest, v.Str)
		return
	}
	count := int64(1)
	if len(v.Elems) == 3 {
		count = v.Elems[2].Int
	}
	s.events(w, r, st, appendEvent(nil, []byte(kind), []byte(name), strconv.AppendInt(nil, count, 10)))
}

// monitor serves /monitor: every command the server executes, one event
// each, in Redis's MONITOR format ("data: OK" first, as MONITOR's +OK).
// Like Redis's MONITOR (@admin) it is refused to the read-only token.
func (s *Server) monitor(w http.ResponseWriter, r *http.Request, ro bool) {
	if ro {
		s.fail(w, http.StatusBadRequest, "NOPERM this user has no permissions to run the 'monitor' command")
		return
	}
	x, st, ok := s.openStream(w, r, ro)
	if !ok {
		return
	}
	defer s.closeStream(x)
	s.d.Monitor(x.sess)
	defer s.d.StopMonitor(x.sess)
	s.events(w, r, st, []byte("data: OK\n\n"))
}

// openStream reads the request body (so a disconnect is noticed), takes a
// stream slot and opens a session whose Pusher is the stream; closeStream
// undoes it.
func (s *Server) openStream(w http.ResponseWriter, r *http.Request, ro bool) (*exchange, *stream, bool) {
	if _, ok := s.readBody(w, r); !ok { // the SDK sends "[]"
		return nil, nil, false
	}
	if n := s.streams.Add(1); s.o.MaxStreams > 0 && n > int64(s.o.MaxStreams) {
		s.streams.Add(-1)
		s.fail(w, http.StatusBadRequest, errTooManyStreams)
		return nil, nil, false
	}
	x := s.open(r, ro)
	hard, _, _ := s.cfg.OutputLimit("pubsub")
	st := newStream(hard)
	x.sess.Pusher = st
	return x, st, true
}

func (s *Server) closeStream(x *exchange) {
	s.close(x) // unregisters: subscriptions are dropped
	s.streams.Add(-1)
}

// events starts the event stream with its first event, then relays.
func (s *Server) events(w http.ResponseWriter, r *http.Request, st *stream, first []byte) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{}) // streams are exempt from the server's timeouts;
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no")
	h.Set("Upstash-Sync-Token", s.syncToken())
	w.WriteHeader(http.StatusOK)
	if s.write(w, rc, first) != nil {
		return
	}
	s.relay(w, r, rc, st)
}

// relay writes the stream's messages until the client goes away, the
// server closes, or the subscriber falls over its output limit. A comment
// line every KeepAlivePeriod keeps proxies from timing the stream out and
// finds dead clients.
func (s *Server) relay(w http.ResponseWriter, r *http.Request, rc *http.ResponseController, st *stream) {
	tick := time.NewTicker(s.o.KeepAlivePeriod)
	defer tick.Stop()
	var frames [][]byte
	var out []byte
	for {
		out = out[:0]
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-tick.C:
			out = append(out, ": keepalive\n\n"...)
		case <-st.wake:
			var gone bool
			frames, gone = st.take(frames)
			for _, f := range frames {
				out = appendFrameEvent(out, f)
			}
			if gone {
				s.log.Warn().Str("addr", r.RemoteAddr).Msg("closing SSE subscriber over its output buffer limit")
				_ = s.write(w, rc, out)
				return
			}
		}
		if s.write(w, rc, out) != nil {
			return
		}
	}
}

// write sends and flushes b, bounded by the write timeout per write (not
// per stream).
func (s *Server) write(w http.ResponseWriter, rc *http.ResponseController, b []byte) error {
	_ = rc.SetWriteDeadline(time.Now().Add(s.hs.WriteTimeout))
	if _, err := w.Write(b); err != nil {
		return err
	}
	return rc.Flush()
}

// appendEvent appends "data: a,b,c\n\n". Names with ',' and payloads with
// '\n' are sent as they are: the SDK's framing cannot carry them (§2.5).
func appendEvent(b []byte, parts ...[]byte) []byte {
	b = append(b, "data: "...)
	b = append(b, bytes.Join(parts, []byte{','})...)
	return append(b, '\n', '\n')
}

// appendFrameEvent turns a pushed frame into an event: a simple string
// (a MONITOR line) as it is, a message push as its comma-joined parts.
func appendFrameEvent(b, f []byte) []byte {
	if len(f) > 2 && f[0] == '+' {
		b = append(b, "data: "...)
		b = append(b, bytes.TrimSuffix(f[1:], []byte("\r\n"))...)
		return append(b, '\n', '\n')
	}
	return appendEvent(b, splitFrame(f)...)
}

// splitFrame reads the bulk strings of a RESP2/RESP3 message push
// ("message", channel, payload or "pmessage", pattern, channel, payload),
// which the dispatcher builds (command.Publish).
func splitFrame(f []byte) [][]byte {
	var parts [][]byte
	line := func() []byte {
		i := bytes.Index(f, []byte("\r\n"))
		if i < 0 {
			f = nil
			return nil
		}
		l := f[:i]
		f = f[i+2:]
		return l
	}
	line() // *N or >N
	for len(f) > 0 {
		hdr := line()
		if len(hdr) < 2 || hdr[0] != '$' {
			break
		}
		n, err := strconv.Atoi(string(hdr[1:]))
		if err != nil || n < 0 || n+2 > len(f) {
			break
		}
		parts = append(parts, f[:n])
		f = f[n+2:]
	}
	return parts
}
