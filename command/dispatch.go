package command

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command/internal/acl"
	"github.com/larder-db/larder/keyspace"
)

// Options configure a Dispatcher.
type Options struct {
	Store   *keyspace.Store
	Config  *Config
	Journal Journal // nil: no log (appendonly no)
	Logger  zerolog.Logger
	Version string // Larder's version for INFO
	// ExactClock says Store runs on an injected clock: every command then
	// reads it instead of the wall clock (tests).
	ExactClock bool
	// Families are the command rows of every family, joined into the one
	// table (package families joins them: families.All).
	Families [][]*Spec
	// Types are the value types the families define, one row per kind
	// (families.Types).
	Types []Type

	// Snapshots keeps the snapshots of SAVE, BGSAVE and BGREWRITEAOF; nil:
	// none (they answer ErrNoLog). LogStats are the log's figures for INFO
	// persistence; nil: none shown.
	Snapshots SnapshotStore
	LogStats  LogStats
	// Extensions are the families' state beside the keyspace, one set per
	// dispatcher (families.Extensions; see Extension).
	Extensions []Extension
	// Params are the parameters families define themselves
	// (families.Params), added to Config (Config.AddParams).
	Params []*Param
	// KeyAccess finds a command's keys and the access each needs for the
	// ACL's key patterns (families.New: Redis's key specifications).
	KeyAccess KeyAccess
	// InRedis says which commands Redis 7.0 has (families.New:
	// servercmd's, from Redis's command metadata); nil: all.
	InRedis InRedis
}

// Dispatcher runs commands from every front end through one table and one
// set of gates. It is safe for concurrent use by many sessions.
type Dispatcher struct {
	table    *Table
	types    *kindTypes
	store    *keyspace.Store
	Cfg      *Config
	Journal  Journal
	log      zerolog.Logger
	clients  clients
	Stats    stats
	errStats errorStats // INFO errorstats (errorstats.go)
	meters   userMeters // commands per user and front end (metrics.go)
	Version  string
	Started  time.Time
	RunID    string

	Snapshots SnapshotStore // see Options
	LogStats  LogStats

	expiredFns []func(key string)
	watches    watches
	pubsub     pubsub
	blocking   blocking
	tracking   tracking // CLIENT TRACKING (tracking.go)
	fieldTTLs  fieldTTLKeys
	// notifyFlags caches notify-keyspace-events as notifyClass bits.
	notifyFlags atomic.Uint32
	evict       evictor // maxmemory eviction (evict.go)
	// startupMemory is the Go heap in use when the dispatcher was made,
	// before any data: used_memory counts it, as Redis's counts its
	// used_memory_startup, so a maxmemory below it refuses every write.
	startupMemory int64
	shutdown      atomic.Pointer[func()] // SHUTDOWN's stop (shutdown.go)
	// loading is set while the data set is being recovered: commands
	// without FlagLoading get Redis's LOADING error.
	loading  atomic.Bool
	writeSeq atomic.Uint64
	// noReplicas: min-replicas-to-write refuses writes (replicas.go).
	noReplicas atomic.Bool
	// dirty counts changes as Redis's server.dirty; savedDirty is its value
	// when the last good snapshot started.
	dirty, savedDirty atomic.Int64
	// journalOn is set once recovery is over (EnableJournal); replayS is
	// the session records are replayed in.
	journalOn    atomic.Bool
	replayS      *Session
	replayErrors atomic.Int64
	Saver        saver
	monitors     monitors      // the MONITOR feed (monitor.go)
	slowlog      slowlog       // SLOWLOG (slowlog.go)
	latency      latencyEvents // LATENCY (latency.go)
	exactClock   bool
	extensions   []Extension // families' state beside the keyspace (extension.go)
	busyGates    []BusyGate
	// ACL (acl.go): the users, the log, the key finder, and the
	// requirepass last given to the default user.
	acl       *acl.Store
	aclLog    acl.Log
	keyAccess KeyAccess
	inRedis   InRedis
	aclPassMu sync.Mutex
	aclPass   string
}

