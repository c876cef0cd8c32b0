package rest

import (
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/keyspace"
)

// TestAuth_ConstantTimeHelper: every token check goes through tokenEqual
// (command.CheckPassword: sha256 of both sides, then
// subtle.ConstantTimeCompare), and both tokens are always compared, so
// timing tells neither whether nor which token matched (R19).
func TestAuth_ConstantTimeHelper(t *testing.T) {
	cfg := command.NewConfig()
	for k, v := range map[string]string{"rest-token": "std", "rest-readonly-token": "ro"} {
		if err := cfg.Init(k, v); err != nil {
			t.Fatal(err)
		}
	}
	d := families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Config: cfg, Logger: zerolog.Nop()})
	s := New(Options{Dispatcher: d})
	calls := 0
	tokenEqual = func(want, got []byte) bool {
		calls++
		return command.CheckPassword(want, got)
	}
	t.Cleanup(func() { tokenEqual = command.CheckPassword })
	cases := []struct {
		name, target, header string
		ro, ok               bool
		compares             int
	}{
		{"standard", "/", "Bearer std", false, true, 2},
		{"read-only", "/", "Bearer ro", true, true, 2},
		{"wrong", "/", "Bearer nope", false, false, 2},
		{"query", "/get/k?_token=ro", "", true, true, 2},
		{"missing", "/", "", false, false, 0},
		{"not bearer", "/", "Basic std", false, false, 0},
	}
	for _, c := range cases {
		calls = 0
		r := httptest.NewRequest("POST", c.target, nil)
		if c.header != "" {
			r.Header.Set("Authorization", c.header)
		}
		ro, ok := s.authenticate(r)
		if ro != c.ro || ok != c.ok || calls != c.compares {
			t.Errorf("%s: ro=%v ok=%v compares=%d, want %v %v %d", c.name, ro, ok, calls, c.ro, c.ok, c.compares)
		}
	}
	if command.CheckPassword([]byte("a"), []byte("ab")) || !command.CheckPassword([]byte("ab"), []byte("ab")) {
		t.Fatal("CheckPassword")
	}
}
