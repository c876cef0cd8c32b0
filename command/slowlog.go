package command

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// The slow log, as Redis 7.0's: commands that ran for at least
// slowlog-log-slower-than microseconds (negative: none, 0: every one),
// newest first, at most slowlog-max-len of them. A command is logged after
// it ran, with its arguments as the client sent them (secrets redacted,
// at most 32 arguments of at most 128 bytes each); commands flagged
// skip_slowlog are not (EXEC among them: its commands are logged one by
// one); those a script runs are, before the script's own entry. A blocking
// command is logged when it is served, with the time of that run.

// Redis's limits on a logged command (SLOWLOG_ENTRY_MAX_ARGC/STRING).
const (
	slowlogMaxArgs  = 32
	slowlogMaxBytes = 128
)

// SlowlogEntry is one logged command.
type SlowlogEntry struct {
	ID       int64
	Time     int64 // unix seconds
	Duration int64 // microseconds
	Args     [][]byte
	Addr     string
	Name     string
}

type slowlog struct {
	mu      sync.Mutex
	entries []SlowlogEntry // newest first
	nextID  int64
	// The parameters, cached by ApplyConfig: read on every command.
	slowerThan atomic.Int64
	maxLen     atomic.Int64
}

// applySlowlogConfig caches slowlog-log-slower-than and slowlog-max-len;
// a shorter maximum drops the oldest entries at once, as in Redis.
func (d *Dispatcher) applySlowlogConfig() {
	l := &d.slowlog
	l.slowerThan.Store(d.Cfg.Int("slowlog-log-slower-than"))
	l.maxLen.Store(d.Cfg.Int("slowlog-max-len"))
	l.mu.Lock()
	l.trim()
	l.mu.Unlock()
}

// trim drops the entries past slowlog-max-len; l.mu must be held.
func (l *slowlog) trim() {
	if n := l.maxLen.Load(); int64(len(l.entries)) > n {
		clear(l.entries[n:])
		l.entries = l.entries[:n]
	}
}

// noteSlow logs a command that took dur if it was slow enough.
func (d *Dispatcher) noteSlow(s *Session, spec *Spec, argv [][]byte, start time.Time, dur time.Duration) {
	l := &d.slowlog
	threshold := l.slowerThan.Load()
	us := dur.Microseconds()
	if threshold < 0 || us < threshold || spec.Flags&FlagSkipSlowlog != 0 || s.replay {
		return
	}
	e := SlowlogEntry{Time: start.Unix(), Duration: us, Args: slowlogArgs(redact(spec, argv)),
		Addr: s.Addr, Name: s.Name()}
	if s.FromScript() {
		e.Addr = "?:0" // Redis's script client has no connection
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	e.ID = l.nextID
	l.nextID++
	l.entries = append(l.entries, SlowlogEntry{})
	copy(l.entries[1:], l.entries)
	l.entries[0] = e
	l.trim()
}

// slowlogArgs copies argv within Redis's limits: past 32 arguments the
// last kept says how many more there were; an argument past 128 bytes is
// cut and says how many more bytes it had.
func slowlogArgs(argv [][]byte) [][]byte {
	n := min(len(argv), slowlogMaxArgs)
	out := make([][]byte, n)
	for i := range n {
		a := argv[i]
		switch {
		case n != len(argv) && i == n-1:
			out[i] = fmt.Appendf(nil, "... (%d more arguments)", len(argv)-n+1)
		case len(a) > slowlogMaxBytes:
			out[i] = fmt.Appendf(append([]byte(nil), a[:slowlogMaxBytes]...), "... (%d more bytes)", len(a)-slowlogMaxBytes)
		default:
			out[i] = append([]byte(nil), a...)
		}
	}
	return out
}

// Slowlog returns up to n entries, newest first (n < 0: all).
func (d *Dispatcher) Slowlog(n int64) []SlowlogEntry {
	l := &d.slowlog
	l.mu.Lock()
	defer l.mu.Unlock()
	if n < 0 || n > int64(len(l.entries)) {
		n = int64(len(l.entries))
	}
	return append([]SlowlogEntry(nil), l.entries[:n]...)
}

// SlowlogLen is SLOWLOG LEN.
func (d *Dispatcher) SlowlogLen() int {
	l := &d.slowlog
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

// SlowlogReset is SLOWLOG RESET: the entries go, the ids keep counting.
func (d *Dispatcher) SlowlogReset() {
	l := &d.slowlog
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.entries)
	l.entries = l.entries[:0]
}
