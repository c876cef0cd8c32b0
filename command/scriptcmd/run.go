package scriptcmd

import (
	"bytes"
	"context"
	"strings"
	"sync/atomic"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/larder-db/larder/command"
)

// scriptRun is one execution of a script or function: what it may do, the
// locks it holds, and the state SCRIPT KILL and BUSY read from other
// goroutines (start, dirty, killed).
type scriptRun struct {
	name     string // SHA-1 of an EVAL script, or the function's name
	eval     bool   // EVAL family (SCRIPT KILL), else FCALL (FUNCTION KILL)
	flags    scriptFlags
	readOnly bool     // *_RO command or no-writes: write commands fail
	upstash  bool     // the caller follows the Upstash dialect (REST)
	callerRO bool     // the caller is a read-only session (default_ro)
	keyLock  bool     // allow-key-locking: only KEYS' shards are held
	allDBs   bool     // every shard of every db is held
	oom      bool     // over maxmemory when the script started
	keys     [][]byte // allow-key-locking: the keys the run may touch
	argv     []string // the FCALL, for FUNCTION STATS

	start  time.Time
	dirty  atomic.Bool // a write command ran: SCRIPT KILL refuses
	killed atomic.Bool
	memory atomic.Bool // stopped by the memory watchdog
	cancel context.CancelFunc
}

// prepare is scriptPrepareForRun: the checks made before a script runs,
// with Redis's texts, and the run's mode.
func (run *scriptRun) prepare(c *command.Call, ro bool) error {
	compat := run.flags&sfCompat != 0
	run.oom = c.D.OverMemory()
	run.upstash, run.callerRO = c.S.Upstash(), c.S.ReadOnly()
	if err := readOnlyScript(c, run.flags, ro); err != nil {
		return err
	}
	if !compat && run.flags&sfNoWrites == 0 {
		switch {
		case ro && !run.upstash:
			return errScriptRO
		case !ro && run.oom && run.flags&sfAllowOOM == 0:
			return command.Rejected(command.ErrOOM) // Redis refuses it before the call
		case !ro && c.D.ReplicasShort():
			return command.Rejected(command.ErrNoReplicas) // a script that may write is a write
		}
	}
	// Upstash runs a *_RO call of a script without no-writes and fails it
	// at its first write (UPSTASH-REST.md section 15).
	run.readOnly = ro || (!compat && run.flags&sfNoWrites != 0)
	if run.flags&sfAllowOOM != 0 && !compat {
		run.oom = false
	}
	// Inside MULTI the flag is ignored: EXEC holds every shard already.
	run.keyLock = run.flags&sfKeyLocking != 0 && !c.S.InExec
	return nil
}

// readOnlyScript refuses EVAL/EVALSHA/FCALL of a script not declared
// no-writes to a read-only session (the dispatcher's read-only gate lets
// them reach the handler); the _RO forms and other sessions pass.
func readOnlyScript(c *command.Call, flags scriptFlags, ro bool) error {
	if c.S.ReadOnly() && !ro && (flags&sfCompat != 0 || flags&sfNoWrites == 0) {
		return command.NoPerm(c.Spec)
	}
	return nil
}

// lock takes the shards the run needs; the dispatcher releases them after
// the handler returns. Inside EXEC nothing is taken: EXEC holds every shard of
// every db for a queued script.
func (run *scriptRun) lock(c *command.Call, keys [][]byte) {
	write := !run.readOnly
	switch {
	case run.keyLock:
		run.keys = keys
		c.Ords = c.Ords[:0]
		for _, k := range keys {
			c.Ords = append(c.Ords, c.D.Ordinal(c.DB().Index(), k))
		}
		c.LockOrdinals(c.Ords, write)
	case run.allDBs:
		st := c.Store()
		c.Ords = c.Ords[:0]
		for i := 0; i < st.ShardsPerDB()*st.Databases(); i++ {
			c.Ords = append(c.Ords, i)
		}
		c.LockOrdinals(c.Ords, write)
	default:
		c.LockAll(c.DB(), write)
	}
}

