package servercmd

import "github.com/larder-db/larder/command"

func connectionCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "ping", Arity: -1, Flags: command.FlagFast | command.FlagNoLock | command.FlagMisconfGate | command.FlagAllowSubscribed,
			ACL: command.ACLFast | command.ACLConnection, Handler: cmdPing},
		{Name: "echo", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagFast | command.FlagNoLock,
			ACL: command.ACLFast | command.ACLConnection, Handler: cmdEcho},
		{Name: "select", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagFast | command.FlagTCPOnly | command.FlagNoLock | command.FlagCrossDB,
			ACL: command.ACLFast | command.ACLConnection, Handler: cmdSelect},
		{Name: "quit", Arity: -1, Flags: command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagFast | command.FlagNoAuth | command.FlagAllowBusy | command.FlagTCPOnly | command.FlagNoLock | command.FlagTxControl | command.FlagAllowSubscribed,
			ACL: command.ACLFast | command.ACLConnection, Handler: cmdQuit},
		{Name: "auth", Arity: -2, Flags: command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagFast | command.FlagNoAuth | command.FlagAllowBusy | command.FlagTCPOnly | command.FlagNoLock,
			ACL: command.ACLFast | command.ACLConnection, Secrets: authSecrets, Handler: cmdAuth},
		{Name: "hello", Arity: -1, Flags: command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagFast | command.FlagNoAuth | command.FlagAllowBusy | command.FlagTCPOnly | command.FlagNoLock,
			ACL: command.ACLFast | command.ACLConnection, Secrets: helloSecrets, Handler: cmdHello},
		{Name: "reset", Arity: 1, Flags: command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagFast | command.FlagNoAuth | command.FlagAllowBusy | command.FlagTCPOnly | command.FlagNoLock | command.FlagTxControl | command.FlagAllowSubscribed,
			ACL: command.ACLFast | command.ACLConnection, Handler: cmdReset},
	}
}

// cmdPing: PING [message]
func cmdPing(c *command.Call) error {
	if len(c.Args) > 2 {
		return command.WrongArgs(c.Spec.Name)
	}
	if c.S.Proto == 2 && c.S.Subscribed() {
		c.R.Array(2) // RESP2 subscriber mode: ["pong", message or ""]
		c.R.BulkString("pong")
		if len(c.Args) == 2 {
			c.R.Bulk(c.Args[1])
		} else {
			c.R.BulkString("")
		}
		return nil
	}
	if len(c.Args) == 2 {
		c.R.Bulk(c.Args[1])
		return nil
	}
	c.R.Simple("PONG")
	return nil
}

// cmdEcho: ECHO message
func cmdEcho(c *command.Call) error {
	c.R.Bulk(c.Args[1])
	return nil
}

// cmdSelect: SELECT index
func cmdSelect(c *command.Call) error {
	n, ok := command.ParseInt(c.Args[1])
	if !ok {
		return command.ErrNotInteger
	}
	if n < 0 || n >= int64(c.D.Store().Databases()) {
		return command.ErrDBIndex
	}
	c.S.SetDB(int(n))
	c.R.Simple("OK")
	return nil
}

// cmdQuit: QUIT. The front end closes the connection after flushing +OK.
func cmdQuit(c *command.Call) error {
	c.S.Closing = true
	c.R.Simple("OK")
	return nil
}

// cmdAuth: AUTH [username] password
func cmdAuth(c *command.Call) error {
	if len(c.Args) > 3 {
		return command.ErrSyntax
	}
	user, pass := []byte("default"), c.Args[1]
	if len(c.Args) == 2 {
		if c.D.DefaultNoPass() {
			return command.Error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
		}
	} else {
		user, pass = c.Args[1], c.Args[2]
	}
	if !c.D.Authenticate(c, user, pass) {
		return command.ErrWrongPass
	}
	c.R.Simple("OK")
	return nil
}

// authSecrets: MONITOR hides every argument of AUTH.
func authSecrets(args [][]byte) []int {
	out := make([]int, 0, len(args)-1)
	for i := 1; i < len(args); i++ {
		out = append(out, i)
	}
	return out
}

// helloSecrets: MONITOR hides the username and password of HELLO's AUTH.
func helloSecrets(args [][]byte) []int {
	var out []int
	for i := 1; i < len(args); i++ {
		if command.Eq(args[i], "auth") && i+2 < len(args) {
			out = append(out, i+1, i+2)
			i += 2
		}
	}
	return out
}

// cmdHello: HELLO [protover [AUTH username password] [SETNAME clientname]]
func cmdHello(c *command.Call) error {
	var ver int64
	if len(c.Args) >= 2 {
		n, ok := command.ParseInt(c.Args[1])
		if !ok {
			return command.Error("ERR Protocol version is not an integer or out of range")
		}
		if n < 2 || n > 3 {
			return command.Error("NOPROTO unsupported protocol version")
		}
		ver = n
	}
	var user, pass, name []byte
	for j := 2; j < len(c.Args); j++ {
		more := len(c.Args) - 1 - j
		switch {
		case command.Eq(c.Args[j], "auth") && more >= 2:
			user, pass = c.Args[j+1], c.Args[j+2]
			j += 2
		case command.Eq(c.Args[j], "setname") && more >= 1:
			name = c.Args[j+1]
			if err := validateClientName(name); err != nil {
				return err
			}
			j++
		default:
			return command.Error("ERR Syntax error in HELLO option '" + string(c.Args[j]) + "'")
		}
	}
	if user != nil {
		if !c.D.Authenticate(c, user, pass) {
			return command.ErrWrongPass
		}
	}
	if !c.S.Authenticated {
		return command.Error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
	}
	if name != nil {
		c.S.SetName(string(name))
	}
	if ver != 0 {
		c.S.Proto = int(ver)
		c.S.PushProto.Store(int32(ver))
	}
	r := c.R
	r.Map(7)
	r.BulkString("server")
	r.BulkString("redis")
	r.BulkString("version")
	r.BulkString(command.RedisVersion)
	r.BulkString("proto")
	r.Int(int64(c.S.Proto))
	r.BulkString("id")
	r.Int(c.S.ID)
	r.BulkString("mode")
	r.BulkString("standalone")
	r.BulkString("role")
	r.BulkString("master")
	r.BulkString("modules")
	r.Array(0)
	return nil
}

// validateClientName is Redis's rule: printable ASCII without spaces.
func validateClientName(name []byte) error {
	for _, ch := range name {
		if ch < '!' || ch > '~' {
			return command.Error("ERR Client names cannot contain spaces, newlines or special characters.")
		}
	}
	return nil
}

// cmdReset: RESET. Back to a fresh connection's state.
func cmdReset(c *command.Call) error {
	c.D.ResetSession(c.S)
	c.R.Simple("RESET")
	return nil
}
