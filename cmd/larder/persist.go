package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/keyspace"
	"github.com/larder-db/larder/persist"
)

// snapshotStore is persist.Log as command.SnapshotStore (the one place
// that knows both: STYLE.md §3.2). Only NewSnapshot needs restating: Go
// does not let *persist.Snapshot stand for the command.SnapshotSink it is.
type snapshotStore struct{ *persist.Log }

func (s snapshotStore) NewSnapshot(seq uint64) command.SnapshotSink { return s.Log.NewSnapshot(seq) }

// logOptions are the persist options from the configuration.
func logOptions(cfg *command.Config, log zerolog.Logger) (persist.Options, error) {
	pol, err := persist.ParsePolicy(cfg.Get("appendfsync"))
	if err != nil {
		return persist.Options{}, err
	}
	return persist.Options{
		Dir: cfg.Get("dir"), Policy: pol, Logger: log.With().Str("part", "log").Logger(),
		Failpoints: os.Getenv("LARDER_FAILPOINTS"),
	}, nil
}

// recoverData replays the data dir into d, then starts the log. Damage
// other than a torn tail stops the start with the repair command.
func recoverData(l *persist.Log, d *command.Dispatcher, dir string) error {
	d.ReserveKeys(l.SnapshotKeys())
	rv, err := l.Recover(d.Replay)
	if err != nil {
		return refuseDamaged(fmt.Errorf("recover %s: %w", dir, err), dir)
	}
	d.DropExpired()
	if err := l.Start(rv.Last); err != nil {
		return err
	}
	d.EnableJournal()
	return nil
}

// refuseDamaged names the repair commands when err is damage found in the
// data dir (on open or during recovery); other errors pass unchanged.
func refuseDamaged(err error, dir string) error {
	var de *persist.DamageError
	if !errors.As(err, &de) {
		return err
	}
	return fmt.Errorf("%w; the server will not start on damaged data: inspect with `larder check --dir %s`, "+
		"or cut the log before the damage with `larder check --fix --dir %s`", err, dir, dir)
}

// autoSnapshot takes a snapshot when the log has grown past
// auto-aof-rewrite-min-size and auto-aof-rewrite-percentage of the last
// snapshot, as Redis's automatic AOF rewrite does.
func autoSnapshot(ctx context.Context, cfg *command.Config, l *persist.Log, d *command.Dispatcher, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		pct := cfg.Int("auto-aof-rewrite-percentage")
		if pct == 0 {
			continue
		}
		_, logBytes := l.Backlog()
		_, base := l.CurrentSnapshot()
		if logBytes >= cfg.Int("auto-aof-rewrite-min-size") && logBytes*100 >= base*pct {
			d.BackgroundSnapshot()
		}
	}
}

// runCheck is `larder check [--fix] --dir D`: bbolt's consistency check,
// every checksum, and a replay into a scratch keyspace.
func runCheck(args []string, stdout, stderr io.Writer) error {
	fix, dir := false, "./larder-data"
	for i := 0; i < len(args); i++ {
		switch a := strings.TrimLeft(args[i], "-"); {
		case a == "fix":
			fix = true
		case a == "dir" && i+1 < len(args):
			i++
			dir = args[i]
		case strings.HasPrefix(a, "dir="):
			dir = strings.TrimPrefix(a, "dir=")
		default:
			return fmt.Errorf("usage: larder check [--fix] [--dir DIR]")
		}
	}
	if _, err := os.Stat(dir + "/" + persist.DBFile); err != nil {
		return fmt.Errorf("no data in %s: %w", dir, err)
	}
	log := zerolog.New(stderr).With().Timestamp().Logger()
	scratch := scratchDispatcher()
	rep, err := persist.Check(persist.Options{Dir: dir, Logger: log}, fix, scratch.Replay)
	if err != nil {
		return err
	}
	rv := rep.Recovered
	fmt.Fprintf(stdout, "snapshot seq %d: %d records; log: %d records; tail: %d records; last seq %d; replay errors %d\n",
		rv.SnapshotSeq, rv.SnapshotRecs, rv.LogRecs, rv.TailRecs, rv.Last, scratch.ReplayErrors())
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, "problem:", p)
	}
	for _, f := range rep.Fixed {
		fmt.Fprintln(stdout, "fixed:", f)
	}
	if len(rep.Problems) == 0 {
		fmt.Fprintln(stdout, "OK")
		return nil
	}
	if !fix {
		return fmt.Errorf("%s: %d problem(s) found; `larder check --fix --dir %s` cuts the log before the damage", dir, len(rep.Problems), dir)
	}
	// A fix counts only if the data dir now checks clean.
	again, err := persist.Check(persist.Options{Dir: dir, Logger: zerolog.Nop()}, false, scratchDispatcher().Replay)
	if err != nil {
		return fmt.Errorf("after the fix: %w", err)
	}
	if len(again.Problems) > 0 {
		return fmt.Errorf("%s could not be repaired: %s; restore the data dir from a copy", dir, strings.Join(again.Problems, "; "))
	}
	fmt.Fprintf(stdout, "OK after the fix: last seq %d\n", again.Recovered.Last)
	return nil
}

// scratchDispatcher is an empty keyspace that `larder check` replays into.
func scratchDispatcher() *command.Dispatcher {
	return families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Logger: zerolog.Nop()})
}