// runScript runs one script or function for c: push places the function
// (and its arguments) on the VM's stack and returns the argument count.
func (sc *scripting) runScript(c *command.Call, run *scriptRun, push func(vm *luaVM) int, keys [][]byte) error {
	run.lock(c, keys)
	pool := &sc.evals
	var vm *luaVM
	if run.eval {
		if vm = pool.get(); vm == nil {
			vm = sc.newLuaVM(c.D, false)
		}
	} else {
		pool = &sc.fns
		vm = sc.functionVM(c.D, pool.get())
	}
	vm.clean = false
	defer sc.releaseVM(pool, vm, run, c.S)
	L := vm.box.L
	// The VM's context stops this run: a VM whose run was stopped is
	// never reused (releaseVM), so a late cancel cannot reach another run.
	run.cancel = vm.cancel
	nargs := push(vm)
	sc.runs.add(run, c.D.Cfg)
	vm.beginEffects(c.S, run)
	err := L.PCall(nargs, 1, vm.errh)
	vm.endEffects(c.S)
	sc.runs.remove(run)
	vm.clean = err == nil || vm.handled
	if err != nil {
		text := vm.failure(run, err)
		c.CountErrorReply(text, statsCounted(errObject(err)))
		c.R.Error(text)
		L.SetTop(0)
		return nil
	}
	if t, ok := L.Get(-1).(*lua.LTable); ok {
		if b := vm.box.Backing(t); b != nil {
			t = b
		}
		if s, ok := t.RawGetString("err").(lua.LString); ok {
			c.CountErrorReply(string(s), statsCounted(t))
		}
	}
	vm.reply(c.R, L.Get(-1), 0)
	L.SetTop(0)
	return nil
}

// releaseVM ends a run's use of vm. A VM whose run was stopped may have
// grown stacks that never shrink, and one whose run panicked (the
// dispatcher recovers the panic) is in an unknown state: neither is kept.
func (sc *scripting) releaseVM(pool *vmPool, vm *luaVM, run *scriptRun, caller *command.Session) {
	if vm.run != nil { // a panic left the run open
		vm.endEffects(caller)
		sc.runs.remove(run)
		vm.clean = false
	}
	if run.killed.Load() || run.memory.Load() || !vm.clean {
		vm.box.Close()
		return
	}
	pool.put(vm)
}

// beginEffects and endEffects bracket a script's run: between them the
// commands it runs through redis.call execute on the script session
// (vm.sess), nested in the caller's (command.Session.BeginNested), as EXEC
// runs its queue: under the run's locks (EVAL's Call, or EXEC's), their
// writes this script's effects, gathered into one log record (DESIGN.md
// §4), as EXEC's are. Every run starts in RESP2 (redis.setresp changes it).
func (vm *luaVM) beginEffects(caller *command.Session, run *scriptRun) {
	vm.sess.Proto = 2
	vm.sess.BeginNested(caller)
	vm.run, vm.handled = run, false
}

func (vm *luaVM) endEffects(caller *command.Session) {
	vm.d.EndNested(vm.sess, caller) // while the script's locks are still held
	vm.run = nil
}

// errObject is the Lua value a script raised.
func errObject(err error) lua.LValue {
	if ae, ok := err.(*lua.ApiError); ok {
		return ae.Object
	}
	return lua.LNil
}

// statsCounted reports whether an error table came from a command the
// script called, whose failure the statistics already counted (Redis marks
// such tables with ignore_error_stats_update).
func statsCounted(v lua.LValue) bool {
	t, ok := v.(*lua.LTable)
	return ok && t.RawGetString(ignoreStatsField) == lua.LTrue
}

// failure is the error reply of a script that raised an error, as
// luaCallFunction builds it: "<err> script: <name>, on <source>:<line>."
func (vm *luaVM) failure(run *scriptRun, err error) string {
	var obj lua.LValue = lua.LString(err.Error())
	if ae, ok := err.(*lua.ApiError); ok {
		obj = ae.Object
	}
	t, ok := obj.(*lua.LTable)
	if !ok || !vm.handled {
		// An error the handler never saw (the call stack was full): Redis's
		// "Error running script" form.
		msg := lua.LVAsString(obj)
		if strings.HasSuffix(msg, "callstack overflow") {
			msg = "stack overflow"
		}
		if run.memory.Load() {
			msg = "Script used too much memory and was stopped by Larder"
		}
		if len(msg) > 100 {
			msg = msg[:100]
		}
		return "ERR Error running script " + run.name + ", " + msg
	}
	msg := lua.LVAsString(t.RawGetString("err"))
	switch {
	case run.memory.Load():
		msg = "ERR Script used too much memory and was stopped by Larder"
	case run.killed.Load():
		// Redis 7.0 says SCRIPT KILL for FUNCTION KILL too.
		msg = "ERR Script killed by user with SCRIPT KILL..."
	}
	src, line := t.RawGetString("source"), t.RawGetString("line")
	if src != lua.LNil && line != lua.LNil {
		msg += " script: " + run.name + ", on " + lua.LVAsString(src) + ":" + lua.LVAsString(line) + "."
	}
	return msg
}

// maxReplyDepth bounds the conversion of nested tables (a table holding
// itself would never end).
const maxReplyDepth = 1000

// reply is luaReplyToRedisReply: the script's return value as a reply.
func (vm *luaVM) reply(r command.Reply, v lua.LValue, depth int) {
	if depth > maxReplyDepth {
		r.Error("ERR reached lua stack limit")
		return
	}
	switch x := v.(type) {
	case lua.LString:
		r.BulkString(string(x))
	case lua.LBool:
		switch {
		case vm.sess.Proto == 3:
			r.Bool(bool(x))
		case bool(x):
			r.Int(1)
		default:
			r.Null()
		}
	case lua.LNumber:
		r.Int(int64(float64(x)))
	case *lua.LTable:
		vm.replyTable(r, x, depth)
	default:
		r.Null()
	}
}

func (vm *luaVM) replyTable(r command.Reply, t *lua.LTable, depth int) {
	if b := vm.box.Backing(t); b != nil {
		t = b
	}
	if s, ok := t.RawGetString("err").(lua.LString); ok {
		r.Error(string(s))
		return
	}
	if s, ok := t.RawGetString("ok").(lua.LString); ok {
		r.Simple(command.Sanitize(string(s)))
		return
	}
	if n, ok := t.RawGetString("double").(lua.LNumber); ok {
		r.Double(float64(n))
		return
	}
	if s, ok := t.RawGetString("big_number").(lua.LString); ok {
		r.BigNumber(command.Sanitize(string(s)))
		return
	}
	if vt, ok := t.RawGetString("verbatim_string").(*lua.LTable); ok {
		f, okf := vt.RawGetString("format").(lua.LString)
		s, oks := vt.RawGetString("string").(lua.LString)
		if okf && oks {
			r.Verbatim(string(f), string(s))
			return
		}
	}
	if m, ok := t.RawGetString("map").(*lua.LTable); ok {
		vm.replyPairs(r, m, depth, true)
		return
	}
	if m, ok := t.RawGetString("set").(*lua.LTable); ok {
		vm.replyPairs(r, m, depth, false)
		return
	}
	n := 0
	for t.RawGetInt(n+1) != lua.LNil {
		n++
	}
	r.Array(n)
	for i := 1; i <= n; i++ {
		vm.reply(r, t.RawGetInt(i), depth+1)
	}
}

// replyPairs writes a {map=...} (keys and values) or {set=...} (keys).
func (vm *luaVM) replyPairs(r command.Reply, m *lua.LTable, depth int, isMap bool) {
	var ks, vs []lua.LValue
	m.ForEach(func(k, v lua.LValue) {
		ks = append(ks, k)
		vs = append(vs, v)
	})
	if isMap {
		r.Map(len(ks))
	} else {
		r.Set(len(ks))
	}
	for i, k := range ks {
		vm.reply(r, k, depth+1)
		if isMap {
			vm.reply(r, vs[i], depth+1)
		}
	}
}

