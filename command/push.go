package command

// Pushes: what reaches a session outside the request/reply flow (pub/sub
// messages, the MONITOR feed). The dispatcher hands each receiver's front
// end a Message, a value rather than bytes; each front end encodes it its
// own way (RESP over TCP, events on REST's SSE streams).

// Pusher delivers pushes outside the request/reply flow, from any
// goroutine.
type Pusher interface {
	// Start is called on the session's own goroutine before its first
	// subscription takes effect, so the front end can order pushes after
	// the replies it is about to write.
	Start()
	// Push queues m without blocking; a client whose queue passes its
	// output buffer limit is disconnected. m is shared with the push's
	// other receivers: a front end may keep it, but never changes it.
	Push(m *Message)
}

// PushKind is what a Message carries.
type PushKind uint8

// The kinds of push.
const (
	PushMessage     PushKind = iota // PUBLISH to a subscribed channel: Channel, Payload
	PushPMessage                    // PUBLISH to a channel a pattern matches: Pattern, Channel, Payload
	PushSMessage                    // SPUBLISH: Channel, Payload
	PushMonitor                     // a command a MONITOR sees: Line
	PushInvalidate                  // CLIENT TRACKING: Keys changed (Null: all of them)
	PushRedirBroken                 // CLIENT TRACKING: the redirect target ID is gone
)

var pushNames = [...]string{"message", "pmessage", "smessage", "monitor", "invalidate", "tracking-redir-broken"}

// String is the kind's name; a message push starts with it.
func (k PushKind) String() string { return pushNames[k] }

// Message is one push. Its bytes are its own (not the publishing command's
// arguments), so a receiver may keep it after Push returns.
type Message struct {
	Kind    PushKind
	Pattern []byte // PushPMessage: the subscribed pattern
	Channel []byte
	Payload []byte
	Line    string // PushMonitor: the line as Redis's MONITOR prints it
	// PushInvalidate: the keys, or Null (a flush) in the null of protocol
	// NullProto (the tracking client's, as Redis); PushRedirBroken: ID.
	Keys      [][]byte
	Null      bool
	NullProto int
	ID        int64
	frames    [2][]byte // RESP2 and RESP3 encodings, built by Frame
}

// newMessage returns a message of kind k with copies of its parts.
func newMessage(k PushKind, pattern string, channel, payload []byte) *Message {
	b := make([]byte, 0, len(pattern)+len(channel)+len(payload))
	b = append(b, pattern...)
	b = append(b, channel...)
	b = append(b, payload...)
	p, c := len(pattern), len(pattern)+len(channel)
	m := &Message{Kind: k, Channel: b[p:c:c], Payload: b[c:]}
	if k == PushPMessage {
		m.Pattern = b[:p:p]
	}
	return m
}

// Frame returns m encoded for protocol version proto (RESP2 below 3), built
// by encode, the RESP front end's encoder, at most once per version: a
// message fanned out to many connections is encoded once per version, not
// once per receiver. It is called from Push, and a Message is pushed from
// one goroutine, its publisher's, so the cache needs no lock.
func (m *Message) Frame(proto int, encode func(m *Message, proto int) []byte) []byte {
	i := 0
	if proto >= 3 {
		i = 1
	}
	if m.frames[i] == nil {
		m.frames[i] = encode(m, 2+i)
	}
	return m.frames[i]
}
