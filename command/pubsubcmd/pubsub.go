package pubsubcmd

import "github.com/larder-db/larder/command"

// Commands returns the pub/sub rows: SUBSCRIBE and friends (TCP-only: REST
// subscribes through its SSE routes), PUBLISH, PUBSUB. PUBLISH and SPUBLISH
// carry may_replicate, as in Redis, which COMMAND INFO does not print.
func Commands() []*command.Spec {
	return []*command.Spec{
		{Name: "subscribe", Arity: -2, Flags: command.FlagPubSub | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock | command.FlagAllowSubscribed,
			ACL: command.ACLPubSub | command.ACLSlow, Handler: subscriber(command.SubChannel, true)},
		{Name: "unsubscribe", Arity: -1, Flags: command.FlagPubSub | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock | command.FlagAllowSubscribed,
			ACL: command.ACLPubSub | command.ACLSlow, Handler: subscriber(command.SubChannel, false)},
		{Name: "psubscribe", Arity: -2, Flags: command.FlagPubSub | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock | command.FlagAllowSubscribed,
			ACL: command.ACLPubSub | command.ACLSlow, Handler: subscriber(command.SubPattern, true)},
		{Name: "punsubscribe", Arity: -1, Flags: command.FlagPubSub | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock | command.FlagAllowSubscribed,
			ACL: command.ACLPubSub | command.ACLSlow, Handler: subscriber(command.SubPattern, false)},
		{Name: "ssubscribe", Arity: -2, Flags: command.FlagPubSub | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock | command.FlagAllowSubscribed,
			First: 1, Last: -1, Step: 1, ACL: command.ACLPubSub | command.ACLSlow, Handler: subscriber(command.SubShard, true)},
		{Name: "sunsubscribe", Arity: -1, Flags: command.FlagPubSub | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock | command.FlagAllowSubscribed,
			First: 1, Last: -1, Step: 1, ACL: command.ACLPubSub | command.ACLSlow, Handler: subscriber(command.SubShard, false)},
		{Name: "publish", Arity: 3, Flags: command.FlagPubSub | command.FlagLoading | command.FlagStale | command.FlagFast | command.FlagMayReplicate | command.FlagNoLock,
			ACL: command.ACLPubSub | command.ACLFast, Handler: cmdPublish},
		{Name: "spublish", Arity: 3, Flags: command.FlagPubSub | command.FlagLoading | command.FlagStale | command.FlagFast | command.FlagMayReplicate | command.FlagNoLock,
			First: 1, Last: 1, Step: 1, ACL: command.ACLPubSub | command.ACLFast, Handler: cmdSpublish},
		{Name: "pubsub", Arity: -2, ACL: command.ACLSlow, Subs: []*command.Spec{
			{Name: "pubsub|channels", Arity: -2, Flags: command.FlagPubSub | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLPubSub | command.ACLSlow, Handler: pubsubList(command.SubChannel)},
			{Name: "pubsub|shardchannels", Arity: -2, Flags: command.FlagPubSub | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLPubSub | command.ACLSlow, Handler: pubsubList(command.SubShard)},
			{Name: "pubsub|numsub", Arity: -2, Flags: command.FlagPubSub | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLPubSub | command.ACLSlow, Handler: pubsubNumsub(command.SubChannel)},
			{Name: "pubsub|shardnumsub", Arity: -2, Flags: command.FlagPubSub | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLPubSub | command.ACLSlow, Handler: pubsubNumsub(command.SubShard)},
			{Name: "pubsub|numpat", Arity: 2, Flags: command.FlagPubSub | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLPubSub | command.ACLSlow, Handler: cmdPubsubNumpat},
			{Name: "pubsub|help", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow, Handler: cmdPubsubHelp},
		}},
	}
}

// subscriber returns the handler of a SUBSCRIBE-family command.
func subscriber(k command.SubKind, on bool) func(c *command.Call) error {
	return func(c *command.Call) error {
		s := c.S
		subVerb, unsubVerb := k.Verbs()
		if on && s.Pusher == nil {
			return command.Error("ERR " + subVerb + " is not available on this connection")
		}
		if on && !s.Subscribed() {
			s.Pusher.Start()
		}
		s.PushProto.Store(int32(s.Proto))
		s.PushReply()
		names := c.Args[1:]
		if !on && len(names) == 0 {
			names = s.SubNames(k)
			if len(names) == 0 {
				c.R.Push(3)
				c.R.BulkString(unsubVerb)
				c.R.Null()
				c.R.Int(int64(s.SubCount(k)))
				return nil
			}
		}
		for _, name := range names {
			c.D.Subscribe(s, k, string(name), on)
			c.R.Push(3)
			if on {
				c.R.BulkString(subVerb)
			} else {
				c.R.BulkString(unsubVerb)
			}
			c.R.Bulk(name)
			c.R.Int(int64(s.SubCount(k)))
		}
		return nil
	}
}

// cmdPublish: PUBLISH channel message
func cmdPublish(c *command.Call) error {
	c.R.Int(int64(c.D.Publish(c.Args[1], c.Args[2], false)))
	return nil
}

// cmdSpublish: SPUBLISH shardchannel message
func cmdSpublish(c *command.Call) error {
	c.R.Int(int64(c.D.Publish(c.Args[1], c.Args[2], true)))
	return nil
}

// pubsubList: PUBSUB CHANNELS|SHARDCHANNELS [pattern]
func pubsubList(k command.SubKind) func(c *command.Call) error {
	return func(c *command.Call) error {
		if len(c.Args) > 3 {
			return command.Error("ERR unknown subcommand or wrong number of arguments for '" + string(c.Args[1]) + "'. Try PUBSUB HELP.")
		}
		var pattern []byte
		if len(c.Args) == 3 {
			pattern = c.Args[2]
		}
		out := c.D.ActiveChannels(k, command.KeyMatcher(pattern))
		c.R.Array(len(out))
		for _, n := range out {
			c.R.BulkString(n)
		}
		return nil
	}
}

// pubsubNumsub: PUBSUB NUMSUB|SHARDNUMSUB [channel ...]
func pubsubNumsub(k command.SubKind) func(c *command.Call) error {
	return func(c *command.Call) error {
		c.R.Array(2 * (len(c.Args) - 2))
		for _, ch := range c.Args[2:] {
			c.R.Bulk(ch)
			c.R.Int(int64(c.D.Subscribers(k, ch)))
		}
		return nil
	}
}

// cmdPubsubNumpat: PUBSUB NUMPAT
func cmdPubsubNumpat(c *command.Call) error {
	c.R.Int(int64(c.D.Names(command.SubPattern)))
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
func cmdPubsubHelp(c *command.Call) error {
	c.R.Array(len(pubsubHelp))
	for _, l := range pubsubHelp {
		c.R.Simple(l)
	}
	return nil
}
