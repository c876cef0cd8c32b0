// Package metrics is Larder's Prometheus endpoint, /metrics.
//
// Nothing is counted twice: the collectors read, at scrape time, the
// counters INFO, LATENCY HISTOGRAM and the log already keep (the command
// rows' statistics, the dispatcher's, the sessions, the shards, the log's
// write timings). The only counting of its own is the REST middleware's,
// requests by route and status, which nothing else counts. The metric
// names are listed in README.md ("Metrics") and used by
// deploy/grafana/larder.json.
package metrics

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/persist"
)

// LogSource is the append log as the metrics read it (persist.Log).
type LogSource interface {
	command.LogStats
	WriteStats() persist.WriteStats
}

// Options configure Metrics.
type Options struct {
	Dispatcher *command.Dispatcher
	// Log is the append log; nil when Larder runs without one.
	Log LogSource
}

// Metrics is the registry behind /metrics and its REST middleware.
type Metrics struct {
	d        *command.Dispatcher
	reg      *prometheus.Registry
	handler  http.Handler
	recovery atomic.Int64 // start-up load time, ns (-1: none yet)
	streams  atomic.Pointer[func() int64]
	rest     restMetrics
}

// New returns the metrics of o.Dispatcher, with Go's and the process's
// standard collectors beside Larder's.
func New(o Options) *Metrics {
	m := &Metrics{d: o.Dispatcher, reg: prometheus.NewRegistry()}
	m.recovery.Store(-1)
	m.rest = newRestMetrics()
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		coreCollector{m},
		m.rest.requests, m.rest.duration,
	)
	if o.Log != nil {
		m.reg.MustRegister(logCollector{o.Log})
	}
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

// SetRecovery records how long loading the data set took at start.
func (m *Metrics) SetRecovery(d time.Duration) { m.recovery.Store(int64(d)) }

// SetStreams gives the function counting the REST front end's open SSE
// streams.
func (m *Metrics) SetStreams(fn func() int64) { m.streams.Store(&fn) }

// Registry returns the registry (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }
