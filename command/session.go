package command

import (
	"sort"

	"github.com/larder-db/larder/command/internal/acl"
	"sync"
	"sync/atomic"
	"time"
)

// Session is one client's state, shared by every front end: RESP keeps one
// per connection, REST makes a short-lived one per request.
//
// The owning goroutine reads its fields freely. Fields that other clients
// read (CLIENT LIST, CLIENT KILL) are written under mu.
type Session struct {
	ID        int64
	Addr      string // peer address, "ip:port"
	LocalAddr string
	Created   time.Time
	FrontEnd  string // "tcp", "rest", FrontEndScript

	Proto         int // 2 or 3
	Authenticated bool
	Closing       bool // QUIT: close after the reply is flushed

	// CLIENT REPLY state (Redis's CLIENT_REPLY_OFF/SKIP/SKIP_NEXT);
	// pushReply: the command's reply is pub/sub notifications (PushReply).
	ReplyOff, SkipNext, skipThis, pushReply bool

	// Kill closes the client's connection from another goroutine; set by
	// the front end, nil for sessions that cannot be killed.
	Kill func()

	call Call

	// Transactions: the open MULTI, this session's WATCHes, set when a
	// watched key changed, and EXEC running its queue (with execCall, so
	// EXEC's own Call survives the queued commands).
	multi    *txState
	watched  []watchedKey
	casDirty atomic.Bool
	InExec   bool
	execCall Call
	// locksFrom is, while a script runs its redis.calls on this session,
	// the caller's Call that holds the run's shard locks.
	locksFrom *Call

	// Pub/Sub: the front end's Pusher (nil where pushes are impossible),
	// this session's subscriptions by kind (written under the registry's
	// lock), and the protocol version a RESP front end encodes pushes in
	// (read on publishers' goroutines, so atomic).
	Pusher    Pusher
	subs      [3]map[string]struct{}
	PushProto atomic.Int32

	// Blocking commands: the front end's hook (nil where clients cannot
	// wait), a retry after a wake-up in progress and whether it found
	// nothing again, and keys written inside EXEC whose waiters are served
	// once EXEC is over.
	BlockHook  BlockHook
	BlockRetry bool
	blockMiss  bool
	ready      []blockKey

	// MaxRecordSize, set by the REST front end, is Upstash's limit on a
	// value a write makes (0: none): APPEND and SETRANGE past it fail
	// (checkRecordSize; UPSTASH-REST.md section 17).
	MaxRecordSize int64

	// Journaling: the sequence number of the session's last logged write,
	// the last one known durable, EXEC/script effects being gathered into
	// one record, and whether this is the recovery session (no journal).
	writeSeq, durableSeq uint64
	seenSeq              uint64 // the log's last record when a command last ran
	grouping, replay     bool
	group                []byte

	Mu         sync.Mutex
	db         int
	name       string
	LibName    string
	LibVer     string
	user       string
	lastCmd    string
	lastActive time.Time
	NoEvict    bool
	noTouch    bool
	readOnly   bool       // the read-only user (access.go)
	aclUser    *acl.User  // the ACL user; nil: the default user (acl.go)
	monitor    bool       // in MONITOR mode (CLIENT LIST flags O)
	trk        trackState // CLIENT TRACKING, under Dispatcher.tracking.mu
	// trkPending are invalidations for this session that its own running
	// command caused, written after its reply (Redis's
	// tracking_pending_keys); only its own goroutine touches them.
	trkPending []pendingInvalidation

	// The front end's query buffer while a command runs (SetQueryBuf).
	qbuf, qbufFree, argvMem atomic.Int64

	// metered counts the commands this session ran as meterUser and not
	// yet folded into the user's total (metrics.go); meterUser is written
	// by the owner under the meters' lock.
	metered   atomic.Int64
	meterUser string
}

// SetQueryBuf records, for CLIENT LIST, the bytes of the query buffer from
// the running command on (qbuf: it and any pipelined after it), the buffer
// room left (qbuf-free) and the bytes of the command's arguments
// (argv-mem); a front end sets them before each command and clears them
// after it, as Redis's buffer is empty between reads.
func (s *Session) SetQueryBuf(qbuf, free, argvMem int) {
	s.qbuf.Store(int64(qbuf))
	s.qbufFree.Store(int64(free))
	s.argvMem.Store(int64(argvMem))
}

// NewSession returns a session in RESP2 on db 0.
func NewSession(frontEnd, addr, localAddr string, now time.Time) *Session {
	return &Session{
		FrontEnd: frontEnd, Addr: addr, LocalAddr: localAddr, Created: now,
		Proto: 2, user: "default", lastActive: now,
	}
}

// DB returns the selected database.
func (s *Session) DB() int { return s.db }

// SetDB selects a database.
func (s *Session) SetDB(i int) {
	s.Mu.Lock()
	s.db = i
	s.Mu.Unlock()
}

// Name returns the client name.
func (s *Session) Name() string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.name
}

