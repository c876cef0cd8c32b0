package command

import (
	"sort"
	"strconv"
	"sync"

	"github.com/larder-db/larder/internal/glob"
)

// Pub/Sub: SUBSCRIBE PSUBSCRIBE SSUBSCRIBE and their UNSUBSCRIBEs,
// PUBLISH SPUBLISH, PUBSUB. The registry lives in the dispatcher; a
// message reaches a subscriber through its session's Pusher, which the
// front end provides (RESP connections; REST's SSE streams).

// Pusher delivers frames outside the request/reply flow, from any
// goroutine.
type Pusher interface {
	// Start is called on the session's own goroutine before its first
	// subscription takes effect, so the front end can order pushes after
	// the replies it is about to write.
	Start()
	// Push queues one complete frame without blocking; a client whose
	// queue passes its output buffer limit is disconnected.
	Push(frame []byte)
}

// subKind is one of the three subscription spaces.
type subKind int

const (
	subChannel subKind = iota
	subPattern
	subShard
)

// names of each kind's replies and messages.
var subNames = [3]struct{ sub, unsub, msg string }{
	{"subscribe", "unsubscribe", "message"},
	{"psubscribe", "punsubscribe", "pmessage"},
	{"ssubscribe", "sunsubscribe", "smessage"},
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

func pubsubCommands() []*Spec {
	const sub = FlagPubSub | FlagNoScript | FlagLoading | FlagStale | FlagNoLock | FlagTCPOnly // REST: the SSE routes
	acl := ACLPubSub | ACLSlow
	return []*Spec{
		{Name: "subscribe", Arity: -2, Flags: sub, ACL: acl, Handler: subscriber(subChannel, true)},
		{Name: "unsubscribe", Arity: -1, Flags: sub, ACL: acl, Handler: subscriber(subChannel, false)},
		{Name: "psubscribe", Arity: -2, Flags: sub, ACL: acl, Handler: subscriber(subPattern, true)},
		{Name: "punsubscribe", Arity: -1, Flags: sub, ACL: acl, Handler: subscriber(subPattern, false)},
		{Name: "ssubscribe", Arity: -2, Flags: sub, First: 1, Last: -1, Step: 1, ACL: acl, Handler: subscriber(subShard, true)},
		{Name: "sunsubscribe", Arity: -1, Flags: sub, First: 1, Last: -1, Step: 1, ACL: acl, Handler: subscriber(subShard, false)},
		{Name: "publish", Arity: 3, Flags: FlagPubSub | FlagLoading | FlagStale | FlagFast | FlagNoLock,
			ACL: ACLPubSub | ACLFast, Handler: cmdPublish},
		{Name: "spublish", Arity: 3, Flags: FlagPubSub | FlagLoading | FlagStale | FlagFast | FlagNoLock,
			First: 1, Last: 1, Step: 1, ACL: ACLPubSub | ACLFast, Handler: cmdSpublish},
		{Name: "pubsub", Arity: -2, ACL: ACLSlow, Subs: []*Spec{
			{Name: "pubsub|channels", Arity: -2, Flags: FlagPubSub | FlagLoading | FlagStale | FlagNoLock, ACL: ACLPubSub | ACLSlow, Handler: pubsubList(subChannel)},
			{Name: "pubsub|shardchannels", Arity: -2, Flags: FlagPubSub | FlagLoading | FlagStale | FlagNoLock, ACL: ACLPubSub | ACLSlow, Handler: pubsubList(subShard)},
			{Name: "pubsub|numsub", Arity: -2, Flags: FlagPubSub | FlagLoading | FlagStale | FlagNoLock, ACL: ACLPubSub | ACLSlow, Handler: pubsubNumsub(subChannel)},
			{Name: "pubsub|shardnumsub", Arity: -2, Flags: FlagPubSub | FlagLoading | FlagStale | FlagNoLock, ACL: ACLPubSub | ACLSlow, Handler: pubsubNumsub(subShard)},
			{Name: "pubsub|numpat", Arity: 2, Flags: FlagPubSub | FlagLoading | FlagStale | FlagNoLock, ACL: ACLPubSub | ACLSlow, Handler: cmdPubsubNumpat},
			{Name: "pubsub|help", Arity: 2, Flags: FlagLoading | FlagStale | FlagNoLock, ACL: ACLSlow, Handler: cmdPubsubHelp},
		}},
	}
}

// Subscriptions returns how many channels and patterns s is subscribed to
// (Redis's clientSubscriptionsCount; shard channels are counted apart).
func (s *Session) Subscriptions() int { return len(s.subs[subChannel]) + len(s.subs[subPattern]) }

// subscribed reports whether s is in subscriber mode (any kind).
func (s *Session) Subscribed() bool { return s.Subscriptions()+len(s.subs[subShard]) > 0 }

// subCount is the count a (un)subscribe reply of kind k carries.
func (s *Session) subCount(k subKind) int {
	if k == subShard {
		return len(s.subs[subShard])
	}
	return s.Subscriptions()
}

// subscriber returns the handler of a SUBSCRIBE-family command.
func subscriber(k subKind, on bool) func(c *Call) error {
	return func(c *Call) error {
		s := c.S
		if on && s.Pusher == nil {
			return Error("ERR " + subNames[k].sub + " is not available on this connection")
		}
		if on && !s.Subscribed() {
			s.Pusher.Start()
		}
		s.PushProto.Store(int32(s.Proto))
		names := c.Args[1:]
		if !on && len(names) == 0 {
			names = s.subNames(k)
			if len(names) == 0 {
				c.R.Push(3)
				c.R.BulkString(subNames[k].unsub)
				c.R.Null()
				c.R.Int(int64(s.subCount(k)))
				return nil
			}
		}
		for _, name := range names {
			c.D.pubsub.change(s, k, string(name), on)
			c.R.Push(3)
			if on {
				c.R.BulkString(subNames[k].sub)
			} else {
				c.R.BulkString(subNames[k].unsub)
			}
			c.R.Bulk(name)
			c.R.Int(int64(s.subCount(k)))
		}
		return nil
	}
}

// subNames lists s's subscriptions of kind k.
func (s *Session) subNames(k subKind) [][]byte {
	out := make([][]byte, 0, len(s.subs[k]))
	for n := range s.subs[k] {
		out = append(out, []byte(n))
	}
	return out
}

// change subscribes or unsubscribes s to name.
func (p *pubsub) change(s *Session, k subKind, name string, on bool) {
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
			p.change(s, subKind(k), name, false)
		}
	}
}

