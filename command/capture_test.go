package command

import (
	"testing"

	"github.com/larder-db/larder/protocol/resp"
)

func TestCapture_NestedReplay(t *testing.T) {
	s := &Session{Proto: 3}
	write := func(r Reply) {
		r.Map(2)
		r.BulkString("a")
		r.Array(2)
		r.Int(1)
		r.Set(0)
		r.BulkString("b")
		r.Array(1)
		r.Array(1)
		r.Double(1.5)
		r.Null()
	}
	var direct resp.Writer
	direct.Proto = &s.Proto
	write(&direct)

	var c Capture
	write(&c)
	if got := len(c.Values()); got != 2 {
		t.Fatalf("captured %d top-level values, want 2", got)
	}
	var replayed resp.Writer
	replayed.Proto = &s.Proto
	for _, v := range c.Values() {
		v.Replay(&replayed)
	}
	if string(direct.Buf) != string(replayed.Buf) {
		t.Fatalf("replay differs:\n direct   %q\n replayed %q", direct.Buf, replayed.Buf)
	}
	c.Reset()
	if len(c.Values()) != 0 {
		t.Fatal("reset left values")
	}
}
