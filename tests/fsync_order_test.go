package tests

// R4 (RELIABILITY.md §4, Redis's "AOF fsync always barrier" test): under
// appendfsync always no reply leaves before the fsync of its record. strace
// attaches to the running server (all threads) while one client sends
// sequential SETs; in the trace, every "+OK" written to a socket must come
// after a pwrite64 to a file of the data dir (the tail file a group is
// written to) and then the completion of an fdatasync/fsync of that file
// that started after the pwrite64. Skipped
// when strace is missing or ptrace is not permitted.

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestDurability_FsyncBeforeReply(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("R4 needs strace; skipped (not installed)")
	}
	if out, err := exec.Command(strace, "-f", "-o", os.DevNull, "true").CombinedOutput(); err != nil {
		t.Skipf("R4 needs ptrace; skipped (strace true: %v: %s)", err, out)
	}
	n := newNode(t, filepath.Join(t.TempDir(), "data"), aofFlags...)
	n.start()
	pid := n.srv.cmd.Process.Pid
	dbFDs := openFDs(t, pid, n.dataDir)
	if len(dbFDs) == 0 {
		t.Fatalf("no open file of the server under %s", n.dataDir)
	}
	tracePath := filepath.Join(t.TempDir(), "strace.out")
	st := exec.Command(strace, "-f", "-qq", "-s", "16", "-p", strconv.Itoa(pid), "-o", tracePath,
		"-e", "trace=pwrite64,pwritev,write,writev,sendto,sendmsg,fdatasync,fsync,sync_file_range")
	st.SysProcAttr = orphanGuard()
	if err := st.Start(); err != nil {
		t.Fatalf("start strace: %v", err)
	}
	stDone := make(chan struct{})
	var stErr error
	go func() { stErr = st.Wait(); close(stDone) }()
	var once sync.Once
	stopStrace := func() {
		once.Do(func() {
			_ = st.Process.Signal(syscall.SIGINT) // strace detaches on SIGINT
			select {
			case <-stDone:
			case <-time.After(stopTimeout):
				_ = st.Process.Kill() // then the tracee is released by the kernel
				<-stDone
			}
		})
	}
	t.Cleanup(stopStrace)
	// A raw connection: go-redis's handshake would add +OK replies
	// (CLIENT SETINFO) that write nothing.
	c := dial(t, n.srv.addr)
	// Attached once a PONG shows in the trace.
	for attached := false; !attached; {
		if r := c.do("PING"); string(r) != "+PONG\r\n" {
			t.Fatalf("PING = %q", r)
		}
		b, _ := os.ReadFile(tracePath) // not there yet reads as empty
		attached = strings.Contains(string(b), `"+PONG\r\n"`)
		select {
		case <-stDone:
			t.Skipf("strace could not attach (%v); output so far:\n%s", stErr, b)
		case <-time.After(20 * time.Millisecond):
		}
	}
	const sets = 200
	for i := 0; i < sets; i++ {
		if r := c.do("SET", "k"+strconv.Itoa(i), strconv.Itoa(i)); string(r) != "+OK\r\n" {
			t.Fatalf("SET = %q", r)
		}
	}
	stopStrace()
	replies, problems := checkFsyncOrder(t, tracePath, dbFDs)
	if replies < sets {
		t.Fatalf("found %d +OK replies in the trace, want at least %d (trace %s)", replies, sets, tracePath)
	}
	if len(problems) > 0 {
		t.Fatalf("%d of %d replies left before their fsync:\n  %s", len(problems), replies, strings.Join(problems[:min(10, len(problems))], "\n  "))
	}
	t.Logf("%d +OK replies, each after pwrite64 and fdatasync/fsync of %v", replies, dbFDs)
}

