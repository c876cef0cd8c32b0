package scriptcmd

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"

	"github.com/larder-db/larder/command"
)

// Commands returns the scripting rows: EVAL, EVALSHA, their _RO forms,
// FCALL, FCALL_RO, SCRIPT and FUNCTION. Their state is the dispatcher's
// extension made by NewState.
func Commands() []*command.Spec {
	// EVAL and friends lock for themselves (FlagNoLock + FlagScript): all of
	// the db's shards, or only their KEYS' with allow-key-locking. Their
	// writes are journaled as the commands the script ran (FlagSelfJournal).
	return []*command.Spec{
		{Name: "eval", Arity: -3, Flags: command.FlagNoScript | command.FlagStale | command.FlagSkipMonitor | command.FlagNoMandatoryKeys | command.FlagMovableKeys | command.FlagNoLock | command.FlagSelfJournal | command.FlagScript,
			ACL: command.ACLSlow | command.ACLScripting, Keys: evalKeys, Handler: cmdEval},
		{Name: "evalsha", Arity: -3, Flags: command.FlagNoScript | command.FlagStale | command.FlagSkipMonitor | command.FlagNoMandatoryKeys | command.FlagMovableKeys | command.FlagNoLock | command.FlagSelfJournal | command.FlagScript,
			ACL: command.ACLSlow | command.ACLScripting, Keys: evalKeys, Handler: cmdEvalSha},
		{Name: "eval_ro", Arity: -3, Flags: command.FlagNoScript | command.FlagStale | command.FlagSkipMonitor | command.FlagNoMandatoryKeys | command.FlagMovableKeys | command.FlagNoLock | command.FlagSelfJournal | command.FlagScript | command.FlagReadOnly,
			ACL: command.ACLSlow | command.ACLScripting, Keys: evalKeys, Handler: cmdEvalRo},
		{Name: "evalsha_ro", Arity: -3, Flags: command.FlagNoScript | command.FlagStale | command.FlagSkipMonitor | command.FlagNoMandatoryKeys | command.FlagMovableKeys | command.FlagNoLock | command.FlagSelfJournal | command.FlagScript | command.FlagReadOnly,
			ACL: command.ACLSlow | command.ACLScripting, Keys: evalKeys, Handler: cmdEvalShaRo},
		{Name: "fcall", Arity: -3, Flags: command.FlagNoScript | command.FlagStale | command.FlagSkipMonitor | command.FlagNoMandatoryKeys | command.FlagMovableKeys | command.FlagNoLock | command.FlagSelfJournal | command.FlagScript,
			ACL: command.ACLSlow | command.ACLScripting, Keys: evalKeys, Handler: cmdFcall},
		{Name: "fcall_ro", Arity: -3, Flags: command.FlagNoScript | command.FlagStale | command.FlagSkipMonitor | command.FlagNoMandatoryKeys | command.FlagMovableKeys | command.FlagNoLock | command.FlagSelfJournal | command.FlagScript | command.FlagReadOnly,
			ACL: command.ACLSlow | command.ACLScripting, Keys: evalKeys, Handler: cmdFcallRo},
		{Name: "script", Arity: -2, Flags: command.FlagNoLock, ACL: command.ACLSlow, Subs: []*command.Spec{
			{Name: "script|load", Arity: 3, Flags: command.FlagNoScript | command.FlagNoLock | command.FlagNoJournal | command.FlagStale,
				ACL: command.ACLSlow | command.ACLScripting, Handler: cmdScriptLoad},
			{Name: "script|exists", Arity: -3, Flags: command.FlagNoScript | command.FlagNoLock | command.FlagNoJournal,
				ACL: command.ACLSlow | command.ACLScripting, Handler: cmdScriptExists},
			{Name: "script|flush", Arity: -2, Flags: command.FlagNoScript | command.FlagNoLock | command.FlagNoJournal,
				ACL: command.ACLSlow | command.ACLScripting, Handler: cmdScriptFlush},
			{Name: "script|kill", Arity: 2, Flags: command.FlagNoScript | command.FlagNoLock | command.FlagNoJournal | command.FlagAllowBusy,
				ACL: command.ACLSlow | command.ACLScripting, Handler: cmdScriptKill},
			{Name: "script|help", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock | command.FlagNoJournal,
				ACL: command.ACLSlow | command.ACLScripting, Handler: cmdScriptHelp},
		}},
		functionCommand(),
	}
}

// evalKeys: EVAL script numkeys [key ...] [arg ...]
func evalKeys(args [][]byte) []int { return command.NumkeysPositions(args, 2) }

