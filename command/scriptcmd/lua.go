package scriptcmd

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/scriptcmd/internal/luabox"
	"github.com/larder-db/larder/protocol/resp"
)

// luaVM is one sandboxed interpreter with Redis's API bound to it. A script
// run borrows one for its whole duration (scripts on different keys run in
// parallel, each in its own VM); nothing a script can write survives it,
// because every table it can reach is read-only.
type luaVM struct {
	d    *command.Dispatcher
	sc   *scripting
	box  *luabox.Box
	run  *scriptRun       // the run in progress, nil when idle
	sess *command.Session // the script client: db, RESP version, the queue flag
	capt command.Capture
	errh *lua.LFunction
	// handled is set by the error handler: the error object then carries
	// source and line. clean says the last run ended normally or through
	// the handler (not a full call stack).
	handled bool
	clean   bool

	// ctx stops the VM's run (SCRIPT KILL, the memory watchdog).
	ctx    context.Context
	cancel context.CancelFunc

	// EVAL VMs: the functions made from cached scripts, valid while the
	// cache's generation is evalGen.
	evalFns map[*lua.FunctionProto]*lua.LFunction
	evalGen uint64

	// Function VMs only: the libraries' generation loaded in this VM and
	// their functions by name.
	gen   uint64
	funcs map[string]*lua.LFunction
	// loadEnv is the globals a library's code sees while it loads;
	// loadingFns collects its redis.register_function calls.
	loadEnv    *lua.LTable
	loading    *functionLibrary
	loadingFns *loaded
}

// redisVersionNum is REDIS_VERSION_NUM (0x00MMmmpp) of RedisVersion.
const redisVersionNum = 7<<16 | 0<<8 | 15

func (sc *scripting) newLuaVM(d *command.Dispatcher, functions bool) *luaVM {
	vm := &luaVM{d: d, sc: sc}
	vm.sess = command.NewNestedSession(command.FrontEndScript)
	vm.box = luabox.New(luabox.Options{
		API: func(L *lua.LState) map[string]lua.LValue { return vm.api(L, functions) },
		// One string may not outgrow what the memory watchdog allows a
		// whole script (nor proto-max-bulk-len).
		MaxString: int(min(d.Cfg.Int("proto-max-bulk-len"), scriptHeapCap)),
	})
	vm.errh = vm.box.L.NewFunction(vm.errorHandler)
	vm.ctx, vm.cancel = context.WithCancel(context.Background())
	vm.box.L.SetContext(vm.ctx)
	if functions {
		L := vm.box.L
		vm.loadEnv = vm.box.NewLoadEnv(map[string]lua.LValue{
			"register_function": L.NewFunction(vm.registerFunction),
			"log":               L.NewFunction(vm.luaLog),
			"LOG_DEBUG":         lua.LNumber(0), "LOG_VERBOSE": lua.LNumber(1),
			"LOG_NOTICE": lua.LNumber(2), "LOG_WARNING": lua.LNumber(3),
			"REDIS_VERSION": lua.LString(command.RedisVersion), "REDIS_VERSION_NUM": lua.LNumber(redisVersionNum),
		})
	}
	return vm
}

func (vm *luaVM) api(L *lua.LState, functions bool) map[string]lua.LValue {
	fn := L.NewFunction
	m := map[string]lua.LValue{
		"call":          fn(func(L *lua.LState) int { return vm.redisCall(L, true) }),
		"pcall":         fn(func(L *lua.LState) int { return vm.redisCall(L, false) }),
		"error_reply":   fn(luaErrorReply),
		"status_reply":  fn(luaStatusReply),
		"sha1hex":       fn(luaSha1hex),
		"log":           fn(vm.luaLog),
		"setresp":       fn(vm.setResp),
		"set_repl":      fn(vm.setRepl),
		"acl_check_cmd": fn(vm.aclCheckCmd),
		"LOG_DEBUG":     lua.LNumber(0), "LOG_VERBOSE": lua.LNumber(1),
		"LOG_NOTICE": lua.LNumber(2), "LOG_WARNING": lua.LNumber(3),
		"REPL_NONE": lua.LNumber(0), "REPL_AOF": lua.LNumber(1), "REPL_SLAVE": lua.LNumber(2),
		"REPL_REPLICA": lua.LNumber(2), "REPL_ALL": lua.LNumber(3),
		"REDIS_VERSION": lua.LString(command.RedisVersion), "REDIS_VERSION_NUM": lua.LNumber(redisVersionNum),
	}
	if functions {
		return m
	}
	m["replicate_commands"] = fn(func(L *lua.LState) int { L.Push(lua.LTrue); return 1 })
	m["breakpoint"] = fn(func(L *lua.LState) int { L.Push(lua.LFalse); return 1 })
	m["debug"] = fn(func(L *lua.LState) int { return 0 })
	return m
}