// call is scriptCall: one redis.call from the script, through the gates
// Redis applies to scripts, then the command's handler via the
// dispatcher (command.Dispatcher.RunNested: the locks are already held).
// It returns the reply, or the text of a refusal.
func (run *scriptRun) call(vm *luaVM, argv [][]byte) (command.Value, string) {
	d := vm.d
	if run.killed.Load() || run.memory.Load() {
		vm.box.L.RaiseError("script stopped")
	}
	spec, text := resolveScript(d, argv)
	if spec == nil {
		d.CountRejected(nil, errorText(text))
		return command.Value{}, text
	}
	if text := run.gate(d, vm.sess, spec, argv); text != "" {
		d.CountRejected(spec, errorText(text))
		return command.Value{}, text
	}
	if spec.Flags&command.FlagWrite != 0 {
		run.dirty.Store(true)
	}
	vm.capt.Reset()
	d.RunNested(vm.sess, spec, argv, &vm.capt)
	vals := vm.capt.Values()
	if len(vals) != 1 {
		return command.Value{Kind: command.VNull}, ""
	}
	return vals[0], ""
}

// resolveScript is lookupCommand plus scriptVerifyCommandArity.
func resolveScript(d *command.Dispatcher, argv [][]byte) (*command.Spec, string) {
	spec := d.Table().LookupCommandLine(argv)
	if spec == nil {
		return nil, "Unknown Redis command called from script"
	}
	if (spec.Arity > 0 && len(argv) != spec.Arity) || len(argv) < -spec.Arity || spec.Handler == nil {
		return nil, "Wrong number of args calling Redis command from script"
	}
	return spec, ""
}

// gate applies the script gates in Redis's order, then Larder's lock rules.
func (run *scriptRun) gate(d *command.Dispatcher, s *command.Session, spec *command.Spec, argv [][]byte) string {
	f := spec.Flags
	if f&command.FlagNoScript == 0 && !run.callerRO {
		if text := d.ACLScriptCheck(s, spec, argv); text != "" {
			return text
		}
	}
	name := spec.Name
	if p := spec.Parent(); p != nil {
		name = p.Name
	}
	mayReplicate := f&command.FlagMayReplicate != 0
	switch {
	case f&command.FlagNoScript != 0:
		return "This Redis command is not allowed from script"
	case run.callerRO && !command.ReadOnlyAllowed(spec):
		// What the session could not run itself, the script cannot either
		// (the same NOPERM text, as a script error).
		return "-" + string(command.NoPerm(spec))
	case run.readOnly && (f&command.FlagWrite != 0 || mayReplicate):
		if run.upstash {
			return errUpstashROWrite
		}
		return "Write commands are not allowed from read-only scripts."
	case run.oom && f&command.FlagDenyOOM != 0 && !run.dirty.Load():
		return "-" + string(command.ErrOOM)
	case f&command.FlagWrite != 0 && d.ReplicasShort():
		return "-" + string(command.ErrNoReplicas)
	}
	if f&command.FlagReadsAllDBs != 0 && infoReadsShards(argv) {
		return "Larder cannot run INFO's keyspace section inside a script: it reads every shard, and the script holds some"
	}
	if run.keyLock {
		if f&(command.FlagAllShards|command.FlagCrossDB) != 0 || (f&command.FlagNoLock != 0 && (f&command.FlagWrite != 0 || spec.First != 0)) {
			return "This command is not allowed from a script with the 'allow-key-locking' flag"
		}
		for _, p := range spec.KeyPositions(argv) {
			if !run.mayTouch(argv[p]) {
				return "Dynamic keys are not allowed in Lua scripts when 'allow-key-locking' flag is set. Key was: " + string(argv[p])
			}
		}
		return ""
	}
	if !run.allDBs && f&command.FlagCrossDB != 0 {
		return "Larder runs this script holding only its database's shards: name '" + name + "' literally in the script text to use it"
	}
	return ""
}

// mayTouch reports whether key is one of a key-locked run's KEYS.
func (run *scriptRun) mayTouch(key []byte) bool {
	for _, k := range run.keys {
		if bytes.Equal(k, key) {
			return true
		}
	}
	return false
}

// infoReadsShards reports whether INFO argv asks for a section that takes
// every shard's read lock (keyspace, or a set that includes it): run
// inside a script, which already holds shard locks, it would deadlock.
func infoReadsShards(argv [][]byte) bool {
	if len(argv) == 1 {
		return true
	}
	for _, a := range argv[1:] {
		switch strings.ToLower(string(a)) {
		case "keyspace", "default", "all", "everything": // memory reads running totals
			return true
		}
	}
	return false
}
