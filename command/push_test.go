package command_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
)

// frameRecorder is a Pusher that encodes as a RESP front end does, through
// Message.Frame, counting the encodings all recorders make.
type frameRecorder struct {
	proto   int
	encodes *int
	frames  []string
	kept    []*command.Message
}

func (r *frameRecorder) Start() {}
func (r *frameRecorder) Push(m *command.Message) {
	f := m.Frame(r.proto, func(m *command.Message, proto int) []byte {
		*r.encodes++
		return fmt.Appendf(nil, "%d %s %s %s %s", proto, m.Kind, m.Pattern, m.Channel, m.Payload)
	})
	r.frames = append(r.frames, string(f))
	r.kept = append(r.kept, m)
}

// TestPublish_OneMessagePerFanOut: a PUBLISH reaches each receiver set as
// one Message, encoded once per protocol version however many receive it
// (sessions that never chose a version get RESP2), and the Message owns
// its bytes: the publisher's argument buffers may be reused at once.
func TestPublish_OneMessagePerFanOut(t *testing.T) {
	d, _ := commandtest.New(t, command.Options{})
	encodes := 0
	var recs []*frameRecorder
	subscribe := func(proto int, k command.SubKind, name string) {
		r := &frameRecorder{proto: proto, encodes: &encodes}
		s := command.NewSession("test", "127.0.0.1:3", "x", time.Now())
		s.Pusher = r
		d.Subscribe(s, k, name, true)
		recs = append(recs, r)
	}
	for _, proto := range []int{0, 2, 2, 3, 3} {
		subscribe(proto, command.SubChannel, "ch")
	}
	subscribe(2, command.SubPattern, "c*")
	subscribe(2, command.SubPattern, "c*")
	channel, payload := []byte("ch"), []byte("hi")
	if n := d.Publish(channel, payload, false); n != 7 {
		t.Fatalf("Publish reached %d, want 7", n)
	}
	copy(channel, "XX")
	copy(payload, "XX")
	if encodes != 3 {
		t.Errorf("%d encodings, want 3 (message in RESP2 and RESP3, pmessage in RESP2)", encodes)
	}
	want := []string{"2 message  ch hi", "2 message  ch hi", "2 message  ch hi", "3 message  ch hi", "3 message  ch hi",
		"2 pmessage c* ch hi", "2 pmessage c* ch hi"}
	for i, r := range recs {
		if len(r.frames) != 1 || r.frames[0] != want[i] {
			t.Fatalf("receiver %d got %q, want %q", i, r.frames, want[i])
		}
		if m := r.kept[0]; string(m.Channel) != "ch" || string(m.Payload) != "hi" {
			t.Errorf("receiver %d kept %s %s after the publisher's buffers changed", i, m.Channel, m.Payload)
		}
	}
	if n := d.Publish([]byte("nobody"), []byte("x"), true); n != 0 {
		t.Errorf("SPUBLISH without subscribers reached %d", n)
	}
}
