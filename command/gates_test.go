package command_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
)

// TestGate_Misconf: while the journal cannot log, writes, PING and an EXEC
// with a queued write are refused with MISCONF (the EXEC as EXECABORT,
// discarding its transaction); reads and an EXEC of reads still run, as in
// Redis.
func TestGate_Misconf(t *testing.T) {
	d, j, s := journaled()
	commandtest.Do(d, s, "MULTI")
	if r := commandtest.Do(d, s, "SET", "a", "1"); r != "+QUEUED\r\n" {
		t.Fatalf("SET in MULTI = %q", r)
	}
	j.Fail = errors.New("write log: no space left on device")
	for _, tc := range []struct {
		argv   []string
		prefix string
	}{
		{[]string{"EXEC"}, "-EXECABORT Transaction discarded because of: MISCONF "},
		{[]string{"EXEC"}, "-ERR EXEC without MULTI"}, // the refusal discarded it
		{[]string{"PING"}, "-MISCONF "},
		{[]string{"SET", "a", "1"}, "-MISCONF "},
		{[]string{"GET", "a"}, "$-1"},
		{[]string{"MULTI"}, "+OK"},
		{[]string{"GET", "a"}, "+QUEUED"},
		{[]string{"EXEC"}, "*1\r\n$-1"},
	} {
		if r := commandtest.Do(d, s, tc.argv...); !strings.HasPrefix(r, tc.prefix) {
			t.Errorf("%v = %q, want %q…", tc.argv, r, tc.prefix)
		}
	}
}

// TestGate_Subscriber: a RESP2 client in subscriber mode may run only the
// (P|S)SUBSCRIBE and (P|S)UNSUBSCRIBE family, PING, QUIT and RESET.
func TestGate_Subscriber(t *testing.T) {
	d, s := commandtest.New(t, command.Options{})
	s.Pusher = &pushRecorder{}
	if r := commandtest.Do(d, s, "SUBSCRIBE", "c"); !strings.HasPrefix(r, "*3\r\n$9\r\nsubscribe\r\n") {
		t.Fatalf("SUBSCRIBE = %q", r)
	}
	refused := "-ERR Can't execute '"
	for _, argv := range [][]string{
		{"GET", "a"}, {"ECHO", "x"}, {"CLIENT", "ID"}, {"MULTI"},
		{"PING"}, {"PSUBSCRIBE", "p*"}, {"SSUBSCRIBE", "s"}, {"SUNSUBSCRIBE"}, {"PUNSUBSCRIBE"}, {"UNSUBSCRIBE", "x"},
		{"QUIT"}, {"RESET"},
	} {
		r := commandtest.Do(d, s, argv...)
		allowed := argv[0] != "GET" && argv[0] != "ECHO" && argv[0] != "CLIENT" && argv[0] != "MULTI"
		if strings.HasPrefix(r, refused) == allowed {
			t.Errorf("%v = %q (allowed: %v)", argv, r, allowed)
		}
	}
	if r := commandtest.Do(d, s, "GET", "a"); r != "$-1\r\n" { // RESET left subscriber mode
		t.Fatalf("GET after RESET = %q", r)
	}
}
