package tests

// The differential harness: every compat test sends the same argv to a real
// redis-server 7.0 and to the larder binary, and compares the raw reply bytes,
// errors included (STYLE.md §4.1: miniredis's integration/test.go, compared
// strictly).
//
// How to write a compat test (tests/compat_<family>_test.go):
//
//	func TestCompat_String(t *testing.T) {
//		p := sharedPair(t) // or newPair(t, "--shards", "4") for a private pair
//		p.do("SET", "k", "v")               // replies must match byte for byte
//		p.do("GET", "k")
//		p.do("GET", "k", "extra")           // error texts are compared too
//		p.doSorted("SMEMBERS", "s")         // order Redis leaves unspecified
//		p.doSortedPairs("HGETALL", "h")     // RESP2 flat field/value pairs
//		r, l := p.doBoth("TIME")            // both raw replies, for a custom check
//		if len(r) == 0 || len(l) == 0 { … }
//		runCases(t, p, [][]string{         // a sequence, stops at the first difference
//			{"APPEND", "k", "x"},
//			{"STRLEN", "k"},
//		})
//		p3 := p.resp3()                     // new connections after HELLO 3
//		p3.doSorted("HGETALL", "h")         // a RESP3 map: entries sorted, pairs kept
//		p3.do("GET", "missing")             // _\r\n on both
//	}
//
// Rules:
//   - sharedPair: one redis-server and one larder per test binary; each call
//     runs FLUSHALL on fresh connections and holds the pair until the test
//     ends, so tests that share it run one at a time. Call t.Parallel (if at
//     all) BEFORE sharedPair. Use newPair for tests that change server-wide
//     state (CONFIG SET, SCRIPT, ACL, CLIENT PAUSE, …) or need special flags.
//   - p.do reports a difference with t.Errorf and goes on; runCases stops at
//     the first one (t.Fatalf) because later cases would only repeat it.
//   - In a subtest use p.with(t), never the parent's p (FailNow must run on
//     the subtest's own goroutine).
//   - p.redisConn/p.larderConn give the raw connections (send, readRaw, read)
//     for protocol-level tests; p.doRaw(frame) compares the reply to a
//     hand-made frame; p.newClient() opens a second client pair.
//   - One server alone: startRedis(t), startLarder(t, flags...), dial(t, addr);
//     s.kill() for crash tests. Every process is stopped by PID in t.Cleanup.
//
// Environment:
//   - LARDER_REQUIRE_REDIS=1: fail instead of skipping when redis-server is
//     missing (.ci/run sets it). LARDER_REDIS_SERVER overrides its path.
//   - LARDER_BIN: use this larder binary instead of building ./cmd/larder.
//     Otherwise the binary is built once per test process, with -race when the
//     tests run with -race, and a data race reported by it fails the test.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/larder-db/larder/protocol/resp"
)

const (
	// ioTimeout only guards against a hang; no test asserts on time.
	ioTimeout = 30 * time.Second
	// startTimeout bounds the wait for a new server to answer PING; generous
	// because a -race binary on a loaded CI box starts slowly.
	startTimeout = 60 * time.Second
	stopTimeout  = 10 * time.Second
	logTailLines = 40
)

func TestMain(m *testing.M) {
	code := m.Run()
	if !stopShared() && code == 0 {
		code = 1
	}
	if larderBuild.dir != "" {
		_ = os.RemoveAll(larderBuild.dir) // a leftover temp dir is harmless
	}
	os.Exit(code)
}

// ---- server processes ----------------------------------------------------

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
// something else answered on the port (another process got it first).
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
		time.Sleep(10 * time.Millisecond)
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

// ---- building larder -----------------------------------------------------

var larderBuild struct {
	once sync.Once
	dir  string // temp dir holding the binary, removed by TestMain
	path string
	err  error
}

// larderBinary returns the path of the larder binary, building ./cmd/larder
// the first time it is asked for.
func larderBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("LARDER_BIN"); p != "" {
		return p
	}
	larderBuild.once.Do(buildLarder)
	if larderBuild.err != nil {
		t.Fatalf("build larder: %v", larderBuild.err)
	}
	return larderBuild.path
}

func buildLarder() {
	// The go command finds the module root the way it finds everything else.
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if err == nil && root != "." {
		larderBuild.dir, err = os.MkdirTemp("", "larder-bin-")
	} else if err == nil {
		err = errors.New("go env GOMOD: not inside a module")
	}
	if err != nil {
		larderBuild.err = err
		return
	}
	path := filepath.Join(larderBuild.dir, "larder")
	args := []string{"build", "-o", path}
	if raceEnabled() {
		args = append(args, "-race") // races in the server then fail the suite
	}
	cmd := exec.Command("go", append(args, "./cmd/larder")...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		larderBuild.err = fmt.Errorf("go %s (in %s): %v\n%s", strings.Join(cmd.Args[1:], " "), root, err, out)
		return
	}
	larderBuild.path = path
}

