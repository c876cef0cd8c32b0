package tests

// Server processes: starting redis-server and larder on free loopback ports,
// waiting until they answer, stopping them by PID, and reading their logs.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/larder-db/larder/protocol/resp"
)

// server is one redis-server or larder process started by the harness.
type server struct {
	name    string // "redis" or "larder", for messages
	addr    string // 127.0.0.1:port
	dir     string // working directory, also --dir
	logPath string // stdout and stderr of the process
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has been reaped
	waitErr error         // the exit status, valid once exited is closed
	killed  bool          // kill was called: a non-zero exit is expected
	pass    string        // --requirepass, for the readiness probe
}

// requireRedis returns the redis-server path, or skips the test (fails it
// when LARDER_REQUIRE_REDIS=1).
func requireRedis(t testing.TB) string {
	t.Helper()
	name := os.Getenv("LARDER_REDIS_SERVER")
	if name == "" {
		name = "redis-server"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("LARDER_REQUIRE_REDIS") == "1" {
			t.Fatalf("LARDER_REQUIRE_REDIS=1 but %s is not available: %v", name, err)
		}
		t.Skipf("%s not found (set LARDER_REQUIRE_REDIS=1 to fail instead): %v", name, err)
	}
	return path
}

// argvFunc builds a server's command line for its directory and port.
type argvFunc func(dir string, port int) []string

func redisSpec(bin string) argvFunc {
	return func(dir string, port int) []string {
		return []string{bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no",
			"--dir", dir, "--loglevel", "warning", "--enable-debug-command", "yes"}
	}
}

func larderSpec(bin string, extra []string) argvFunc {
	return func(dir string, port int) []string {
		args := []string{bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--appendonly", "yes", "--appendfsync", "everysec", "--rest-port", "0", "--loglevel", "warning", "--dir", dir}
		return append(args, extra...)
	}
}

// startRedis starts a redis-server 7.0 on a free loopback port and stops it
// when the test ends.
func startRedis(t testing.TB) *server {
	t.Helper()
	return startFor(t, "redis", redisSpec(requireRedis(t)))
}

// startLarder starts the larder binary (built once per test process) on a
// free loopback port with extraArgs appended, and stops it when the test ends.
func startLarder(t testing.TB, extraArgs ...string) *server {
	t.Helper()
	return startFor(t, "larder", larderSpec(larderBinary(t), extraArgs))
}

func startFor(t testing.TB, name string, argv argvFunc) *server {
	t.Helper()
	s, err := launch(name, t.TempDir(), argv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopAllFor(t, s) })
	return s
}

// launchTwo starts a redis-server and a larder at the same time, to halve the
// wait. Whichever started is returned even when the other failed.
func launchTwo(rspec, lspec argvFunc, rdir, ldir string) (r, l *server, err error) {
	var rerr, lerr error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); r, rerr = launch("redis", rdir, rspec) }()
	go func() { defer wg.Done(); l, lerr = launch("larder", ldir, lspec) }()
	wg.Wait()
	return r, l, errors.Join(rerr, lerr)
}

// launch starts a server on a free port and waits for PING. A port taken
// between choosing and binding it makes the server exit; it is retried on
// another port.
func launch(name, dir string, argv argvFunc) (*server, error) {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		var s *server
		s, err = spawn(name, dir, argv)
		if err != nil {
			return nil, err
		}
		var collided bool
		if collided, err = s.waitReady(); err == nil {
			return s, nil
		}
		_ = s.stop() // it failed to start; the start error is the one to report
		if !collided && !strings.Contains(strings.ToLower(readLogTail(s.logPath)), "address already in use") {
			break
		}
	}
	return nil, err
}

func spawn(name, dir string, argv argvFunc) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	log, err := os.CreateTemp(dir, name+"-*.log")
	if err != nil {
		return nil, err
	}
	args := argv(dir, port)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, log, log
	cmd.SysProcAttr = orphanGuard()
	s := &server{name: name, addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		dir: dir, logPath: log.Name(), cmd: cmd, exited: make(chan struct{})}
	for i, a := range args[:len(args)-1] {
		if a == "--requirepass" {
			s.pass = args[i+1]
		}
	}
	if err := cmd.Start(); err != nil {
		_ = log.Close() // nothing was written to it
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		s.waitErr = cmd.Wait()
		_ = log.Close() // the child held the only writes; closing our copy cannot lose data
		close(s.exited)
	}()
	return s, nil
}

// orphanGuard asks the kernel to SIGKILL the server if the test binary dies
// without running its cleanups (a -timeout panic does that). Only Linux has
// Pdeathsig; reflection keeps the package building elsewhere.
func orphanGuard() *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{}
	if f := reflect.ValueOf(attr).Elem().FieldByName("Pdeathsig"); f.IsValid() {
		f.Set(reflect.ValueOf(syscall.SIGKILL))
	}
	return attr
}

// usedPorts keeps this process from handing out a port twice: the kernel may
// give a just-closed port to the next listen(":0").
var usedPorts = struct {
	sync.Mutex
	m map[int]bool
}{m: map[int]bool{}}

