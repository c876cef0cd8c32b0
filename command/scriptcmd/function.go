package scriptcmd

import (
	"context"
	"encoding/binary"
	"hash/crc32"
	"sort"
	"strings"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/protocol/resp"
)

func functionCommand() *command.Spec {
	// Library changes are journaled as the command itself (replaying it
	// rebuilds the libraries); FUNCTION is not a key write.
	return &command.Spec{Name: "function", Arity: -2, Flags: command.FlagNoLock, ACL: command.ACLSlow, Subs: []*command.Spec{
		{Name: "function|load", Arity: -3, Flags: command.FlagWrite | command.FlagNoScript | command.FlagNoLock | command.FlagDenyOOM,
			ACL: command.ACLSlow | command.ACLScripting | command.ACLWrite, Handler: cmdFunctionLoad},
		{Name: "function|delete", Arity: 3, Flags: command.FlagWrite | command.FlagNoScript | command.FlagNoLock,
			ACL: command.ACLSlow | command.ACLScripting | command.ACLWrite, Handler: cmdFunctionDelete},
		{Name: "function|flush", Arity: -2, Flags: command.FlagWrite | command.FlagNoScript | command.FlagNoLock,
			ACL: command.ACLSlow | command.ACLScripting | command.ACLWrite, Handler: cmdFunctionFlush},
		{Name: "function|list", Arity: -2, Flags: command.FlagNoScript | command.FlagNoLock | command.FlagNoJournal,
			ACL: command.ACLSlow | command.ACLScripting, Handler: cmdFunctionList},
		{Name: "function|stats", Arity: 2, Flags: command.FlagNoScript | command.FlagNoLock | command.FlagNoJournal | command.FlagAllowBusy,
			ACL: command.ACLSlow | command.ACLScripting, Handler: cmdFunctionStats},
		{Name: "function|dump", Arity: 2, Flags: command.FlagNoScript | command.FlagNoLock | command.FlagNoJournal,
			ACL: command.ACLSlow | command.ACLScripting, Handler: cmdFunctionDump},
		{Name: "function|restore", Arity: -3, Flags: command.FlagWrite | command.FlagNoScript | command.FlagNoLock | command.FlagDenyOOM,
			ACL: command.ACLSlow | command.ACLScripting | command.ACLWrite, Handler: cmdFunctionRestore},
		{Name: "function|kill", Arity: 2, Flags: command.FlagNoScript | command.FlagNoLock | command.FlagNoJournal | command.FlagAllowBusy,
			ACL: command.ACLSlow | command.ACLScripting, Handler: cmdFunctionKill},
		{Name: "function|help", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock | command.FlagNoJournal,
			ACL: command.ACLSlow | command.ACLScripting, Handler: cmdFunctionHelp},
	}}
}

// functionLibrary is one FUNCTION LOAD'ed library: its code and the
// functions its code registered.
type functionLibrary struct {
	name   string
	code   string
	proto  *lua.FunctionProto
	fns    map[string]*functionDef
	allDBs bool // names a command reaching other dbs (see reachesOtherDBs)
}

type functionDef struct {
	name  string
	desc  string
	hasD  bool
	flags scriptFlags
	lib   *functionLibrary
}

// functionLibs holds the libraries. gen changes with every change, so
// interpreters loaded from an older set are rebuilt before their next use.
type functionLibs struct {
	mu   sync.RWMutex
	gen  uint64
	libs map[string]*functionLibrary
}

func (fl *functionLibs) function(name string) (*functionDef, uint64) {
	fl.mu.RLock()
	defer fl.mu.RUnlock()
	for _, lib := range fl.libs {
		if f := lib.fns[name]; f != nil {
			return f, fl.gen
		}
	}
	for _, lib := range fl.libs { // FCALL names a function ignoring case, as Redis's dict
		for n, f := range lib.fns {
			if strings.EqualFold(n, name) {
				return f, fl.gen
			}
		}
	}
	return nil, fl.gen
}

