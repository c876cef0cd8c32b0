package command_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/keyspace"
)

// hookExt is an extension implementing every hook the core consults.
type hookExt struct {
	busy, stopped atomic.Bool
}

func (h *hookExt) Busy() (command.Error, bool) {
	if h.busy.Load() {
		return "BUSY the test extension is busy", true
	}
	return "", false
}

func (h *hookExt) SnapshotCommands(add func(argv ...[]byte)) {
	add([]byte("SET"), []byte("ext-state"), []byte("kept"))
}

func (h *hookExt) Stop() { h.stopped.Store(true) }

// TestExtension_Hooks: the dispatcher finds an extension by type and
// consults it through its hooks: the BUSY gate refuses commands not
// flagged allow-busy while it reports busy, a snapshot stores its
// commands before any key (and replaying them restores the state), and
// StopExtensions stops it.
func TestExtension_Hooks(t *testing.T) {
	h := &hookExt{}
	j := &commandtest.Journal{}
	d := families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Journal: j, Snapshots: j,
		Logger: zerolog.Nop(), Extensions: []command.Extension{h}})
	d.EnableJournal()
	s := command.NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	if got, ok := command.ExtensionOf[*hookExt](d); !ok || got != h {
		t.Fatalf("ExtensionOf = %p %v, want %p", got, ok, h)
	}
	commandtest.Do(d, s, "SET", "k", "v")
	h.busy.Store(true)
	for _, c := range []struct{ argv, want string }{
		{"GET k", "-BUSY the test extension is busy\r\n"},
		{"MULTI", "+OK\r\n"}, // allow-busy
		{"DISCARD", "+OK\r\n"},
	} {
		if got := commandtest.Do(d, s, strings.Fields(c.argv)...); got != c.want {
			t.Errorf("busy: %s = %q, want %q", c.argv, got, c.want)
		}
	}
	h.busy.Store(false)
	if got := commandtest.Do(d, s, "GET", "k"); got != "$1\r\nv\r\n" {
		t.Errorf("not busy: GET k = %q", got)
	}
	if err := d.Snapshot(); err != nil {
		t.Fatal(err)
	}
	if len(j.Snap) != 2 || string(j.Snap[0]) != string(command.AppendEntry(nil, 0, [][]byte{[]byte("SET"), []byte("ext-state"), []byte("kept")})) {
		t.Fatalf("snapshot %q: want the extension's SET first, then k", j.Snap)
	}
	d2, s2 := commandtest.New(t, command.Options{})
	for _, rec := range j.Snap {
		if err := d2.Replay(rec); err != nil {
			t.Fatal(err)
		}
	}
	if got := commandtest.Do(d2, s2, "MGET", "ext-state", "k"); got != "*2\r\n$4\r\nkept\r\n$1\r\nv\r\n" {
		t.Errorf("after replaying the snapshot: MGET = %q", got)
	}
	d.StopExtensions()
	if !h.stopped.Load() {
		t.Error("StopExtensions did not stop the extension")
	}
}

// TestExtension_Params: a family's parameters (scripting's
// busy-reply-threshold) are not the core's; a dispatcher adds them to a
// core Config at their defaults, and keeps a value already set on a
// Config made with them (families.NewConfig, as cmd/larder does).
func TestExtension_Params(t *testing.T) {
	cfg := command.NewConfig()
	if got := cfg.Get("busy-reply-threshold"); got != "" {
		t.Fatalf("the core Config has busy-reply-threshold = %q", got)
	}
	d, s := commandtest.New(t, command.Options{Config: cfg})
	want := "*2\r\n$20\r\nbusy-reply-threshold\r\n$4\r\n5000\r\n"
	if got := commandtest.Do(d, s, "CONFIG", "GET", "busy-reply-threshold"); got != want {
		t.Errorf("core Config: CONFIG GET = %q, want %q", got, want)
	}
	cfg = families.NewConfig()
	if err := cfg.Init("busy-reply-threshold", "7"); err != nil {
		t.Fatal(err)
	}
	d, s = commandtest.New(t, command.Options{Config: cfg})
	want = "*2\r\n$20\r\nbusy-reply-threshold\r\n$1\r\n7\r\n"
	if got := commandtest.Do(d, s, "CONFIG", "GET", "busy-reply-threshold"); got != want {
		t.Errorf("families.NewConfig: CONFIG GET = %q, want %q", got, want)
	}
}
