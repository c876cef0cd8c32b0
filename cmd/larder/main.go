// Command larder is the Larder server: Redis-compatible RESP over TCP.
//
// Flags use redis.conf names (--port, --bind, --requirepass, …); each also
// reads the environment variable LARDER_<NAME> (upper case, '-' → '_').
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/keyspace"
	"github.com/larder-db/larder/persist"
	"github.com/larder-db/larder/protocol"
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
	if err := parseFlags(cfg, args, stderr); err != nil {
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
	store := keyspace.New(keyspace.Options{
		Databases: int(cfg.Int("databases")),
		Shards:    int(cfg.Int("shards")),
	})
	var plog *persist.Log
	opts := command.Options{Store: store, Config: cfg, Logger: log, Version: version}
	if cfg.Get("appendonly") == "yes" {
		lo, err := logOptions(cfg, log)
		if err != nil {
			return err
		}
		if plog, err = persist.Open(lo); err != nil {
			return refuseDamaged(err, lo.Dir)
		}
		defer func() {
			if err := plog.Close(); err != nil {
				log.Error().Err(err).Msg("close log")
			}
		}()
		opts.Journal, opts.Snapshots, opts.LogStats = plog, snapshotStore{plog}, plog
	}
	d := families.New(opts)
	addr := net.JoinHostPort(cfg.Get("bind"), cfg.Get("port"))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := protocol.New(ln, protocol.Options{Dispatcher: d, Logger: log})
	stopREST, err := startREST(cfg, d, log, os.Stdout)
	if err != nil {
		_ = srv.Close() // not serving yet: only the listener to release
		return err
	}
	defer stopREST()
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
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	d.SetShutdown(stop) // SHUTDOWN ends the wait below as a signal does
	errc := make(chan error, 1)
	d.SetLoading(plog != nil) // clients get LOADING until the data is back
	autoDone := make(chan struct{})
	go func() { errc <- srv.Serve() }()
	if plog != nil {
		if err := recoverData(plog, d, cfg.Get("dir")); err != nil {
			_ = srv.Close() // failing anyway
			return err
		}
		d.SetLoading(false)
		go autoSnapshot(ctx, cfg, plog, d, autoDone)
	} else {
		close(autoDone)
	}
	expiry := d.StartActiveExpiry(ctx)
	log.Info().Str("addr", ln.Addr().String()).Str("version", version).
		Int("databases", store.Databases()).Int("shards", store.ShardsPerDB()).
		Str("appendonly", cfg.Get("appendonly")).Str("appendfsync", cfg.Get("appendfsync")).
		Str("dir", cfg.Get("dir")).Msg("ready to accept connections")
	select {
	case <-ctx.Done():
		log.Info().Msg("shutting down")
	case err = <-errc:
	}
	stop()             // ends the background loops on a serve error too
	d.StopExtensions() // a runaway script must not hold its shards through shutdown
	closeErr := srv.Close()
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

// parseFlags defines one flag per configuration parameter, falling back to
// LARDER_<NAME> in the environment, and applies them to cfg.
func parseFlags(cfg *command.Config, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("larder", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vals := map[string]*string{}
	for _, p := range cfg.Params() {
		if p.Compat {
			continue // Redis's, without effect here: CONFIG SET only
		}
		def := p.Default
		if v, ok := os.LookupEnv(envName(p.Name)); ok {
			def = v
		}
		vals[p.Name] = fs.String(p.Name, def, p.Usage+" (env "+envName(p.Name)+")")
	}
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
	for name, v := range vals {
		if err := cfg.Init(name, *v); err != nil {
			return fmt.Errorf("--%w", err)
		}
	}
	return nil
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
