package servercmd

import (
	"fmt"
	"strings"

	"github.com/larder-db/larder/command"
)

// clientCommands are CLIENT's rows: TCP-only but for SETINFO, which REST
// accepts (UPSTASH-REST.md §16).
func clientCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "client", Arity: -2, Flags: command.FlagNoLock, ACL: command.ACLSlow, Subs: append([]*command.Spec{
			{Name: "client|id", Arity: 2, Flags: command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdClientID},
			{Name: "client|getname", Arity: 2, Flags: command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdClientGetname},
			{Name: "client|setname", Arity: 3, Flags: command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdClientSetname},
			{Name: "client|setinfo", Arity: 4, Flags: command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdClientSetinfo},
			{Name: "client|info", Arity: 2, Flags: command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdClientInfo},
			{Name: "client|list", Arity: -2, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous | command.ACLConnection, Handler: cmdClientList},
			{Name: "client|kill", Arity: -3, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous | command.ACLConnection, Handler: cmdClientKill},
			{Name: "client|no-evict", Arity: 3, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous | command.ACLConnection, Handler: cmdClientNoEvict},
			{Name: "client|no-touch", Arity: 3, Flags: command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdClientNoTouch},
			{Name: "client|reply", Arity: 3, Flags: command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdClientReply},
			{Name: "client|unblock", Arity: -3, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagTCPOnly | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous | command.ACLConnection, Handler: cmdClientUnblock},
			{Name: "client|help", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdClientHelp},
		}, trackingCommands()...)},
	}
}

// cmdClientID: CLIENT ID
func cmdClientID(c *command.Call) error {
	c.R.Int(c.S.ID)
	return nil
}

// cmdClientGetname: CLIENT GETNAME
func cmdClientGetname(c *command.Call) error {
	if n := c.S.Name(); n != "" {
		c.R.BulkString(n)
		return nil
	}
	c.R.Null()
	return nil
}

// cmdClientSetname: CLIENT SETNAME connection-name ("" removes the name)
func cmdClientSetname(c *command.Call) error {
	if err := validateClientName(c.Args[2]); err != nil {
		return err
	}
	c.S.SetName(string(c.Args[2]))
	c.R.Simple("OK")
	return nil
}

// cmdClientSetinfo: CLIENT SETINFO <LIB-NAME libname | LIB-VER libver>
// (Redis 7.2, from its documentation).
func cmdClientSetinfo(c *command.Call) error {
	attr, val := strings.ToLower(string(c.Args[2])), c.Args[3]
	if attr != "lib-name" && attr != "lib-ver" {
		return command.Error("ERR Unrecognized option '" + string(c.Args[2]) + "'")
	}
	for _, ch := range val {
		if ch < '!' || ch > '~' {
			return command.Error("ERR " + attr + " cannot contain spaces, newlines or special characters.")
		}
	}
	c.S.Mu.Lock()
	if attr == "lib-name" {
		c.S.LibName = string(val)
	} else {
		c.S.LibVer = string(val)
	}
	c.S.Mu.Unlock()
	c.R.Simple("OK")
	return nil
}

// clientLine formats one CLIENT LIST / CLIENT INFO line with Redis's fields
// in Redis's order (lib-name/lib-ver as 7.2 adds them). Of the buffers,
// Larder reports the query buffer while a command runs; the others are 0.
func clientLine(b *strings.Builder, ci command.ClientInfo, ti command.TrackingInfo) {
	flags := "" // Redis's letters in Redis's order; N when there is none
	if ci.Monitor {
		flags += "O"
	}
	if ti.On {
		flags += "t"
	}
	if ti.Broken {
		flags += "R"
	}
	if ti.BCast {
		flags += "B"
	}
	if ci.NoEvict {
		flags += "e"
	}
	if ci.NoTouch {
		flags += "T"
	}
	if flags == "" {
		flags = "N"
	}
	cmd := ci.LastCmd
	if cmd == "" {
		cmd = "NULL"
	}
	fmt.Fprintf(b, "id=%d addr=%s laddr=%s fd=-1 name=%s age=%d idle=%d flags=%s db=%d sub=0 psub=0 ssub=0 "+
		"multi=-1 qbuf=%d qbuf-free=%d argv-mem=%d multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 "+
		"events=r cmd=%s user=%s redir=%d resp=%d lib-name=%s lib-ver=%s\n",
		ci.Id, ci.Addr, ci.Laddr, ci.Name, ci.Age, ci.Idle, flags, ci.Db, ci.QBuf, ci.QBufFree, ci.ArgvMem,
		cmd, ci.User, ti.Redirect, ci.Proto, ci.LibName, ci.LibVer)
}

