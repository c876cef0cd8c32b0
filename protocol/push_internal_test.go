package protocol

import (
	"testing"

	"github.com/larder-db/larder/command"
)

// TestEncodePush_Wire: pub/sub messages as RESP2 arrays and RESP3 pushes
// of their kind and parts, a MONITOR line as a simple string in both.
func TestEncodePush_Wire(t *testing.T) {
	cases := []struct {
		m            command.Message
		resp2, resp3 string
	}{
		{command.Message{Kind: command.PushMessage, Channel: []byte("ch"), Payload: []byte("a\r\nb")},
			"*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$4\r\na\r\nb\r\n",
			">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$4\r\na\r\nb\r\n"},
		{command.Message{Kind: command.PushPMessage, Pattern: []byte("c*"), Channel: []byte("ch"), Payload: []byte("")},
			"*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$0\r\n\r\n",
			">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$0\r\n\r\n"},
		{command.Message{Kind: command.PushSMessage, Channel: []byte("s"), Payload: []byte("hi")},
			"*3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$2\r\nhi\r\n",
			">3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$2\r\nhi\r\n"},
		{command.Message{Kind: command.PushMonitor, Line: `1700000000.000001 [0 127.0.0.1:1] "ping"`},
			"+1700000000.000001 [0 127.0.0.1:1] \"ping\"\r\n",
			"+1700000000.000001 [0 127.0.0.1:1] \"ping\"\r\n"},
	}
	for _, c := range cases {
		if got := string(encodePush(&c.m, 2)); got != c.resp2 {
			t.Errorf("%s RESP2: %q, want %q", c.m.Kind, got, c.resp2)
		}
		if got := string(encodePush(&c.m, 3)); got != c.resp3 {
			t.Errorf("%s RESP3: %q, want %q", c.m.Kind, got, c.resp3)
		}
	}
}