// raceEnabled reports whether this test binary was built with -race.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	return ok && slices.Contains(info.Settings, debug.BuildSetting{Key: "-race", Value: "true"})
}

// ---- raw client ----------------------------------------------------------

// rawConn is a minimal RESP client that hands back reply bytes untouched.
// I/O errors fail the test; replies, including error replies, are data.
type rawConn struct {
	t    testing.TB
	name string
	nc   net.Conn
	br   *bufio.Reader
}

// dial connects to addr and closes the connection when the test ends.
func dial(t testing.TB, addr string) *rawConn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = nc.Close() }) // the test is over; nothing to flush
	return &rawConn{t: t, name: addr, nc: nc, br: bufio.NewReader(nc)}
}

// with returns c bound to another test (a subtest), sharing the connection.
func (c *rawConn) with(t testing.TB) *rawConn {
	d := *c
	d.t = t
	return &d
}

// encodeArgv encodes argv as a RESP multibulk request.
func encodeArgv(argv []string) []byte {
	b := resp.AppendArray(nil, len(argv))
	for _, a := range argv {
		b = resp.AppendBulkString(b, a)
	}
	return b
}

// do sends argv as a multibulk request and returns the raw reply.
func (c *rawConn) do(argv ...string) []byte {
	c.t.Helper()
	c.send(encodeArgv(argv))
	return c.readRaw()
}

// send writes raw bytes as they are (inline commands, bad frames, pipelines).
func (c *rawConn) send(raw []byte) {
	c.t.Helper()
	_ = c.nc.SetWriteDeadline(time.Now().Add(ioTimeout)) // errors surface in Write
	if _, err := c.nc.Write(raw); err != nil {
		c.t.Fatalf("%s: write %s: %v", c.name, strconv.Quote(string(raw)), err)
	}
}

// readRaw reads one complete reply and returns its bytes.
func (c *rawConn) readRaw() []byte {
	c.t.Helper()
	raw, _, err := c.read()
	if err != nil {
		c.t.Fatalf("%s: read reply: %v (read so far: %s)", c.name, err, strconv.Quote(string(raw)))
	}
	return raw
}

// read reads one reply without failing the test, for tests that expect the
// server to close the connection (err is then io.EOF).
func (c *rawConn) read() ([]byte, resp.Value, error) {
	_ = c.nc.SetReadDeadline(time.Now().Add(ioTimeout)) // errors surface in Read
	return resp.ReadReply(c.br)
}

// hello3 switches the connection to RESP3 and returns the HELLO reply.
func (c *rawConn) hello3() []byte {
	c.t.Helper()
	c.send(encodeArgv([]string{"HELLO", "3"}))
	raw, v, err := c.read()
	if err != nil || v.Type != resp.TypeMap {
		c.t.Fatalf("%s: HELLO 3 = %s, %v; want a map", c.name, strconv.Quote(string(raw)), err)
	}
	return raw
}

// ---- the differential pair -----------------------------------------------

// pair sends every command to a redis-server and to larder over one
// connection each, and compares the raw replies.
type pair struct {
	t          testing.TB
	redis      *server
	larder     *server
	redisConn  *rawConn
	larderConn *rawConn
}

// newPair starts a private redis-server and larder (extraArgs appended to
// larder's flags), both stopped when the test ends.
func newPair(t testing.TB, extraArgs ...string) *pair {
	t.Helper()
	rspec, lspec := redisSpec(requireRedis(t)), larderSpec(larderBinary(t), extraArgs)
	r, l, err := launchTwo(rspec, lspec, t.TempDir(), t.TempDir())
	var started []*server
	for _, s := range []*server{r, l} {
		if s != nil {
			started = append(started, s)
		}
	}
	t.Cleanup(func() { stopAllFor(t, started...) })
	if err != nil {
		t.Fatal(err)
	}
	return connectPair(t, r, l)
}

// connectPair opens one connection to each server. The self-tests use it
// with two redis-servers.
func connectPair(t testing.TB, redis, larder *server) *pair {
	t.Helper()
	p := &pair{t: t, redis: redis, larder: larder, redisConn: dial(t, redis.addr), larderConn: dial(t, larder.addr)}
	p.redisConn.name, p.larderConn.name = "redis", "larder"
	return p
}

// with returns p bound to another test (a subtest), sharing the connections.
func (p *pair) with(t testing.TB) *pair {
	return &pair{t: t, redis: p.redis, larder: p.larder,
		redisConn: p.redisConn.with(t), larderConn: p.larderConn.with(t)}
}