// cmdClientInfo: CLIENT INFO
func cmdClientInfo(c *command.Call) error {
	var b strings.Builder
	clientLine(&b, c.S.Info(c.Store().Now()), c.D.Tracking(c.S))
	c.R.Verbatim("txt", b.String())
	return nil
}

// cmdClientList: CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id ...]
func cmdClientList(c *command.Call) error {
	var ids map[int64]bool
	normalOnly := true
	switch {
	case len(c.Args) == 4 && command.Eq(c.Args[2], "type"):
		t, ok := clientType(c.Args[3])
		if !ok {
			return command.Error("ERR Unknown client type '" + string(c.Args[3]) + "'")
		}
		normalOnly = t == "normal"
	case len(c.Args) > 3 && command.Eq(c.Args[2], "id"):
		ids = map[int64]bool{}
		for _, a := range c.Args[3:] {
			n, ok := command.ParseInt(a)
			if !ok {
				return command.Error("ERR Invalid client ID")
			}
			ids[n] = true
		}
	case len(c.Args) != 2:
		return command.ErrSyntax
	}
	var b strings.Builder
	now := c.Store().Now()
	for _, s := range c.D.Sessions() {
		if (ids != nil && !ids[s.ID]) || !normalOnly {
			continue // every Larder client is "normal" until pub/sub arrives
		}
		clientLine(&b, s.Info(now), c.D.Tracking(s))
	}
	c.R.Verbatim("txt", b.String())
	return nil
}

// clientType is Redis's getClientTypeByName ("slave" is the old "replica").
func clientType(b []byte) (string, bool) {
	switch {
	case command.Eq(b, "normal"):
		return "normal", true
	case command.Eq(b, "slave"), command.Eq(b, "replica"):
		return "replica", true
	case command.Eq(b, "pubsub"):
		return "pubsub", true
	case command.Eq(b, "master"):
		return "master", true
	}
	return "", false
}

// killFilter is CLIENT KILL's new form.
type killFilter struct {
	id          int64
	addr, laddr string
	user        string
	typ         string
	skipMe      bool
}

func parseKillFilter(c *command.Call) (killFilter, error) {
	f := killFilter{skipMe: true}
	args := c.Args[2:]
	for i := 0; i < len(args); i += 2 {
		if i+1 >= len(args) {
			return f, command.ErrSyntax
		}
		opt, v := args[i], args[i+1]
		switch {
		case command.Eq(opt, "id"):
			n, ok := command.ParseInt(v)
			if !ok || n < 1 {
				return f, command.Error("ERR client-id should be greater than 0")
			}
			f.id = n
		case command.Eq(opt, "type"):
			t, ok := clientType(v)
			if !ok {
				return f, command.Error("ERR Unknown client type '" + string(v) + "'")
			}
			f.typ = t
		case command.Eq(opt, "addr"):
			f.addr = string(v)
		case command.Eq(opt, "laddr"):
			f.laddr = string(v)
		case command.Eq(opt, "user"):
			if string(v) != "default" {
				return f, command.Error("ERR No such user '" + string(v) + "'")
			}
			f.user = string(v)
		case command.Eq(opt, "skipme"):
			switch {
			case command.Eq(v, "yes"):
				f.skipMe = true
			case command.Eq(v, "no"):
				f.skipMe = false
			default:
				return f, command.ErrSyntax
			}
		default:
			return f, command.ErrSyntax
		}
	}
	return f, nil
}

func (f killFilter) matches(s *command.Session, self *command.Session) bool {
	ci := s.Info(s.Created)
	switch {
	case f.id != 0 && s.ID != f.id,
		f.addr != "" && ci.Addr != f.addr,
		f.laddr != "" && ci.Laddr != f.laddr,
		f.user != "" && ci.User != f.user,
		f.typ != "" && f.typ != "normal",
		f.skipMe && s == self:
		return false
	}
	return true
}

// cmdClientKill: CLIENT KILL ip:port | CLIENT KILL <filter> <value> ...
func cmdClientKill(c *command.Call) error {
	if len(c.Args) == 3 { // the old form: one address, OK or an error
		for _, s := range c.D.Sessions() {
			if s.Info(s.Created).Addr == string(c.Args[2]) {
				kill(c, s)
				c.R.Simple("OK")
				return nil
			}
		}
		return command.Error("ERR No such client")
	}
	f, err := parseKillFilter(c)
	if err != nil {
		return err
	}
	n := 0
	for _, s := range c.D.Sessions() {
		if f.matches(s, c.S) {
			kill(c, s)
			n++
		}
	}
	c.R.Int(int64(n))
	return nil
}

