package servercmd

import "github.com/larder-db/larder/command"

// LATENCY: see command/latency.go for what is measured. GRAPH (Redis's
// ASCII chart of an event) is not implemented.
func latencyCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "latency", Arity: -2, Flags: command.FlagNoLock, ACL: command.ACLSlow, Subs: []*command.Spec{
			{Name: "latency|reset", Arity: -2, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdLatencyReset},
			{Name: "latency|histogram", Arity: -2, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdLatencyHistogram},
			{Name: "latency|history", Arity: 3, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdLatencyHistory},
			{Name: "latency|latest", Arity: 2, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdLatencyLatest},
			{Name: "latency|doctor", Arity: 2, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdLatencyDoctor},
			{Name: "latency|help", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow, Handler: cmdLatencyHelp},
		}},
	}
}

// cmdLatencyReset: LATENCY RESET [event ...]
func cmdLatencyReset(c *command.Call) error {
	c.R.Int(int64(c.D.LatencyReset(c.Args[2:])))
	return nil
}

// cmdLatencyHistogram: LATENCY HISTOGRAM [command ...], a map of command
// name to {calls, histogram_usec: {bucket: cumulative calls}}.
func cmdLatencyHistogram(c *command.Call) error {
	hs := c.D.LatencyHistograms(c.Args[2:])
	c.R.Map(len(hs))
	for _, h := range hs {
		c.R.BulkString(h.Name)
		c.R.Map(2)
		c.R.BulkString("calls")
		c.R.Int(h.Calls)
		c.R.BulkString("histogram_usec")
		c.R.Map(len(h.Buckets))
		for _, b := range h.Buckets {
			c.R.Int(b.Micros)
			c.R.Int(b.Calls)
		}
	}
	return nil
}

// cmdLatencyHistory: LATENCY HISTORY event, [time, ms] oldest first.
func cmdLatencyHistory(c *command.Call) error {
	samples := c.D.LatencyHistory(string(c.Args[2]))
	c.R.Array(len(samples))
	for _, s := range samples {
		c.R.Array(2)
		c.R.Int(s[0])
		c.R.Int(s[1])
	}
	return nil
}

// cmdLatencyLatest: LATENCY LATEST, [event, time, latest ms, max ms] each.
func cmdLatencyLatest(c *command.Call) error {
	events := c.D.LatencyLatest()
	c.R.Array(len(events))
	for _, e := range events {
		c.R.Array(4)
		c.R.BulkString(e.Event)
		c.R.Int(e.Time)
		c.R.Int(e.Ms)
		c.R.Int(e.Max)
	}
	return nil
}

// cmdLatencyDoctor: LATENCY DOCTOR
func cmdLatencyDoctor(c *command.Call) error {
	c.R.Verbatim("txt", c.D.LatencyDoctor())
	return nil
}

// cmdLatencyHelp: LATENCY HELP (the subcommands Larder has)
func cmdLatencyHelp(c *command.Call) error {
	command.ReplyHelp(c, "LATENCY", []string{
		"DOCTOR",
		"    Return a human readable latency analysis report.",
		"HISTORY <event>",
		"    Return time-latency samples for the <event> class.",
		"LATEST",
		"    Return the latest latency samples for all events.",
		"RESET [<event> ...]",
		"    Reset latency data of one or more <event> classes.",
		"    (default: reset all data for all event classes)",
		"HISTOGRAM [COMMAND ...]",
		"    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
		"    If no commands are specified then all histograms are replied.",
	})
	return nil
}