// Script texts from Redis 7.0.
const (
	errNoScript      command.Error = "NOSCRIPT No matching script. Please use EVAL."
	errNumKeysBig    command.Error = "ERR Number of keys can't be greater than number of args"
	errNumKeysNeg    command.Error = "ERR Number of keys can't be negative"
	errScriptRO      command.Error = "ERR Can not execute a script with write flag using *_ro command."
	errNotBusy       command.Error = "NOTBUSY No scripts in execution right now."
	errUnkillable    command.Error = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command."
	errBusyEval      command.Error = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	errBusyFunction  command.Error = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
	errScriptFlushOp command.Error = "ERR SCRIPT FLUSH only support SYNC|ASYNC option"
)

// errUpstashROWrite is Upstash's refusal of a write inside a read-only
// script (UPSTASH-REST.md section 15), for REST sessions.
const errUpstashROWrite = "-READONLY Write commands are not allowed from read-only scripts"

// scriptFlags are a script's shebang flags (Redis's SCRIPT_FLAG_*), plus
// Upstash's allow-key-locking.
type scriptFlags uint8

const (
	sfNoWrites scriptFlags = 1 << iota
	sfAllowOOM
	sfAllowStale
	sfNoCluster
	sfAllowCrossSlot
	sfKeyLocking
	sfCompat // no shebang: EVAL's backwards-compatible mode
)

var scriptFlagNames = []struct {
	name string
	flag scriptFlags
}{
	{"no-writes", sfNoWrites}, {"allow-oom", sfAllowOOM}, {"allow-stale", sfAllowStale},
	{"no-cluster", sfNoCluster}, {"allow-cross-slot-keys", sfAllowCrossSlot},
	{"allow-key-locking", sfKeyLocking},
}

// luaScript is one cached EVAL script: the text, its SHA-1 (of the exact
// text, shebang included) and its compiled form.
type luaScript struct {
	sha    string
	body   string
	flags  scriptFlags
	proto  *lua.FunctionProto
	allDBs bool // names a command that reaches past the session's db
}

// scripting is one dispatcher's Lua state (its command.Extension): the
// EVAL cache, the FUNCTION libraries, idle interpreters and the registry
// of running scripts.
type scripting struct {
	mu       sync.RWMutex
	cache    map[string]*luaScript
	flushGen atomic.Uint64 // SCRIPT FLUSH count: VMs drop their functions
	evals    vmPool
	fns      vmPool
	libs     functionLibs
	runs     runRegistry
}

// NewState returns the scripting state of one dispatcher, to attach as
// its extension (families.Extensions): the handlers find it there.
func NewState() command.Extension { return &scripting{} }

// state returns the scripting state of c's dispatcher.
func state(c *command.Call) *scripting {
	sc, ok := command.ExtensionOf[*scripting](c.D)
	if !ok {
		panic("scriptcmd: the dispatcher has no scripting state (build it with families.New)")
	}
	return sc
}

func (sc *scripting) lookup(sha string) *luaScript {
	sc.mu.RLock()
	defer sc.mu.RUnlock()
	return sc.cache[sha]
}

// Sha1Hex is the SHA-1 of s in lower-case hex: an EVAL script's name.
func Sha1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// loadScript is luaCreateFunction: the cached script for body, compiled
// and cached on first sight.
func (sc *scripting) loadScript(d *command.Dispatcher, body string) (*luaScript, error) {
	sha := Sha1Hex(body)
	if s := sc.lookup(sha); s != nil {
		return s, nil
	}
	flags, skip, err := shebangFlags(body)
	if err != nil {
		return nil, err
	}
	proto, err := compileLua(body[skip:], "user_script")
	if err != nil {
		return nil, command.Error("ERR Error compiling script (new function): " + err.Error())
	}
	s := &luaScript{sha: sha, body: body, flags: flags, proto: proto, allDBs: reachesOtherDBs(d.Table(), body)}
	sc.mu.Lock()
	if sc.cache == nil {
		sc.cache = map[string]*luaScript{}
	}
	if old := sc.cache[sha]; old != nil {
		s = old
	} else {
		sc.cache[sha] = s
	}
	sc.mu.Unlock()
	return s, nil
}

// shebangFlags is evalExtractShebangFlags: the flags of a "#!lua" first
// line and its length (kept out of compilation, its newline kept so line
// numbers stay the user's).
func shebangFlags(body string) (scriptFlags, int, error) {
	if !strings.HasPrefix(body, "#!") {
		return sfCompat, 0, nil
	}
	end := strings.IndexByte(body, '\n')
	if end < 0 {
		return 0, 0, command.Error("ERR Invalid script shebang")
	}
	parts := strings.Fields(body[:end])
	if len(parts) == 0 {
		return 0, 0, command.Error("ERR Invalid engine in script shebang")
	}
	if parts[0] != "#!lua" {
		return 0, 0, command.Error("ERR Unexpected engine in script shebang: " + parts[0])
	}
	var flags scriptFlags
	for _, p := range parts[1:] {
		list, ok := strings.CutPrefix(p, "flags=")
		if !ok {
			return 0, 0, command.Error("ERR Unknown lua shebang option: " + p)
		}
		f, err := parseScriptFlags(splitFlags(list), "Unexpected flag in script shebang: ")
		if err != nil {
			return 0, 0, err
		}
		flags |= f
	}
	return flags, end, nil
}

