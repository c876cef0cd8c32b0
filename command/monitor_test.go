package command

import (
	"strings"
	"sync"
	"testing"
	"time"
)

type pushRecorder struct {
	mu     sync.Mutex
	frames []string
}

func (p *pushRecorder) Start() {}
func (p *pushRecorder) Push(f []byte) {
	p.mu.Lock()
	p.frames = append(p.frames, string(f))
	p.mu.Unlock()
}

// TestMonitor_Feed: executed commands in Redis's MONITOR format, queued
// ones at EXEC, admin ones hidden, passwords redacted, nothing after
// StopMonitor.
func TestMonitor_Feed(t *testing.T) {
	d, s := newTestDispatcher(t)
	mon := NewSession("rest", "127.0.0.1:9", "x", time.Now())
	rec := &pushRecorder{}
	mon.Pusher = rec
	d.Monitor(mon)
	do(d, s, "set", "k", "a b\"\n\x01")
	do(d, s, "get", "nope", "extra") // refused by the arity gate: not executed, not shown
	do(d, s, "config", "get", "port")
	do(d, s, "auth", "default", "secret")
	do(d, s, "hello", "2", "auth", "default", "secret", "setname", "n")
	do(d, s, "multi")
	do(d, s, "incr", "n")
	do(d, s, "exec")
	d.StopMonitor(mon)
	do(d, s, "ping")
	want := []string{
		`[0 127.0.0.1:1] "set" "k" "a b\"\n\x01"`,
		`[0 127.0.0.1:1] "auth" "(redacted)" "(redacted)"`,
		`[0 127.0.0.1:1] "hello" "2" "auth" "(redacted)" "(redacted)" "setname" "n"`,
		`[0 127.0.0.1:1] "multi"`,
		`[0 127.0.0.1:1] "incr" "n"`,
		`[0 127.0.0.1:1] "exec"`,
	}
	if len(rec.frames) != len(want) {
		t.Fatalf("frames %q", rec.frames)
	}
	for i, f := range rec.frames {
		ts, rest, _ := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(f, "+"), "\r\n"), " ")
		if len(ts) != len("1700000000.123456") || ts[10] != '.' || rest != want[i] {
			t.Errorf("frame %d = %q, want <time> %s", i, f, want[i])
		}
	}
}