// functionVM returns vm, or a new interpreter when vm is nil or was loaded
// from an older set of libraries, with every library's functions.
func (sc *scripting) functionVM(d *command.Dispatcher, vm *luaVM) *luaVM {
	fl := &sc.libs
	fl.mu.RLock()
	defer fl.mu.RUnlock()
	if vm != nil && vm.gen == fl.gen {
		return vm
	}
	if vm != nil {
		vm.box.Close()
	}
	vm = sc.newLuaVM(d, true)
	vm.gen, vm.funcs = fl.gen, map[string]*lua.LFunction{}
	for _, lib := range fl.libs {
		got, err := vm.loadLibrary(lib.name, lib.proto)
		if err != nil {
			lg := d.Logger()
			lg.Error().Err(err).Str("library", lib.name).Msg("function library failed to reload")
			continue
		}
		for name, f := range got.fns {
			vm.funcs[name] = f.fn
		}
	}
	return vm
}

// loaded is what a library's code registered while it ran.
type loaded struct {
	fns map[string]*loadedFn
}

type loadedFn struct {
	def functionDef
	fn  *lua.LFunction
}

const functionLoadTimeout = 500 * time.Millisecond

// loadLibrary runs a library's code in vm's load environment and returns
// the functions it registered.
func (vm *luaVM) loadLibrary(name string, proto *lua.FunctionProto) (*loaded, error) {
	b := vm.box
	L := b.L
	lib := &loaded{fns: map[string]*loadedFn{}}
	vm.loading = &functionLibrary{name: name}
	vm.loadingFns = lib
	b.UseGlobals(vm.loadEnv)
	ctx, cancel := context.WithTimeout(vm.ctx, functionLoadTimeout)
	L.SetContext(ctx)
	L.Push(L.NewFunctionFromProto(proto))
	err := L.PCall(0, 0, nil)
	L.SetContext(vm.ctx)
	cancel()
	b.UseGlobals(nil)
	vm.loading, vm.loadingFns = nil, nil
	L.SetTop(0)
	if err != nil {
		msg := err.Error()
		if ae, ok := err.(*lua.ApiError); ok {
			if t, isT := ae.Object.(*lua.LTable); isT {
				msg = lua.LVAsString(t.RawGetString("err"))
			} else {
				msg = "ERR " + lua.LVAsString(ae.Object)
			}
		}
		if ctx.Err() == context.DeadlineExceeded {
			msg = "FUNCTION LOAD timeout"
		}
		return nil, command.Error("ERR Error registering functions: " + msg)
	}
	return lib, nil
}

// validName is functionsVerifyName: letters, digits and '_', at least one.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// registerFunction is redis.register_function(name, callback) or
// redis.register_function{function_name=, callback=, flags=, description=}.
func (vm *luaVM) registerFunction(L *lua.LState) int {
	if vm.loadingFns == nil {
		return luaFail(L, "redis.register_function can only be called on FUNCTION LOAD command")
	}
	def, fn, text := registerArgs(L)
	if text != "" {
		return luaFail(L, text)
	}
	if !validName(def.name) {
		// Redis 7.0 answers with the library text here.
		return luaFail(L, "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")
	}
	if _, dup := vm.loadingFns.fns[def.name]; dup {
		return luaFail(L, "Function already exists in the library")
	}
	vm.loadingFns.fns[def.name] = &loadedFn{def: def, fn: fn}
	return 0
}

func registerArgs(L *lua.LState) (functionDef, *lua.LFunction, string) {
	var def functionDef
	switch L.GetTop() {
	case 1:
		t, ok := L.Get(1).(*lua.LTable)
		if !ok {
			return def, nil, "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments)."
		}
		return namedRegisterArgs(t)
	case 2:
		name, ok := luaString(L.Get(1))
		if !ok {
			return def, nil, "first argument to redis.register_function must be a string"
		}
		fn, ok := L.Get(2).(*lua.LFunction)
		if !ok {
			return def, nil, "second argument to redis.register_function must be a function"
		}
		def.name = name
		return def, fn, ""
	}
	return def, nil, "wrong number of arguments to redis.register_function"
}

func namedRegisterArgs(t *lua.LTable) (functionDef, *lua.LFunction, string) {
	var def functionDef
	var fn *lua.LFunction
	text := ""
	t.ForEach(func(k, v lua.LValue) {
		if text != "" {
			return
		}
		key, ok := luaString(k)
		if !ok {
			text = "named argument key given to redis.register_function is not a string"
			return
		}
		text = def.setNamed(key, v, &fn)
	})
	switch {
	case text != "":
	case def.name == "":
		text = "redis.register_function must get a function name argument"
	case fn == nil:
		text = "redis.register_function must get a callback argument"
	}
	return def, fn, text
}

