package servercmd

import "github.com/larder-db/larder/command"

func monitorCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "monitor", Arity: 1, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock,
			ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdMonitor},
	}
}

// cmdMonitor: MONITOR. The client then receives every command the server
// runs (the REST API streams the same feed on /monitor). As in Redis, it is
// refused inside MULTI/EXEC, and a second MONITOR is not answered.
func cmdMonitor(c *command.Call) error {
	s := c.S
	switch {
	case s.InExec:
		return command.Error("ERR MONITOR isn't allowed for DENY BLOCKING client")
	case s.Pusher == nil:
		return command.Error("ERR MONITOR is not available on this connection")
	case c.D.Monitoring(s):
		return nil
	}
	s.Pusher.Start()
	c.D.Monitor(s)
	c.R.Simple("OK")
	return nil
}
