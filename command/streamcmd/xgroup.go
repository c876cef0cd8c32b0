package streamcmd

import (
	"strconv"

	"github.com/larder-db/larder/command"
)

// now is the wall clock in ms for delivery and seen times; the replay
// session runs with a zero clock, so it reads the store's clock then.
func now(c *command.Call) int64 {
	if t := c.NowMs(); t != 0 {
		return t
	}
	return c.Store().NowMs()
}

// subSyntax is addReplySubcommandSyntaxError for XGROUP.
func subSyntax(c *command.Call) error { return subSyntaxOf(c, "XGROUP") }

func subSyntaxOf(c *command.Call, cmd string) error {
	return command.Error("ERR unknown subcommand or wrong number of arguments for '" +
		string(c.Args[1]) + "'. Try " + cmd + " HELP.")
}

// groupOpts parses XGROUP CREATE's and SETID's options from args[5:].
func groupOpts(c *command.Call, create bool) (mk bool, read int64, err error) {
	read = -1
	for i := 5; i < len(c.Args); {
		switch {
		case create && command.Eq(c.Args[i], "mkstream"):
			mk = true
			i++
		case command.Eq(c.Args[i], "entriesread") && i+1 < len(c.Args):
			n, ok := command.ParseInt(c.Args[i+1])
			if !ok {
				return false, 0, command.ErrNotInteger
			}
			if n < 0 && n != -1 {
				return false, 0, command.Error("ERR value for ENTRIESREAD must be positive or -1")
			}
			read = n
			i += 2
		default:
			return false, 0, subSyntax(c)
		}
	}
	return mk, read, nil
}

const errNeedKey command.Error = "ERR The XGROUP subcommand requires the key to exist. " +
	"Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."

// lookupGroupKey is xgroupCommand's common part: the stream at args[2]
// (nil only with mk) and the group args[3] (nil when missing).
func lookupGroupKey(c *command.Call, mk bool) (*Stream, *group, error) {
	e, err := c.LookupWriteKind(c.Args[2], kindStream)
	if err != nil {
		return nil, nil, err
	}
	if e == nil {
		if mk {
			return nil, nil, nil
		}
		return nil, nil, errNeedKey
	}
	s := streamOf(e)
	return s, s.groups[string(c.Args[3])], nil
}

func noGroup(c *command.Call) error {
	return command.Error("NOGROUP No such consumer group '" + string(c.Args[3]) +
		"' for key name '" + string(c.Args[2]) + "'")
}

// cmdXgroupCreate: XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n]
func cmdXgroupCreate(c *command.Call) error {
	mk, read, err := groupOpts(c, true)
	if err != nil {
		return err
	}
	if len(c.Args) > 8 {
		return subSyntax(c)
	}
	s, g, err := lookupGroupKey(c, mk)
	if err != nil {
		return err
	}
	var id ID
	if string(c.Args[4]) == "$" {
		if s != nil {
			id = s.lastID
		}
	} else if id, err = parseStrictID(c.Args[4], 0); err != nil {
		return err
	}
	if s == nil {
		s = newStream()
		c.DB().SetObject(c.Args[2], kindStream, s)
	}
	if g != nil {
		return command.Error("BUSYGROUP Consumer Group name already exists")
	}
	name := string(c.Args[3])
	s.groups[name] = newGroup(name, id, read)
	s.mem += groupBase + int64(len(name))
	s.changed()
	c.R.Simple("OK")
	c.Notify(command.NotifyStream, "xgroup-create", c.Args[2])
	return nil
}

// cmdXgroupSetid: XGROUP SETID key group id|$ [ENTRIESREAD n]
func cmdXgroupSetid(c *command.Call) error {
	_, read, err := groupOpts(c, false)
	if err != nil {
		return err
	}
	if len(c.Args) != 5 && len(c.Args) != 7 {
		return subSyntax(c)
	}
	s, g, err := lookupGroupKey(c, false)
	if err != nil {
		return err
	}
	if g == nil {
		return noGroup(c)
	}
	id := s.lastID
	if string(c.Args[4]) != "$" {
		if id, err = parseID(c.Args[4], 0); err != nil {
			return err
		}
	}
	g.lastID, g.entriesRead = id, read
	s.changed()
	c.R.Simple("OK")
	c.Notify(command.NotifyStream, "xgroup-setid", c.Args[2])
	return nil
}

