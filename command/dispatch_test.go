package command

import (
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/keyspace"
)

func newTestDispatcher(t testing.TB) (*Dispatcher, *Session) {
	t.Helper()
	d := New(Options{Store: keyspace.New(keyspace.Options{}), Logger: zerolog.Nop()})
	s := NewSession("test", "127.0.0.1:1", "127.0.0.1:2", time.Now())
	d.Register(s)
	return d, s
}

func do(d *Dispatcher, s *Session, args ...string) string {
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	w := RESPWriter{S: s}
	d.Do(s, argv, &w)
	return string(w.Buf)
}

func TestDispatcher_Gates(t *testing.T) {
	d, s := newTestDispatcher(t)
	cases := []struct {
		name string
		argv []string
		want string
	}{
		{"unknown", []string{"FOO", "a", "b"}, "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n"},
		{"unknown no args", []string{"foo"}, "-ERR unknown command 'foo', with args beginning with: \r\n"},
		{"arity exact", []string{"GET"}, "-ERR wrong number of arguments for 'get' command\r\n"},
		{"arity min", []string{"set", "k"}, "-ERR wrong number of arguments for 'set' command\r\n"},
		{"mixed case", []string{"GeT", "missing"}, "$-1\r\n"},
		{"newline in name", []string{"a\r\nb"}, "-ERR unknown command 'a  b', with args beginning with: \r\n"},
		{"long args cut", []string{"x", strings.Repeat("a", 200)}, "-ERR unknown command 'x', with args beginning with: '" + strings.Repeat("a", 128) + "' \r\n"},
	}
	for _, c := range cases {
		if got := do(d, s, c.argv...); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestDispatcher_NoAuth(t *testing.T) {
	d, s := newTestDispatcher(t)
	if err := d.Config().Init("requirepass", "secret"); err != nil {
		t.Fatal(err)
	}
	s.Authenticated = false
	if got := do(d, s, "get", "k"); got != "-NOAUTH Authentication required.\r\n" {
		t.Fatalf("got %q", got)
	}
	if got := do(d, s, "auth", "wrong"); got != "-WRONGPASS invalid username-password pair or user is disabled.\r\n" {
		t.Fatalf("got %q", got)
	}
	if got := do(d, s, "auth", "secret"); got != "+OK\r\n" {
		t.Fatalf("got %q", got)
	}
	if got := do(d, s, "get", "k"); got != "$-1\r\n" {
		t.Fatalf("got %q", got)
	}
}

func TestDispatcher_HandlerPanicIsContained(t *testing.T) {
	d, s := newTestDispatcher(t)
	spec := &Spec{Name: "boom", Arity: 1, Flags: FlagNoLock, Handler: func(*Call) error { panic("bad") }}
	w := RESPWriter{S: s}
	d.run(s, spec, [][]byte{[]byte("boom")}, &w)
	if string(w.Buf) != "-ERR internal error\r\n" {
		t.Fatalf("got %q", w.Buf)
	}
}

func BenchmarkDispatcher_GetHit(b *testing.B) {
	d, s := newTestDispatcher(b)
	do(d, s, "set", "key:000001", strings.Repeat("x", 1024))
	argv := [][]byte{[]byte("GET"), []byte("key:000001")}
	w := RESPWriter{S: s}
	b.ReportAllocs()
	for b.Loop() {
		w.Buf = w.Buf[:0]
		d.Do(s, argv, &w)
	}
}

func BenchmarkDispatcher_SetOverwrite(b *testing.B) {
	d, s := newTestDispatcher(b)
	argv := [][]byte{[]byte("SET"), []byte("key:000001"), []byte(strings.Repeat("x", 1024))}
	w := RESPWriter{S: s}
	b.ReportAllocs()
	for b.Loop() {
		w.Buf = w.Buf[:0]
		d.Do(s, argv, &w)
	}
}
