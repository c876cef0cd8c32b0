package scriptcmd

import (
	"sort"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/internal/glob"
)

// cmdFunctionList: FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]
func cmdFunctionList(c *command.Call) error {
	withCode, pattern, havePattern := false, []byte(nil), false
	for i := 2; i < len(c.Args); i++ {
		switch {
		case command.Eq(c.Args[i], "withcode"):
			if withCode {
				return command.Error("ERR Unknown argument " + string(c.Args[i]))
			}
			withCode = true
		case command.Eq(c.Args[i], "libraryname") && !havePattern: // a second one is unknown, as in Redis
			if i+1 >= len(c.Args) {
				return command.Error("ERR library name argument was not given")
			}
			pattern, havePattern = c.Args[i+1], true
			i++
		default:
			return command.Error("ERR Unknown argument " + string(c.Args[i]))
		}
	}
	fl := &state(c).libs
	fl.mu.RLock()
	libs := sortedLibs(fl.libs)
	fl.mu.RUnlock()
	var shown []*functionLibrary
	for _, l := range libs {
		if !havePattern || glob.Match(pattern, []byte(l.name), false) {
			shown = append(shown, l)
		}
	}
	c.R.Array(len(shown))
	for _, l := range shown {
		replyLibrary(c.R, l, withCode)
	}
	return nil
}

func replyLibrary(r command.Reply, l *functionLibrary, withCode bool) {
	if withCode {
		r.Map(4)
	} else {
		r.Map(3)
	}
	r.BulkString("library_name")
	r.BulkString(l.name)
	r.BulkString("engine")
	r.BulkString("LUA")
	r.BulkString("functions")
	names := make([]string, 0, len(l.fns))
	for n := range l.fns {
		names = append(names, n)
	}
	sort.Strings(names)
	r.Array(len(names))
	for _, n := range names {
		f := l.fns[n]
		r.Map(3)
		r.BulkString("name")
		r.BulkString(f.name)
		r.BulkString("description")
		if f.hasD {
			r.BulkString(f.desc)
		} else {
			r.Null()
		}
		r.BulkString("flags")
		var flags []string
		for _, sf := range scriptFlagNames {
			if f.flags&sf.flag != 0 {
				flags = append(flags, sf.name)
			}
		}
		r.Set(len(flags))
		for _, s := range flags {
			r.Simple(s)
		}
	}
	if withCode {
		r.BulkString("library_code")
		r.BulkString(l.code)
	}
}

// cmdFunctionStats: FUNCTION STATS
func cmdFunctionStats(c *command.Call) error {
	r := c.R
	r.Map(2)
	r.BulkString("running_script")
	sc := state(c)
	rr := &sc.runs
	rr.mu.Lock()
	var run *scriptRun
	for x := range rr.runs {
		if !x.eval && (run == nil || x.start.Before(run.start)) {
			run = x
		}
	}
	var name string
	var argv []string
	var ms int64
	if run != nil {
		name, argv, ms = run.name, run.argv, time.Since(run.start).Milliseconds()
	}
	rr.mu.Unlock()
	if run == nil {
		r.Null()
	} else {
		r.Map(3)
		r.BulkString("name")
		r.BulkString(name)
		r.BulkString("command")
		r.Array(len(argv))
		for _, a := range argv {
			r.BulkString(a)
		}
		r.BulkString("duration_ms")
		r.Int(ms)
	}
	fl := &sc.libs
	fl.mu.RLock()
	nlibs, nfns := len(fl.libs), 0
	for _, l := range fl.libs {
		nfns += len(l.fns)
	}
	fl.mu.RUnlock()
	r.BulkString("engines")
	r.Map(1)
	r.BulkString("LUA")
	r.Map(2)
	r.BulkString("libraries_count")
	r.Int(int64(nlibs))
	r.BulkString("functions_count")
	r.Int(int64(nfns))
	return nil
}

// cmdFunctionHelp: FUNCTION HELP
func cmdFunctionHelp(c *command.Call) error {
	command.ReplyHelp(c, "FUNCTION", []string{
		"LOAD [REPLACE] <FUNCTION CODE>",
		"    Create a new library with the given library name and code.",
		"DELETE <LIBRARY NAME>",
		"    Delete the given library.",
		"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
		"    Return general information on all the libraries:",
		"    * Library name",
		"    * The engine used to run the Library",
		"    * Library description",
		"    * Functions list",
		"    * Library code (if WITHCODE is given)",
		"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
		"STATS",
		"    Return information about the current function running:",
		"    * Function name",
		"    * Command used to run the function",
		"    * Duration in MS that the function is running",
		"    If no function is running, return nil",
		"    In addition, returns a list of available engines.",
		"KILL",
		"    Kill the current running function.",
		"FLUSH [ASYNC|SYNC]",
		"    Delete all the libraries.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the libraries.",
		"    * SYNC: Synchronously flush the libraries.",
		"DUMP",
		"    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
		"RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
		"    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
		"    control how to handle existing libraries (default APPEND):",
		"    * FLUSH: delete all existing libraries.",
		"    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
		"    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
		"      libraries with the new libraries (notice that even on this option there is a chance of failure",
		"      in case of functions name collision with another library).",
	})
	return nil
}
