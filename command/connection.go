package command

func connectionCommands() []*Spec {
	conn := ACLFast | ACLConnection
	return []*Spec{
		{Name: "ping", Arity: -1, Flags: FlagFast | FlagNoLock, ACL: conn, Handler: cmdPing},
		{Name: "echo", Arity: 2, Flags: FlagLoading | FlagStale | FlagFast | FlagNoLock, ACL: conn, Handler: cmdEcho},
		{Name: "select", Arity: 2, Flags: FlagLoading | FlagStale | FlagFast | FlagNoLock | FlagTCPOnly, ACL: conn, Handler: cmdSelect},
		{Name: "quit", Arity: -1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagNoAuth | FlagAllowBusy | FlagNoLock | FlagTCPOnly | FlagTxControl,
			ACL: conn, Handler: cmdQuit},
		{Name: "auth", Arity: -2, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagNoAuth | FlagAllowBusy | FlagNoLock | FlagTCPOnly,
			ACL: conn, Handler: cmdAuth},
		{Name: "hello", Arity: -1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagNoAuth | FlagAllowBusy | FlagNoLock | FlagTCPOnly,
			ACL: conn, Handler: cmdHello},
		{Name: "reset", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagNoAuth | FlagAllowBusy | FlagNoLock | FlagTCPOnly | FlagTxControl,
			ACL: conn, Handler: cmdReset},
	}
}

// cmdPing: PING [message]
func cmdPing(c *Call) error {
	if len(c.Args) > 2 {
		return WrongArgs("ping")
	}
	if c.S.Proto == 2 && c.S.subscribed() {
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
func cmdEcho(c *Call) error {
	c.R.Bulk(c.Args[1])
	return nil
}

// cmdSelect: SELECT index
func cmdSelect(c *Call) error {
	n, ok := ParseInt(c.Args[1])
	if !ok {
		return ErrNotInteger
	}
	if n < 0 || n >= int64(c.D.store.Databases()) {
		return ErrDBIndex
	}
	c.S.SetDB(int(n))
	c.R.Simple("OK")
	return nil
}

// cmdQuit: QUIT. The front end closes the connection after flushing +OK.
func cmdQuit(c *Call) error {
	c.S.Closing = true
	c.R.Simple("OK")
	return nil
}

// cmdAuth: AUTH [username] password
func cmdAuth(c *Call) error {
	if len(c.Args) > 3 {
		return ErrSyntax
	}
	user, pass := []byte("default"), c.Args[1]
	if len(c.Args) == 2 {
		if c.D.Cfg.RequirePass() == "" {
			return Error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
		}
	} else {
		user, pass = c.Args[1], c.Args[2]
	}
	ok, ro := c.D.checkUser(user, pass)
	if !ok {
		return errWrongPass
	}
	c.S.Authenticated = true
	c.S.SetReadOnly(ro)
	c.R.Simple("OK")
	return nil
}

// cmdHello: HELLO [protover [AUTH username password] [SETNAME clientname]]
func cmdHello(c *Call) error {
	var ver int64
	if len(c.Args) >= 2 {
		n, ok := ParseInt(c.Args[1])
		if !ok {
			return Error("ERR Protocol version is not an integer or out of range")
		}
		if n < 2 || n > 3 {
			return Error("NOPROTO unsupported protocol version")
		}
		ver = n
	}
	var user, pass, name []byte
	for j := 2; j < len(c.Args); j++ {
		more := len(c.Args) - 1 - j
		switch {
		case Eq(c.Args[j], "auth") && more >= 2:
			user, pass = c.Args[j+1], c.Args[j+2]
			j += 2
		case Eq(c.Args[j], "setname") && more >= 1:
			name = c.Args[j+1]
			if err := validateClientName(name); err != nil {
				return err
			}
			j++
		default:
			return Error("ERR Syntax error in HELLO option '" + string(c.Args[j]) + "'")
		}
	}
	if user != nil {
		ok, ro := c.D.checkUser(user, pass)
		if !ok {
			return errWrongPass
		}
		c.S.Authenticated = true
		c.S.SetReadOnly(ro)
	}
	if !c.S.Authenticated {
		return Error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
	}
	if name != nil {
		c.S.SetName(string(name))
	}
	if ver != 0 {
		c.S.Proto = int(ver)
		c.S.pushProto.Store(int32(ver))
	}
	r := c.R
	r.Map(7)
	r.BulkString("server")
	r.BulkString("redis")
	r.BulkString("version")
	r.BulkString(RedisVersion)
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
			return Error("ERR Client names cannot contain spaces, newlines or special characters.")
		}
	}
	return nil
}

// cmdReset: RESET. Back to a fresh connection's state.
func cmdReset(c *Call) error {
	s := c.S
	s.SetDB(0)
	s.Proto = 2
	s.replyOff, s.skipNext, s.skipThis = false, false, false
	s.SetName("")
	s.mu.Lock()
	s.noEvict, s.noTouch = false, false
	s.mu.Unlock()
	s.Authenticated = c.D.Cfg.RequirePass() == ""
	s.SetReadOnly(false)
	s.multi = nil
	c.D.unwatchAll(s)
	c.D.pubsub.dropAll(s)
	c.R.Simple("RESET")
	return nil
}