// evalFunction returns the VM's function for a cached script, made once
// per VM (and again after SCRIPT FLUSH).
func (vm *luaVM) evalFunction(s *luaScript) *lua.LFunction {
	if gen := vm.sc.flushGen.Load(); vm.evalFns == nil || vm.evalGen != gen || len(vm.evalFns) > 1024 {
		vm.evalFns, vm.evalGen = map[*lua.FunctionProto]*lua.LFunction{}, gen
	}
	fn := vm.evalFns[s.proto]
	if fn == nil {
		fn = vm.box.L.NewFunctionFromProto(s.proto)
		vm.evalFns[s.proto] = fn
	}
	return fn
}

// errorText is luaPushErrorBuff: "-CODE msg" keeps its code, anything else
// gets ERR; the result is "CODE msg" without line breaks at the ends.
func errorText(s string) string {
	code, msg := "ERR", s
	if strings.HasPrefix(s, "-") {
		if i := strings.IndexByte(s, ' '); i >= 0 {
			code, msg = s[1:i], s[i+1:]
		} else {
			msg = s[1:]
		}
	}
	return code + " " + strings.Trim(msg, "\r\n")
}

func errTable(L *lua.LState, s string) *lua.LTable {
	t := L.NewTable()
	t.RawSetString("err", lua.LString(errorText(s)))
	return t
}

// luaFail raises a Redis error table (redis.call's way of failing).
func luaFail(L *lua.LState, s string) int {
	L.Error(errTable(L, s), 0)
	return 0
}

func luaErrorReply(L *lua.LState) int {
	if L.GetTop() != 1 || L.Get(-1).Type() != lua.LTString {
		L.Push(errTable(L, "wrong number or type of arguments"))
		return 1
	}
	s := L.ToString(-1)
	if !strings.HasPrefix(s, "-") {
		s = "-" + s
	}
	L.Push(errTable(L, s))
	return 1
}

func luaStatusReply(L *lua.LState) int {
	if L.GetTop() != 1 || L.Get(-1).Type() != lua.LTString {
		L.Push(errTable(L, "wrong number or type of arguments"))
		return 1
	}
	t := L.NewTable()
	t.RawSetString("ok", L.Get(-1))
	L.Push(t)
	return 1
}

func luaSha1hex(L *lua.LState) int {
	if L.GetTop() != 1 {
		return luaFail(L, "wrong number of arguments")
	}
	sum := sha1.Sum([]byte(luaToString(L.Get(1))))
	L.Push(lua.LString(hex.EncodeToString(sum[:])))
	return 1
}

// luaToString is lua_tolstring: strings and numbers, "" for the rest.
func luaToString(v lua.LValue) string {
	switch x := v.(type) {
	case lua.LString:
		return string(x)
	case lua.LNumber:
		return luabox.FormatNumber(float64(x))
	}
	return ""
}

