package command

import (
	"fmt"
	"sort"
	"strings"

	"github.com/larder-db/larder/command/internal/acl"
)

// Flag is a command property. The first group mirrors Redis's command
// flags (COMMAND INFO reports those Redis reports); the second is Larder's
// own.
type Flag uint64

// Redis command flags, in the order Redis 7.0 reports them.
const (
	FlagWrite Flag = 1 << iota
	FlagReadOnly
	FlagDenyOOM
	FlagModule
	FlagAdmin
	FlagPubSub
	FlagNoScript
	FlagBlocking
	FlagLoading
	FlagStale
	FlagSkipMonitor
	FlagSkipSlowlog
	FlagAsking
	FlagFast
	FlagNoAuth
	FlagMayReplicate
	FlagSentinel
	FlagOnlySentinel
	FlagNoMandatoryKeys
	FlagProtected
	FlagModuleNoCluster
	FlagNoAsyncLoading
	FlagNoMulti
	FlagMovableKeys
	FlagAllowBusy

	// Larder's own flags, never reported by COMMAND.

	// FlagTCPOnly commands are refused over REST.
	FlagTCPOnly
	// FlagNoJournal writes are never logged (they change no data).
	FlagNoJournal
	// FlagSelfJournal handlers log their own normalised effect.
	FlagSelfJournal
	// FlagAllShards commands need every shard of the session's db, locked
	// by the dispatcher in order (KEYS, SCAN, FLUSHDB, …).
	FlagAllShards
	// FlagNoLock commands touch no key (connection and server commands) or
	// do their own locking (SWAPDB, FLUSHALL, MOVE, COPY … DB).
	FlagNoLock
	// FlagTxControl commands run at once inside MULTI instead of being
	// queued (MULTI EXEC DISCARD WATCH QUIT RESET, as in Redis).
	FlagTxControl
	// FlagScript commands run Lua (EVAL, FCALL …) and lock for themselves;
	// queued in MULTI, they make EXEC hold every shard.
	FlagScript
	// FlagRunsTx is EXEC's: it runs the queued transaction, so a gate's
	// refusal discards the transaction (EXECABORT …), and with a write
	// queued it is refused like a write while the journal cannot log
	// (Redis's checks on execCommand).
	FlagRunsTx
	// FlagMisconfGate commands write nothing yet are refused with MISCONF,
	// as writes are, while the journal cannot log: PING, as in Redis, so
	// a client's health check sees the failure.
	FlagMisconfGate
	// FlagAllowSubscribed commands may run while a RESP2 client is in
	// subscriber mode: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and
	// RESET, as in Redis.
	FlagAllowSubscribed
	// FlagCrossDB commands reach databases other than the session's
	// (SELECT, SWAPDB, FLUSHALL, MOVE, COPY … DB): queued in MULTI, they
	// make EXEC hold every shard of every database.
	FlagCrossDB
	// FlagReadsAllDBs commands read-lock every shard of every database
	// themselves (INFO's memory and keyspace sections): queued in MULTI,
	// they make EXEC hold every shard, and read them unlocked there.
	FlagReadsAllDBs
	// FlagUpstashNoArgs commands also run without arguments over REST,
	// where Upstash answers them (UNLINK: 0) and Redis refuses the arity.
	FlagUpstashNoArgs
)

// flagNames are the names COMMAND INFO prints; "" for the flags Redis 7.0
// keeps out of it on purpose (may_replicate, sentinel, only_sentinel,
// protected, module_no_cluster).
var flagNames = []string{
	"write", "readonly", "denyoom", "module", "admin", "pubsub", "noscript",
	"blocking", "loading", "stale", "skip_monitor", "skip_slowlog", "asking",
	"fast", "no_auth", "", "", "",
	"no_mandatory_keys", "", "", "no_async_loading",
	"no_multi", "movablekeys", "allow_busy",
}

// RedisFlagNames returns the names COMMAND INFO reports for f. Redis 7.0
// keeps may_replicate out of COMMAND INFO ("hidden on purpose"), and so
// does this.
func (f Flag) RedisFlagNames() []string {
	var out []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 && n != "" {
			out = append(out, n)
		}
	}
	return out
}

// ACL is a set of ACL categories.
type ACL uint32

// ACL categories, Redis's names without the '@'.
const (
	ACLKeyspace ACL = 1 << iota
	ACLRead
	ACLWrite
	ACLSet
	ACLSortedSet
	ACLList
	ACLHash
	ACLString
	ACLBitmap
	ACLHyperLogLog
	ACLGeo
	ACLStream
	ACLPubSub
	ACLAdmin
	ACLFast
	ACLSlow
	ACLBlocking
	ACLDangerous
	ACLConnection
	ACLTransaction
	ACLScripting
)

var aclNames = []string{
	"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
	"bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting",
}

// Names returns the categories as COMMAND INFO spells them ("@read").
func (a ACL) Names() []string {
	var out []string
	for i, n := range aclNames {
		if a&(1<<i) != 0 {
			out = append(out, "@"+n)
		}
	}
	return out
}

// Handler runs one command. It returns a Redis error having written
// nothing, or writes one complete reply and returns nil.
type Handler func(c *Call) error