// New builds the command table from o.Families and a dispatcher over
// o.Store.
func New(o Options) *Dispatcher {
	if len(o.Families) == 0 {
		panic("command.New: no command families (use families.New)")
	}
	d := &Dispatcher{
		table:      NewTable(o.Families...),
		types:      joinTypes(o.Types),
		store:      o.Store,
		Cfg:        o.Config,
		Journal:    o.Journal,
		Snapshots:  o.Snapshots,
		LogStats:   o.LogStats,
		log:        o.Logger,
		Version:    o.Version,
		Started:    o.Store.Now(),
		exactClock: o.ExactClock,
		keyAccess:  o.KeyAccess,
		inRedis:    o.InRedis,
	}
	if d.Cfg == nil {
		d.Cfg = NewConfig()
	}
	d.Cfg.AddParams(o.Params)
	d.buildACLCatalog()
	d.clients.byID = make(map[int64]*Session)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	d.startupMemory = int64(ms.HeapAlloc)
	d.pubsub.init()
	d.blocking.init()
	d.RunID = newRunID()
	d.makeExpiredFns()
	d.attach(o.Extensions)
	d.store.OnNewKey(func(db int, key string) {
		if notifyClass(d.notifyFlags.Load())&notifyNew != 0 {
			d.Notify(notifyNew, "new", []byte(key), db)
		}
	})
	d.Cfg.bind(d)
	d.ApplyConfig()
	return d
}

// SetLoading marks the data set as being recovered (true) or ready.
func (d *Dispatcher) SetLoading(v bool) { d.loading.Store(v) }

// Loading reports whether the data set is still being recovered.
func (d *Dispatcher) Loading() bool { return d.loading.Load() }

// SyncSeq is a number that grows with every write that changed data: the
// REST front end's upstash-sync-token (read-your-writes).
func (d *Dispatcher) SyncSeq() uint64 { return d.writeSeq.Load() }

// Table returns the command table.
func (d *Dispatcher) Table() *Table { return d.table }

// Config returns the live configuration.
func (d *Dispatcher) Config() *Config { return d.Cfg }

// Register adds a session to the client registry and gives it an id.
func (d *Dispatcher) Register(s *Session) {
	d.clients.add(s)
	d.Stats.Connections.Add(1)
	d.syncRequirePass()
	s.Authenticated = !d.acl.AuthRequired()
}

// Unregister removes a session (its connection closed).
func (d *Dispatcher) Unregister(s *Session) {
	d.meters.fold(s, "") // before it leaves the registry: a scrape sees its count in one place or the other
	d.clients.remove(s)
	d.StopMonitor(s)
	d.unwatchAll(s)
	d.pubsub.dropAll(s)
	d.DisableTracking(s)
}

// Clients returns the number of registered sessions.
func (d *Dispatcher) Clients() int { return d.clients.count() }

// RejectedConnection counts a connection refused by maxclients.
func (d *Dispatcher) RejectedConnection() { d.Stats.RejectedConns.Add(1) }

// NetBytes counts front-end traffic for INFO stats.
func (d *Dispatcher) NetBytes(in, out int) {
	d.Stats.NetIn.Add(int64(in))
	d.Stats.NetOut.Add(int64(out))
}

