package tests

import (
	"errors"
	"io"
	"strconv"
	"testing"
	"time"
)

// TestCompat_ShutdownRefusals: the SHUTDOWN forms that do not shut down
// answer as Redis 7.0 does (Redis's "MULTI with SHUTDOWN").
func TestCompat_ShutdownRefusals(t *testing.T) {
	runCompat(t, [][]string{
		c("MULTI"), c("SHUTDOWN"), c("EXEC"),
		c("SHUTDOWN", "ABORT"), c("SHUTDOWN", "SAVE", "NOSAVE"), c("SHUTDOWN", "ABORT", "NOW"),
		c("SHUTDOWN", "bogus"), c("SHUTDOWN", "NOW", "NOW", "NOW", "NOW", "NOW", "ABORT"),
		c("EVAL", "return redis.pcall('shutdown')", "0"), c("COMMAND", "INFO", "shutdown"),
	})
}

// TestShutdown: SHUTDOWN closes the client's connection without a reply and
// the server exits 0; what was written is there after a restart on the same
// data dir, with each form (SAVE writes a snapshot first).
func TestShutdown(t *testing.T) {
	dir := t.TempDir()
	bin := larderBinary(t)
	for i, argv := range [][]string{{"SHUTDOWN"}, {"SHUTDOWN", "SAVE"}, {"SHUTDOWN", "NOSAVE", "NOW"},
		{"shutdown", "force", "save"}, {"SHUTDOWN", "NOW", "NOW", "NOW", "NOW", "NOW", "NOW"}} {
		s, err := launch("larder", dir, larderSpec(bin, nil))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stopAllFor(t, s) })
		c := dial(t, s.addr)
		if i > 0 {
			expectReply(t, c, "$1\r\n"+strconv.Itoa(i-1)+"\r\n", "GET", "k")
		}
		expectReply(t, c, "+OK\r\n", "SET", "k", strconv.Itoa(i))
		c.send(encodeArgv(argv))
		if raw, _, err := c.read(); !errors.Is(err, io.EOF) {
			t.Fatalf("%v: want the connection closed without a reply, got %q, %v", argv, raw, err)
		}
		select {
		case <-s.exited:
		case <-time.After(stopTimeout):
			t.Fatalf("%v: larder still runs", argv)
		}
		if s.waitErr != nil {
			t.Fatalf("%v: larder exited with %v", argv, s.waitErr)
		}
	}
}
