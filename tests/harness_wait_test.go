package tests

// Waiting for a server to reach a state: poll something observable instead
// of sleeping for a guessed time. The timeouts only guard against a hang; no
// test asserts how long a wait took.

import (
	"strings"
	"testing"
	"time"
)

const (
	// waitTimeout bounds a wait for a state the server reaches at once on
	// an idle machine; generous for a -race binary on a loaded CI box.
	waitTimeout = 30 * time.Second
	// maxPollInterval caps the back-off of waitFor's polls, which start at
	// a millisecond: quick for short waits, light for long ones.
	maxPollInterval = 20 * time.Millisecond
)

// waitFor calls cond until it returns true, and fails the test (t.Fatalf)
// naming what it waited for when that takes longer than timeout. cond runs
// on the test's goroutine, so it may fail the test itself.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for interval := time.Millisecond; !cond(); interval = min(2*interval, maxPollInterval) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s after %v", what, timeout)
		}
		time.Sleep(interval) // the poll interval
	}
}

// clientID returns the id of c's client (CLIENT ID, uncompared: ids differ
// between servers). Being a CLIENT command, it also changes CLIENT LIST's
// cmd= for c to something other than a blocking command, which waitBlocked
// relies on.
func (c *rawConn) clientID() string {
	c.t.Helper()
	raw := string(c.do("CLIENT", "ID"))
	id, ok := strings.CutPrefix(strings.TrimSuffix(raw, "\r\n"), ":")
	if !ok || id == "" {
		c.t.Fatalf("%s: CLIENT ID = %q, want an integer", c.name, raw)
	}
	return id
}

// sendBlocking sends raw, a blocking command called name (lower case, as
// CLIENT LIST shows it) or a pipeline starting with one, and waits until
// the server has c waiting. Its reply is left unread. It returns c's id.
func (c *rawConn) sendBlocking(name string, raw []byte) (id string) {
	c.t.Helper()
	id = c.clientID()
	c.send(raw)
	c.waitBlocked(id, name)
	return id
}

// waitBlocked waits until CLIENT LIST ID id, asked on a connection of its
// own, shows cmd=name: the command has run on that client and, being a
// blocking command that found nothing, left it waiting. Neither INFO's
// blocked_clients nor the b flag serves on both servers: Larder reports
// neither. cmd= does: Redis sets it as the command starts, within the same
// event loop turn that blocks the client; Larder sets it after the handler,
// which registered the waiter. The client's previous command must have had
// another name, or the wait would end at once: clientID sees to that.
func (c *rawConn) waitBlocked(id, name string) {
	c.t.Helper()
	probe := dial(c.t, c.nc.RemoteAddr().String())
	defer func() { _ = probe.nc.Close() }() // a probe: nothing to flush
	waitFor(c.t, waitTimeout, c.name+" client "+id+" blocked in "+name, func() bool {
		return strings.Contains(string(probe.do("CLIENT", "LIST", "ID", id)), " cmd="+name+" ")
	})
}

// waitGone waits until the client with this id has left CLIENT LIST, asked
// on probe: its server has finished with the connection, including a
// command it was blocked in.
func waitGone(t testing.TB, probe *rawConn, id string) {
	t.Helper()
	waitFor(t, waitTimeout, probe.name+": client "+id+" to leave CLIENT LIST", func() bool {
		return !strings.Contains(string(probe.do("CLIENT", "LIST", "ID", id)), "id="+id+" ")
	})
}
