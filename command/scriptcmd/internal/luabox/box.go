package luabox

import (
	"errors"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Redis's sandbox texts (script_lua.c and its patched Lua).
const (
	ErrReadonly      = "Attempt to modify a readonly table"
	errNoGlobalFmt   = "Script attempted to access nonexistent global variable '%s'"
	errStringTooLong = "resulting string too large"
)

// allowed are the globals Redis 7.0 leaves to scripts (script_lua.c's allow
// lists, less getfenv, setfenv and newproxy, which 7.0.15 removed).
var allowed = map[string]bool{
	"string": true, "cjson": true, "bit": true, "cmsgpack": true, "math": true,
	"table": true, "struct": true, "redis": true, "xpcall": true, "tostring": true,
	"setmetatable": true, "next": true, "assert": true, "tonumber": true,
	"rawequal": true, "collectgarbage": true, "getmetatable": true, "rawset": true,
	"pcall": true, "coroutine": true, "type": true, "_G": true, "select": true,
	"unpack": true, "gcinfo": true, "pairs": true, "rawget": true,
	"loadstring": true, "ipairs": true, "_VERSION": true, "load": true, "error": true,
}

// Options configure a Box.
type Options struct {
	// API holds the fields of the global redis table: functions and
	// constants. It is installed before the globals are locked.
	API func(L *lua.LState) map[string]lua.LValue
	// MaxString caps the strings string.rep and the codecs build (bytes).
	MaxString int
}

// Box is one sandboxed interpreter. Env is the read-only global table
// scripts see; the real tables behind it are reachable only from Go.
type Box struct {
	L   *lua.LState
	Env *lua.LTable

	globals  *lua.LTable                 // backing table of Env
	backing  map[*lua.LTable]*lua.LTable // protected proxy -> its backing table
	readonly *lua.LFunction
	maxStr   int
	cjson    cjsonConfig // lua-cjson's settings (cjson_config.go)
}

// New builds a sandboxed interpreter.
func New(o Options) *Box {
	L := lua.NewState(lua.Options{
		SkipOpenLibs:        true,
		CallStackSize:       1024,
		RegistrySize:        1024 * 4,
		RegistryMaxSize:     1024 * 1024,
		MinimizeStackMemory: true,
	})
	b := &Box{L: L, backing: map[*lua.LTable]*lua.LTable{}, maxStr: o.MaxString}
	if b.maxStr <= 0 {
		b.maxStr = 64 << 20
	}
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{
		{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath},
		{lua.CoroutineLibName, lua.OpenCoroutine},
	} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	g := L.G.Global
	b.installLibs(g)
	b.installOverrides(g)
	api := L.NewTable()
	var fields map[string]lua.LValue
	if o.API != nil {
		fields = o.API(L)
	}
	for k, v := range fields {
		api.RawSetString(k, v)
	}
	g.RawSetString("redis", api)
	var drop []lua.LValue
	g.ForEach(func(k, _ lua.LValue) {
		if s, ok := k.(lua.LString); !ok || !allowed[string(s)] {
			drop = append(drop, k)
		}
	})
	for _, k := range drop {
		g.RawSet(k, lua.LNil)
	}
	b.lock(g)
	return b
}

func (b *Box) installLibs(g *lua.LTable) {
	L := b.L
	g.RawSetString("cjson", b.cjsonLib())
	g.RawSetString("bit", bitLib(L))
	g.RawSetString("struct", structLib(L))
	g.RawSetString("cmsgpack", b.msgpackLib())
	str := g.RawGetString("string").(*lua.LTable)
	str.RawSetString("rep", L.NewFunction(b.strRep))
	math := g.RawGetString("math").(*lua.LTable)
	math.RawSetString("random", L.NewFunction(b.mathRandom))
	math.RawSetString("randomseed", L.NewFunction(b.mathRandomSeed))
}

// installOverrides replaces the base functions that could reach past a
// protected table, and pcall (Redis's unwraps error tables).
func (b *Box) installOverrides(g *lua.LTable) {
	L := b.L
	b.readonly = L.NewFunction(func(L *lua.LState) int {
		L.RaiseError(ErrReadonly)
		return 0
	})
	g.RawSetString("rawset", L.NewFunction(b.rawSet))
	g.RawSetString("rawget", L.NewFunction(b.rawGet))
	g.RawSetString("setmetatable", L.NewFunction(b.setMetatable))
	next := L.NewFunction(b.next)
	g.RawSetString("next", next)
	g.RawSetString("pairs", L.NewClosure(b.pairs, next))
	g.RawSetString("pcall", L.NewFunction(pcall))
	g.RawSetString("unpack", L.NewFunction(unpack))
	tonumber := g.RawGetString("tonumber")
	g.RawSetString("tonumber", L.NewFunction(func(L *lua.LState) int {
		if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
			top := L.GetTop()
			L.Insert(tonumber, 1) // with a base: gopher-lua's strtoul
			L.Call(top, 1)
			return 1
		}
		L.CheckAny(1)
		L.Push(ToNumber(L.Get(1)))
		return 1
	}))
	tostring := g.RawGetString("tostring")
	g.RawSetString("tostring", L.NewFunction(func(L *lua.LState) int {
		if n, ok := L.Get(1).(lua.LNumber); ok {
			L.Push(lua.LString(FormatNumber(float64(n))))
			return 1
		}
		top := L.GetTop()
		L.Insert(tostring, 1)
		L.Call(top, 1)
		return 1
	}))
}