func (vm *luaVM) luaLog(L *lua.LState) int {
	n := L.GetTop()
	if n < 2 {
		return luaFail(L, "redis.log() requires two arguments or more.")
	}
	lvl, ok := L.Get(1).(lua.LNumber)
	if s, isStr := L.Get(1).(lua.LString); isStr {
		f, err := strconv.ParseFloat(strings.TrimSpace(string(s)), 64)
		lvl, ok = lua.LNumber(f), err == nil
	}
	if !ok {
		return luaFail(L, "First argument must be a number (log level).")
	}
	if lvl < 0 || lvl > 3 {
		return luaFail(L, "Invalid debug level.")
	}
	parts := make([]string, 0, n-1)
	for i := 2; i <= n; i++ {
		if s := L.Get(i); s.Type() == lua.LTString || s.Type() == lua.LTNumber {
			parts = append(parts, luaToString(s))
		}
	}
	lg := vm.d.Logger()
	ev := lg.Debug()
	switch int(lvl) {
	case 2:
		ev = lg.Info()
	case 3:
		ev = lg.Warn()
	}
	ev.Str("source", "script").Msg(strings.Join(parts, " "))
	return 0
}

func (vm *luaVM) setResp(L *lua.LState) int {
	if vm.run == nil {
		return luaFail(L, "redis.setresp can only be called inside a script invocation")
	}
	if L.GetTop() != 1 {
		return luaFail(L, "redis.setresp() requires one argument.")
	}
	v := int(lua.LVAsNumber(L.Get(1)))
	if v != 2 && v != 3 {
		return luaFail(L, "RESP version must be 2 or 3.")
	}
	vm.sess.Proto = v
	return 0
}