// Do runs one command for session s and writes its reply to r.
func (d *Dispatcher) Do(s *Session, argv [][]byte, r Reply) {
	if len(argv) == 0 {
		return
	}
	spec, errText := d.resolve(argv)
	if errText != "" && s.Upstash() {
		spec, errText = d.upstashResolve(argv, spec, errText)
	}
	if errText != "" {
		d.countError(errText)
		if s.multi != nil {
			s.multi.aborted = true
		}
		if spec != nil && spec.Flags&FlagRunsTx != 0 {
			d.execAbort(s, r, errText)
			return
		}
		r.Error(errText)
		return
	}
	if !s.Authenticated && spec.Flags&FlagNoAuth == 0 {
		d.reject(s, spec, r, errNoAuth)
		return
	}
	if s.multi != nil && spec.Flags&FlagNoMulti != 0 {
		d.reject(s, spec, r, errNoMulti)
		return
	}
	if e, ok := d.readOnlyGate(s, spec); !ok {
		d.reject(s, spec, r, e)
		return
	}
	if u := d.sessionUser(s); !s.readOnly && !u.Unrestricted() {
		if e, ok := d.aclGate(s, u, spec, argv); !ok {
			d.reject(s, spec, r, e)
			return
		}
	}
	if spec.Flags&FlagLoading == 0 && d.loading.Load() {
		d.reject(s, spec, r, errLoading)
		return
	}
	if spec.Flags&FlagAllowBusy == 0 {
		if e, busy := d.busy(); busy {
			d.reject(s, spec, r, e)
			return
		}
	}
	if d.journalOn.Load() && (spec.Flags&(FlagWrite|FlagMisconfGate) != 0 || s.multi.hasWrite(spec)) {
		if err := d.Journal.Err(); err != nil {
			d.reject(s, spec, r, misconf(err))
			return
		}
	}
	if d.outOfMemory(s, spec, r) {
		d.reject(s, spec, r, ErrOOM)
		return
	}
	if d.refusesNoReplicas(s, spec) {
		d.reject(s, spec, r, ErrNoReplicas)
		return
	}
	if s.Proto == 2 && s.Subscribed() && spec.Flags&FlagAllowSubscribed == 0 {
		d.reject(s, spec, r, Error("ERR Can't execute '"+spec.Name+
			"': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"))
		return
	}
	if s.multi != nil && spec.Flags&FlagTxControl == 0 {
		s.multi.queue(spec, argv)
		r.Simple("QUEUED")
		return
	}
	d.run(s, spec, argv, r)
}

// reject answers a command refused by a gate; inside MULTI the refusal
// dooms the transaction, as Redis's rejectCommand does.
func (d *Dispatcher) reject(s *Session, spec *Spec, r Reply, e Error) {
	spec.Stats.Rejected.Add(1)
	d.countError(string(e))
	if s.multi != nil {
		s.multi.aborted = true
	}
	if spec.Flags&FlagRunsTx != 0 {
		d.execAbort(s, r, string(e))
		return
	}
	r.Error(string(e))
}

// execAbort is Redis's execCommandAbort: an EXEC refused by a gate
// discards the transaction and names the reason.
func (d *Dispatcher) execAbort(s *Session, r Reply, text string) {
	s.multi = nil
	d.unwatchAll(s)
	r.Error("EXECABORT Transaction discarded because of: " + strings.TrimPrefix(text, "ERR "))
	if d.monitors.n.Load() > 0 { // monitors saw MULTI: show that it ended, as Redis
		d.feedMonitorLine(s, s.db, [][]byte{[]byte("exec")}, time.Now())
	}
}

// resolve finds the row for argv and applies the existence and arity gates,
// with Redis's exact texts. A row refused for its arity comes back with the
// text, as Redis's rejectCommand still knows the command (EXEC's refusal
// discards its transaction).
func (d *Dispatcher) resolve(argv [][]byte) (*Spec, string) {
	spec := d.table.lookupBytes(argv[0])
	if spec == nil {
		return nil, unknownCommand(argv)
	}
	if len(spec.Subs) > 0 && len(argv) > 1 {
		sub := spec.Sub(argv[1])
		if sub == nil {
			return nil, fmt.Sprintf("ERR unknown subcommand '%.128s'. Try %s HELP.",
				Sanitize(string(argv[1])), strings.ToUpper(spec.Name))
		}
		spec = sub
	}
	if (spec.Arity > 0 && len(argv) != spec.Arity) || len(argv) < -spec.Arity || spec.Handler == nil {
		spec.Stats.Rejected.Add(1)
		return spec, string(WrongArgs(spec.Name))
	}
	return spec, ""
}

// unknownCommand is Redis 7.0's text: the name and the first arguments,
// each quoted and followed by a space, cut at about 128 bytes.
func unknownCommand(argv [][]byte) string {
	var args strings.Builder
	for _, a := range argv[1:] {
		if args.Len() >= 128 {
			break
		}
		fmt.Fprintf(&args, "'%.*s' ", 128-args.Len(), a)
	}
	return Sanitize(fmt.Sprintf("ERR unknown command '%.128s', with args beginning with: %s",
		argv[0], args.String()))
}