func (def *functionDef) setNamed(key string, v lua.LValue, fn **lua.LFunction) string {
	switch key {
	case "function_name":
		s, ok := luaString(v)
		if !ok {
			return "function_name argument given to redis.register_function must be a string"
		}
		def.name = s
	case "description":
		s, ok := luaString(v)
		if !ok {
			return "description argument given to redis.register_function must be a string"
		}
		def.desc, def.hasD = s, true
	case "callback":
		f, ok := v.(*lua.LFunction)
		if !ok {
			return "callback argument given to redis.register_function must be a function"
		}
		*fn = f
	case "flags":
		t, ok := v.(*lua.LTable)
		if !ok {
			return "flags argument to redis.register_function must be a table representing function flags"
		}
		var names []string
		bad := false
		for i := 1; t.RawGetInt(i) != lua.LNil; i++ {
			s, isStr := t.RawGetInt(i).(lua.LString)
			bad = bad || !isStr
			names = append(names, string(s))
		}
		f, err := parseScriptFlags(names, "")
		if err != nil || bad {
			return "unknown flag given"
		}
		def.flags = f
	default:
		return "unknown argument given to redis.register_function"
	}
	return ""
}

// luaString is lua_isstring + lua_tostring: strings and numbers.
func luaString(v lua.LValue) (string, bool) {
	switch v.(type) {
	case lua.LString, lua.LNumber:
		return luaToString(v), true
	}
	return "", false
}

// subcommandSyntax is Redis's addReplySubcommandSyntaxError for FUNCTION's
// subcommands that check their argument count themselves.
func subcommandSyntax(c *command.Call) error {
	sub := c.Args[1][:min(len(c.Args[1]), 128)]
	return command.Error("ERR unknown subcommand or wrong number of arguments for '" + string(sub) +
		"'. Try " + strings.ToUpper(string(c.Args[0])) + " HELP.")
}

// parseLibraryMeta is functionExtractLibMetaData: the "#!lua name=<lib>"
// line of a library, split as sdssplitargs splits it (quotes allowed).
func parseLibraryMeta(code string) (string, error) {
	if !strings.HasPrefix(code, "#!") {
		return "", command.Error("ERR Missing library metadata")
	}
	end := strings.IndexByte(code, '\n')
	if end < 0 {
		return "", command.Error("ERR Invalid library metadata")
	}
	parts, ok := resp.SplitArgs([]byte(code[:end]))
	if !ok || len(parts) == 0 {
		return "", command.Error("ERR Invalid library metadata")
	}
	name, haveName := "", false
	for _, p := range parts[1:] {
		if len(p) < 5 || !strings.EqualFold(string(p[:5]), "name=") {
			return "", command.Error("ERR Invalid metadata value given: " + string(p))
		}
		if haveName {
			return "", command.Error("ERR Invalid metadata value, name argument was given multiple times")
		}
		name, haveName = string(p[5:]), true
	}
	if !haveName {
		return "", command.Error("ERR Library name was not given")
	}
	engine := string(parts[0])
	if !strings.EqualFold(engine, "#!lua") { // engine names ignore case, as Redis's engines dict
		return "", command.Error("ERR Engine '" + engine[min(2, len(engine)):] + "' not found")
	}
	if !validName(name) {
		return "", command.Error("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")
	}
	return name, nil
}

// compileLibrary checks a library's code: metadata, compilation, and the
// functions it registers, in a fresh interpreter.
func (sc *scripting) compileLibrary(d *command.Dispatcher, code string) (*functionLibrary, error) {
	name, err := parseLibraryMeta(code)
	if err != nil {
		return nil, err
	}
	proto, err := compileLua(code[strings.IndexByte(code, '\n'):], "user_function")
	if err != nil {
		return nil, command.Error("ERR Error compiling function: " + err.Error())
	}
	vm := sc.newLuaVM(d, true)
	defer vm.box.Close()
	got, err := vm.loadLibrary(name, proto)
	if err != nil {
		return nil, err
	}
	if len(got.fns) == 0 {
		return nil, command.Error("ERR No functions registered")
	}
	lib := &functionLibrary{name: name, code: code, proto: proto, fns: map[string]*functionDef{}, allDBs: reachesOtherDBs(d.Table(), code)}
	for fname, f := range got.fns {
		def := f.def
		def.lib = lib
		lib.fns[fname] = &def
	}
	return lib, nil
}