// messageFrame builds a message push for protocol proto.
func messageFrame(proto int, kind string, parts ...[]byte) []byte {
	b := make([]byte, 0, 64)
	if proto >= 3 {
		b = append(b, '>')
	} else {
		b = append(b, '*')
	}
	b = strconv.AppendInt(b, int64(len(parts)+1), 10)
	b = append(b, '\r', '\n', '$')
	b = strconv.AppendInt(b, int64(len(kind)), 10)
	b = append(b, '\r', '\n')
	b = append(b, kind...)
	b = append(b, '\r', '\n')
	for _, p := range parts {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(p)), 10)
		b = append(b, '\r', '\n')
		b = append(b, p...)
		b = append(b, '\r', '\n')
	}
	return b
}

// framer builds a frame at most once per protocol version.
type framer struct {
	frames [2][]byte
	build  func(proto int) []byte
}

func (f *framer) push(s *Session) {
	proto := int(s.PushProto.Load())
	i := min(max(proto, 2), 3) - 2
	if f.frames[i] == nil {
		f.frames[i] = f.build(proto)
	}
	s.Pusher.Push(f.frames[i])
}

// Publish delivers msg on channel to channel and pattern subscribers (or
// shard channel subscribers) and returns the number of receivers.
func (d *Dispatcher) Publish(channel, msg []byte, shard bool) int {
	p := &d.pubsub
	p.mu.RLock()
	defer p.mu.RUnlock()
	n := 0
	if shard {
		f := framer{build: func(proto int) []byte { return messageFrame(proto, "smessage", channel, msg) }}
		for s := range p.subs[subShard][string(channel)] {
			f.push(s)
			n++
		}
		return n
	}
	f := framer{build: func(proto int) []byte { return messageFrame(proto, "message", channel, msg) }}
	for s := range p.subs[subChannel][string(channel)] {
		f.push(s)
		n++
	}
	for pat, set := range p.subs[subPattern] {
		if !glob.Match([]byte(pat), channel, false) {
			continue
		}
		pf := framer{build: func(proto int) []byte { return messageFrame(proto, "pmessage", []byte(pat), channel, msg) }}
		for s := range set {
			pf.push(s)
			n++
		}
	}
	return n
}