// cmdXgroupDestroy: XGROUP DESTROY key group
func cmdXgroupDestroy(c *command.Call) error {
	s, g, err := lookupGroupKey(c, false)
	if err != nil {
		return err
	}
	if g == nil {
		c.R.Int(0)
		return nil
	}
	delete(s.groups, g.name)
	s.mem -= groupBase + int64(len(g.name))
	g.pel.Scan(func(p *pending) bool { s.mem -= pendingBase; return true })
	for _, cs := range g.consumers {
		s.mem -= consumerBase + int64(len(cs.name))
	}
	s.changed()
	c.R.Int(1)
	c.Notify(command.NotifyStream, "xgroup-destroy", c.Args[2])
	return nil
}

// cmdXgroupCreateconsumer: XGROUP CREATECONSUMER key group consumer
func cmdXgroupCreateconsumer(c *command.Call) error {
	s, g, err := lookupGroupKey(c, false)
	if err != nil {
		return err
	}
	if g == nil {
		return noGroup(c)
	}
	name := string(c.Args[4])
	if g.consumers[name] != nil {
		c.R.Int(0)
		return nil
	}
	s.addConsumer(g, name, now(c))
	s.changed()
	c.R.Int(1)
	c.Notify(command.NotifyStream, "xgroup-createconsumer", c.Args[2])
	return nil
}

// addConsumer creates consumer name in g.
// createConsumer adds consumer name to g for a command that creates it on
// first use (XREADGROUP, XCLAIM, XAUTOCLAIM), with the keyspace event
// Redis's streamCreateConsumer sends.
func createConsumer(c *command.Call, key []byte, s *Stream, g *group, name string, t int64) *consumer {
	cs := s.addConsumer(g, name, t)
	c.Notify(command.NotifyStream, "xgroup-createconsumer", key)
	return cs
}

func (s *Stream) addConsumer(g *group, name string, t int64) *consumer {
	cs := &consumer{name: name, seenTime: t, pel: newPEL()}
	g.consumers[name] = cs
	s.mem += consumerBase + int64(len(name))
	return cs
}

// cmdXgroupDelconsumer: XGROUP DELCONSUMER key group consumer
func cmdXgroupDelconsumer(c *command.Call) error {
	s, g, err := lookupGroupKey(c, false)
	if err != nil {
		return err
	}
	if g == nil {
		return noGroup(c)
	}
	cs := g.consumers[string(c.Args[4])]
	if cs == nil {
		c.R.Int(0)
		return nil
	}
	n := cs.pel.Len()
	cs.pel.Scan(func(p *pending) bool {
		g.pel.Delete(p)
		s.mem -= pendingBase
		return true
	})
	delete(g.consumers, cs.name)
	s.mem -= consumerBase + int64(len(cs.name))
	s.changed()
	c.R.Int(int64(n))
	c.Notify(command.NotifyStream, "xgroup-delconsumer", c.Args[2])
	return nil
}

// cmdXgroupHelp: XGROUP HELP
func cmdXgroupHelp(c *command.Call) error {
	command.ReplyHelp(c, "XGROUP", []string{
		"CREATE <key> <groupname> <id|$> [option]",
		"    Create a new consumer group. Options are:",
		"    * MKSTREAM",
		"      Create the empty stream if it does not exist.",
		"    * ENTRIESREAD entries_read",
		"      Set the group's entries_read counter (internal use).",
		"CREATECONSUMER <key> <groupname> <consumer>",
		"    Create a new consumer in the specified group.",
		"DELCONSUMER <key> <groupname> <consumer>",
		"    Remove the specified consumer.",
		"DESTROY <key> <groupname>",
		"    Remove the specified group.",
		"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
		"    Set the current group ID and entries_read counter.",
	})
	return nil
}

// journalSetID logs the group's position (Redis's streamPropagateGroupID).
func journalSetID(c *command.Call, key []byte, g *group) {
	c.Journal([]byte("XGROUP"), []byte("SETID"), key, []byte(g.name), g.lastID.Bytes(),
		[]byte("ENTRIESREAD"), strconv.AppendInt(nil, g.entriesRead, 10))
}

// journalClaim logs one pending entry's state (streamPropagateXCLAIM).
func journalClaim(c *command.Call, key []byte, g *group, id ID, p *pending) {
	c.Journal([]byte("XCLAIM"), key, []byte(g.name), []byte(p.owner.name), []byte("0"), id.Bytes(),
		[]byte("TIME"), strconv.AppendInt(nil, p.delivered, 10),
		[]byte("RETRYCOUNT"), strconv.AppendUint(nil, p.count, 10),
		[]byte("FORCE"), []byte("JUSTID"), []byte("LASTID"), g.lastID.Bytes())
}
