package command

// A nested session runs commands on behalf of a command that is running
// (a script's redis.call): under the locks that command holds, its writes
// gathered into one journal record, as EXEC runs its queue (DESIGN.md §4).
// The caller applies its own gates before RunNested; the dispatcher's
// gates (auth, read-only, BUSY, OOM, MULTI) are not applied again.

// NewNestedSession returns a session of the default user for commands run
// on behalf of others; frontEnd names it ("script").
func NewNestedSession(frontEnd string) *Session {
	return &Session{FrontEnd: frontEnd, Proto: 2, Authenticated: true, user: "default"}
}

// BeginNested makes s run commands for caller, whose running command's
// Call holds the shard locks (EXEC's, when caller is inside EXEC): s takes
// caller's db, CLIENT NO-TOUCH and record size limit, forgets any MULTI,
// and starts gathering its effects.
func (s *Session) BeginNested(caller *Session) {
	s.db, s.InExec, s.multi, s.ready = caller.db, true, nil, nil
	s.locksFrom = &caller.call
	s.beginGroup()
	s.noTouch = caller.noTouch
	s.aclUser, s.user = caller.aclUser, caller.user
	s.MaxRecordSize = caller.MaxRecordSize
}

// RunNested runs one resolved command on s between BeginNested and
// EndNested; spec must have passed the caller's gates.
func (d *Dispatcher) RunNested(s *Session, spec *Spec, argv [][]byte, r Reply) {
	if s.locksFrom == nil {
		panic("command: RunNested outside BeginNested")
	}
	d.run(s, spec, argv, r)
}

// EndNested logs s's effects as one record while the caller's locks are
// still held, and hands the keys s made ready for blocked clients to
// caller, whose run serves them once every lock is released.
func (d *Dispatcher) EndNested(s, caller *Session) {
	d.endGroup(s)
	caller.writeSeq = max(caller.writeSeq, s.writeSeq)
	s.InExec, s.locksFrom = false, nil
	caller.ready = append(caller.ready, s.ready...)
	s.ready = nil
}
