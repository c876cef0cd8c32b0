package servercmd

import (
	"strings"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/command/internal/cmdmeta"
	"github.com/larder-db/larder/internal/glob"
)

func introspectionCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "command", Arity: -1, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock, ACL: command.ACLSlow | command.ACLConnection, Handler: cmdCommand, Subs: []*command.Spec{
			{Name: "command|count", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdCommandCount},
			{Name: "command|info", Arity: -2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdCommandInfo},
			{Name: "command|list", Arity: -2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdCommandList},
			{Name: "command|docs", Arity: -2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdCommandDocs},
			{Name: "command|getkeys", Arity: -4, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdCommandGetkeys},
			{Name: "command|getkeysandflags", Arity: -4, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdCommandGetkeysandflags},
			{Name: "command|help", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow | command.ACLConnection, Handler: cmdCommandHelp},
		}},
	}
}

// cmdCommand: COMMAND (every command's details)
func cmdCommand(c *command.Call) error {
	all := c.D.Table().All()
	c.R.Array(len(all))
	for _, s := range all {
		writeCommandInfo(c.R, s)
	}
	return nil
}

// cmdCommandCount: COMMAND COUNT
func cmdCommandCount(c *command.Call) error {
	c.R.Int(int64(len(c.D.Table().All())))
	return nil
}

// cmdCommandInfo: COMMAND INFO [command-name ...]
func cmdCommandInfo(c *command.Call) error {
	if len(c.Args) == 2 {
		return cmdCommand(c)
	}
	c.R.Array(len(c.Args) - 2)
	for _, a := range c.Args[2:] {
		if s := c.D.Table().LookupFullName(string(a)); s != nil {
			writeCommandInfo(c.R, s)
		} else {
			c.R.Null()
		}
	}
	return nil
}

// writeCommandInfo writes one COMMAND INFO entry: the table's facts, then
// Redis's tips and key specs for the same command, then the subcommands.
func writeCommandInfo(r command.Reply, s *command.Spec) {
	r.Array(10)
	r.BulkString(s.Name)
	r.Int(int64(s.Arity))
	flags := s.Flags.RedisFlagNames()
	if s.Flags&command.FlagMovableKeys == 0 && s.Keys != nil {
		flags = append(flags, "movablekeys")
	}
	r.Set(len(flags))
	for _, f := range flags {
		r.Simple(f)
	}
	r.Int(int64(s.First))
	r.Int(int64(s.Last))
	r.Int(int64(s.Step))
	cats := s.ACL.Names()
	r.Set(len(cats))
	for _, a := range cats {
		r.Simple(a)
	}
	m, ok := redisMeta().Info[s.Name]
	if ok {
		writeMeta(r, m.Tips, nil)
		writeMeta(r, m.KeySpecs, nil)
	} else {
		r.Set(0)
		writeDefaultKeySpecs(r, s)
	}
	r.Set(len(s.Subs))
	for _, sub := range s.Subs {
		writeCommandInfo(r, sub)
	}
}

// writeDefaultKeySpecs describes a Larder-only command's key range in
// Redis's key-spec form.
func writeDefaultKeySpecs(r command.Reply, s *command.Spec) {
	if s.First == 0 {
		r.Set(0)
		return
	}
	access := "RO"
	if s.Flags&command.FlagWrite != 0 {
		access = "RW"
	}
	last := s.Last
	if last > 0 {
		last -= s.First
	}
	r.Set(1)
	r.Map(3)
	r.BulkString("flags")
	r.Set(1)
	r.Simple(access)
	r.BulkString("begin_search")
	r.Map(2)
	r.BulkString("type")
	r.BulkString("index")
	r.BulkString("spec")
	r.Map(1)
	r.BulkString("index")
	r.Int(int64(s.First))
	r.BulkString("find_keys")
	r.Map(2)
	r.BulkString("type")
	r.BulkString("range")
	r.BulkString("spec")
	r.Map(3)
	r.BulkString("lastkey")
	r.Int(int64(last))
	r.BulkString("keystep")
	r.Int(int64(s.Step))
	r.BulkString("limit")
	r.Int(0)
}