func freePort() (int, error) {
	usedPorts.Lock()
	defer usedPorts.Unlock()
	for i := 0; i < 100; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("find a free port: %w", err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		_ = ln.Close() // only the number was wanted
		if !usedPorts.m[port] {
			usedPorts.m[port] = true
			return port, nil
		}
	}
	return 0, errors.New("find a free port: every port offered was already used")
}

// waitReady polls PING until the server answers. collided reports that
// something else answered on the port (another process got it first). It
// returns an error rather than failing the test through waitFor: launch
// runs on goroutines of its own (launchTwo) and retries a collision.
func (s *server) waitReady() (collided bool, err error) {
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return false, fmt.Errorf("%s exited during start-up (%v); log tail:\n%s", s.name, s.waitErr, readLogTail(s.logPath))
		default:
		}
		if ok, pid := pingServer(s.addr, s.pass); ok {
			if pid != 0 && pid != s.cmd.Process.Pid {
				return true, fmt.Errorf("%s: port %s is served by pid %d, not ours", s.name, s.addr, pid)
			}
			select {
			case <-s.exited: // without INFO, an exited server means the answer was not ours
				return true, fmt.Errorf("%s exited (%v) while something answered on %s", s.name, s.waitErr, s.addr)
			default:
				return false, nil
			}
		}
		time.Sleep(10 * time.Millisecond) // the poll interval
	}
	return false, fmt.Errorf("%s did not answer PING on %s within %v; log tail:\n%s", s.name, s.addr, startTimeout, readLogTail(s.logPath))
}

// pingServer sends PING and, to check whose port it is, INFO server. pid is 0
// when the server has no INFO, or refuses it before AUTH.
func pingServer(addr, pass string) (ok bool, pid int) {
	nc, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false, 0
	}
	defer func() { _ = nc.Close() }() // a probe connection; nothing to flush
	_ = nc.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(nc)
	if pass != "" { // so a server still loading its data answers -LOADING, not -NOAUTH
		if _, err := fmt.Fprintf(nc, "*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\n", len(pass), pass); err != nil {
			return false, 0
		}
		if _, _, err := resp.ReadReply(br); err != nil {
			return false, 0
		}
	}
	if _, err := nc.Write([]byte("PING\r\nINFO server\r\n")); err != nil {
		return false, 0
	}
	// With requirepass the answer is -NOAUTH: the server is up all the same.
	if raw, _, err := resp.ReadReply(br); err != nil ||
		(string(raw) != "+PONG\r\n" && !strings.HasPrefix(string(raw), "-NOAUTH ")) {
		return false, 0
	}
	if _, v, err := resp.ReadReply(br); err == nil && v.Type == resp.TypeBulk {
		_, rest, _ := strings.Cut(v.Str, "\r\nprocess_id:")
		pid, _ = strconv.Atoi(rest[:strings.IndexByte(rest+"\r", '\r')]) // unparsable: 0, unknown
	}
	return true, pid
}

// stop ends the process by its PID: SIGTERM, then SIGKILL if it lingers. It
// returns the exit error of an exit that was not asked for or not clean.
func (s *server) stop() error {
	select {
	case <-s.exited:
		if s.killed {
			return nil
		}
		return s.exitError("exited before being stopped")
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM) // it may have exited just now; Wait tells
	select {
	case <-s.exited:
		return s.exitError("exited badly on SIGTERM")
	case <-time.After(stopTimeout):
	}
	_ = s.cmd.Process.Kill() // same: the reaper goroutine reports the outcome
	<-s.exited
	return fmt.Errorf("%s did not stop within %v of SIGTERM and was killed", s.name, stopTimeout)
}

func (s *server) exitError(what string) error {
	if s.waitErr == nil {
		return nil
	}
	return fmt.Errorf("%s %s: %v", s.name, what, s.waitErr)
}

// kill sends SIGKILL (for crash tests) and waits until the process is gone.
func (s *server) kill() {
	s.killed = true
	_ = s.cmd.Process.Kill() // an already-exited process is fine
	<-s.exited
}

// stopAllFor stops servers concurrently (a Redis shutdown waits for its
// next cron tick) and reports, for a test's cleanup, a bad exit, a data race
// in a -race build, and the larder log tail when the test failed.
func stopAllFor(t testing.TB, servers ...*server) {
	t.Helper()
	errs := make([]error, len(servers))
	var wg sync.WaitGroup
	for i, s := range servers {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = s.stop() }()
	}
	wg.Wait()
	for i, s := range servers {
		if errs[i] != nil {
			t.Error(errs[i])
		}
		if race := raceReport(s.logPath); race != "" {
			t.Errorf("%s reported a data race:\n%s", s.name, race)
		}
		// Redis's log holds only start-up banners unless it failed itself.
		if errs[i] != nil || (t.Failed() && s.name == "larder") {
			t.Logf("%s log tail (%s):\n%s", s.name, s.logPath, readLogTail(s.logPath))
		}
	}
}

func readLogTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	if len(b) == 0 {
		return "(empty)"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > logTailLines {
		lines = append([]string{"…"}, lines[len(lines)-logTailLines:]...)
	}
	return strings.Join(lines, "\n")
}

// raceReport returns the first race detector report in a log, or "".
func raceReport(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	i := bytes.Index(b, []byte("WARNING: DATA RACE"))
	if i < 0 {
		return ""
	}
	return string(b[i:min(len(b), i+8<<10)])
}