// Sanitize replaces line breaks, which would desync RESP, as Redis does.
func Sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

// run locks what the row declares, calls the handler, and accounts for it.
func (d *Dispatcher) run(s *Session, spec *Spec, argv [][]byte, r Reply) {
	start := time.Now()
	c := &s.call
	if s.InExec {
		c = &s.execCall // EXEC's own Call is still running
	} else {
		s.noteCommand(spec.Name, start) // CLIENT LIST's cmd= is the command running, EXEC's for its queue
	}
	d.feedScriptCommand(s, spec, argv, start)
	c.Args, c.S, c.R, c.D, c.Spec = argv, s, r, d, spec
	c.db, c.now, c.dirty, c.touchSome = d.store.DB(s.db), start.UnixMilli(), 0, false
	switch {
	case s.replay:
		c.now = 0 // nothing expires while loading, as in Redis: see Replay
	case d.exactClock:
		c.now = d.store.NowMs()
	}
	// A may_replicate read (PFCOUNT caches its count in the value) may
	// change data, so it locks for writing.
	write := spec.Flags&(FlagWrite|FlagMayReplicate) != 0
	switch {
	case spec.Flags&FlagNoLock != 0:
	case spec.Flags&FlagAllShards != 0:
		c.LockAll(c.db, write)
	default:
		c.keyPos = spec.appendKeyPositions(c.keyPos[:0], argv)
		c.lockKeys(c.db, c.keyPos, write)
	}
	base := c.changes()
	err := d.call(c)
	changed := err == nil && (c.dirty > 0 || c.changes() != base)
	if changed {
		d.afterChange(s, spec, c, argv)
	}
	if d.tracking.n.Load() > 0 {
		d.trackCommand(c, changed)
	}
	c.unlock()
	if d.monitors.n.Load() > 0 {
		d.feedMonitors(s, spec, c.db.Index(), argv, start)
	}
	rejected := err != nil && d.replyFailure(spec, err, r)
	d.account(s, spec, argv, start, c.block != nil, rejected)
	c.Args, c.R = nil, nil
	if req := c.block; req != nil {
		c.block = nil
		d.wait(s, spec, argv, r, req)
	}
	if len(s.trkPending) > 0 && !s.InExec {
		d.trackPending(s, r)
	}
	if len(s.ready) > 0 && !s.InExec {
		ready := s.ready
		s.ready = nil
		d.serveReady(ready)
	}
}

// afterChange is what a command that changed data sets off, under its
// locks: the counters, its effect record (unless it logs its own), WATCH
// invalidation and, for blocked clients, its written keys as ready.
func (d *Dispatcher) afterChange(s *Session, spec *Spec, c *Call, argv [][]byte) {
	d.countDirty(spec, c)
	if spec.Flags&(FlagSelfJournal|FlagNoJournal) == 0 {
		d.appendEffect(s, c.db.Index(), argv)
	}
	if d.watches.n.Load() > 0 && spec.Flags&(FlagWrite|FlagNoLock) == FlagWrite {
		c.touchKeys(c.db, spec.KeyPositions(argv))
	}
	if d.blocking.n.Load() > 0 && spec.Flags&(FlagWrite|FlagNoLock) == FlagWrite {
		for _, pos := range spec.KeyPositions(argv) {
			s.ready = append(s.ready, blockKey{c.db.Index(), string(argv[pos])})
		}
	}
}

// countDirty counts a command that changed data: the write sequence (REST's
// sync token) and Redis's dirty counter (INFO's rdb_changes_since_last_save):
// the changes the handler declared, else one. Redis counts each element a
// command changes (SADD of three new members: 3); Larder counts such a
// command once, as the keyspace's own counter also counts a key's creation
// and would overstate it. EXEC and scripts add nothing of their own: the
// commands they run count themselves.
func (d *Dispatcher) countDirty(spec *Spec, c *Call) {
	d.writeSeq.Add(1)
	if spec.Flags&(FlagRunsTx|FlagScript) != 0 {
		return
	}
	d.dirty.Add(int64(max(c.dirty, 1)))
}