// cmdPublish: PUBLISH channel message
func cmdPublish(c *Call) error {
	c.R.Int(int64(c.D.Publish(c.Args[1], c.Args[2], false)))
	return nil
}

// cmdSpublish: SPUBLISH shardchannel message
func cmdSpublish(c *Call) error {
	c.R.Int(int64(c.D.Publish(c.Args[1], c.Args[2], true)))
	return nil
}

// pubsubList: PUBSUB CHANNELS|SHARDCHANNELS [pattern]
func pubsubList(k subKind) func(c *Call) error {
	return func(c *Call) error {
		if len(c.Args) > 3 {
			return Error("ERR unknown subcommand or wrong number of arguments for '" + string(c.Args[1]) + "'. Try PUBSUB HELP.")
		}
		var pattern []byte
		if len(c.Args) == 3 {
			pattern = c.Args[2]
		}
		match := KeyMatcher(pattern)
		p := &c.D.pubsub
		p.mu.RLock()
		var out []string
		for name := range p.subs[k] {
			if match(name) {
				out = append(out, name)
			}
		}
		p.mu.RUnlock()
		sort.Strings(out)
		c.R.Array(len(out))
		for _, n := range out {
			c.R.BulkString(n)
		}
		return nil
	}
}

// pubsubNumsub: PUBSUB NUMSUB|SHARDNUMSUB [channel ...]
func pubsubNumsub(k subKind) func(c *Call) error {
	return func(c *Call) error {
		p := &c.D.pubsub
		p.mu.RLock()
		defer p.mu.RUnlock()
		c.R.Array(2 * (len(c.Args) - 2))
		for _, ch := range c.Args[2:] {
			c.R.Bulk(ch)
			c.R.Int(int64(len(p.subs[k][string(ch)])))
		}
		return nil
	}
}

// cmdPubsubNumpat: PUBSUB NUMPAT
func cmdPubsubNumpat(c *Call) error {
	p := &c.D.pubsub
	p.mu.RLock()
	n := len(p.subs[subPattern])
	p.mu.RUnlock()
	c.R.Int(int64(n))
	return nil
}

var pubsubHelp = []string{
	"PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CHANNELS [<pattern>]",
	"    Return the currently active channels matching a <pattern> (default: '*').",
	"NUMPAT",
	"    Return number of subscriptions to patterns.",
	"NUMSUB [<channel> ...]",
	"    Return the number of subscribers for the specified channels, excluding",
	"    pattern subscriptions(default: no channels).",
	"SHARDCHANNELS [<pattern>]",
	"    Return the currently active shard level channels matching a <pattern> (default: '*').",
	"SHARDNUMSUB [<shardchannel> ...]",
	"    Return the number of subscribers for the specified shard level channel(s)",
	"HELP",
	"    Prints this help.",
}

// cmdPubsubHelp: PUBSUB HELP
func cmdPubsubHelp(c *Call) error {
	c.R.Array(len(pubsubHelp))
	for _, l := range pubsubHelp {
		c.R.Simple(l)
	}
	return nil
}

// subscriberMayRun reports whether a RESP2 client in subscriber mode may
// run spec (Redis's list in processCommand).
func subscriberMayRun(spec *Spec) bool {
	switch spec.Name {
	case "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe",
		"ping", "quit", "reset":
		return true
	}
	return false
}
