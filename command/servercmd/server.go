package servercmd

import (
	"strconv"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/internal/glob"
)

func serverCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "dbsize", Arity: 1, Flags: command.FlagReadOnly | command.FlagFast | command.FlagAllShards,
			ACL: command.ACLKeyspace | command.ACLRead | command.ACLFast, Handler: cmdDbsize},
		{Name: "flushdb", Arity: -1, Flags: command.FlagWrite | command.FlagAllShards,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLSlow | command.ACLDangerous, Handler: cmdFlushdb},
		{Name: "flushall", Arity: -1, Flags: command.FlagWrite | command.FlagNoLock | command.FlagCrossDB,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLSlow | command.ACLDangerous, Handler: cmdFlushall},
		{Name: "swapdb", Arity: 3, Flags: command.FlagWrite | command.FlagFast | command.FlagNoLock | command.FlagCrossDB,
			ACL: command.ACLKeyspace | command.ACLWrite | command.ACLFast | command.ACLDangerous, Handler: cmdSwapdb},
		{Name: "time", Arity: 1, Flags: command.FlagLoading | command.FlagStale | command.FlagFast | command.FlagNoLock,
			ACL: command.ACLFast, Handler: cmdTime},
		{Name: "info", Arity: -1, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock | command.FlagReadsAllDBs,
			ACL: command.ACLSlow | command.ACLDangerous, Handler: cmdInfo},
		{Name: "config", Arity: -2, Flags: command.FlagNoLock, ACL: command.ACLSlow, Subs: []*command.Spec{
			{Name: "config|get", Arity: -3, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdConfigGet},
			{Name: "config|set", Arity: -4, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdConfigSet},
			{Name: "config|resetstat", Arity: 2, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdConfigResetstat},
			{Name: "config|rewrite", Arity: 2, Flags: command.FlagAdmin | command.FlagNoScript | command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLAdmin | command.ACLSlow | command.ACLDangerous, Handler: cmdConfigRewrite},
			{Name: "config|help", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow, Handler: cmdConfigHelp},
		}},
	}
}

// cmdDbsize: DBSIZE. Like Redis it counts keys not yet reclaimed after
// expiring.
func cmdDbsize(c *command.Call) error {
	n := 0
	db := c.DB()
	for i := 0; i < c.Store().ShardsPerDB(); i++ {
		n += db.Shard(i).Len()
	}
	c.R.Int(int64(n))
	return nil
}

// flushMode validates FLUSHDB/FLUSHALL's optional SYNC|ASYNC. Both free
// memory at once in Larder (the garbage collector does the freeing).
func flushMode(args [][]byte) error {
	if len(args) > 1 || (len(args) == 1 && !command.Eq(args[0], "sync") && !command.Eq(args[0], "async")) {
		return command.ErrSyntax
	}
	return nil
}

// cmdFlushdb: FLUSHDB [ASYNC | SYNC]
func cmdFlushdb(c *command.Call) error {
	if err := flushMode(c.Args[1:]); err != nil {
		return err
	}
	clearDB(c, c.Store().ShardsPerDB(), c.DB().Index())
	c.D.TrackFlush(c.S)
	c.R.Simple("OK")
	return nil
}

// cmdFlushall: FLUSHALL [ASYNC | SYNC]
func cmdFlushall(c *command.Call) error {
	if err := flushMode(c.Args[1:]); err != nil {
		return err
	}
	st := c.Store()
	for i := 0; i < st.Databases(); i++ {
		c.LockAll(st.DB(i), true) // ascending global order across dbs
	}
	for i := 0; i < st.Databases(); i++ {
		clearDB(c, st.ShardsPerDB(), i)
	}
	c.D.TrackFlush(c.S)
	c.R.Simple("OK")
	return nil
}

// clearDB empties database i (its shards locked). A flush is always
// journaled, as Redis always propagates it.
func clearDB(c *command.Call, shards, i int) {
	db := c.Store().DB(i)
	c.D.TouchDB(i, func(k string) bool { return db.LookupAt([]byte(k), 0, true) != nil })
	for s := 0; s < shards; s++ {
		db.Shard(s).Clear()
	}
	c.WakeDB(i)
	c.Dirty(1)
}

