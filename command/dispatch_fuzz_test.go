package command_test

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"

	"github.com/larder-db/larder/protocol/resp"
)

// FuzzDispatch feeds arbitrary argv to every row of the table: no panic
// reaches the dispatcher's recover (a recovered panic answers "ERR internal
// error", which fails the target), and every command writes exactly one
// well-formed reply in both protocols (CLIENT REPLY OFF/SKIP write none).
func FuzzDispatch(f *testing.F) {
	f.Add(uint16(0), []byte("k\x00v\x00ex\x0010"), false)
	f.Add(uint16(1), []byte("k\x00-1\x00xx"), true)
	f.Add(uint16(7), []byte("\x00\x00\x00"), false)
	f.Add(uint16(3), []byte("99999999999999999999\x00inf\x00nan"), true)
	f.Fuzz(func(t *testing.T, row uint16, packed []byte, resp3 bool) {
		d, s := commandtest.New(t, command.Options{})
		rows := d.Table().All()
		spec := rows[int(row)%len(rows)]
		if spec.Name == "quit" || spec.Name == "reset" {
			return // connection-level: tested with a real connection
		}
		argv := [][]byte{[]byte(spec.Name)}
		if len(spec.Subs) > 0 && len(packed) > 0 {
			sub := spec.Subs[int(packed[0])%len(spec.Subs)]
			argv = append(argv, []byte(sub.Name[len(spec.Name)+1:]))
			packed = packed[1:]
		}
		if len(packed) > 0 {
			argv = append(argv, bytes.Split(packed, []byte{0})...)
		}
		if resp3 {
			s.Proto = 3
		}
		// Seed a few keys of the same names so handlers see existing data.
		for _, a := range argv[1:] {
			commandtest.Do(d, s, "set", string(a), string(a))
		}
		w := resp.Writer{Proto: &s.Proto}
		s.BeginCommand()
		d.Do(s, argv, &w)
		if s.ReplySuppressed() {
			return
		}
		br := bufio.NewReader(bytes.NewReader(w.Buf))
		_, v, err := resp.ReadReply(br)
		if err != nil {
			t.Fatalf("%q: malformed reply %q: %v", argv, w.Buf, err)
		}
		// (UN)SUBSCRIBE answers one frame per channel, as Redis does.
		for strings.HasSuffix(spec.Name, "subscribe") && br.Buffered() != 0 {
			if _, _, err := resp.ReadReply(br); err != nil {
				t.Fatalf("%q: malformed reply %q: %v", argv, w.Buf, err)
			}
		}
		if br.Buffered() != 0 {
			t.Fatalf("%q: more than one reply: %q", argv, w.Buf)
		}
		if v.Type == '-' && v.Str == "ERR internal error" {
			t.Fatalf("%q: handler failed internally", argv)
		}
	})
}
