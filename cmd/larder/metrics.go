package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/metrics"
	"github.com/larder-db/larder/persist"
)

// startMetrics makes the metrics of d (and of the log, when there is one)
// and starts the metrics listener when metrics-port is set; it returns
// the function that stops that listener. /metrics on the REST listener is
// wired by startREST.
func startMetrics(cfg *command.Config, d *command.Dispatcher, plog *persist.Log, log zerolog.Logger) (*metrics.Metrics, func(), error) {
	o := metrics.Options{Dispatcher: d}
	if plog != nil {
		o.Log = plog
	}
	mx := metrics.New(o)
	port := cfg.Int("metrics-port")
	if port == 0 {
		return mx, func() {}, nil
	}
	bind := cfg.Get("metrics-bind")
	if bind == "" {
		bind = cfg.Get("bind")
	}
	addr := net.JoinHostPort(bind, strconv.FormatInt(port, 10))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("metrics: listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", mx.Handler(false))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error().Err(err).Msg("metrics: serve")
		}
	}()
	if cfg.Get("metrics-token") == "" && !isLoopback(bind) {
		log.Warn().Str("addr", addr).Msg("metrics: /metrics is served without a token (set --metrics-token)")
	}
	log.Info().Str("url", "http://"+ln.Addr().String()+"/metrics").Msg("metrics: ready")
	return mx, func() {
		if err := hs.Close(); err != nil {
			log.Warn().Err(err).Msg("metrics: close")
		}
		<-done
	}, nil
}
