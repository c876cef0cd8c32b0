package tests

// The shared pair: one redis-server and one larder per test binary.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// sharedServers is a server pair that lives as long as the test binary.
type sharedServers struct {
	once     sync.Once
	mu       sync.Mutex // held by the test using the pair
	redis    *server
	larder   *server
	dir      string
	err      error
	raceSeen bool
}

var (
	sharedMain sharedServers
	// allShared lists every started sharedServers for TestMain to stop.
	allShared   []*sharedServers
	allSharedMu sync.Mutex
)

// sharedPair returns fresh connections to the test binary's shared
// redis-server and larder, after reset (FLUSHALL). The pair is the caller's
// until its test ends; call t.Parallel (if at all) before sharedPair.
func sharedPair(t testing.TB) *pair {
	t.Helper()
	return sharedMain.pair(t, redisSpec(requireRedis(t)), larderSpec(larderBinary(t), nil))
}

func (sh *sharedServers) pair(t testing.TB, rspec, lspec argvFunc) *pair {
	t.Helper()
	sh.once.Do(func() { sh.start(rspec, lspec) })
	if sh.err != nil {
		t.Fatalf("shared servers: %v", sh.err)
	}
	sh.mu.Lock()
	t.Cleanup(sh.mu.Unlock)
	for _, s := range []*server{sh.redis, sh.larder} {
		select {
		case <-s.exited:
			t.Fatalf("shared %s has exited (%v); log tail:\n%s", s.name, s.waitErr, readLogTail(s.logPath))
		default:
		}
	}
	t.Cleanup(func() { sh.checkLogs(t) })
	p := connectPair(t, sh.redis, sh.larder)
	p.reset()
	return p
}

func (sh *sharedServers) start(rspec, lspec argvFunc) {
	allSharedMu.Lock()
	allShared = append(allShared, sh)
	allSharedMu.Unlock()
	if sh.dir, sh.err = os.MkdirTemp("", "larder-shared-"); sh.err != nil {
		return
	}
	rdir, ldir := filepath.Join(sh.dir, "redis"), filepath.Join(sh.dir, "larder")
	if sh.err = errors.Join(os.Mkdir(rdir, 0o700), os.Mkdir(ldir, 0o700)); sh.err != nil {
		return
	}
	sh.redis, sh.larder, sh.err = launchTwo(rspec, lspec, rdir, ldir)
}

// checkLogs blames the current test for the first data race the shared
// larder reports, and shows the log tails when the test failed.
func (sh *sharedServers) checkLogs(t testing.TB) {
	t.Helper()
	if race := raceReport(sh.larder.logPath); race != "" && !sh.raceSeen {
		sh.raceSeen = true
		t.Errorf("shared %s reported a data race during or before this test:\n%s", sh.larder.name, race)
	}
	if t.Failed() {
		t.Logf("shared %s log tail (%s):\n%s", sh.larder.name, sh.larder.logPath, readLogTail(sh.larder.logPath))
	}
}

// stopShared stops every shared pair after all tests; false means a server
// exited badly (its log tail is printed).
func stopShared() bool {
	ok := true
	allSharedMu.Lock()
	defer allSharedMu.Unlock()
	for _, sh := range allShared {
		for _, s := range []*server{sh.redis, sh.larder} {
			if s == nil {
				continue
			}
			if err := s.stop(); err != nil {
				fmt.Fprintf(os.Stderr, "%v\nlog tail (%s):\n%s\n", err, s.logPath, readLogTail(s.logPath))
				ok = false
			}
		}
		if sh.dir != "" {
			_ = os.RemoveAll(sh.dir) // a leftover temp dir is harmless
		}
	}
	return ok
}
