package tests

// The crash harness (RELIABILITY.md §4): a larder process on a data dir that
// outlives it, started, SIGKILLed and restarted by the test, plus the knobs
// shared by the crash and durability tests.
//
//	n := newNode(t, t.TempDir(), "--appendfsync", "always")
//	n.start()            // waits until PING answers (not -LOADING)
//	rdb := n.client()    // go-redis, RESP2, no retries
//	n.kill()             // SIGKILL, waits until reaped
//	n.start()            // same data dir, new port
//	n.stop()             // SIGTERM; a bad exit fails the test
//
// Every process is stopped by PID in t.Cleanup; the logs of all starts stay
// in a directory of their own (not the data dir) and their tails are printed
// when the test fails. A data race reported by a -race binary fails the test.
//
// Environment (each test's comment says which it reads):
//   - LARDER_SEED=n: the seed of every randomized crash test (printed by each).
//   - LARDER_SOAK=1: larger counts everywhere (kills, truncations, bit flips).
//   - LARDER_CRASH_KILLS=n: kills per fsync policy in TestCrash_AckedWrites
//     and rounds per failpoint in TestCrash_Failpoints.
//   - LARDER_CRASH_CLIENTS=n: writers in the crash loop (default 8).
//   - LARDER_CRASH_CHECK_EVERY=n: `larder check` on every n-th killed dir.
//   - LARDER_CORRUPT_TRUNCATIONS, LARDER_CORRUPT_FLIPS, LARDER_CORRUPT_TAIL:
//     R7 case counts. LARDER_TTL_ROUNDS: restarts in the expiry test.
//   - LARDER_BIN: a prebuilt larder (see harness_test.go).
// Under -short every count is at most 2.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// recoverTimeout bounds the wait for a restarted server to finish loading;
// generous, because a -race binary replays slowly on a loaded CI box.
const recoverTimeout = 120 * time.Second

// node is one data dir and the larder process currently serving it.
type node struct {
	t       testing.TB
	bin     string
	dataDir string
	runDir  string   // working directory and logs of every start
	flags   []string // appended to the base flags
	env     []string // extra environment (LARDER_FAILPOINTS=…)
	srv     *server  // the current process, nil before the first start
	logs    []string // every start's log, in order
	clients []*redis.Client
	// startTimeout bounds the wait for PING after a start, checkTimeout a
	// `larder check` run (recoverTimeout unless a test sets them).
	startTimeout, checkTimeout time.Duration
}

// newNode prepares a node on dataDir (created if missing); nothing runs yet.
func newNode(t testing.TB, dataDir string, flags ...string) *node {
	t.Helper()
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	n := &node{t: t, bin: larderBinary(t), dataDir: dataDir, runDir: t.TempDir(), flags: flags,
		startTimeout: recoverTimeout, checkTimeout: recoverTimeout}
	t.Cleanup(n.cleanup)
	return n
}

func (n *node) argv(port int) []string {
	args := []string{n.bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--rest-port", "0", "--loglevel", "warning", "--dir", n.dataDir}
	return append(args, n.flags...)
}

// start starts the server and waits until it serves; a failed start fails
// the test with the log tail.
func (n *node) start() {
	n.t.Helper()
	if err := n.tryStart(); err != nil {
		n.t.Fatal(err)
	}
}

// tryStart starts the server and waits until PING answers +PONG. It returns
// an error (with the exit status and the log tail) when the process exits
// first or does not answer within recoverTimeout.
func (n *node) tryStart() error {
	if n.running() {
		return errors.New("tryStart: the previous process is still running")
	}
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = n.spawn(); err != nil {
			return err
		}
		if err = n.waitServing(); err == nil {
			return nil
		}
		n.srv.killed = true // the caller has the error: cleanup must not report it again
		if !n.exited() {
			n.srv.kill() // hung while loading: the error says so
			return err
		}
		if !strings.Contains(strings.ToLower(readLogTail(n.srv.logPath)), "address already in use") {
			return err
		}
	}
	return err
}