// Spec is one row of the command table.
type Spec struct {
	Name  string // lower case; "container|sub" for subcommands
	Arity int    // Redis's sign rule: N exactly, -N at least N (name included)
	Flags Flag
	First int // first key position, 0 = no keys
	Last  int // last key position, negative counts from the end
	Step  int
	ACL   ACL
	// Keys returns the key positions for commands whose keys move
	// (FlagMovableKeys); nil means First/Last/Step.
	Keys func(args [][]byte) []int
	// KeyFlags returns the key-spec flags of the command's keys where its
	// arguments decide them (Redis's VARIABLE_FLAGS: SET … GET reads the
	// old value); nil: the key specifications' own flags.
	KeyFlags func(args [][]byte) []string
	// Secrets returns the positions of the arguments MONITOR shows as
	// "(redacted)" (AUTH's, HELLO's AUTH credentials); nil: none.
	Secrets func(args [][]byte) []int
	Handler Handler
	Subs    []*Spec // subcommands of a container command

	parent *Spec
	aclCmd *acl.Command // the row in the ACL's catalog (acl.go)
	Stats  cmdStats
	subs   map[string]*Spec
}

// Parent returns the container of a subcommand, or nil.
func (s *Spec) Parent() *Spec { return s.parent }

// Sub returns a container's subcommand by (any-case) name.
func (s *Spec) Sub(name []byte) *Spec { return s.subs[strings.ToLower(string(name))] }

// KeyPositions returns the argument indices holding keys for args.
func (s *Spec) KeyPositions(args [][]byte) []int { return s.appendKeyPositions(nil, args) }

// appendKeyPositions appends the key indices to dst (no allocation when dst
// has room: the dispatcher's hot path).
func (s *Spec) appendKeyPositions(dst []int, args [][]byte) []int {
	if s.Keys != nil {
		return append(dst, s.Keys(args)...)
	}
	first, last, step, argc := s.First, s.Last, s.Step, len(args)
	if first == 0 || first >= argc {
		return dst
	}
	if last < 0 {
		last = argc + last
	}
	if last >= argc {
		last = argc - 1
	}
	if step <= 0 {
		step = 1
	}
	for i := first; i <= last; i += step {
		dst = append(dst, i)
	}
	return dst
}

// Table is the immutable, joined command table.
type Table struct {
	byName map[string]*Spec
	sorted []*Spec
}

// NewTable joins family slices into one table. A duplicate name is a
// programming error and panics at start.
func NewTable(families ...[]*Spec) *Table {
	t := &Table{byName: make(map[string]*Spec)}
	for _, fam := range families {
		for _, s := range fam {
			if _, dup := t.byName[s.Name]; dup {
				panic(fmt.Sprintf("command table: duplicate command %q", s.Name))
			}
			t.byName[s.Name] = s
			t.sorted = append(t.sorted, s)
			if len(s.Subs) > 0 {
				s.subs = make(map[string]*Spec, len(s.Subs))
				for _, sub := range s.Subs {
					short := sub.Name[strings.IndexByte(sub.Name, '|')+1:]
					if _, dup := s.subs[short]; dup {
						panic(fmt.Sprintf("command table: duplicate subcommand %q", sub.Name))
					}
					sub.parent = s
					s.subs[short] = sub
				}
			}
		}
	}
	sort.Slice(t.sorted, func(i, j int) bool { return t.sorted[i].Name < t.sorted[j].Name })
	return t
}

// lookupBytes finds a top-level command by a name in any case, without
// allocating for names up to 32 bytes.
func (t *Table) lookupBytes(name []byte) *Spec {
	var buf [32]byte
	if len(name) > len(buf) {
		return t.byName[strings.ToLower(string(name))]
	}
	for i, ch := range name {
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		buf[i] = ch
	}
	return t.byName[string(buf[:len(name)])]
}

// Lookup finds a top-level command by lower-case name.
func (t *Table) Lookup(name string) *Spec { return t.byName[name] }

// All returns every top-level row, sorted by name.
func (t *Table) All() []*Spec { return t.sorted }

// LookupFullName finds "get" or "config|get" in the table.
func (t *Table) LookupFullName(name string) *Spec {
	name = strings.ToLower(name)
	parent, sub, isSub := strings.Cut(name, "|")
	s := t.Lookup(parent)
	if s == nil || !isSub {
		return s
	}
	return s.Sub([]byte(sub))
}

// EachName calls fn with every full name in the table, subcommands included.
func (t *Table) EachName(fn func(s *Spec)) {
	for _, s := range t.All() {
		fn(s)
		for _, sub := range s.Subs {
			fn(sub)
		}
	}
}

// LookupCommandLine is Redis's lookupCommand for COMMAND GETKEYS: a
// container with more arguments resolves to its subcommand (nil if
// unknown), alone to itself.
func (t *Table) LookupCommandLine(argv [][]byte) *Spec {
	s := t.lookupBytes(argv[0])
	if s == nil || len(s.Subs) == 0 || len(argv) < 2 {
		return s
	}
	return s.Sub(argv[1])
}
