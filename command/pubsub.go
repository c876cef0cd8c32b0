package command

import (
	"sort"
	"sync"

	"github.com/larder-db/larder/internal/glob"
)

// Pub/Sub: SUBSCRIBE PSUBSCRIBE SSUBSCRIBE and their UNSUBSCRIBEs,
// PUBLISH SPUBLISH, PUBSUB. The registry lives in the dispatcher; a
// message reaches a subscriber as a Message through its session's Pusher,
// which the front end provides (RESP connections; REST's SSE streams).

// SubKind is one of the three subscription spaces.
type SubKind int

// The subscription spaces: channels, patterns and shard channels.
const (
	SubChannel SubKind = iota
	SubPattern
	SubShard
)

// names of each kind's replies and messages.
var subNames = [3]struct{ sub, unsub, msg string }{
	{"subscribe", "unsubscribe", "message"},
	{"psubscribe", "punsubscribe", "pmessage"},
	{"ssubscribe", "sunsubscribe", "smessage"},
}

// Verbs returns the kind's subscribe and unsubscribe reply names.
func (k SubKind) Verbs() (sub, unsub string) { return subNames[k].sub, subNames[k].unsub }

// Subscribe subscribes (on) or unsubscribes s to name in space k.
func (d *Dispatcher) Subscribe(s *Session, k SubKind, name string, on bool) {
	d.pubsub.change(s, k, name, on)
}

// ActiveChannels returns the names in space k with at least one
// subscriber that match, sorted (PUBSUB CHANNELS).
func (d *Dispatcher) ActiveChannels(k SubKind, match func(name string) bool) []string {
	p := &d.pubsub
	p.mu.RLock()
	var out []string
	for name := range p.subs[k] {
		if match(name) {
			out = append(out, name)
		}
	}
	p.mu.RUnlock()
	sort.Strings(out)
	return out
}

// Names returns how many names in space k have subscribers (PUBSUB NUMPAT
// for patterns).
func (d *Dispatcher) Names(k SubKind) int {
	p := &d.pubsub
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.subs[k])
}

// Subscribers returns the number of sessions subscribed to name in space k.
func (d *Dispatcher) Subscribers(k SubKind, name []byte) int {
	p := &d.pubsub
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.subs[k][string(name)])
}

// pubsub is the registry: for each kind, name → subscribed sessions.
// Sessions' own sets (Session.subs) are written under mu too.
type pubsub struct {
	mu   sync.RWMutex
	subs [3]map[string]map[*Session]struct{}
}

func (p *pubsub) init() {
	for i := range p.subs {
		p.subs[i] = map[string]map[*Session]struct{}{}
	}
}

// subscriptions returns how many channels and patterns s is subscribed to
// (Redis's clientSubscriptionsCount; shard channels are counted apart).
func (s *Session) subscriptions() int { return len(s.subs[SubChannel]) + len(s.subs[SubPattern]) }

// Subscribed reports whether s is in subscriber mode (any kind).
func (s *Session) Subscribed() bool { return s.subscriptions()+len(s.subs[SubShard]) > 0 }

// SubCount is the count a (un)subscribe reply of kind k carries.
func (s *Session) SubCount(k SubKind) int {
	if k == SubShard {
		return len(s.subs[SubShard])
	}
	return s.subscriptions()
}

// SubNames lists s's subscriptions of kind k.
func (s *Session) SubNames(k SubKind) [][]byte {
	out := make([][]byte, 0, len(s.subs[k]))
	for n := range s.subs[k] {
		out = append(out, []byte(n))
	}
	return out
}

// change subscribes or unsubscribes s to name.
func (p *pubsub) change(s *Session, k SubKind, name string, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s.subs[k] == nil {
		s.subs[k] = map[string]struct{}{}
	}
	if on {
		s.subs[k][name] = struct{}{}
		set := p.subs[k][name]
		if set == nil {
			set = map[*Session]struct{}{}
			p.subs[k][name] = set
		}
		set[s] = struct{}{}
		return
	}
	delete(s.subs[k], name)
	if set := p.subs[k][name]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(p.subs[k], name)
		}
	}
}

// dropAll removes every subscription of s (RESET, disconnect).
func (p *pubsub) dropAll(s *Session) {
	for k := range s.subs {
		for name := range s.subs[k] {
			p.change(s, SubKind(k), name, false)
		}
	}
}

// Publish delivers msg on channel to channel and pattern subscribers (or
// shard channel subscribers) and returns the number of receivers. Each
// receiver set shares one Message.
func (d *Dispatcher) Publish(channel, msg []byte, shard bool) int {
	p := &d.pubsub
	p.mu.RLock()
	defer p.mu.RUnlock()
	if shard {
		return deliver(p.subs[SubShard][string(channel)], PushSMessage, "", channel, msg)
	}
	n := deliver(p.subs[SubChannel][string(channel)], PushMessage, "", channel, msg)
	for pat, set := range p.subs[SubPattern] {
		if glob.Match([]byte(pat), channel, false) {
			n += deliver(set, PushPMessage, pat, channel, msg)
		}
	}
	return n
}

// deliver pushes one message to every session in set and returns how many
// there were; the message is built only when there is someone to get it.
func deliver(set map[*Session]struct{}, k PushKind, pattern string, channel, payload []byte) int {
	if len(set) == 0 {
		return 0
	}
	m := newMessage(k, pattern, channel, payload)
	for s := range set {
		s.Pusher.Push(m)
	}
	return len(set)
}