func (n *node) spawn() error {
	port, err := freePort()
	if err != nil {
		return err
	}
	logPath := filepath.Join(n.runDir, fmt.Sprintf("larder-%02d.log", len(n.logs)+1))
	log, err := os.Create(logPath)
	if err != nil {
		return err
	}
	n.logs = append(n.logs, logPath)
	args := n.argv(port)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = n.runDir, log, log
	cmd.Env = append(os.Environ(), n.env...)
	cmd.SysProcAttr = orphanGuard()
	s := &server{name: "larder", addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		dir: n.dataDir, logPath: logPath, cmd: cmd, exited: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		_ = log.Close() // nothing was written to it
		return fmt.Errorf("start larder: %w", err)
	}
	go func() {
		s.waitErr = cmd.Wait()
		_ = log.Close() // the child held the only writes
		close(s.exited)
	}()
	n.srv = s
	return nil
}

// waitServing polls PING until +PONG (a -LOADING answer means not yet).
// It returns an error rather than failing the test through waitFor: a
// start refused on a damaged data dir is an outcome the corruption tests
// check.
func (n *node) waitServing() error {
	s := n.srv
	deadline := time.Now().Add(n.startTimeout)
	for time.Now().Before(deadline) {
		if n.exited() {
			return fmt.Errorf("larder exited during start-up (%v); argv %q; log tail:\n%s",
				s.waitErr, s.cmd.Args, readLogTail(s.logPath))
		}
		if ok, pid := pingServer(s.addr, ""); ok {
			if pid != 0 && pid != s.cmd.Process.Pid {
				return fmt.Errorf("port %s is served by pid %d, not ours", s.addr, pid)
			}
			return nil
		}
		time.Sleep(10 * time.Millisecond) // the poll interval
	}
	return fmt.Errorf("larder did not serve PING on %s within %v; log tail:\n%s", s.addr, n.startTimeout, readLogTail(s.logPath))
}

func (n *node) running() bool { return n.srv != nil && !n.exited() }

func (n *node) exited() bool {
	select {
	case <-n.srv.exited:
		return true
	default:
		return false
	}
}

// kill sends SIGKILL to the server and waits until it is reaped.
func (n *node) kill() {
	n.closeClients()
	if n.srv != nil {
		n.srv.kill()
	}
}

// stop shuts the server down with SIGTERM and fails the test on a bad exit.
func (n *node) stop() {
	n.t.Helper()
	n.closeClients()
	if n.srv == nil {
		return
	}
	if err := n.srv.stop(); err != nil {
		n.t.Fatalf("%v; log tail:\n%s", err, readLogTail(n.srv.logPath))
	}
	n.srv.killed = true // stopped on purpose: cleanup must not stop it again
}

func (n *node) cleanup() {
	n.closeClients()
	if n.srv != nil && !n.srv.killed {
		if err := n.srv.stop(); err != nil {
			n.t.Error(err)
		}
	}
	for _, path := range n.logs {
		if race := raceReport(path); race != "" {
			n.t.Errorf("larder (%s) reported a data race:\n%s", path, race)
		}
		if panicIn(path) != "" {
			n.t.Errorf("larder (%s) panicked:\n%s", path, panicIn(path))
		}
	}
	if n.t.Failed() && len(n.logs) > 0 {
		last := n.logs[len(n.logs)-1]
		n.t.Logf("larder log tail (%s, start %d of %d, data dir %s):\n%s", last, len(n.logs), len(n.logs), n.dataDir, readLogTail(last))
	}
}

// panicIn returns the start of a Go panic or fatal error in a log, or "".
func panicIn(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	for _, mark := range []string{"panic: ", "fatal error: ", "unexpected fault address", "\ngoroutine ", "SIGSEGV", "SIGBUS"} {
		if i := strings.Index(string(b), mark); i >= 0 {
			return string(b[max(0, i-200):min(len(b), i+2048)])
		}
	}
	return ""
}