// install adds libs under the restore/load policy: replace allows a
// library of the same name to be swapped. No function name may be owned
// by two libraries, ignoring case (Redis's functions dict; within one
// library names are case-sensitive). restore picks RESTORE's error text.
func (fl *functionLibs) install(libs []*functionLibrary, replace, flush, restore bool) error {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	next := map[string]*functionLibrary{}
	if !flush {
		for n, l := range fl.libs {
			next[n] = l
		}
	}
	added := map[string]bool{}
	for _, lib := range libs {
		if _, ok := next[lib.name]; ok && !replace {
			if restore {
				return command.Error("ERR Library " + lib.name + " already exists")
			}
			return command.Error("ERR Library '" + lib.name + "' already exists")
		}
		next[lib.name], added[lib.name] = lib, true
	}
	owner := map[string]string{} // lower-case function name -> library
	for _, lib := range sortedLibs(next) {
		if !added[lib.name] {
			for fname := range lib.fns {
				owner[strings.ToLower(fname)] = lib.name
			}
		}
	}
	for _, lib := range libs {
		for _, fname := range sortedNames(lib.fns) {
			if o, taken := owner[strings.ToLower(fname)]; taken && o != lib.name {
				return command.Error("ERR Function " + fname + " already exists")
			}
			owner[strings.ToLower(fname)] = lib.name
		}
	}
	fl.libs = next
	fl.gen++
	return nil
}

