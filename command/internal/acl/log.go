package acl

import (
	"sync"
	"time"
)

// Context is where a denied command ran (ACL_LOG_CTX_*).
type Context int

// Contexts, as ACL LOG names them.
const (
	CtxToplevel Context = iota
	CtxLua
	CtxMulti
)

// String is the context's name in ACL LOG.
func (c Context) String() string {
	switch c {
	case CtxLua:
		return "lua"
	case CtxMulti:
		return "multi"
	}
	return "toplevel"
}

// ReasonName is a denial's name in ACL LOG.
func (d Denial) ReasonName() string {
	switch d {
	case DeniedCommand:
		return "command"
	case DeniedKey:
		return "key"
	case DeniedChannel:
		return "channel"
	case DeniedAuth:
		return "auth"
	}
	return "unknown"
}

// Entry is one ACL LOG entry. Client is the front end's description of the
// client (CLIENT INFO's line), taken when the entry was last updated.
type Entry struct {
	Count    int64
	Reason   Denial
	Context  Context
	Object   string
	Username string
	Updated  time.Time
	Client   any
}

// groupWindow is ACL_LOG_GROUPING_MAX_TIME_DELTA: a denial like a recent
// entry's bumps its count instead of adding an entry.
const groupWindow = 60 * time.Second

// Log is the ACL log, newest entry first.
type Log struct {
	mu      sync.Mutex
	entries []*Entry
}

// Add is addACLLogEntry: e joins the log, or bumps an entry among the ten
// newest with the same reason, context, object and user updated within a
// minute (which then becomes the newest); the log keeps maxLen entries.
func (l *Log) Add(e Entry, maxLen int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, cur := range l.entries {
		if i >= 10 {
			break
		}
		d := cur.Updated.Sub(e.Updated)
		if d < 0 {
			d = -d
		}
		if cur.Reason == e.Reason && cur.Context == e.Context && d <= groupWindow &&
			cur.Object == e.Object && cur.Username == e.Username {
			cur.Client, cur.Updated = e.Client, e.Updated
			cur.Count++
			copy(l.entries[1:i+1], l.entries[:i])
			l.entries[0] = cur
			return
		}
	}
	e.Count = 1
	l.entries = append([]*Entry{&e}, l.entries...)
	if len(l.entries) > maxLen {
		l.entries = l.entries[:maxLen]
	}
}

// Entries returns copies of the newest n entries.
func (l *Log) Entries(n int) []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	n = min(n, len(l.entries))
	out := make([]Entry, n)
	for i := range out {
		out[i] = *l.entries[i]
	}
	return out
}

// Reset empties the log (ACL LOG RESET).
func (l *Log) Reset() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}