// client returns a go-redis client of the current process: RESP2 (raw
// strings), no retries (a retried INCR would break the ledger), closed by
// kill/stop.
func (n *node) client() *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: n.srv.addr, Protocol: 2, MaxRetries: -1,
		DialTimeout: 5 * time.Second, ReadTimeout: ioTimeout, WriteTimeout: ioTimeout, PoolSize: 4})
	n.clients = append(n.clients, c)
	return c
}

func (n *node) closeClients() {
	for _, c := range n.clients {
		_ = c.Close() // the server may be gone; nothing to flush
	}
	n.clients = nil
}

// check runs `larder check [--fix] --dir D` and returns its combined output
// and exit error.
func (n *node) check(fix bool) (string, error) {
	args := []string{"check"}
	if fix {
		args = append(args, "--fix")
	}
	ctx, cancel := context.WithTimeout(context.Background(), n.checkTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.bin, append(args, "--dir", n.dataDir)...)
	cmd.Dir = n.runDir
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		n.t.Errorf("larder %s --dir %s did not finish within %v (killed); output:\n%s", strings.Join(args, " "), n.dataDir, n.checkTimeout, out)
	}
	return string(out), err
}

// exitCode is the process exit code of err, -1 for a signal (killedBy says
// which), 0 for nil.
func exitCode(err error) (code int, killedBy syscall.Signal) {
	var ee *exec.ExitError
	if err == nil {
		return 0, 0
	}
	if !errors.As(err, &ee) {
		return -2, 0
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -1, ws.Signal()
	}
	return ee.ExitCode(), 0
}

// ---- knobs -------------------------------------------------------------

// testSeed returns LARDER_SEED or a fresh seed, logged so a failure can be
// replayed.
func testSeed(t testing.TB) uint64 {
	t.Helper()
	if s := os.Getenv("LARDER_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("LARDER_SEED=%q: %v", s, err)
		}
		t.Logf("seed %d (from LARDER_SEED)", v)
		return v
	}
	v := rand.Uint64() >> 1
	t.Logf("seed %d (replay with LARDER_SEED=%d)", v, v)
	return v
}

func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream*0x9e3779b97f4a7c15+1))
}

func soak() bool { return os.Getenv("LARDER_SOAK") == "1" }

// envCount returns the integer in env var name, or ci (soakN under
// LARDER_SOAK=1, 2 under -short).
func envCount(t testing.TB, name string, ci, soakN int) int {
	t.Helper()
	if s := os.Getenv(name); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 {
			t.Fatalf("%s=%q: want a count", name, s)
		}
		return v
	}
	if soak() {
		return soakN
	}
	if testing.Short() {
		return min(ci, 2)
	}
	return ci
}

// ---- small helpers -----------------------------------------------------

// ctxT is a context bound to a generous I/O budget (only a hang guard).
func ctxT() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 2*ioTimeout)
}

// infoField returns one field of INFO <section>, "" when absent.
func infoField(rdb *redis.Client, section, field string) (string, error) {
	ctx, cancel := ctxT()
	defer cancel()
	s, err := rdb.Info(ctx, section).Result()
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(s, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), field+":"); ok {
			return v, nil
		}
	}
	return "", nil
}

// isConnErr reports whether err is a lost connection rather than a reply.
func isConnErr(err error) bool {
	if err == nil || errors.Is(err, redis.Nil) {
		return false
	}
	var re redis.Error
	if errors.As(err, &re) && !errors.Is(err, redis.Nil) {
		return false // the server answered with an error reply
	}
	return true
}

// replyErr reports whether err is an error reply from the server (not a
// lost connection, not redis.Nil).
func replyErr(err error) bool {
	return err != nil && !errors.Is(err, redis.Nil) && !isConnErr(err)
}

// runParallel runs f(i) for i in [0, n) on n goroutines and returns the
// errors joined.
func runParallel(n int, f func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = f(i) }()
	}
	wg.Wait()
	return errors.Join(errs...)
}
