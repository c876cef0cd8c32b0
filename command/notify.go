package command

import (
	"strconv"
	"strings"
)

// Keyspace notifications (notify-keyspace-events): a write publishes
// "__keyspace@<db>__:<key>" → event and "__keyevent@<db>__:<event>" → key
// through Pub/Sub, for the classes the parameter enables.

// notifyClass is one of Redis's event classes.
type notifyClass uint16

const (
	notifyKeyspace notifyClass = 1 << iota // K
	notifyKeyevent                         // E
	NotifyGeneric                          // g
	NotifyString                           // $
	NotifyList                             // l
	NotifySet                              // s
	NotifyHash                             // h
	NotifyZSet                             // z
	notifyExpired                          // x
	notifyEvicted                          // e
	NotifyStream                           // t
	notifyKeyMiss                          // m
	notifyModule                           // d
	notifyNew                              // n

	notifyAll = NotifyGeneric | NotifyString | NotifyList | NotifySet | NotifyHash |
		NotifyZSet | notifyExpired | notifyEvicted | NotifyStream | notifyModule
)

// notifyChars maps flag characters to classes, in the order Redis prints them.
var notifyChars = []struct {
	ch    byte
	class notifyClass
}{
	{'g', NotifyGeneric}, {'$', NotifyString}, {'l', NotifyList}, {'s', NotifySet},
	{'h', NotifyHash}, {'z', NotifyZSet}, {'x', notifyExpired}, {'e', notifyEvicted},
	{'t', NotifyStream}, {'d', notifyModule}, {'n', notifyNew},
	{'K', notifyKeyspace}, {'E', notifyKeyevent}, {'m', notifyKeyMiss},
}

// parseNotify is keyspaceEventsStringToFlags.
func parseNotify(v string) (notifyClass, bool) {
	var f notifyClass
	for i := 0; i < len(v); i++ {
		if v[i] == 'A' {
			f |= notifyAll
			continue
		}
		found := false
		for _, c := range notifyChars {
			if c.ch == v[i] {
				f, found = f|c.class, true
			}
		}
		if !found {
			return 0, false
		}
	}
	return f, true
}

// formatNotify is keyspaceEventsFlagsToString.
func formatNotify(f notifyClass) string {
	var b strings.Builder
	for _, c := range notifyChars {
		if c.ch == 'K' && f&notifyAll == notifyAll {
			b.Reset()
			b.WriteByte('A')
		}
		if f&c.class != 0 {
			b.WriteByte(c.ch)
		}
	}
	return b.String()
}

func notifyParam() *Param {
	return &Param{Name: "notify-keyspace-events", Default: "",
		Usage: "keyspace notification classes (K E g $ l s h z x e t m d n A)",
		Check: func(v string) string {
			if _, ok := parseNotify(v); !ok {
				return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
			}
			return ""
		},
		// Stored losslessly; shown as Redis prints it, which drops 'n'
		// next to 'A' though the class stays on.
		Merge: func(_, v string) string {
			f, _ := parseNotify(v)
			s := formatNotify(f)
			if f&notifyAll == notifyAll && f&notifyNew != 0 {
				s += "n"
			}
			return s
		},
		Show: func(v string) string {
			f, _ := parseNotify(v)
			return formatNotify(f)
		}}
}

// Notify publishes event for key in db if its class is enabled.
func (d *Dispatcher) Notify(class notifyClass, event string, key []byte, db int) {
	f := notifyClass(d.notifyFlags.Load())
	if f&class == 0 || f&(notifyKeyspace|notifyKeyevent) == 0 {
		return
	}
	if d.pubsubEmpty() {
		return // nobody can be listening
	}
	dbs := strconv.Itoa(db)
	if f&notifyKeyspace != 0 {
		d.Publish([]byte("__keyspace@"+dbs+"__:"+string(key)), []byte(event), false)
	}
	if f&notifyKeyevent != 0 {
		d.Publish([]byte("__keyevent@"+dbs+"__:"+event), key, false)
	}
}

// Notify is Dispatcher.notify for the call's database.
func (c *Call) Notify(class notifyClass, event string, key []byte) {
	if c.D.notifyFlags.Load() != 0 {
		c.D.Notify(class, event, key, c.db.Index())
	}
}

// pubsubEmpty reports whether there are no subscriptions at all.
func (d *Dispatcher) pubsubEmpty() bool {
	p := &d.pubsub
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.subs[SubChannel]) == 0 && len(p.subs[SubPattern]) == 0
}