// kill closes another client's connection now, or this one after its reply.
func kill(c *command.Call, s *command.Session) {
	if s == c.S {
		c.S.Closing = true
		return
	}
	if s.Kill != nil {
		s.Kill()
	}
}

// onOff parses CLIENT NO-EVICT / NO-TOUCH's argument.
func onOff(b []byte) (bool, error) {
	switch {
	case command.Eq(b, "on"):
		return true, nil
	case command.Eq(b, "off"):
		return false, nil
	}
	return false, command.ErrSyntax
}

// cmdClientNoEvict: CLIENT NO-EVICT ON|OFF (recorded; Larder evicts no
// clients, so it only shows in CLIENT LIST flags)
func cmdClientNoEvict(c *command.Call) error {
	on, err := onOff(c.Args[2])
	if err != nil {
		return err
	}
	c.S.Mu.Lock()
	c.S.NoEvict = on
	c.S.Mu.Unlock()
	c.R.Simple("OK")
	return nil
}

// cmdClientNoTouch: CLIENT NO-TOUCH ON|OFF (Redis 7.2): this client's reads
// leave keys' access time alone.
func cmdClientNoTouch(c *command.Call) error {
	on, err := onOff(c.Args[2])
	if err != nil {
		return err
	}
	c.S.Mu.Lock()
	c.S.SetNoTouch(on)
	c.S.Mu.Unlock()
	c.R.Simple("OK")
	return nil
}

// cmdClientReply: CLIENT REPLY ON|OFF|SKIP. OFF and SKIP are themselves
// not answered, as in Redis.
func cmdClientReply(c *command.Call) error {
	switch a := c.Args[2]; {
	case command.Eq(a, "on"):
		c.S.ReplyOn()
		c.R.Simple("OK")
	case command.Eq(a, "off"):
		c.S.ReplyOff = true
	case command.Eq(a, "skip"):
		if !c.S.ReplyOff {
			c.S.SkipNext = true
		}
	default:
		return command.ErrSyntax
	}
	return nil
}

// cmdClientHelp: CLIENT HELP (the subcommands Larder has)
func cmdClientHelp(c *command.Call) error {
	command.ReplyHelp(c, "CLIENT", []string{
		"GETNAME",
		"    Return the name of the current connection.",
		"ID",
		"    Return the ID of the current connection.",
		"INFO",
		"    Return information about the current client connection.",
		"KILL <ip:port>",
		"    Kill connection made from <ip:port>.",
		"KILL <option> <value> [<option> <value> [...]]",
		"    Kill connections. Options are:",
		"    * ADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made from the specified address",
		"    * LADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made to specified local address",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Kill connections by type.",
		"    * USER <username>",
		"      Kill connections authenticated by <username>.",
		"    * SKIPME (YES|NO)",
		"      Skip killing current connection (default: yes).",
		"LIST [options ...]",
		"    Return information about client connections. Options:",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Return clients of specified type.",
		"REPLY (ON|OFF|SKIP)",
		"    Control the replies sent to the current connection.",
		"SETNAME <name>",
		"    Assign the name <name> to the current connection.",
		"SETINFO <LIB-NAME|LIB-VER> <value>",
		"    Set client library name or version.",
		"NO-EVICT (ON|OFF)",
		"    Protect current client connection from eviction.",
		"NO-TOUCH (ON|OFF)",
		"    Will not touch LRU/LFU stats when this mode is on.",
	})
	return nil
}

// cmdClientUnblock: CLIENT UNBLOCK client-id [TIMEOUT|ERROR]
func cmdClientUnblock(c *command.Call) error {
	id, err := command.IntArg(c.Args[2])
	if err != nil {
		return err
	}
	reason := "timeout"
	if len(c.Args) > 4 {
		return command.Error("ERR unknown subcommand or wrong number of arguments for '" + string(c.Args[1]) + "'. Try CLIENT HELP.")
	}
	if len(c.Args) == 4 {
		switch {
		case command.Eq(c.Args[3], "timeout"):
		case command.Eq(c.Args[3], "error"):
			reason = "error"
		default:
			return command.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
		}
	}
	if c.D.UnblockClient(id, reason) {
		c.R.Int(1)
	} else {
		c.R.Int(0)
	}
	return nil
}
