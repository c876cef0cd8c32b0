package resp

import (
	"bytes"
	"testing"
)

func TestSplitCommand_RoundTrip(t *testing.T) {
	cases := [][][]byte{
		{[]byte("PING")},
		{[]byte("SET"), []byte("key"), []byte("")},
		{[]byte("SET"), []byte("k"), bytes.Repeat([]byte("v\r\n"), 5000)},
	}
	for _, argv := range cases {
		frame := AppendCommand(nil, argv)
		f, err := NewScanner(DefaultLimits()).Scan(frame, true)
		if err != nil || f.Kind != Multibulk || f.N != len(frame) {
			t.Fatalf("scan %q: %+v %v", frame, f, err)
		}
		got := SplitCommand(frame, nil)
		if len(got) != len(argv) {
			t.Fatalf("split %d args, want %d", len(got), len(argv))
		}
		for i := range argv {
			if !bytes.Equal(got[i], argv[i]) {
				t.Fatalf("arg %d: %q, want %q", i, got[i], argv[i])
			}
		}
	}
}
