package rest

import (
	"context"
	"errors"
	stdlog "log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
)

// Options configure a Server. Zero limits take Upstash's values (§17).
type Options struct {
	Dispatcher *command.Dispatcher
	Logger     zerolog.Logger
	// BasePath is the prefix every route sits under ("/redis"), for a
	// reverse proxy; "" serves at the root.
	BasePath string
	// CORSOrigins: "*", a list of origins, or none for no CORS headers.
	CORSOrigins []string

	MaxRequestSize  int64 // body bytes (default 10 MB)
	MaxKeySize      int64 // default 32 KB
	MaxRecordSize   int64 // default 100 MB
	MaxCommands     int   // per /pipeline or /multi-exec (default 100000)
	MaxStreams      int   // concurrent SSE streams (default 1000)
	MaxHeaderBytes  int   // default 64 KB
	HeaderTimeout   time.Duration
	ReadTimeout     time.Duration
	WriteTimeout    time.Duration
	IdleTimeout     time.Duration
	KeepAlivePeriod time.Duration // SSE heartbeat interval (default 15 s)
	// Wrap, when set, wraps the server's handler (the metrics middleware:
	// /metrics and the requests counted by route and status).
	Wrap func(http.Handler) http.Handler
}

// Server is the Upstash REST front end. Tokens are read from the
// dispatcher's live configuration (rest-token, rest-readonly-token) on every
// request, so CONFIG SET rotates them.
type Server struct {
	d       *command.Dispatcher
	cfg     *command.Config
	log     zerolog.Logger
	o       Options
	base    string
	hs      *http.Server
	streams atomic.Int64
	// done is closed by Close: SSE streams end with it.
	done    chan struct{}
	closing atomic.Bool
}

// New returns a Server for o; Serve starts it.
func New(o Options) *Server {
	if o.MaxRequestSize <= 0 {
		o.MaxRequestSize = 10 << 20
	}
	if o.MaxKeySize <= 0 {
		o.MaxKeySize = 32 << 10
	}
	if o.MaxRecordSize <= 0 {
		o.MaxRecordSize = 100 << 20
	}
	if o.MaxCommands <= 0 {
		o.MaxCommands = 100000
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = 64 << 10
	}
	if o.KeepAlivePeriod <= 0 {
		o.KeepAlivePeriod = 15 * time.Second
	}
	s := &Server{d: o.Dispatcher, cfg: o.Dispatcher.Config(), log: o.Logger, o: o,
		base: strings.TrimRight(o.BasePath, "/"), done: make(chan struct{})}
	s.hs = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: orDefault(o.HeaderTimeout, 10*time.Second),
		ReadTimeout:       orDefault(o.ReadTimeout, 30*time.Second),
		WriteTimeout:      orDefault(o.WriteTimeout, 60*time.Second),
		IdleTimeout:       orDefault(o.IdleTimeout, 120*time.Second),
		MaxHeaderBytes:    o.MaxHeaderBytes,
		// net/http's own complaints (bad requests, accept errors) go to the
		// structured log at debug level, never as free text on stderr.
		ErrorLog: stdlog.New(debugWriter{o.Logger}, "", 0),
	}
	if o.Wrap != nil {
		s.hs.Handler = o.Wrap(s)
	}
	return s
}

// OpenStreams returns the number of SSE streams open now.
func (s *Server) OpenStreams() int64 { return s.streams.Load() }

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Serve answers requests on ln until Close; it returns nil after Close.
func (s *Server) Serve(ln net.Listener) error {
	err := s.hs.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Close ends SSE streams and shuts the server down, waiting up to a few
// seconds for requests in flight. Calling it again does nothing.
func (s *Server) Close() error {
	if !s.closing.CompareAndSwap(false, true) {
		return nil
	}
	close(s.done)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.hs.Shutdown(ctx); err != nil {
		return s.hs.Close()
	}
	return nil
}

// ServeHTTP routes a request (§2): health probes, CORS preflight, the
// reserved routes, and path-style commands for everything else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	rel, ok := s.relative(path)
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		for _, p := range [...]string{strings.TrimLeft(path, "/"), rel} {
			if p == "healthz" || p == "readyz" { // at the root and under the base path
				s.health(w, p)
				return
			}
		}
	}
	if !ok {
		s.fail(w, http.StatusNotFound, "ERR not found")
		return
	}
	s.cors(w, r)
	if acceptsGzip(r) {
		w = gzipOK{w}
	}
	if r.Method == http.MethodOptions {
		w.Header().Set("Upstash-Sync-Token", s.syncToken())
		w.WriteHeader(http.StatusNoContent)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut:
	default:
		w.Header().Set("Allow", "GET, HEAD, POST, PUT, OPTIONS")
		s.fail(w, http.StatusMethodNotAllowed, "ERR method not allowed")
		return
	}
	s.route(w, r, rel)
}

