package command

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The monitor feed: every command the dispatcher executes, as Redis's
// MONITOR prints it, pushed to the sessions that asked for it (the REST
// /monitor stream; a TCP MONITOR can use the same registry). As in Redis
// 7.0, commands flagged skip_monitor or admin are not shown, and a command
// is fed after it ran (EXEC's queued commands one by one).

type monitors struct {
	mu  sync.RWMutex
	n   atomic.Int64
	set map[*Session]struct{}
}

// Monitor starts feeding s (which must have a Pusher) one PushMonitor
// message per executed command, its Line `<unix time> [<db> <addr>] "arg" …`.
func (d *Dispatcher) Monitor(s *Session) {
	m := &d.monitors
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.set == nil {
		m.set = map[*Session]struct{}{}
	}
	if _, ok := m.set[s]; !ok {
		m.set[s] = struct{}{}
		m.n.Add(1)
		s.Mu.Lock()
		s.monitor = true
		s.Mu.Unlock()
	}
}

// Monitoring reports whether s is in MONITOR mode.
func (d *Dispatcher) Monitoring(s *Session) bool {
	m := &d.monitors
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, ok := m.set[s]
	return ok
}

// StopMonitor ends s's feed; no message reaches s after it returns.
func (d *Dispatcher) StopMonitor(s *Session) {
	m := &d.monitors
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.set[s]; ok {
		delete(m.set, s)
		m.n.Add(-1)
		s.Mu.Lock()
		s.monitor = false
		s.Mu.Unlock()
	}
}

// feedMonitors sends one executed command to every monitor.
func (d *Dispatcher) feedMonitors(s *Session, spec *Spec, db int, argv [][]byte, at time.Time) {
	if spec.Flags&(FlagSkipMonitor|FlagAdmin) == 0 {
		d.feedMonitorLine(s, db, redact(spec, argv), at)
	}
}

// feedScriptCommand sends a command that runs Lua (flagged skip_monitor)
// before it runs, so that the commands its script calls follow it, as
// Redis's evalCommand and fcallCommand do.
func (d *Dispatcher) feedScriptCommand(s *Session, spec *Spec, argv [][]byte, at time.Time) {
	if spec.Flags&FlagScript != 0 && d.monitors.n.Load() > 0 {
		d.feedMonitorLine(s, s.db, redact(spec, argv), at)
	}
}

// feedMonitorLine sends argv (redacted already) to every monitor but s.
// Commands a script runs show the address "lua", as in Redis.
func (d *Dispatcher) feedMonitorLine(s *Session, db int, argv [][]byte, at time.Time) {
	m := &d.monitors
	m.mu.RLock()
	defer m.mu.RUnlock()
	if len(m.set) == 0 {
		return
	}
	addr := s.Addr
	if s.FromScript() {
		addr = "lua"
	}
	msg := &Message{Kind: PushMonitor, Line: monitorLine(addr, db, argv, at)}
	for mon := range m.set {
		if mon != s && mon.Pusher != nil {
			mon.Pusher.Push(msg)
		}
	}
}

// redact hides the arguments the row names as secrets, as Redis 7.0 shows
// them: "(redacted)" (AUTH's password, HELLO's AUTH credentials).
func redact(spec *Spec, argv [][]byte) [][]byte {
	if spec.Secrets == nil {
		return argv
	}
	secrets := spec.Secrets(argv)
	if len(secrets) == 0 {
		return argv
	}
	out := append([][]byte(nil), argv...)
	for _, i := range secrets {
		out[i] = []byte("(redacted)")
	}
	return out
}

// monitorLine is Redis's replicationFeedMonitors format (the line it sends
// as a simple string).
func monitorLine(addr string, db int, argv [][]byte, at time.Time) string {
	b := make([]byte, 0, 64)
	b = strconv.AppendInt(b, at.Unix(), 10)
	b = append(b, '.')
	us := strconv.AppendInt(nil, int64(at.Nanosecond()/1000), 10)
	for i := len(us); i < 6; i++ {
		b = append(b, '0')
	}
	b = append(b, us...)
	b = append(b, " ["...)
	b = strconv.AppendInt(b, int64(db), 10)
	b = append(b, ' ')
	b = append(b, addr...)
	b = append(b, ']')
	for _, a := range argv {
		b = append(b, ' ')
		b = appendRepr(b, a)
	}
	return string(b)
}

// appendRepr quotes a as Redis's sdscatrepr does.
func appendRepr(b, a []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, c := range a {
		switch c {
		case '\\', '"':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\a':
			b = append(b, '\\', 'a')
		case '\b':
			b = append(b, '\\', 'b')
		default:
			if c >= 0x20 && c < 0x7f {
				b = append(b, c)
			} else {
				b = append(b, '\\', 'x', hex[c>>4], hex[c&0xf])
			}
		}
	}
	return append(b, '"')
}
