package command_test

import (
	"strings"
	"testing"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
	"github.com/larder-db/larder/protocol/resp"
)

func TestDispatcher_Gates(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
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
		if got := commandtest.Do(d, s, c.argv...); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestDispatcher_NoAuth(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	if err := d.Config().Init("requirepass", "secret"); err != nil {
		t.Fatal(err)
	}
	s.Authenticated = false
	if got := commandtest.Do(d, s, "get", "k"); got != "-NOAUTH Authentication required.\r\n" {
		t.Fatalf("got %q", got)
	}
	if got := commandtest.Do(d, s, "auth", "wrong"); got != "-WRONGPASS invalid username-password pair or user is disabled.\r\n" {
		t.Fatalf("got %q", got)
	}
	if got := commandtest.Do(d, s, "auth", "secret"); got != "+OK\r\n" {
		t.Fatalf("got %q", got)
	}
	if got := commandtest.Do(d, s, "get", "k"); got != "$-1\r\n" {
		t.Fatalf("got %q", got)
	}
}

func BenchmarkDispatcher_GetHit(b *testing.B) {
	d, s := commandtest.New(b, command.Options{})
	commandtest.Do(d, s, "set", "key:000001", strings.Repeat("x", 1024))
	argv := [][]byte{[]byte("GET"), []byte("key:000001")}
	w := resp.Writer{Proto: &s.Proto}
	b.ReportAllocs()
	for b.Loop() {
		w.Buf = w.Buf[:0]
		d.Do(s, argv, &w)
	}
}

func BenchmarkDispatcher_SetOverwrite(b *testing.B) {
	d, s := commandtest.New(b, command.Options{})
	argv := [][]byte{[]byte("SET"), []byte("key:000001"), []byte(strings.Repeat("x", 1024))}
	w := resp.Writer{Proto: &s.Proto}
	b.ReportAllocs()
	for b.Loop() {
		w.Buf = w.Buf[:0]
		d.Do(s, argv, &w)
	}
}