// lock replaces every table reachable from the globals (and the string
// metatable) by a read-only proxy, and makes unknown globals an error.
func (b *Box) lock(g *lua.LTable) {
	L := b.L
	seen := map[*lua.LTable]*lua.LTable{}
	b.Env = b.protect(g, seen)
	b.globals = b.backing[b.Env]
	gmt := L.NewTable()
	gmt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError(errNoGlobalFmt, L.ToString(2))
		return 0
	}))
	b.globals.Metatable = gmt
	// getmetatable(_G) is the globals' metatable, read-only (Redis's is a
	// readonly table too); other protected tables show none.
	b.Env.Metatable.(*lua.LTable).RawSetString("__metatable", b.protect(gmt, seen))
	if smt, ok := L.GetMetatable(lua.LString("")).(*lua.LTable); ok {
		smt.RawSetString("__metatable", b.protect(smt, seen))
	}
	L.Env = b.Env
	L.G.Global = b.Env
}

func (b *Box) protect(t *lua.LTable, seen map[*lua.LTable]*lua.LTable) *lua.LTable {
	if p, ok := seen[t]; ok {
		return p
	}
	L := b.L
	proxy, store := L.NewTable(), L.NewTable()
	seen[t] = proxy
	t.ForEach(func(k, v lua.LValue) {
		if vt, ok := v.(*lua.LTable); ok {
			v = b.protect(vt, seen)
		}
		store.RawSet(k, v)
	})
	mt := L.NewTable()
	mt.RawSetString("__index", store)
	mt.RawSetString("__newindex", b.readonly)
	mt.RawSetString("__metatable", lua.LFalse)
	proxy.Metatable = mt
	b.backing[proxy] = store
	return proxy
}

// SetGlobal sets a global behind the lock (EVAL's KEYS and ARGV).
func (b *Box) SetGlobal(name string, v lua.LValue) { b.globals.RawSetString(name, v) }

// Protected reports whether t is one of the read-only tables.
func (b *Box) Protected(t *lua.LTable) bool { _, ok := b.backing[t]; return ok }

// NewLoadEnv builds the read-only globals a FUNCTION library's code sees
// while it loads: only a redis table holding fields, every other name an
// unknown global (Redis's library API).
func (b *Box) NewLoadEnv(fields map[string]lua.LValue) *lua.LTable {
	L := b.L
	api, g := L.NewTable(), L.NewTable()
	for k, v := range fields {
		api.RawSetString(k, v)
	}
	g.RawSetString("redis", api)
	seen := map[*lua.LTable]*lua.LTable{}
	proxy := b.protect(g, seen)
	b.backing[proxy].Metatable = b.globals.Metatable
	b.backing[seen[api]].Metatable = b.globals.Metatable
	return b.backing[proxy]
}

// UseGlobals makes the names Env resolves come from t (a FUNCTION
// library's load environment), or from the real globals when t is nil.
func (b *Box) UseGlobals(t *lua.LTable) {
	if t == nil {
		t = b.globals
	}
	b.Env.Metatable.(*lua.LTable).RawSetString("__index", t)
}

// Backing returns the table behind a protected proxy, nil for any other
// table: Go code reads through it without triggering the sandbox's errors.
func (b *Box) Backing(t *lua.LTable) *lua.LTable { return b.backing[t] }

// Close frees the interpreter.
func (b *Box) Close() { b.L.Close() }

func (b *Box) rawSet(L *lua.LState) int {
	t := L.CheckTable(1)
	if b.Protected(t) {
		L.Error(lua.LString(ErrReadonly), 0)
	}
	L.RawSet(t, L.CheckAny(2), L.CheckAny(3))
	return 0
}

func (b *Box) rawGet(L *lua.LState) int {
	t := L.CheckTable(1)
	if s, ok := b.backing[t]; ok {
		t = s
	}
	L.Push(t.RawGet(L.CheckAny(2)))
	return 1
}