// relative strips the base path and leading slashes (Python's client can
// send "//pipeline", §2). It reports false for a path outside the base.
func (s *Server) relative(path string) (string, bool) {
	if s.base != "" {
		rest, ok := strings.CutPrefix(path, s.base)
		if !ok || (rest != "" && rest[0] != '/') {
			return "", false
		}
		path = rest
	}
	return strings.TrimLeft(path, "/"), true
}

// route dispatches an authenticated request by its first path segment.
func (s *Server) route(w http.ResponseWriter, r *http.Request, rel string) {
	ro, ok := s.authenticate(r)
	if !ok {
		r, ok = s.aclUser(r)
	}
	if !ok {
		s.fail(w, http.StatusUnauthorized, errUnauthorized)
		return
	}
	first, tail, _ := strings.Cut(rel, "/")
	switch {
	case rel == "":
		s.single(w, r, ro)
	case (first == "subscribe" || first == "psubscribe") && tail != "":
		s.subscribe(w, r, ro, first, tail)
	case rel == "monitor":
		s.monitor(w, r, ro)
	case rel == "pipeline", rel == "multi-exec":
		if r.Method != http.MethodPost && r.Method != http.MethodPut {
			w.Header().Set("Allow", "POST, PUT, OPTIONS")
			s.fail(w, http.StatusMethodNotAllowed, "ERR method not allowed")
			return
		}
		s.batch(w, r, ro, rel == "multi-exec")
	default:
		s.pathStyle(w, r, ro, rel)
	}
}

// health answers /healthz (the process serves) and /readyz (503 while the
// data set is being recovered). Neither needs a token.
func (s *Server) health(w http.ResponseWriter, which string) {
	if which == "readyz" && s.d.Loading() {
		s.fail(w, http.StatusServiceUnavailable, "LOADING Redis is loading the dataset in memory")
		return
	}
	s.send(w, http.StatusOK, "application/json", []byte(`{"result":"OK"}`))
}

// cors adds the CORS headers for an allowed Origin (§2, "CORS").
func (s *Server) cors(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" || len(s.o.CORSOrigins) == 0 {
		return
	}
	h := w.Header()
	allowed := ""
	for _, o := range s.o.CORSOrigins {
		if o == "*" {
			allowed = "*"
			break
		}
		if o == origin {
			allowed = origin
			h.Add("Vary", "Origin")
			break
		}
	}
	if allowed == "" {
		return
	}
	h.Set("Access-Control-Allow-Origin", allowed)
	h.Set("Access-Control-Expose-Headers", "upstash-sync-token")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, HEAD, OPTIONS")
		h.Set("Access-Control-Allow-Headers", corsHeaders)
		h.Set("Access-Control-Max-Age", "86400")
	}
}

const corsHeaders = "authorization, content-type, upstash-encoding, upstash-response-format, " +
	"upstash-sync-token, upstash-telemetry-sdk, upstash-telemetry-runtime, " +
	"upstash-telemetry-platform, upstash-telemetry-retry"

// send writes a complete response with the sync token (§9: on every
// response).
func (s *Server) send(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Upstash-Sync-Token", s.syncToken())
	if _, ok := w.(gzipOK); ok && len(body) > gzipMin {
		var release func()
		body, release = compress(body)
		defer release()
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a client that went away has nothing to tell
}

// fail writes {"error": text} (§6: every error body is JSON).
func (s *Server) fail(w http.ResponseWriter, status int, text string) {
	s.send(w, status, "application/json", appendError(nil, text))
}

// syncToken is the read-your-writes token: the dispatcher's write sequence,
// which grows with every write (§9).
func (s *Server) syncToken() string { return strconv.FormatUint(s.d.SyncSeq(), 10) }

// debugWriter turns net/http's log lines into debug-level log events.
type debugWriter struct{ log zerolog.Logger }

func (w debugWriter) Write(p []byte) (int, error) {
	w.log.Debug().Str("err", strings.TrimSpace(string(p))).Msg("rest: http server")
	return len(p), nil
}