// SetName sets the client name (CLIENT SETNAME, HELLO SETNAME).
func (s *Session) SetName(n string) {
	s.Mu.Lock()
	s.name = n
	s.Mu.Unlock()
}

// NoTouch reports CLIENT NO-TOUCH.
func (s *Session) NoTouch() bool { return s.noTouch }

// SetNoTouch sets CLIENT NO-TOUCH: the session's reads leave keys' access
// times alone.
func (s *Session) SetNoTouch(on bool) { s.noTouch = on }

func (s *Session) noteCommand(name string, now time.Time) {
	s.Mu.Lock()
	s.lastCmd = name
	s.lastActive = now
	s.Mu.Unlock()
}

// ClientInfo is a consistent copy of the fields CLIENT LIST reports.
type ClientInfo struct {
	Id                int64
	Addr, Laddr, Name string
	LibName, LibVer   string
	User, LastCmd     string
	Db, Proto         int
	Age, Idle         int64
	NoEvict, NoTouch  bool
	Monitor           bool
	QBuf, QBufFree    int64
	ArgvMem           int64
}

func (s *Session) Info(now time.Time) ClientInfo {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return ClientInfo{
		Id: s.ID, Addr: s.Addr, Laddr: s.LocalAddr, Name: s.name,
		LibName: s.LibName, LibVer: s.LibVer, User: s.user, LastCmd: s.lastCmd,
		Db: s.db, Proto: s.Proto,
		Age:     int64(now.Sub(s.Created) / time.Second),
		Idle:    int64(now.Sub(s.lastActive) / time.Second),
		NoEvict: s.NoEvict, NoTouch: s.noTouch, Monitor: s.monitor,
		QBuf: s.qbuf.Load(), QBufFree: s.qbufFree.Load(), ArgvMem: s.argvMem.Load(),
	}
}

// clients is the registry of connected sessions (CLIENT LIST/KILL, INFO).
type clients struct {
	mu     sync.Mutex
	nextID int64
	byID   map[int64]*Session
	total  int64 // connections ever registered
}

func (cl *clients) add(s *Session) {
	cl.mu.Lock()
	cl.nextID++
	s.ID = cl.nextID
	cl.byID[s.ID] = s
	cl.total++
	cl.mu.Unlock()
}

func (cl *clients) remove(s *Session) {
	cl.mu.Lock()
	delete(cl.byID, s.ID)
	cl.mu.Unlock()
}

func (cl *clients) count() int {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return len(cl.byID)
}

// snapshot returns the registered sessions ordered by id.
func (cl *clients) snapshot() []*Session {
	cl.mu.Lock()
	out := make([]*Session, 0, len(cl.byID))
	for _, s := range cl.byID {
		out = append(out, s)
	}
	cl.mu.Unlock()
	sortSessions(out)
	return out
}

func sortSessions(ss []*Session) {
	sort.Slice(ss, func(i, j int) bool { return ss[i].ID < ss[j].ID })
}

// BeginCommand is called by a front end before each command: a pending
// CLIENT REPLY SKIP applies to this command.
func (s *Session) BeginCommand() {
	s.skipThis, s.SkipNext, s.pushReply = s.SkipNext, false, false
}

// ReplySuppressed reports whether the reply of the command just run must be
// dropped (CLIENT REPLY OFF, or SKIP for this one command), unless it is
// pub/sub notifications.
func (s *Session) ReplySuppressed() bool { return (s.ReplyOff || s.skipThis) && !s.pushReply }

// PushReply marks the running command's reply as pub/sub notifications
// ((un)subscribe confirmations), which CLIENT REPLY OFF and SKIP do not
// silence, as Redis's CLIENT_PUSHING.
func (s *Session) PushReply() { s.pushReply = true }

// ReplyOn is CLIENT REPLY ON: replies resume, its own included even when a
// SKIP preceded it.
func (s *Session) ReplyOn() { s.ReplyOff, s.SkipNext, s.skipThis = false, false, false }

// ResetSession returns s to a fresh connection's state (RESET): db 0, RESP2,
// replies on, no name, no client flags, authenticated only when no password
// is set, no MULTI, no WATCH, no subscriptions.
func (d *Dispatcher) ResetSession(s *Session) {
	d.DisableTracking(s)
	s.SetDB(0)
	s.Proto = 2
	s.PushProto.Store(2)
	s.ReplyOff, s.SkipNext, s.skipThis = false, false, false
	s.SetName("")
	s.Mu.Lock()
	s.NoEvict, s.noTouch = false, false
	s.Mu.Unlock()
	d.syncRequirePass()
	s.Authenticated = !d.acl.AuthRequired()
	s.SetReadOnly(false)
	s.multi = nil
	d.unwatchAll(s)
	d.pubsub.dropAll(s)
	d.StopMonitor(s)
}

// FrontEndScript is the FrontEnd of the sessions scripts run their
// redis.call commands on (Redis's CLIENT_SCRIPT).
const FrontEndScript = "script"

// FromScript reports whether s runs a script's commands.
func (s *Session) FromScript() bool { return s.FrontEnd == FrontEndScript }
