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
// messages without blocking; the request's goroutine writes them as events.
type stream struct {
	mu    sync.Mutex
	msgs  []*command.Message
	size  int64 // the bytes of the queued messages' events
	limit int64 // client-output-buffer-limit pubsub, hard (0 = none)
	gone  bool  // over the limit: the stream ends
	wake  chan struct{}
}

func newStream(limit int64) *stream {
	return &stream{limit: limit, wake: make(chan struct{}, 1)}
}

// Start implements command.Pusher.
func (st *stream) Start() {}

// Push implements command.Pusher.
func (st *stream) Push(m *command.Message) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.gone {
		return
	}
	st.msgs = append(st.msgs, m)
	st.size += int64(eventSize(m))
	if st.limit > 0 && st.size > st.limit {
		st.gone = true
	}
	select {
	case st.wake <- struct{}{}:
	default:
	}
}

// take returns the queued messages and whether the stream must end.
func (st *stream) take(into []*command.Message) ([]*command.Message, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	into = append(into[:0], st.msgs...)
	clear(st.msgs)
	st.msgs, st.size = st.msgs[:0], 0
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
	var msgs []*command.Message
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
			msgs, gone = st.take(msgs)
			for _, m := range msgs {
				out = appendPushEvent(out, m)
			}
			clear(msgs) // delivered: not kept alive until the next wake
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

// appendPushEvent appends m's event: a MONITOR line as it is, a message as
// its kind's name and its parts joined by ',' (as appendEvent).
func appendPushEvent(b []byte, m *command.Message) []byte {
	b = append(b, "data: "...)
	if m.Kind == command.PushMonitor {
		b = append(b, m.Line...)
		return append(b, '\n', '\n')
	}
	b = append(b, m.Kind.String()...)
	if m.Kind == command.PushPMessage {
		b = append(b, ',')
		b = append(b, m.Pattern...)
	}
	b = append(b, ',')
	b = append(b, m.Channel...)
	b = append(b, ',')
	b = append(b, m.Payload...)
	return append(b, '\n', '\n')
}

// eventSize is the length of m's event, counted against the stream's
// output limit before the event is built.
func eventSize(m *command.Message) int {
	n := len("data: \n\n")
	if m.Kind == command.PushMonitor {
		return n + len(m.Line)
	}
	n += len(m.Kind.String()) + len(",,") + len(m.Channel) + len(m.Payload)
	if m.Kind == command.PushPMessage {
		n += len(",") + len(m.Pattern)
	}
	return n
}