// newClient opens a second pair of connections to the same servers (for
// WATCH, pub/sub, blocking commands, CLIENT KILL …).
func (p *pair) newClient() *pair {
	p.t.Helper()
	return connectPair(p.t, p.redis, p.larder)
}

// resp3 opens new connections to the same servers and sends HELLO 3 on both.
// The HELLO replies are not compared: they carry each server's client id.
func (p *pair) resp3() *pair {
	p.t.Helper()
	q := p.newClient()
	q.redisConn.hello3()
	q.larderConn.hello3()
	return q
}

// reset puts both servers and connections back to a known state: FLUSHALL,
// SELECT 0, HELLO 2. It cannot undo CONFIG SET or scripts: use newPair for that.
func (p *pair) reset() {
	p.t.Helper()
	for _, c := range []*rawConn{p.redisConn, p.larderConn} {
		for _, argv := range [][]string{{"FLUSHALL"}, {"SELECT", "0"}} {
			if raw := c.do(argv...); string(raw) != "+OK\r\n" {
				p.t.Fatalf("reset: %s %v = %s", c.name, argv, strconv.Quote(string(raw)))
			}
		}
		c.send(encodeArgv([]string{"HELLO", "2"}))
		if raw, v, err := c.read(); err != nil || v.Type == resp.TypeError {
			p.t.Fatalf("reset: %s HELLO 2 = %s, %v", c.name, strconv.Quote(string(raw)), err)
		}
	}
}

// doBoth sends argv to both servers and returns both raw replies, uncompared.
func (p *pair) doBoth(argv ...string) (redis, larder []byte) {
	p.t.Helper()
	return p.redisConn.do(argv...), p.larderConn.do(argv...)
}

// do sends argv to both servers and reports (t.Errorf) any byte difference
// between the replies. It returns Redis's reply.
func (p *pair) do(argv ...string) []byte {
	p.t.Helper()
	r, l := p.doBoth(argv...)
	if d := diffReplies(argv, r, l); d != "" {
		p.t.Error(d)
	}
	return r
}

// doRaw sends raw bytes (a hand-made frame, an inline command) to both
// servers, reads one reply from each and compares them.
func (p *pair) doRaw(raw []byte) []byte {
	p.t.Helper()
	p.redisConn.send(raw)
	p.larderConn.send(raw)
	r, l := p.redisConn.readRaw(), p.larderConn.readRaw()
	if d := diffReplies([]string{"(raw) " + string(raw)}, r, l); d != "" {
		p.t.Error(d)
	}
	return r
}

// doSorted is do for replies whose element order Redis leaves unspecified
// (SMEMBERS, KEYS, RESP3 maps): the top-level elements are compared as a
// sorted multiset of their raw bytes. Map entries stay key+value together.
func (p *pair) doSorted(argv ...string) []byte {
	p.t.Helper()
	return p.doCanonical(false, argv)
}

// doSortedPairs is doSorted for RESP2 flat arrays of pairs (HGETALL,
// CONFIG GET): elements are sorted two by two, so a value moved to another
// field is still a difference.
func (p *pair) doSortedPairs(argv ...string) []byte {
	p.t.Helper()
	return p.doCanonical(true, argv)
}

func (p *pair) doCanonical(pairs bool, argv []string) []byte {
	p.t.Helper()
	r, l := p.doBoth(argv...)
	rs, rerr := sortedReply(r, pairs)
	ls, lerr := sortedReply(l, pairs)
	if err := errors.Join(rerr, lerr); err != nil {
		p.t.Errorf("argv: %s\nsort replies: %v\nredis:  %s\nlarder: %s", quoteArgv(argv), err, quote(r), quote(l))
		return r
	}
	if d := diffReplies(argv, rs, ls); d != "" {
		p.t.Errorf("%s\n(compared with top-level elements sorted)", d)
	}
	return r
}

// runCases runs argv cases in order on both servers, state carrying over,
// and stops at the first difference.
func runCases(t testing.TB, p *pair, cases [][]string) {
	t.Helper()
	q := p.with(t)
	for i, argv := range cases {
		if d := q.compareCase(argv); d != "" {
			t.Fatalf("case %d of %d:\n%s", i+1, len(cases), d)
		}
	}
}

// Case marks: a case table entry starting with unordered (or
// unorderedPairs) is compared as doSorted (doSortedPairs) would, for
// replies whose order Redis leaves unspecified.
const (
	unordered      = "\x00unordered"
	unorderedPairs = "\x00unordered-pairs"
)