// cmdSwapdb: SWAPDB index1 index2
func cmdSwapdb(c *command.Call) error {
	a, ok := command.ParseInt(c.Args[1])
	if !ok || a != int64(int32(a)) {
		return command.Error("ERR invalid first DB index")
	}
	b, ok := command.ParseInt(c.Args[2])
	if !ok || b != int64(int32(b)) {
		return command.Error("ERR invalid second DB index")
	}
	st := c.Store()
	n := int64(st.Databases())
	if a < 0 || a >= n || b < 0 || b >= n {
		return command.ErrDBIndex
	}
	if a != b {
		lo, hi := min(a, b), max(a, b)
		c.LockAll(st.DB(int(lo)), true)
		c.LockAll(st.DB(int(hi)), true)
		da, db := st.DB(int(a)), st.DB(int(b))
		exists := func(k string) bool {
			return da.LookupAt([]byte(k), 0, true) != nil || db.LookupAt([]byte(k), 0, true) != nil
		}
		c.D.TouchDB(int(a), exists)
		c.D.TouchDB(int(b), exists)
		da.Swap(db)
		c.WakeDB(int(a))
		c.WakeDB(int(b))
	}
	c.Dirty(1)
	c.R.Simple("OK")
	return nil
}

// cmdTime: TIME
func cmdTime(c *command.Call) error {
	now := c.Store().Now()
	c.R.Array(2)
	c.R.BulkString(strconv.FormatInt(now.Unix(), 10))
	c.R.BulkString(strconv.FormatInt(int64(now.Nanosecond()/1000), 10))
	return nil
}

// cmdConfigGet: CONFIG GET parameter [parameter ...]
func cmdConfigGet(c *command.Call) error {
	pairs := c.D.Cfg.Match(c.Args[2:], func(p, s []byte) bool { return glob.Match(p, s, true) })
	c.R.Map(len(pairs))
	for _, kv := range pairs {
		c.R.BulkString(kv[0])
		c.R.BulkString(kv[1])
	}
	return nil
}

// cmdConfigSet: CONFIG SET parameter value [parameter value ...]
func cmdConfigSet(c *command.Call) error {
	if len(c.Args)%2 != 0 {
		return command.ErrSyntax
	}
	if err := c.D.Cfg.Set(c.Args[2:]); err != nil {
		return err
	}
	c.D.ApplyConfig()
	c.R.Simple("OK")
	return nil
}

// cmdConfigResetstat: CONFIG RESETSTAT
func cmdConfigResetstat(c *command.Call) error {
	c.D.ResetStats()
	c.R.Simple("OK")
	return nil
}

// cmdConfigRewrite: CONFIG REWRITE writes the running configuration back
// to the --config file (Config.Rewrite).
func cmdConfigRewrite(c *command.Call) error {
	log := c.D.Logger()
	if err := c.D.Cfg.Rewrite(); err != nil {
		if c.D.Cfg.File() != "" {
			log.Warn().Err(err).Msg("CONFIG REWRITE failed")
		}
		return err
	}
	log.Info().Str("file", c.D.Cfg.File()).Msg("CONFIG REWRITE executed with success")
	c.R.Simple("OK")
	return nil
}

// cmdConfigHelp: CONFIG HELP
func cmdConfigHelp(c *command.Call) error {
	command.ReplyHelp(c, "CONFIG", []string{
		"GET <pattern>",
		"    Return parameters matching the glob-like <pattern> and their values.",
		"SET <directive> <value>",
		"    Set the configuration <directive> to <value>.",
		"RESETSTAT",
		"    Reset statistics reported by the INFO command.",
		"REWRITE",
		"    Rewrite the configuration file.",
	})
	return nil
}

// Commands returns the family's rows: connection, CLIENT, server,
// introspection (COMMAND, OBJECT …), persistence, ACL, MEMORY, MONITOR,
// SLOWLOG and LATENCY commands.
func Commands() []*command.Spec {
	var rows []*command.Spec
	for _, part := range [][]*command.Spec{connectionCommands(), clientCommands(), serverCommands(),
		introspectionCommands(), persistenceCommands(), aclCommands(), memoryCommands(), monitorCommands(), slowlogCommands(), latencyCommands()} {
		rows = append(rows, part...)
	}
	return rows
}
