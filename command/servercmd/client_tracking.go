package servercmd

import (
	"github.com/larder-db/larder/command"
)

// trackingCommands are CLIENT's rows for server-assisted client side
// caching (Redis 7.0's tracking.c and clientCommand).
func trackingCommands() []*command.Spec {
	flags := command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock
	acl := command.ACLSlow | command.ACLConnection
	return []*command.Spec{
		{Name: "client|tracking", Arity: -3, Flags: flags, ACL: acl, Handler: cmdClientTracking},
		{Name: "client|caching", Arity: 3, Flags: flags, ACL: acl, Handler: cmdClientCaching},
		{Name: "client|getredir", Arity: 2, Flags: flags, ACL: acl, Handler: cmdClientGetredir},
		{Name: "client|trackinginfo", Arity: 2, Flags: flags, ACL: acl, Handler: cmdClientTrackinginfo},
	}
}

// cmdClientTracking: CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX prefix
// ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]. The options are parsed first,
// in Redis's order of errors, whether ON or OFF follows.
func cmdClientTracking(c *command.Call) error {
	o, err := parseTracking(c)
	if err != nil {
		return err
	}
	switch {
	case command.Eq(c.Args[2], "on"):
		if err := c.D.EnableTracking(c.S, o); err != nil {
			return err
		}
		if c.S.Pusher != nil {
			c.S.Pusher.Start() // invalidations to this client follow its replies
		}
	case command.Eq(c.Args[2], "off"):
		c.D.DisableTracking(c.S)
	default:
		return command.ErrSyntax
	}
	c.R.Simple("OK")
	return nil
}

func parseTracking(c *command.Call) (command.TrackingOptions, error) {
	var o command.TrackingOptions
	args := c.Args
	for j := 3; j < len(args); j++ {
		more := j+1 < len(args)
		switch a := args[j]; {
		case command.Eq(a, "redirect") && more:
			j++
			if o.Redirect != 0 {
				return o, command.Error("ERR A client can only redirect to a single other client")
			}
			id, ok := command.ParseInt(args[j])
			if !ok {
				return o, command.ErrNotInteger
			}
			if !c.D.ClientExists(id) {
				return o, command.Error("ERR The client ID you want redirect to does not exist")
			}
			o.Redirect = id
		case command.Eq(a, "bcast"):
			o.BCast = true
		case command.Eq(a, "optin"):
			o.OptIn = true
		case command.Eq(a, "optout"):
			o.OptOut = true
		case command.Eq(a, "noloop"):
			o.NoLoop = true
		case command.Eq(a, "prefix") && more:
			j++
			o.Prefixes = append(o.Prefixes, string(args[j]))
		default:
			return o, command.ErrSyntax
		}
	}
	return o, nil
}

// cmdClientCaching: CLIENT CACHING YES|NO
func cmdClientCaching(c *command.Call) error {
	var yes bool
	switch {
	case command.Eq(c.Args[2], "yes"):
		yes = true
	case command.Eq(c.Args[2], "no"):
	default:
		if !c.D.Tracking(c.S).On {
			return c.D.SetCaching(c.S, false) // Redis checks tracking first
		}
		return command.ErrSyntax
	}
	if err := c.D.SetCaching(c.S, yes); err != nil {
		return err
	}
	c.R.Simple("OK")
	return nil
}

// cmdClientGetredir: CLIENT GETREDIR
func cmdClientGetredir(c *command.Call) error {
	c.R.Int(c.D.Tracking(c.S).Redirect)
	return nil
}

// cmdClientTrackinginfo: CLIENT TRACKINGINFO
func cmdClientTrackinginfo(c *command.Call) error {
	ti := c.D.Tracking(c.S)
	flags := []string{"off"}
	if ti.On {
		flags[0] = "on"
	}
	add := func(on bool, f string) {
		if on {
			flags = append(flags, f)
		}
	}
	add(ti.BCast, "bcast")
	add(ti.OptIn, "optin")
	add(ti.OptIn && ti.Caching, "caching-yes")
	add(ti.OptOut, "optout")
	add(ti.OptOut && ti.Caching, "caching-no")
	add(ti.NoLoop, "noloop")
	add(ti.Broken, "broken_redirect")
	r := c.R
	r.Map(3)
	r.BulkString("flags")
	r.Set(len(flags))
	for _, f := range flags {
		r.BulkString(f)
	}
	r.BulkString("redirect")
	r.Int(ti.Redirect)
	r.BulkString("prefixes")
	r.Array(len(ti.Prefixes))
	for _, p := range ti.Prefixes {
		r.BulkString(p)
	}
	return nil
}