func sortedNames(fns map[string]*functionDef) []string {
	out := make([]string, 0, len(fns))
	for n := range fns {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func sortedLibs(m map[string]*functionLibrary) []*functionLibrary {
	out := make([]*functionLibrary, 0, len(m))
	for _, l := range m {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// cmdFunctionLoad: FUNCTION LOAD [REPLACE] function-code
func cmdFunctionLoad(c *command.Call) error {
	replace := false
	for _, a := range c.Args[2 : len(c.Args)-1] {
		if !command.Eq(a, "replace") {
			return command.Error("ERR Unknown option given: " + string(a))
		}
		replace = true
	}
	sc := state(c)
	lib, err := sc.compileLibrary(c.D, string(c.Args[len(c.Args)-1]))
	if err != nil {
		return err
	}
	if err := sc.libs.install([]*functionLibrary{lib}, replace, false, false); err != nil {
		return err
	}
	c.Dirty(1)
	c.R.BulkString(lib.name)
	return nil
}

// cmdFunctionDelete: FUNCTION DELETE library-name
func cmdFunctionDelete(c *command.Call) error {
	fl := &state(c).libs
	fl.mu.Lock()
	defer fl.mu.Unlock()
	name := string(c.Args[2])
	if fl.libs[name] == nil {
		return command.Error("ERR Library not found")
	}
	next := map[string]*functionLibrary{}
	for n, l := range fl.libs {
		if n != name {
			next[n] = l
		}
	}
	fl.libs = next
	fl.gen++
	c.Dirty(1)
	c.R.Simple("OK")
	return nil
}

// cmdFunctionFlush: FUNCTION FLUSH [ASYNC|SYNC]
func cmdFunctionFlush(c *command.Call) error {
	if len(c.Args) > 3 {
		return subcommandSyntax(c)
	}
	if len(c.Args) == 3 && !command.Eq(c.Args[2], "sync") && !command.Eq(c.Args[2], "async") {
		return command.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
	}
	fl := &state(c).libs
	fl.mu.Lock()
	fl.libs = nil
	fl.gen++
	fl.mu.Unlock()
	c.Dirty(1)
	c.R.Simple("OK")
	return nil
}

// cmdFunctionKill: FUNCTION KILL
func cmdFunctionKill(c *command.Call) error { return state(c).runs.kill(c, false) }

// cmdFcall: FCALL function numkeys [key [key ...]] [arg [arg ...]]
func cmdFcall(c *command.Call) error { return fcallGeneric(c, false) }

// cmdFcallRo: FCALL_RO function numkeys [key [key ...]] [arg [arg ...]]
func cmdFcallRo(c *command.Call) error { return fcallGeneric(c, true) }

func fcallGeneric(c *command.Call, ro bool) error {
	sc := state(c)
	f, _ := sc.libs.function(string(c.Args[1]))
	if f == nil {
		return command.Error("ERR Function not found")
	}
	if _, ok := command.ParseInt(c.Args[2]); !ok {
		return command.Error("ERR Bad number of keys provided") // FCALL's text (EVAL's is ErrNotInteger)
	}
	numkeys, err := evalNumKeys(c)
	if err != nil {
		return err
	}
	run := &scriptRun{name: f.name, flags: f.flags, allDBs: f.lib.allDBs}
	for _, a := range c.Args {
		run.argv = append(run.argv, string(a))
	}
	if err := run.prepare(c, ro); err != nil {
		return err
	}
	keys, args := c.Args[3:3+numkeys], c.Args[3+numkeys:]
	return sc.runScript(c, run, func(vm *luaVM) int {
		L := vm.box.L
		fn := vm.funcs[f.name]
		if fn == nil {
			L.Push(L.NewFunction(func(L *lua.LState) int {
				return luaFail(L, "Function not found")
			}))
			return 0
		}
		L.Push(fn)
		L.Push(stringsTable(L, keys))
		L.Push(stringsTable(L, args))
		return 2
	}, keys)
}

// Larder's FUNCTION DUMP payload: a magic, each library's code with its
// length, and a CRC-32 of all of it. It is Larder's own format, not RDB.
const functionDumpMagic = "LARDERFN1"

// cmdFunctionDump: FUNCTION DUMP
func cmdFunctionDump(c *command.Call) error {
	fl := &state(c).libs
	fl.mu.RLock()
	libs := sortedLibs(fl.libs)
	fl.mu.RUnlock()
	buf := []byte(functionDumpMagic)
	for _, l := range libs {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(l.code)))
		buf = append(buf, l.code...)
	}
	buf = binary.BigEndian.AppendUint32(buf, crc32.ChecksumIEEE(buf))
	c.R.Bulk(buf)
	return nil
}

// cmdFunctionRestore: FUNCTION RESTORE serialized-value [FLUSH|APPEND|REPLACE]
func cmdFunctionRestore(c *command.Call) error {
	replace, flush := false, false
	if len(c.Args) > 4 {
		return subcommandSyntax(c)
	}
	if len(c.Args) == 4 {
		switch p := strings.ToLower(string(c.Args[3])); p {
		case "flush":
			flush = true
		case "replace":
			replace = true
		case "append":
		default:
			return command.Error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.")
		}
	}
	codes, ok := parseFunctionDump(c.Args[2])
	if !ok {
		return command.Error("ERR DUMP payload version or checksum are wrong")
	}
	sc := state(c)
	var libs []*functionLibrary
	for _, code := range codes {
		lib, err := sc.compileLibrary(c.D, code)
		if err != nil {
			return err
		}
		libs = append(libs, lib)
	}
	if err := sc.libs.install(libs, replace, flush, true); err != nil {
		return err
	}
	c.Dirty(1)
	c.R.Simple("OK")
	return nil
}

func parseFunctionDump(p []byte) ([]string, bool) {
	n := len(p)
	if n < len(functionDumpMagic)+4 || string(p[:len(functionDumpMagic)]) != functionDumpMagic ||
		crc32.ChecksumIEEE(p[:n-4]) != binary.BigEndian.Uint32(p[n-4:]) {
		return nil, false
	}
	var codes []string
	for rest := p[len(functionDumpMagic) : n-4]; len(rest) > 0; {
		if len(rest) < 4 {
			return nil, false
		}
		l := int(binary.BigEndian.Uint32(rest))
		if l > len(rest)-4 {
			return nil, false
		}
		codes = append(codes, string(rest[4:4+l]))
		rest = rest[4+l:]
	}
	return codes, true
}

// SnapshotCommands gives snapshots every library as a FUNCTION LOAD, in
// name order (command.SnapshotState): replaying them rebuilds the
// libraries.
func (sc *scripting) SnapshotCommands(add func(argv ...[]byte)) {
	fl := &sc.libs
	fl.mu.RLock()
	libs := sortedLibs(fl.libs)
	fl.mu.RUnlock()
	for _, l := range libs {
		add([]byte("FUNCTION"), []byte("LOAD"), []byte(l.code))
	}
}
