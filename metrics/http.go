package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/larder-db/larder/command"
)

// Params are the metrics' configuration parameters (cmd/larder adds them
// to the configuration, so each is a flag and a LARDER_* variable).
func Params() []*command.Param {
	return []*command.Param{
		{Name: "metrics-port", Kind: command.KindInt, Default: "0", Min: 0, Max: 65535, Startup: true,
			Usage: "port of a listener serving only /metrics (0 = none)"},
		{Name: "metrics-bind", Default: "", Startup: true,
			Usage: "address of the metrics listener (default: --bind)"},
		{Name: "metrics-rest", Kind: command.KindBool, Default: "yes", Startup: true,
			Usage: "also serve /metrics on the REST listener"},
		{Name: "metrics-token", Default: "", Sensitive: true,
			Usage: "bearer token /metrics requires on every listener; without it the REST listener takes the REST tokens and the metrics listener none"},
	}
}

// Handler serves /metrics. With a metrics-token configured it requires
// it, read live from the configuration; otherwise, with rest true (the
// REST listener), it requires one of the REST tokens, as the API does;
// else (the metrics listener) it is open.
func (m *Metrics) Handler(rest bool) http.Handler {
	cfg := m.d.Config()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		want := []string{cfg.Get("metrics-token")}
		if want[0] == "" && rest {
			want = []string{cfg.Get("rest-token"), cfg.Get("rest-readonly-token")}
		}
		if (want[0] != "" || rest) && !authorized(r, want) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="larder metrics"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		m.handler.ServeHTTP(w, r)
	})
}

// authorized reports whether the request's bearer token is one of want
// (empty entries are not tokens). Every comparison runs, in constant
// time, so timing tells nothing.
func authorized(r *http.Request, want []string) bool {
	scheme, got, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !strings.EqualFold(scheme, "bearer") {
		return false
	}
	got = strings.TrimSpace(got)
	ok := false
	for _, t := range want {
		match := command.CheckPassword([]byte(t), []byte(got))
		ok = ok || (match && t != "")
	}
	return ok && got != ""
}

// restMetrics count the REST front end's requests: nothing else does.
type restMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newRestMetrics() restMetrics {
	return restMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "larder_rest_requests_total",
			Help: "REST requests by route and HTTP status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "larder_rest_request_duration_seconds",
			Help:    "REST request time by route (an SSE stream's whole life).",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10),
		}, []string{"route"}),
	}
}

// WrapREST returns the REST front end's handler with /metrics served in
// front of it (at the root and under basePath, as /healthz is, needing a
// token: see Handler) and every request counted by route and status.
func (m *Metrics) WrapREST(basePath string, serveMetrics bool) func(http.Handler) http.Handler {
	base := strings.TrimRight(basePath, "/")
	metrics := m.Handler(true)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			route := restRoute(r, base)
			sw := &statusWriter{ResponseWriter: w}
			if route == "metrics" && serveMetrics {
				metrics.ServeHTTP(sw, r)
			} else {
				next.ServeHTTP(sw, r)
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK // the handler wrote nothing at all
			}
			m.rest.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
			m.rest.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
		})
	}
}

// restRoute names the route a request takes (rest/server.go's routing), a
// label of bounded values: a path-style command is "command", whatever
// its name.
func restRoute(r *http.Request, base string) string {
	path := r.URL.EscapedPath()
	if trimmed := strings.TrimLeft(path, "/"); trimmed == "healthz" || trimmed == "readyz" || trimmed == "metrics" {
		return trimmed
	}
	if base != "" {
		rest, ok := strings.CutPrefix(path, base)
		if !ok || (rest != "" && rest[0] != '/') {
			return "other"
		}
		path = rest
	}
	rel := strings.TrimLeft(path, "/")
	first, tail, _ := strings.Cut(rel, "/")
	switch {
	case r.Method == http.MethodOptions:
		return "preflight"
	case rel == "":
		return "single"
	case rel == "healthz", rel == "readyz", rel == "metrics", rel == "pipeline", rel == "multi-exec", rel == "monitor":
		return rel
	case (first == "subscribe" || first == "psubscribe") && tail != "":
		return first
	}
	return "command"
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (the SSE
// routes flush and clear deadlines through it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
