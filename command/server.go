package command

import (
	"strconv"

	"github.com/larder-db/larder/internal/glob"
)

func serverCommands() []*Spec {
	admin := FlagAdmin | FlagNoScript | FlagLoading | FlagStale | FlagNoLock
	adminACL := ACLAdmin | ACLSlow | ACLDangerous
	return []*Spec{
		{Name: "dbsize", Arity: 1, Flags: FlagReadOnly | FlagFast | FlagAllShards,
			ACL: ACLKeyspace | ACLRead | ACLFast, Handler: cmdDbsize},
		{Name: "flushdb", Arity: -1, Flags: FlagWrite | FlagAllShards,
			ACL: ACLKeyspace | ACLWrite | ACLSlow | ACLDangerous, Handler: cmdFlushdb},
		{Name: "flushall", Arity: -1, Flags: FlagWrite | FlagNoLock,
			ACL: ACLKeyspace | ACLWrite | ACLSlow | ACLDangerous, Handler: cmdFlushall},
		{Name: "swapdb", Arity: 3, Flags: FlagWrite | FlagFast | FlagNoLock,
			ACL: ACLKeyspace | ACLWrite | ACLFast | ACLDangerous, Handler: cmdSwapdb},
		{Name: "time", Arity: 1, Flags: FlagLoading | FlagStale | FlagFast | FlagNoLock,
			ACL: ACLFast, Handler: cmdTime},
		{Name: "info", Arity: -1, Flags: FlagLoading | FlagStale | FlagNoLock,
			ACL: ACLSlow | ACLDangerous, Handler: cmdInfo},
		{Name: "config", Arity: -2, Flags: FlagNoLock, ACL: ACLSlow, Subs: []*Spec{
			{Name: "config|get", Arity: -3, Flags: admin, ACL: adminACL, Handler: cmdConfigGet},
			{Name: "config|set", Arity: -4, Flags: admin, ACL: adminACL, Handler: cmdConfigSet},
			{Name: "config|resetstat", Arity: 2, Flags: admin, ACL: adminACL, Handler: cmdConfigResetstat},
			{Name: "config|rewrite", Arity: 2, Flags: admin, ACL: adminACL, Handler: cmdConfigRewrite},
			{Name: "config|help", Arity: 2, Flags: FlagLoading | FlagStale | FlagNoLock, ACL: ACLSlow, Handler: cmdConfigHelp},
		}},
	}
}

// cmdDbsize: DBSIZE. Like Redis it counts keys not yet reclaimed after
// expiring.
func cmdDbsize(c *Call) error {
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
	if len(args) > 1 || (len(args) == 1 && !Eq(args[0], "sync") && !Eq(args[0], "async")) {
		return ErrSyntax
	}
	return nil
}

// cmdFlushdb: FLUSHDB [ASYNC | SYNC]
func cmdFlushdb(c *Call) error {
	if err := flushMode(c.Args[1:]); err != nil {
		return err
	}
	clearDB(c, c.Store().ShardsPerDB(), c.DB().Index())
	c.R.Simple("OK")
	return nil
}

// cmdFlushall: FLUSHALL [ASYNC | SYNC]
func cmdFlushall(c *Call) error {
	if err := flushMode(c.Args[1:]); err != nil {
		return err
	}
	st := c.Store()
	for i := 0; i < st.Databases(); i++ {
		c.lockAll(st.DB(i), true) // ascending global order across dbs
	}
	for i := 0; i < st.Databases(); i++ {
		clearDB(c, st.ShardsPerDB(), i)
	}
	c.R.Simple("OK")
	return nil
}

// clearDB empties database i (its shards locked). A flush is always
// journaled, as Redis always propagates it.
func clearDB(c *Call, shards, i int) {
	db := c.Store().DB(i)
	c.D.touchDB(i, func(k string) bool { return db.LookupAt([]byte(k), 0, true) != nil })
	for s := 0; s < shards; s++ {
		db.Shard(s).Clear()
	}
	c.Dirty(1)
}

// cmdSwapdb: SWAPDB index1 index2
func cmdSwapdb(c *Call) error {
	a, ok := ParseInt(c.Args[1])
	if !ok || a != int64(int32(a)) {
		return Error("ERR invalid first DB index")
	}
	b, ok := ParseInt(c.Args[2])
	if !ok || b != int64(int32(b)) {
		return Error("ERR invalid second DB index")
	}
	st := c.Store()
	n := int64(st.Databases())
	if a < 0 || a >= n || b < 0 || b >= n {
		return ErrDBIndex
	}
	if a != b {
		lo, hi := min(a, b), max(a, b)
		c.lockAll(st.DB(int(lo)), true)
		c.lockAll(st.DB(int(hi)), true)
		da, db := st.DB(int(a)), st.DB(int(b))
		exists := func(k string) bool {
			return da.LookupAt([]byte(k), 0, true) != nil || db.LookupAt([]byte(k), 0, true) != nil
		}
		c.D.touchDB(int(a), exists)
		c.D.touchDB(int(b), exists)
		da.Swap(db)
	}
	c.Dirty(1)
	c.R.Simple("OK")
	return nil
}

// cmdTime: TIME
func cmdTime(c *Call) error {
	now := c.Store().Now()
	c.R.Array(2)
	c.R.BulkString(strconv.FormatInt(now.Unix(), 10))
	c.R.BulkString(strconv.FormatInt(int64(now.Nanosecond()/1000), 10))
	return nil
}

// cmdConfigGet: CONFIG GET parameter [parameter ...]
func cmdConfigGet(c *Call) error {
	pairs := c.D.Cfg.match(c.Args[2:], func(p, s []byte) bool { return glob.Match(p, s, true) })
	c.R.Map(len(pairs))
	for _, kv := range pairs {
		c.R.BulkString(kv[0])
		c.R.BulkString(kv[1])
	}
	return nil
}

// cmdConfigSet: CONFIG SET parameter value [parameter value ...]
func cmdConfigSet(c *Call) error {
	if len(c.Args)%2 != 0 {
		return ErrSyntax
	}
	if err := c.D.Cfg.set(c.Args[2:]); err != nil {
		return err
	}
	c.D.applyConfig()
	c.R.Simple("OK")
	return nil
}

// cmdConfigResetstat: CONFIG RESETSTAT
func cmdConfigResetstat(c *Call) error {
	c.D.resetStats()
	c.R.Simple("OK")
	return nil
}

// cmdConfigRewrite: CONFIG REWRITE. Larder is configured by flags and the
// environment, never by a file, so there is nothing to rewrite.
func cmdConfigRewrite(c *Call) error {
	return Error("ERR The server is running without a config file")
}

// cmdConfigHelp: CONFIG HELP
func cmdConfigHelp(c *Call) error {
	ReplyHelp(c, "CONFIG", []string{
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
