package command

import (
	"github.com/larder-db/larder/keyspace"
)

// txCommands are the transaction rows; TCP-only, as REST has /multi-exec.
func txCommands() []*Spec {
	return []*Spec{
		{Name: "multi", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy | FlagTCPOnly | FlagNoJournal | FlagNoLock | FlagTxControl,
			ACL: ACLFast | ACLTransaction, Handler: cmdMulti},
		{Name: "exec", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagSkipSlowlog | FlagTCPOnly | FlagNoJournal | FlagNoLock | FlagTxControl | FlagRunsTx,
			ACL: ACLSlow | ACLTransaction, Handler: cmdExec},
		{Name: "discard", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy | FlagTCPOnly | FlagNoJournal | FlagNoLock | FlagTxControl,
			ACL: ACLFast | ACLTransaction, Handler: cmdDiscard},
		{Name: "watch", Arity: -2, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy | FlagTCPOnly | FlagNoJournal | FlagTxControl,
			First: 1, Last: -1, Step: 1, ACL: ACLFast | ACLTransaction, Handler: cmdWatch},
		{Name: "unwatch", Arity: 1, Flags: FlagNoScript | FlagLoading | FlagStale | FlagFast | FlagAllowBusy | FlagTCPOnly | FlagNoJournal | FlagNoLock | FlagTxControl,
			ACL: ACLFast | ACLTransaction, Handler: cmdUnwatch},
	}
}

// txState is a session's open MULTI: the queued commands, and whether a
// queue-time error doomed it (EXEC then answers EXECABORT).
type txState struct {
	cmds    []queued
	aborted bool
	writes  bool // a write is queued: EXEC is then refused under MISCONF
}

// hasWrite reports whether spec is an EXEC of a transaction that queued a
// write (Redis refuses those like the write itself while it cannot log).
func (t *txState) hasWrite(spec *Spec) bool {
	return t != nil && t.writes && spec.Flags&FlagRunsTx != 0
}

type queued struct {
	spec *Spec
	argv [][]byte
}

// queue keeps a copy of argv: the front end reuses its buffers.
func (t *txState) queue(spec *Spec, argv [][]byte) {
	n := 0
	for _, a := range argv {
		n += len(a)
	}
	buf := make([]byte, 0, n)
	cp := make([][]byte, len(argv))
	for i, a := range argv {
		buf = append(buf, a...)
		cp[i] = buf[len(buf)-len(a):]
	}
	t.cmds = append(t.cmds, queued{spec, cp})
	t.writes = t.writes || spec.Flags&FlagWrite != 0
}

// cmdMulti: MULTI
func cmdMulti(c *Call) error {
	if c.S.multi != nil {
		return Error("ERR MULTI calls can not be nested")
	}
	c.S.multi = &txState{}
	c.R.Simple("OK")
	return nil
}

// cmdDiscard: DISCARD
func cmdDiscard(c *Call) error {
	if c.S.multi == nil {
		return Error("ERR DISCARD without MULTI")
	}
	c.S.multi = nil
	c.D.unwatchAll(c.S)
	c.R.Simple("OK")
	return nil
}

// cmdExec: EXEC
//
// EXEC write-locks the union of the shards its queued commands and watched
// keys live in (every shard when a queued command spans databases or the
// whole keyspace), checks WATCH, then runs the queue with those locks held:
// no other client sees a state between two of its commands.
func cmdExec(c *Call) error {
	s := c.S
	m := s.multi
	if m == nil {
		return Error("ERR EXEC without MULTI")
	}
	s.multi = nil
	if m.aborted {
		c.D.unwatchAll(s)
		return Error("EXECABORT Transaction discarded because of previous errors.")
	}
	c.lockTx(m)
	if s.casDirty.Load() || c.D.watchedExpired(s, c.NowMs()) {
		c.D.unwatchAll(s)
		c.R.NullArray()
		return nil
	}
	c.D.unwatchAll(s)
	c.R.Array(len(m.cmds))
	s.InExec = true
	s.beginGroup() // one log record for the whole transaction
	for _, q := range m.cmds {
		if text := c.D.aclExecDenied(s, q.spec, q.argv); text != "" {
			c.D.countError(text)
			c.R.Error(text)
			continue
		}
		c.D.run(s, q.spec, q.argv, c.R)
	}
	c.D.endGroup(s)
	s.InExec = false
	return nil
}

// lockTx takes EXEC's locks: see cmdExec.
func (c *Call) lockTx(m *txState) {
	st := c.Store()
	c.Ords = c.Ords[:0]
	all := false
	for _, q := range m.cmds {
		f := q.spec.Flags
		if f&(FlagAllShards|FlagScript|FlagCrossDB|FlagReadsAllDBs) != 0 || (f&FlagNoLock != 0 && (f&FlagWrite != 0 || q.spec.First != 0)) {
			all = true
			break
		}
		for _, p := range q.spec.KeyPositions(q.argv) {
			c.Ords = append(c.Ords, c.D.Ordinal(c.db.Index(), q.argv[p]))
		}
	}
	for _, w := range c.S.watched {
		c.Ords = append(c.Ords, c.D.Ordinal(w.db, []byte(w.key)))
	}
	if all {
		c.Ords = c.Ords[:0]
		n := st.ShardsPerDB() * st.Databases()
		for i := 0; i < n; i++ {
			c.Ords = append(c.Ords, i)
		}
	}
	c.LockOrdinals(c.Ords, true)
}

// cmdWatch: WATCH key [key ...]
func cmdWatch(c *Call) error {
	if c.S.multi != nil {
		return Error("ERR WATCH inside MULTI is not allowed")
	}
	for _, k := range c.Args[1:] {
		c.D.watch(c.S, c.db, k, c.db.LookupAt(k, 0, true) != nil && c.db.LookupAt(k, c.NowMs(), true) == nil)
	}
	c.R.Simple("OK")
	return nil
}

// cmdUnwatch: UNWATCH
func cmdUnwatch(c *Call) error {
	c.D.unwatchAll(c.S)
	c.R.Simple("OK")
	return nil
}

// touchKeys flags the sessions watching the keys a write changed.
func (c *Call) touchKeys(db *keyspace.DB, positions []int) {
	if c.touchSome {
		for _, k := range c.touchOnly {
			c.D.touchWatch(db.Index(), k)
		}
		return
	}
	for _, p := range positions {
		c.D.touchWatch(db.Index(), c.Args[p])
	}
}
