package resp

import "testing"

// TestWriter_FollowsProto: each write takes the version *Proto holds at
// that moment (a HELLO mid-pipeline), and a nil Proto writes RESP2.
func TestWriter_FollowsProto(t *testing.T) {
	var zero Writer
	zero.Null()
	zero.Map(1)
	if got, want := string(zero.Buf), "$-1\r\n*2\r\n"; got != want {
		t.Fatalf("nil Proto wrote %q, want %q", got, want)
	}
	proto := RESP2
	w := Writer{Proto: &proto}
	w.Push(1)
	w.Double(1.5)
	proto = RESP3
	w.Push(1)
	w.Double(1.5)
	w.Bool(true)
	if got, want := string(w.Buf), "*1\r\n$3\r\n1.5\r\n>1\r\n,1.5\r\n#t\r\n"; got != want {
		t.Fatalf("wrote %q, want %q", got, want)
	}
}