func (vm *luaVM) setRepl(L *lua.LState) int {
	if vm.run == nil {
		return luaFail(L, "redis.set_repl can only be called inside a script invocation")
	}
	if L.GetTop() != 1 {
		return luaFail(L, "redis.set_repl() requires two arguments.")
	}
	if f := int(lua.LVAsNumber(L.Get(1))); f&^3 != 0 {
		return luaFail(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.")
	}
	return 0 // effects are always journaled: there is no replica to skip
}

// aclCheckCmd is redis.acl_check_cmd: whether the script's user may run
// the command with these arguments (its keys and channels included).
func (vm *luaVM) aclCheckCmd(L *lua.LState) int {
	if vm.run == nil {
		return luaFail(L, "redis.acl_check_cmd can only be called inside a script invocation")
	}
	argv, errText := luaArgv(L)
	if errText != "" {
		return luaFail(L, errText)
	}
	spec, _ := resolveScript(vm.d, argv)
	if spec == nil {
		return luaFail(L, "Invalid command passed to redis.acl_check_cmd()")
	}
	L.Push(lua.LBool(vm.d.ACLPermits(vm.sess, spec, argv)))
	return 1
}

// luaArgv is luaArgsToRedisArgv: numbers as "%.17g", strings as they are,
// anything else refused.
func luaArgv(L *lua.LState) ([][]byte, string) {
	n := L.GetTop()
	if n == 0 {
		return nil, "Please specify at least one argument for this redis lib call"
	}
	argv := make([][]byte, n)
	for i := 1; i <= n; i++ {
		switch v := L.Get(i).(type) {
		case lua.LString:
			argv[i-1] = []byte(v)
		case lua.LNumber:
			argv[i-1] = []byte(resp.FormatDouble(float64(v)))
		default:
			L.SetTop(0)
			return nil, "Lua redis lib command arguments must be strings or integers"
		}
	}
	L.SetTop(0)
	return argv, ""
}

// redisCall is redis.call (raise) and redis.pcall.
func (vm *luaVM) redisCall(L *lua.LState, raise bool) int {
	run := vm.run
	if run == nil {
		return luaFail(L, "redis.call/pcall can only be called inside a script invocation")
	}
	argv, errText := luaArgv(L)
	if errText == "" {
		var v command.Value
		v, errText = run.call(vm, argv)
		if errText == "" {
			lv := vm.toLua(L, v, 0)
			if v.Kind == command.VError && raise {
				L.Error(lv, 0)
			}
			L.Push(lv)
			return 1
		}
	}
	t := errTable(L, errText)
	t.RawSetString(ignoreStatsField, lua.LTrue) // counted by run.call
	if raise {
		L.Error(t, 0)
	}
	L.Push(t)
	return 1
}

// ignoreStatsField marks an error table made from the error of a command a
// script called: the statistics counted it when the command failed or was
// refused, so a script ending with it does not count it again. Scripts see
// the field, as in Redis.
const ignoreStatsField = "ignore_error_stats_update"

// toLua converts a command's reply as Redis's redisProtocolToLuaType does
// for the script client's RESP version.
func (vm *luaVM) toLua(L *lua.LState, v command.Value, depth int) lua.LValue {
	resp3 := vm.sess.Proto == 3
	switch v.Kind {
	case command.VInt:
		return lua.LNumber(v.Int)
	case command.VBulk:
		return lua.LString(v.Str)
	case command.VNull, command.VNullArray:
		if resp3 {
			return lua.LNil
		}
		return lua.LFalse
	case command.VSimple:
		t := L.NewTable()
		t.RawSetString("ok", lua.LString(v.Str))
		return t
	case command.VError:
		t := errTable(L, "-"+v.Str)
		t.RawSetString(ignoreStatsField, lua.LTrue) // the dispatcher counted it
		return t
	case command.VDouble:
		if resp3 {
			return singleField(L, "double", lua.LNumber(v.Float))
		}
		if v.Str != "" {
			return lua.LString(v.Str)
		}
		return lua.LString(resp.FormatDouble(v.Float))
	case command.VBool:
		if resp3 {
			return lua.LBool(v.Int != 0)
		}
		return lua.LNumber(v.Int)
	case command.VBigNumber:
		if resp3 {
			return singleField(L, "big_number", lua.LString(v.Str))
		}
		return lua.LString(v.Str)
	case command.VVerbatim:
		if resp3 {
			in := L.NewTable()
			in.RawSetString("string", lua.LString(v.Str))
			in.RawSetString("format", lua.LString(v.Fmt))
			return singleField(L, "verbatim_string", in)
		}
		return lua.LString(v.Str)
	}
	return vm.aggregateToLua(L, v, depth, resp3)
}

func singleField(L *lua.LState, name string, v lua.LValue) *lua.LTable {
	t := L.NewTable()
	t.RawSetString(name, v)
	return t
}

func (vm *luaVM) aggregateToLua(L *lua.LState, v command.Value, depth int, resp3 bool) lua.LValue {
	switch {
	case resp3 && v.Kind == command.VMap:
		m := L.NewTable()
		for i := 0; i+1 < len(v.Elems); i += 2 {
			k := vm.toLua(L, v.Elems[i], depth+1)
			val := vm.toLua(L, v.Elems[i+1], depth+1)
			if k != lua.LNil {
				m.RawSet(k, val)
			}
		}
		return singleField(L, "map", m)
	case resp3 && v.Kind == command.VSet:
		m := L.NewTable()
		for _, e := range v.Elems {
			if k := vm.toLua(L, e, depth+1); k != lua.LNil {
				m.RawSet(k, lua.LTrue)
			}
		}
		return singleField(L, "set", m)
	}
	t := L.CreateTable(len(v.Elems), 0)
	for i, e := range v.Elems {
		t.RawSetInt(i+1, vm.toLua(L, e, depth+1))
	}
	return t
}

// errorHandler is Redis's __redis__err__handler: it turns the error into a
// table {err=..., source=..., line=...} naming the Lua function that failed.
func (vm *luaVM) errorHandler(L *lua.LState) int {
	vm.handled = true
	e := L.Get(1)
	t, ok := e.(*lua.LTable)
	if !ok {
		msg := "nil"
		if e != lua.LNil {
			msg = lua.LVAsString(e)
			if e.Type() == lua.LTBool {
				msg = e.String()
			} else if n, isNum := e.(lua.LNumber); isNum {
				msg = luabox.FormatNumber(float64(n))
			} else if e.Type() != lua.LTString {
				msg = e.Type().String() + ": " + e.String()
			}
		}
		t = L.NewTable()
		t.RawSetString("err", lua.LString("ERR "+msg))
	}
	for lv := 1; lv < 8; lv++ {
		dbg, ok := L.GetStack(lv)
		if !ok {
			break
		}
		if _, err := L.GetInfo("Sl", dbg, lua.LNil); err == nil && dbg.What != "G" {
			t.RawSetString("source", lua.LString("@"+dbg.Source))
			t.RawSetString("line", lua.LNumber(dbg.CurrentLine))
			break
		}
	}
	L.Push(t)
	return 1
}