// cmdCommandList: COMMAND LIST [FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]
func cmdCommandList(c *command.Call) error {
	keep := func(*command.Spec) bool { return true }
	switch {
	case len(c.Args) == 2:
	case len(c.Args) == 5 && command.Eq(c.Args[2], "filterby"):
		arg := c.Args[4]
		switch {
		case command.Eq(c.Args[3], "module"):
			keep = func(*command.Spec) bool { return false } // Larder has no modules
		case command.Eq(c.Args[3], "aclcat"):
			keep = func(s *command.Spec) bool { return hasCategory(s.ACL, string(arg)) }
		case command.Eq(c.Args[3], "pattern"):
			keep = func(s *command.Spec) bool { return glob.Match(arg, []byte(s.Name), true) }
		default:
			return command.ErrSyntax
		}
	default:
		return command.ErrSyntax
	}
	var names []string
	c.D.Table().EachName(func(s *command.Spec) {
		if keep(s) {
			names = append(names, s.Name)
		}
	})
	c.R.Array(len(names))
	for _, n := range names {
		c.R.BulkString(n)
	}
	return nil
}

func hasCategory(a command.ACL, name string) bool {
	for _, n := range a.Names() {
		if strings.EqualFold(n[1:], name) {
			return true
		}
	}
	return false
}

// cmdCommandDocs: COMMAND DOCS [command-name ...]
func cmdCommandDocs(c *command.Call) error {
	var specs []*command.Spec
	if len(c.Args) == 2 {
		specs = c.D.Table().All()
	} else {
		for _, a := range c.Args[2:] {
			if s := c.D.Table().LookupFullName(string(a)); s != nil {
				specs = append(specs, s)
			}
		}
	}
	docs := redisMeta().Docs
	c.R.Map(len(specs))
	for _, s := range specs {
		c.R.BulkString(s.Name)
		doc, ok := docs[s.Name]
		if !ok {
			doc = subcommandDoc(docs, s)
		}
		keep := func(name string) bool { return c.D.Table().LookupFullName(name) != nil }
		writeMeta(c.R, doc, keep)
	}
	return nil
}

// subcommandDoc finds a subcommand's doc inside its container's, or makes
// a minimal one for a command Redis does not have.
func subcommandDoc(docs map[string]cmdmeta.Value, s *command.Spec) cmdmeta.Value {
	if p := s.Parent(); p != nil {
		parent := docs[p.Name]
		for i := 0; i+1 < len(parent.E); i += 2 {
			if parent.E[i].S != "subcommands" {
				continue
			}
			subs := parent.E[i+1]
			for j := 0; j+1 < len(subs.E); j += 2 {
				if subs.E[j].S == s.Name {
					return subs.E[j+1]
				}
			}
		}
	}
	str := func(v string) cmdmeta.Value { return cmdmeta.Value{T: "$", S: v} }
	return cmdmeta.Value{T: "%", E: []cmdmeta.Value{
		str("summary"), str("A Larder command."), str("since"), str("0.1.0"), str("group"), str("server"),
	}}
}

// cmdCommandHelp: COMMAND HELP
func cmdCommandHelp(c *command.Call) error {
	command.ReplyHelp(c, "COMMAND", []string{
		"(no subcommand)",
		"    Return details about all Redis commands.",
		"COUNT",
		"    Return the total number of commands in this Redis server.",
		"LIST",
		"    Return a list of all commands in this Redis server.",
		"INFO [<command-name> ...]",
		"    Return details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"DOCS [<command-name> ...]",
		"    Return documentation details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"GETKEYS <full-command>",
		"    Return the keys from a full Redis command.",
		"GETKEYSANDFLAGS <full-command>",
		"    Return the keys and the access flags from a full Redis command.",
	})
	return nil
}
