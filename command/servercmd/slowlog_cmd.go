package servercmd

import "github.com/larder-db/larder/command"

func slowlogCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "slowlog", Arity: -2, Flags: command.FlagNoLock, ACL: command.ACLSlow, Subs: []*command.Spec{
			{Name: "slowlog|get", Arity: -2, Flags: command.FlagAdmin | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdSlowlogGet},
			{Name: "slowlog|len", Arity: 2, Flags: command.FlagAdmin | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdSlowlogLen},
			{Name: "slowlog|reset", Arity: 2, Flags: command.FlagAdmin | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdSlowlogReset},
			{Name: "slowlog|help", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow, Handler: cmdSlowlogHelp},
		}},
	}
}

// cmdSlowlogGet: SLOWLOG GET [count] (default 10, -1: all). Each entry is
// id, unix time, microseconds, arguments, client address, client name.
func cmdSlowlogGet(c *command.Call) error {
	n := int64(10)
	switch len(c.Args) {
	case 2:
	case 3:
		v, ok := command.ParseInt(c.Args[2])
		if !ok || v < -1 {
			return command.Error("ERR count should be greater than or equal to -1")
		}
		n = v
	default:
		return command.Error("ERR unknown subcommand or wrong number of arguments for '" +
			command.Sanitize(string(c.Args[1])) + "'. Try SLOWLOG HELP.")
	}
	entries := c.D.Slowlog(n)
	c.R.Array(len(entries))
	for _, e := range entries {
		c.R.Array(6)
		c.R.Int(e.ID)
		c.R.Int(e.Time)
		c.R.Int(e.Duration)
		c.R.Array(len(e.Args))
		for _, a := range e.Args {
			c.R.Bulk(a)
		}
		c.R.BulkString(e.Addr)
		c.R.BulkString(e.Name)
	}
	return nil
}

// cmdSlowlogLen: SLOWLOG LEN
func cmdSlowlogLen(c *command.Call) error {
	c.R.Int(int64(c.D.SlowlogLen()))
	return nil
}

// cmdSlowlogReset: SLOWLOG RESET
func cmdSlowlogReset(c *command.Call) error {
	c.D.SlowlogReset()
	c.R.Simple("OK")
	return nil
}

// cmdSlowlogHelp: SLOWLOG HELP
func cmdSlowlogHelp(c *command.Call) error {
	command.ReplyHelp(c, "SLOWLOG", []string{
		"GET [<count>]",
		"    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
		"    Entries are made of:",
		"    id, timestamp, time in microseconds, arguments array, client IP and port,",
		"    client name",
		"LEN",
		"    Return the length of the slowlog.",
		"RESET",
		"    Reset the slowlog.",
	})
	return nil
}
