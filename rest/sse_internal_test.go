package rest

import (
	"testing"

	"github.com/larder-db/larder/command"
)

// TestPushEvent: each kind of push as its SSE event, and eventSize, which
// the stream's output limit counts, is the event's length.
func TestPushEvent(t *testing.T) {
	cases := []struct {
		m    command.Message
		want string
	}{
		{command.Message{Kind: command.PushMessage, Channel: []byte("chat/room 1"), Payload: []byte(`{"a":1}`)},
			"data: message,chat/room 1,{\"a\":1}\n\n"},
		{command.Message{Kind: command.PushPMessage, Pattern: []byte("chat/*"), Channel: []byte("chat/x"), Payload: []byte("")},
			"data: pmessage,chat/*,chat/x,\n\n"},
		{command.Message{Kind: command.PushSMessage, Channel: []byte("s"), Payload: []byte("hi")},
			"data: smessage,s,hi\n\n"},
		{command.Message{Kind: command.PushMonitor, Line: `1700000000.000001 [0 127.0.0.1:1] "set" "k" "+v"`},
			"data: 1700000000.000001 [0 127.0.0.1:1] \"set\" \"k\" \"+v\"\n\n"},
	}
	for _, c := range cases {
		got := appendPushEvent([]byte("x"), &c.m)
		if string(got[1:]) != c.want {
			t.Errorf("%s: %q, want %q", c.m.Kind, got[1:], c.want)
		}
		if n := eventSize(&c.m); n != len(c.want) {
			t.Errorf("%s: eventSize %d, event %d bytes", c.m.Kind, n, len(c.want))
		}
	}
}