// ChangesSinceSave is INFO's rdb_changes_since_last_save.
func (d *Dispatcher) ChangesSinceSave() int64 { return d.dirty.Load() - d.savedDirty.Load() }

// replyFailure answers a handler's error and counts it: as a rejected call
// when the handler refused for a gate (Rejected), else as a failed one.
func (d *Dispatcher) replyFailure(spec *Spec, err error, r Reply) (rejected bool) {
	var rej Rejected
	if errors.As(err, &rej) {
		spec.Stats.Rejected.Add(1)
		d.countError(string(rej))
		r.Error(string(rej))
		return true
	}
	text, known := replyError(err)
	if !known {
		d.log.Error().Err(err).Str("cmd", spec.Name).Msg("command failed")
	}
	spec.Stats.Failed.Add(1)
	d.countError(text)
	r.Error(text)
	return false
}

// account counts a run in the statistics, the slow log and the latency
// monitor, as Redis does: a command that blocks counts as processed when
// it blocks and when it ends, but as one call, once it ends; a woken retry
// that finds nothing again is not a call at all, nor is a refusal.
func (d *Dispatcher) account(s *Session, spec *Spec, argv [][]byte, start time.Time, blocks, rejected bool) {
	if rejected || (s.BlockRetry && s.blockMiss) {
		return
	}
	d.Stats.Commands.Add(1)
	if blocks {
		return
	}
	dur := time.Since(start)
	spec.Stats.Calls.Add(1)
	spec.Stats.Usec.Add(dur.Microseconds())
	d.meterCommand(s)
	d.noteSlow(s, spec, argv, start, dur)
	d.noteLatency(spec, dur, start)
}

// call runs the handler, turning a panic into an internal error for this
// command only (STYLE.md §3.8): a bad request must not crash the server.
func (d *Dispatcher) call(c *Call) (err error) {
	defer func() {
		if p := recover(); p != nil {
			d.log.Error().Str("cmd", c.Spec.Name).Interface("panic", p).
				Bytes("stack", debug.Stack()).Msg("handler panic")
			err = fmt.Errorf("panic in %s: %v", c.Spec.Name, p)
		}
	}()
	return c.Spec.Handler(c)
}

func (d *Dispatcher) Ordinal(db int, key []byte) int {
	return db*d.store.ShardsPerDB() + d.store.ShardIndex(key)
}

func (d *Dispatcher) shardByOrdinal(o int) *keyspace.Shard {
	n := d.store.ShardsPerDB()
	return d.store.DB(o / n).Shard(o % n)
}

// Expired returns the callback for a key of db removed because it expired:
// it is counted and journaled as a DEL (DESIGN.md §4). The callbacks are
// made once so the hot path does not allocate.
func (d *Dispatcher) Expired(db int) func(key string) { return d.expiredFns[db] }

func (d *Dispatcher) makeExpiredFns() {
	d.expiredFns = make([]func(string), d.store.Databases())
	for i := range d.expiredFns {
		db := i
		d.expiredFns[i] = func(key string) {
			d.Stats.Expired.Add(1)
			d.Notify(notifyExpired, "expired", []byte(key), db)
			d.Touch(db, []byte(key))
			d.appendEffect(nil, db, [][]byte{[]byte("DEL"), []byte(key)})
		}
	}
}

// cmdStats are a row's counters for INFO commandstats.
type cmdStats struct {
	Calls, Usec, Rejected, Failed atomic.Int64
	Hist                          latencyHist // LATENCY HISTOGRAM (latency.go)
}

// stats are the server-wide counters for INFO stats.
type stats struct {
	Commands, Connections, RejectedConns atomic.Int64
	Hits, Misses, Expired, Errors        atomic.Int64
	NetIn, NetOut                        atomic.Int64
}

// Store returns the keyspace the dispatcher serves.
func (d *Dispatcher) Store() *keyspace.Store { return d.store }

// Sessions returns every registered session (CLIENT LIST, CLIENT KILL).
func (d *Dispatcher) Sessions() []*Session { return d.clients.snapshot() }