// u marks a case whose reply order is unspecified; up one of pairs.
func u(args ...string) []string  { return append([]string{unordered}, args...) }
func up(args ...string) []string { return append([]string{unorderedPairs}, args...) }

// compareCase runs one case and returns the difference report, or "".
func (p *pair) compareCase(argv []string) string {
	mark := ""
	if len(argv) > 0 && (argv[0] == unordered || argv[0] == unorderedPairs) {
		mark, argv = argv[0], argv[1:]
	}
	r, l := p.doBoth(argv...)
	if mark == "" {
		return diffReplies(argv, r, l)
	}
	rs, rerr := sortedReply(r, mark == unorderedPairs)
	ls, lerr := sortedReply(l, mark == unorderedPairs)
	if err := errors.Join(rerr, lerr); err != nil {
		return fmt.Sprintf("argv: %s\nsort replies: %v\nredis:  %s\nlarder: %s", quoteArgv(argv), err, quote(r), quote(l))
	}
	if d := diffReplies(argv, rs, ls); d != "" {
		return d + "\n(compared with top-level elements sorted)"
	}
	return ""
}

// ---- comparing replies ---------------------------------------------------

// diffReplies returns "" when the replies are byte-for-byte equal, and
// otherwise a report: argv, both replies quoted, the first differing byte and
// both replies in redis-cli form.
func diffReplies(argv []string, redis, larder []byte) string {
	if bytes.Equal(redis, larder) {
		return ""
	}
	at := 0
	for at < len(redis) && at < len(larder) && redis[at] == larder[at] {
		at++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "replies differ\nargv:   %s\n", quoteArgv(argv))
	fmt.Fprintf(&b, "redis:  %s\nlarder: %s\n", quoteAround(redis, at), quoteAround(larder, at))
	fmt.Fprintf(&b, "first difference at byte %d (redis %d bytes, larder %d bytes)\n", at, len(redis), len(larder))
	fmt.Fprintf(&b, "redis reply:\n%s\nlarder reply:\n%s", readable(redis), readable(larder))
	return b.String()
}

func quote(b []byte) string { return strconv.Quote(string(b)) }

func quoteArgv(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = strconv.Quote(a)
	}
	return strings.Join(q, " ")
}

// quoteAround quotes b whole when it is short, or else a window around byte
// at, so a difference deep in a long reply stays visible.
func quoteAround(b []byte, at int) string {
	const whole, before, after = 2048, 256, 768
	if len(b) <= whole {
		return quote(b)
	}
	from, to := max(0, at-before), min(len(b), at+after)
	return fmt.Sprintf("[bytes %d..%d of %d] %s", from, to, len(b), quote(b[from:to]))
}

// readable renders a raw reply as redis-cli would, indented, truncated.
func readable(raw []byte) string {
	_, v, err := resp.ReadReply(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return "  (not a well-formed reply: " + err.Error() + ")"
	}
	s := v.String()
	if len(s) > 1024 {
		s = s[:1024] + "\n… (" + strconv.Itoa(len(s)-1024) + " more characters)"
	}
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// sortedReply returns raw with the elements of its top-level array, set,
// map or push sorted by their raw bytes; other replies come back unchanged.
// Map entries, and with pairs every two array elements, sort as one unit.
func sortedReply(raw []byte, pairs bool) ([]byte, error) {
	if len(raw) == 0 || !strings.ContainsRune("*~%>", rune(raw[0])) {
		return raw, nil
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	head, err := br.ReadBytes('\n') // a copy: ReadSlice's would be overwritten by the reads below
	if err != nil {
		return nil, fmt.Errorf("reply header: %w", err)
	}
	n, err := strconv.Atoi(strings.TrimSuffix(string(head[1:]), "\r\n"))
	if err != nil || n < 0 {
		return raw, nil // a null array: nothing to sort
	}
	unit := 1
	nested := len(raw) > len(head) && raw[len(head)] == '*' // RESP3 [member, score] pairs
	if raw[0] == '%' || (pairs && !nested) {
		unit = 2
	}
	if raw[0] == '%' {
		n *= 2
	}
	if n%unit != 0 {
		return nil, fmt.Errorf("%d elements cannot be sorted as pairs", n)
	}
	units := make([][]byte, 0, n/unit)
	for i := 0; i < n; i += unit {
		var u []byte
		for j := 0; j < unit; j++ {
			elem, _, err := resp.ReadReply(br)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i+j, err)
			}
			u = append(u, elem...)
		}
		units = append(units, u)
	}
	sort.Slice(units, func(i, j int) bool { return bytes.Compare(units[i], units[j]) < 0 })
	return append(append([]byte{}, head...), bytes.Join(units, nil)...), nil
}

// ---- the shared pair -----------------------------------------------------

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