func (b *Box) setMetatable(L *lua.LState) int {
	t := L.CheckTable(1)
	L.CheckTypes(2, lua.LTNil, lua.LTTable)
	if b.Protected(t) {
		L.Error(lua.LString(ErrReadonly), 0)
	}
	if m, ok := t.Metatable.(*lua.LTable); ok && m.RawGetString("__metatable") != lua.LNil {
		L.RaiseError("cannot change a protected metatable")
	}
	t.Metatable = L.Get(2)
	L.SetTop(1)
	return 1
}

func (b *Box) next(L *lua.LState) int {
	t := L.CheckTable(1)
	if s, ok := b.backing[t]; ok {
		t = s
	}
	k, v := t.Next(L.Get(2))
	if k == lua.LNil {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(k)
	L.Push(v)
	return 2
}

func (b *Box) pairs(L *lua.LState) int {
	t := L.CheckTable(1)
	L.Push(L.Get(lua.UpvalueIndex(1)))
	L.Push(t)
	L.Push(lua.LNil)
	return 3
}

// pcall is Redis's: a failing call returns false and, for a Redis error
// table, its err string rather than the table.
func pcall(L *lua.LState) int {
	L.CheckAny(1)
	top := L.GetTop()
	err := L.PCall(top-1, lua.MultRet, nil)
	if err != nil {
		obj := lua.LValue(lua.LString(err.Error()))
		if ae, ok := err.(*lua.ApiError); ok {
			obj = ae.Object
		}
		if t, ok := obj.(*lua.LTable); ok {
			if s, ok := t.RawGetString("err").(lua.LString); ok {
				obj = s
			}
		}
		L.SetTop(0)
		L.Push(lua.LFalse)
		L.Push(obj)
		return 2
	}
	L.Insert(lua.LTrue, 1)
	return L.GetTop()
}

// ToNumber is Lua 5.1's tonumber without a base (luaO_str2d): strtod's
// syntax, hexadecimal integers, surrounding spaces; nil otherwise.
func ToNumber(v lua.LValue) lua.LValue {
	switch x := v.(type) {
	case lua.LNumber:
		return x
	case lua.LString:
		s := strings.Trim(string(x), " \t\n\r\v\f")
		if s == "" || strings.ContainsRune(s, '_') { // Go's syntax, not strtod's
			return lua.LNil
		}
		body := strings.TrimLeft(s, "+-")
		if len(s)-len(body) <= 1 && len(body) > 2 && body[0] == '0' && body[1]|0x20 == 'x' {
			n, err := strconv.ParseUint(body[2:], 16, 64)
			if err != nil {
				return lua.LNil
			}
			if s[0] == '-' {
				return lua.LNumber(-float64(n))
			}
			return lua.LNumber(float64(n))
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return lua.LNil
		}
		return lua.LNumber(f)
	}
	return lua.LNil
}

// argError is luaL_argerror's text, with the function name quoted as Lua
// 5.1 quotes it.
func argError(L *lua.LState, n int, fn, msg string) {
	L.RaiseError("bad argument #%d to '%s' (%s)", n, fn, msg)
}

// checkString is luaL_checklstring with Lua 5.1's message.
func checkString(L *lua.LState, n int, fn string) string {
	switch v := L.Get(n).(type) {
	case lua.LString:
		return string(v)
	case lua.LNumber:
		return FormatNumber(float64(v))
	}
	got := "no value"
	if n <= L.GetTop() {
		got = L.Get(n).Type().String()
	}
	argError(L, n, fn, "string expected, got "+got)
	return ""
}

// maxResults is Lua 5.1's LUAI_MAXCSTACK: the most values a C function
// may return.
const maxResults = 8000

// unpack is Lua 5.1's, with its limit on the number of results (a Go loop
// cannot be interrupted by SCRIPT KILL).
func unpack(L *lua.LState) int {
	t := L.CheckTable(1)
	i := L.OptInt(2, 1)
	e := L.OptInt(3, t.Len())
	if i > e {
		return 0
	}
	n := e - i + 1
	if n <= 0 || n > maxResults {
		L.RaiseError("too many results to unpack")
	}
	for ; i <= e; i++ {
		L.Push(t.RawGetInt(i))
	}
	return n
}

// strRep is string.rep with a size cap: a script cannot make the server
// allocate gigabytes in one call.
func (b *Box) strRep(L *lua.LState) int {
	s := checkString(L, 1, "rep")
	n := L.CheckInt(2)
	if n <= 0 || len(s) == 0 {
		L.Push(lua.LString(""))
		return 1
	}
	if n > b.maxStr/len(s) {
		L.RaiseError(errStringTooLong)
	}
	out := make([]byte, 0, len(s)*n)
	for i := 0; i < n; i++ {
		out = append(out, s...)
	}
	L.Push(lua.LString(out))
	return 1
}