func splitFlags(list string) []string {
	if list == "" {
		return nil
	}
	return strings.Split(list, ",")
}

func parseScriptFlags(names []string, errPrefix string) (scriptFlags, error) {
	var flags scriptFlags
next:
	for _, n := range names {
		for _, f := range scriptFlagNames {
			if n == f.name {
				flags |= f.flag
				continue next
			}
		}
		return 0, command.Error("ERR " + errPrefix + n)
	}
	return flags, nil
}

// compileLua parses and compiles Lua source; errors read like Lua's
// ("user_script:1: ... near '...'").
func compileLua(src, name string) (*lua.FunctionProto, error) {
	chunk, err := parse.Parse(strings.NewReader(src), name)
	if err != nil {
		if pe, ok := err.(*parse.Error); ok {
			return nil, parseError(pe, src, name)
		}
		return nil, err
	}
	proto, err := lua.Compile(chunk, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	// The main chunk has no "arg" local (Lua 5.1 gives it none either):
	// without this gopher-lua builds an unused arg table on every call.
	proto.IsVarArg &^= lua.VarArgNeedsArg
	return proto, nil
}

// luaParseTexts maps gopher-lua's parser messages to Lua 5.1's.
var luaParseTexts = map[string]string{
	"syntax error": "unexpected symbol", "parse error": "unexpected symbol",
	"Invalid token": "unexpected symbol", "unterminated string": "unfinished string",
}

// parseError words a gopher-lua parse error as Lua 5.1 does where they
// agree on the place: "<name>:<line>: <message> near '<token>'", with an
// error at the end of the text reported near '<eof>' on its last line.
func parseError(pe *parse.Error, src, name string) error {
	msg, line, token := pe.Message, pe.Pos.Line, pe.Token
	if t, ok := luaParseTexts[msg]; ok {
		msg = t
	}
	if line <= 0 {
		line, token = strings.Count(src, "\n")+1, "<eof>"
	}
	if token == "" {
		return fmt.Errorf("%s:%d: %s", name, line, msg)
	}
	return fmt.Errorf("%s:%d: %s near '%s'", name, line, msg, token)
}

// reachesOtherDBs says whether a script names a command that works on
// other databases than the session's (a row flagged FlagCrossDB): such a
// script holds every shard of every database, the others only their own
// database's.
func reachesOtherDBs(t *command.Table, body string) bool {
	low := strings.ToLower(body)
	for _, spec := range t.All() {
		if spec.Flags&command.FlagCrossDB != 0 && strings.Contains(low, spec.Name) {
			return true
		}
	}
	return false
}

// cmdEval: EVAL script numkeys [key [key ...]] [arg [arg ...]]
func cmdEval(c *command.Call) error { return evalGeneric(c, false, false) }

// cmdEvalSha: EVALSHA sha1 numkeys [key [key ...]] [arg [arg ...]]
func cmdEvalSha(c *command.Call) error { return evalGeneric(c, true, false) }

// cmdEvalRo: EVAL_RO script numkeys [key [key ...]] [arg [arg ...]]
func cmdEvalRo(c *command.Call) error { return evalGeneric(c, false, true) }

// cmdEvalShaRo: EVALSHA_RO sha1 numkeys [key [key ...]] [arg [arg ...]]
func cmdEvalShaRo(c *command.Call) error { return evalGeneric(c, true, true) }

// evalNumKeys parses numkeys with Redis's checks and texts.
func evalNumKeys(c *command.Call) (int, error) {
	n, ok := command.ParseInt(c.Args[2])
	switch {
	case !ok:
		return 0, command.ErrNotInteger
	case n > int64(len(c.Args)-3):
		return 0, errNumKeysBig
	case n < 0:
		return 0, errNumKeysNeg
	}
	return int(n), nil
}

func evalGeneric(c *command.Call, bySha, ro bool) error {
	if bySha && len(c.Args[1]) != 40 {
		return errNoScript
	}
	if !bySha {
		// A read-only session's EVAL is judged by its shebang first.
		if f, _, err := shebangFlags(string(c.Args[1])); err == nil {
			if err := readOnlyScript(c, f, ro); err != nil {
				return err
			}
		}
	}
	numkeys, err := evalNumKeys(c)
	if err != nil {
		return err
	}
	sc := state(c)
	var s *luaScript
	if bySha {
		if s = sc.lookup(strings.ToLower(string(c.Args[1]))); s == nil {
			return errNoScript
		}
	} else if s, err = sc.loadScript(c.D, string(c.Args[1])); err != nil {
		return err
	}
	run := &scriptRun{name: s.sha, eval: true, flags: s.flags, allDBs: s.allDBs}
	if err := run.prepare(c, ro); err != nil {
		return err
	}
	keys, args := c.Args[3:3+numkeys], c.Args[3+numkeys:]
	return sc.runScript(c, run, func(vm *luaVM) int {
		L := vm.box.L
		vm.box.SetGlobal("KEYS", stringsTable(L, keys))
		vm.box.SetGlobal("ARGV", stringsTable(L, args))
		L.Push(vm.evalFunction(s))
		return 0
	}, keys)
}

func stringsTable(L *lua.LState, items [][]byte) *lua.LTable {
	t := L.CreateTable(len(items), 0)
	for i, it := range items {
		t.RawSetInt(i+1, lua.LString(it))
	}
	return t
}

// cmdScriptLoad: SCRIPT LOAD script
func cmdScriptLoad(c *command.Call) error {
	s, err := state(c).loadScript(c.D, string(c.Args[2]))
	if err != nil {
		return err
	}
	c.R.BulkString(s.sha)
	return nil
}

// cmdScriptExists: SCRIPT EXISTS sha1 [sha1 ...]
func cmdScriptExists(c *command.Call) error {
	sc := state(c)
	c.R.Array(len(c.Args) - 2)
	for _, sha := range c.Args[2:] {
		if sc.lookup(strings.ToLower(string(sha))) != nil {
			c.R.Int(1)
		} else {
			c.R.Int(0)
		}
	}
	return nil
}

// cmdScriptFlush: SCRIPT FLUSH [ASYNC|SYNC]
func cmdScriptFlush(c *command.Call) error {
	if len(c.Args) > 3 || (len(c.Args) == 3 && !command.Eq(c.Args[2], "sync") && !command.Eq(c.Args[2], "async")) {
		return errScriptFlushOp
	}
	sc := state(c)
	sc.mu.Lock()
	sc.cache = nil
	sc.flushGen.Add(1)
	sc.mu.Unlock()
	c.R.Simple("OK")
	return nil
}

// cmdScriptKill: SCRIPT KILL
func cmdScriptKill(c *command.Call) error { return state(c).runs.kill(c, true) }

// cmdScriptHelp: SCRIPT HELP (Larder has no SCRIPT DEBUG)
func cmdScriptHelp(c *command.Call) error {
	command.ReplyHelp(c, "SCRIPT", []string{
		"EXISTS <sha1> [<sha1> ...]",
		"    Return information about the existence of the scripts in the script cache.",
		"FLUSH [ASYNC|SYNC]",
		"    Flush the Lua scripts cache. Very dangerous on replicas.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the scripts cache.",
		"    * SYNC: Synchronously flush the scripts cache.",
		"KILL",
		"    Kill the currently executing Lua script.",
		"LOAD <script>",
		"    Load a script into the scripts cache without executing it.",
	})
	return nil
}

// vmPool keeps idle interpreters; a VM is built on demand when none is
// idle, and at most max are kept.
type vmPool struct {
	mu   sync.Mutex
	idle []*luaVM
}

const vmPoolMax = 32

func (p *vmPool) get() *luaVM {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.idle); n > 0 {
		vm := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return vm
	}
	return nil
}

func (p *vmPool) put(vm *luaVM) {
	p.mu.Lock()
	if len(p.idle) < vmPoolMax {
		p.idle = append(p.idle, vm)
		vm = nil
	}
	p.mu.Unlock()
	if vm != nil {
		vm.box.Close()
	}
}

// InfoFields adds INFO memory's script counts (Redis's number_of_cached_scripts,
// number_of_functions and number_of_libraries).
func (sc *scripting) InfoFields(section string, add func(name string, value any)) {
	if section != "memory" {
		return
	}
	sc.mu.RLock()
	scripts := len(sc.cache)
	sc.mu.RUnlock()
	sc.libs.mu.RLock()
	fns := 0
	for _, lib := range sc.libs.libs {
		fns += len(lib.fns)
	}
	libs := len(sc.libs.libs)
	sc.libs.mu.RUnlock()
	add("number_of_cached_scripts", scripts)
	add("number_of_functions", fns)
	add("number_of_libraries", libs)
}
