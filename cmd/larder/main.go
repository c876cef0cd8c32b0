// Command larder is the Larder server: Redis-compatible RESP over TCP.
//
// Flags use redis.conf names (--port, --bind, --requirepass, …); each also
// reads the environment variable LARDER_<NAME> (upper case, '-' → '_'), and
// --config FILE reads them in redis.conf syntax.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/internal/tlsconf"
	"github.com/larder-db/larder/keyspace"
	"github.com/larder-db/larder/metrics"
	"github.com/larder-db/larder/persist"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "check" {
		if err := runCheck(os.Args[2:], os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "larder check:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "larder:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	cfg := families.NewConfig()
	cfg.AddParams(metrics.Params())
	if err := parseFlags(cfg, args, stderr); err != nil {
		if errors.Is(err, errVersion) {
			fmt.Printf("larder %s (Redis %s compatible, %s)\n", version, command.RedisVersion, runtime.Version())
			return nil
		}
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	log := newLogger(cfg.Get("loglevel"), stderr)
	if path := os.Getenv("LARDER_CPUPROFILE"); path != "" {
		stopProfile, err := startCPUProfile(path)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	tlsHolder, err := setupTLS(cfg, log) // before the data dir: a bad certificate fails fast
	if err != nil {
		return err
	}
	store := keyspace.New(keyspace.Options{
		Databases: int(cfg.Int("databases")),
		Shards:    int(cfg.Int("shards")),
	})
	opts := command.Options{Store: store, Config: cfg, Logger: log, Version: version}
	plog, closeLog, err := openLog(cfg, log, &opts)
	if err != nil {
		return err
	}
	defer closeLog()
	d := families.New(opts)
	if cfg.Get("aclfile") != "" {
		if err := d.LoadACLFile(nil); err != nil {
			return fmt.Errorf("aborting startup because of ACL errors: %w", err)
		}
	}
	fe, err := startFrontEnds(cfg, d, plog, log, tlsHolder)
	if err != nil {
		return err
	}
	defer fe.stop()
	// The TCP server reads "timeout" before every socket read: nothing to
	// push to it on CONFIG SET.
	applyGCLimit(cfg.Int("maxmemory"))
	cfg.OnChange = func(name, value string) {
		switch name {
		case "loglevel":
			zerolog.SetGlobalLevel(zerologLevel(value))
		case "maxmemory":
			applyGCLimit(cfg.Int("maxmemory"))
		}
	}
	return serve(cfg, d, plog, fe, log)
}

// openLog opens the data log when appendonly is on and wires it into opts;
// closeLog closes it (a no-op without a log).
func openLog(cfg *command.Config, log zerolog.Logger, opts *command.Options) (plog *persist.Log, closeLog func(), err error) {
	if cfg.Get("appendonly") != "yes" {
		return nil, func() {}, nil
	}
	lo, err := logOptions(cfg, log)
	if err != nil {
		return nil, nil, err
	}
	if plog, err = persist.Open(lo); err != nil {
		return nil, nil, refuseDamaged(err, lo.Dir)
	}
	opts.Journal, opts.Snapshots, opts.LogStats = plog, snapshotStore{plog}, plog
	return plog, func() {
		if err := plog.Close(); err != nil {
			log.Error().Err(err).Msg("close log")
		}
	}, nil
}

// frontEnds are the listeners of a running server: RESP (plain and TLS),
// the metrics listener and REST.
type frontEnds struct {
	srvs                  respServers
	mx                    *metrics.Metrics
	stopMetrics, stopREST func()
}

// startFrontEnds binds every listener; RESP serves once serve starts it.
func startFrontEnds(cfg *command.Config, d *command.Dispatcher, plog *persist.Log, log zerolog.Logger, h *tlsconf.Holder) (*frontEnds, error) {
	srvs, err := listenRESP(cfg, d, log, h)
	if err != nil {
		return nil, err
	}
	mx, stopMetrics, err := startMetrics(cfg, d, plog, log)
	if err != nil {
		_ = srvs.close() // not serving yet: only the listeners to release
		return nil, err
	}
	stopREST, err := startREST(cfg, d, mx, log, os.Stdout, h)
	if err != nil {
		stopMetrics()
		_ = srvs.close()
		return nil, err
	}
	return &frontEnds{srvs: srvs, mx: mx, stopMetrics: stopMetrics, stopREST: stopREST}, nil
}

// stop stops REST and metrics (serve closes the RESP servers).
func (fe *frontEnds) stop() {
	fe.stopREST()
	fe.stopMetrics()
}

// serve runs the server until a signal, SHUTDOWN or a serve error: RESP
// accepts at once (clients get LOADING until the log is recovered), then
// the background loops run until the end.
func serve(cfg *command.Config, d *command.Dispatcher, plog *persist.Log, fe *frontEnds, log zerolog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	d.SetShutdown(stop) // SHUTDOWN ends the wait below as a signal does
	errc := make(chan error, len(fe.srvs))
	d.SetLoading(plog != nil) // clients get LOADING until the data is back
	autoDone := make(chan struct{})
	fe.srvs.serve(errc)
	if plog != nil {
		began := time.Now()
		if err := recoverData(plog, d, cfg.Get("dir")); err != nil {
			_ = fe.srvs.close() // failing anyway
			return err
		}
		fe.mx.SetRecovery(time.Since(began))
		d.SetLoading(false)
		go autoSnapshot(ctx, cfg, plog, d, autoDone)
	} else {
		close(autoDone)
	}
	expiry := d.StartActiveExpiry(ctx)
	store := d.Store()
	log.Info().Strs("addrs", fe.srvs.addrs()).Str("version", version).
		Int("databases", store.Databases()).Int("shards", store.ShardsPerDB()).
		Str("appendonly", cfg.Get("appendonly")).Str("appendfsync", cfg.Get("appendfsync")).
		Str("dir", cfg.Get("dir")).Msg("ready to accept connections")
	var err error
	select {
	case <-ctx.Done():
		log.Info().Msg("shutting down")
	case err = <-errc:
	}
	stop()             // ends the background loops on a serve error too
	d.StopExtensions() // a runaway script must not hold its shards through shutdown
	closeErr := fe.srvs.close()
	<-expiry
	<-autoDone
	d.WaitSnapshots()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if closeErr != nil {
		log.Warn().Err(closeErr).Msg("close listener")
	}
	log.Info().Msg("bye")
	return nil
}

// errVersion is parseFlags's answer to --version: print it and stop.
var errVersion = errors.New("version requested")

// parseFlags defines one flag per configuration parameter and applies, in
// order, the --config file (LARDER_CONFIG), the environment (LARDER_<NAME>)
// and the flags given: the later wins.
func parseFlags(cfg *command.Config, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("larder", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vals := map[string]*string{}
	for _, p := range cfg.Params() {
		if p.Compat {
			continue // Redis's, without effect here: CONFIG SET only
		}
		vals[p.Name] = fs.String(p.Name, p.Default, p.Usage+" (env "+envName(p.Name)+")")
	}
	file := fs.String("config", os.Getenv("LARDER_CONFIG"),
		"config file in redis.conf syntax, the file CONFIG REWRITE writes (env LARDER_CONFIG)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: larder [flags]   (flags use redis.conf names)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags are --name value)", fs.Arg(0))
	}
	if *showVersion {
		return errVersion
	}
	if *file != "" {
		if err := cfg.LoadFile(*file); err != nil {
			return err
		}
	}
	for _, p := range cfg.Params() {
		if v, ok := os.LookupEnv(envName(p.Name)); ok && vals[p.Name] != nil {
			if err := cfg.Init(p.Name, v); err != nil {
				return fmt.Errorf("%s: %w", envName(p.Name), err)
			}
		}
	}
	var err error
	fs.Visit(func(f *flag.Flag) {
		if v := vals[f.Name]; v != nil && err == nil {
			if e := cfg.Init(f.Name, *v); e != nil {
				err = fmt.Errorf("--%w", e)
			}
		}
	})
	return err
}

// startCPUProfile writes a CPU profile to path until the server stops
// (LARDER_CPUPROFILE, for benchmark investigations).
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close() // the profile is complete once StopCPUProfile returns
	}, nil
}

func envName(param string) string {
	return "LARDER_" + strings.ToUpper(strings.ReplaceAll(param, "-", "_"))
}

// zerologLevel maps Redis's loglevel names onto zerolog's.
func zerologLevel(l string) zerolog.Level {
	switch l {
	case "debug":
		return zerolog.DebugLevel
	case "verbose":
		return zerolog.InfoLevel
	case "warning":
		return zerolog.WarnLevel
	case "nothing":
		return zerolog.Disabled
	}
	return zerolog.InfoLevel
}

func newLogger(level string, w io.Writer) zerolog.Logger {
	zerolog.TimeFieldFormat = time.RFC3339Nano
	zerolog.SetGlobalLevel(zerologLevel(level))
	return zerolog.New(w).With().Timestamp().Logger()
}
