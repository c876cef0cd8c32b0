package command_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
)

type pushRecorder struct {
	mu     sync.Mutex
	frames []string
}

func (p *pushRecorder) Start() {}
func (p *pushRecorder) Push(m *command.Message) {
	p.mu.Lock()
	if m.Kind == command.PushMonitor {
		p.frames = append(p.frames, m.Line)
	} else {
		p.frames = append(p.frames, m.Kind.String())
	}
	p.mu.Unlock()
}

// TestMonitor_Feed: executed commands in Redis's MONITOR format, queued
// ones at EXEC, admin ones hidden, passwords redacted, nothing after
// StopMonitor.
func TestMonitor_Feed(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	mon := command.NewSession("rest", "127.0.0.1:9", "x", time.Now())
	rec := &pushRecorder{}
	mon.Pusher = rec
	d.Monitor(mon)
	commandtest.Do(d, s, "set", "k", "a b\"\n\x01")
	commandtest.Do(d, s, "get", "nope", "extra") // refused by the arity gate: not executed, not shown
	commandtest.Do(d, s, "config", "get", "port")
	commandtest.Do(d, s, "auth", "default", "secret")
	commandtest.Do(d, s, "hello", "2", "auth", "default", "secret", "setname", "n")
	commandtest.Do(d, s, "multi")
	commandtest.Do(d, s, "incr", "n")
	commandtest.Do(d, s, "exec")
	d.StopMonitor(mon)
	commandtest.Do(d, s, "ping")
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
		ts, rest, _ := strings.Cut(f, " ")
		if len(ts) != len("1700000000.123456") || ts[10] != '.' || rest != want[i] {
			t.Errorf("frame %d = %q, want <time> %s", i, f, want[i])
		}
	}
}