// openFDs returns the fd numbers (as strings) of the files under dir that
// process pid holds open.
func openFDs(t *testing.T, pid int, dir string) map[string]bool {
	t.Helper()
	fdDir := fmt.Sprintf("/proc/%d/fd", pid)
	ents, err := os.ReadDir(fdDir)
	if err != nil {
		t.Skipf("cannot read %s: %v", fdDir, err)
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	fds := map[string]bool{}
	for _, e := range ents {
		target, err := os.Readlink(filepath.Join(fdDir, e.Name()))
		if err == nil && strings.HasPrefix(target, real+"/") {
			fds[e.Name()] = true
		}
	}
	return fds
}

var straceLine = regexp.MustCompile(`^\d+\s+(?:<\.\.\. (\w+) resumed>.*|(\w+)\((\d+),?(.*))$`)

// checkFsyncOrder walks the trace in order: a pwrite64 to a data file
// arms the next sync; a sync of a data file that started after a pwrite64
// marks the data durable once it returns; a "+OK" socket write must find
// the data durable, and disarms it for the next reply.
func checkFsyncOrder(t *testing.T, path string, dbFDs map[string]bool) (replies int, problems []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }() // read-only
	var wrote, durable bool
	pendingSync := map[string]bool{} // by pid: a sync started after a pwrite
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for lineNo := 1; sc.Scan(); lineNo++ {
		line := sc.Text()
		m := straceLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		tid := strings.Fields(line)[0]
		if m[1] != "" { // a resumed call: only the end of a sync matters
			if (m[1] == "fdatasync" || m[1] == "fsync") && pendingSync[tid] && strings.Contains(line, "= 0") {
				durable = true
				delete(pendingSync, tid)
			}
			continue
		}
		call, fd, rest := m[2], m[3], m[4]
		switch {
		case dbFDs[fd] && strings.HasPrefix(call, "pwrite"):
			wrote, durable = true, false
		case dbFDs[fd] && (call == "fdatasync" || call == "fsync"):
			if !wrote {
				continue
			}
			if strings.Contains(rest, "<unfinished") {
				pendingSync[tid] = true
			} else if strings.Contains(rest, "= 0") {
				durable = true
			}
		case !dbFDs[fd] && (call == "write" || call == "writev" || call == "sendto" || call == "sendmsg") &&
			strings.Contains(rest, `+OK\r\n`):
			replies++
			if !durable {
				problems = append(problems, fmt.Sprintf("trace line %d: %s (no pwrite64 then completed sync of the data file before it)", lineNo, line))
			}
			wrote, durable = false, false
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return replies, problems
}

// TestDurability_FsyncOrderChecker shows that the trace check of R4 can
// fail: a reply before the sync completes, a sync that started before the
// pwrite, and a reply with no write at all are each reported.
func TestDurability_FsyncOrderChecker(t *testing.T) {
	cases := []struct {
		name  string
		trace string
		bad   int
	}{
		{"ordered", `10 pwrite64(5, "x", 4096, 0) = 4096
10 fdatasync(5 <unfinished ...>
11 write(3, "log line", 8) = 8
10 <... fdatasync resumed>) = 0
12 write(9, "+OK\r\n", 5) = 5`, 0},
		{"reply before the sync returns", `10 pwrite64(5, "x", 4096, 0) = 4096
10 fdatasync(5 <unfinished ...>
12 write(9, "+OK\r\n", 5) = 5
10 <... fdatasync resumed>) = 0`, 1},
		{"sync before the write", `10 fdatasync(5) = 0
10 pwrite64(5, "x", 4096, 0) = 4096
12 write(9, "+OK\r\n", 5) = 5`, 1},
		{"no write", `10 pwrite64(5, "x", 4096, 0) = 4096
10 fdatasync(5) = 0
12 write(9, "+OK\r\n", 5) = 5
12 write(9, "+OK\r\n", 5) = 5`, 1},
	}
	for _, c := range cases {
		path := filepath.Join(t.TempDir(), "trace")
		if err := os.WriteFile(path, []byte(c.trace+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, problems := checkFsyncOrder(t, path, map[string]bool{"5": true}); len(problems) != c.bad {
			t.Errorf("%s: %d problems, want %d: %v", c.name, len(problems), c.bad, problems)
		}
	}
}
