package scriptcmd

import (
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"github.com/larder-db/larder/command"
)

// Params returns scripting's configuration parameters.
func Params() []*command.Param {
	return []*command.Param{
		{Name: "busy-reply-threshold", Alias: "lua-time-limit", Kind: command.KindInt, Default: "5000", Min: 0, Max: 1<<63 - 1,
			Usage: "ms a script may run before other clients get BUSY (and SCRIPT KILL applies)"},
	}
}

// runRegistry knows the scripts running now, for BUSY, SCRIPT KILL,
// FUNCTION KILL, FUNCTION STATS and the memory watchdog.
type runRegistry struct {
	n        atomic.Int32
	busy     atomic.Pointer[scriptRun] // past busy-reply-threshold, set by watch
	watching atomic.Bool               // the memory watchdog goroutine is running
	mu       sync.Mutex
	runs     map[*scriptRun]struct{}
}

func (rr *runRegistry) add(run *scriptRun, cfg *command.Config) {
	run.start = time.Now()
	rr.mu.Lock()
	if rr.runs == nil {
		rr.runs = map[*scriptRun]struct{}{}
	}
	rr.runs[run] = struct{}{}
	rr.mu.Unlock()
	rr.n.Add(1)
	if rr.watching.CompareAndSwap(false, true) {
		go rr.watch(cfg)
	}
}

// remove forgets a finished run. It leaves the registry before it clears
// busy, and markBusy checks membership after it sets busy, so a finished
// run never stays marked.
func (rr *runRegistry) remove(run *scriptRun) {
	rr.mu.Lock()
	delete(rr.runs, run)
	rr.mu.Unlock()
	rr.busy.CompareAndSwap(run, nil)
	rr.n.Add(-1)
}

// oldest returns the script running longest, or nil.
func (rr *runRegistry) oldest() *scriptRun {
	var best *scriptRun
	for run := range rr.runs {
		if best == nil || run.start.Before(best.start) {
			best = run
		}
	}
	return best
}

// Busy is the BUSY gate (command.BusyGate): a script has run past
// busy-reply-threshold, so other clients are told so instead of waiting
// behind its locks (Redis's slowevalerr / slowscripterr). It costs one
// atomic load: the watchdog keeps busy up to date.
func (sc *scripting) Busy() (command.Error, bool) {
	run := sc.runs.busy.Load()
	switch {
	case run == nil:
		return "", false
	case run.eval:
		return errBusyEval, true
	}
	return errBusyFunction, true
}

// markBusy points busy at the longest-running script once it has run past
// the threshold (0 disables BUSY), and returns that script (or nil).
func (rr *runRegistry) markBusy(threshold time.Duration) *scriptRun {
	rr.mu.Lock()
	run := rr.oldest()
	rr.mu.Unlock()
	if run == nil || threshold <= 0 || time.Since(run.start) < threshold {
		rr.busy.Store(nil)
		return run
	}
	rr.busy.Store(run)
	rr.mu.Lock()
	_, running := rr.runs[run]
	rr.mu.Unlock()
	if !running {
		rr.busy.CompareAndSwap(run, nil)
	}
	return run
}

// kill is scriptKill: stop the running script unless it already wrote.
func (rr *runRegistry) kill(c *command.Call, eval bool) error {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	run := rr.oldest()
	switch {
	case run == nil:
		return errNotBusy
	case run.dirty.Load():
		return errUnkillable
	case eval && !run.eval:
		return errBusyFunction
	case !eval && run.eval:
		return errBusyEval
	}
	run.killed.Store(true)
	run.cancel()
	c.R.Simple("OK")
	return nil
}

// scriptHeapCap is how much the heap may grow while scripts run before
// the watchdog stops the longest-running one: gopher-lua has no allocator
// hook, so this is what keeps a memory bomb from taking the server down.
const scriptHeapCap = 64 << 20

// watch samples the heap and the oldest script's age every few
// milliseconds while scripts run, and ends when none does. Heap growth is
// counted from when the current oldest script was first seen, so data
// other clients add while short scripts come and go is not held against a
// script.
func (rr *runRegistry) watch(cfg *command.Config) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heap := func() int64 {
		metrics.Read(sample)
		return int64(sample[0].Value.Uint64())
	}
	for {
		var tracked *scriptRun
		var base int64
		for rr.n.Load() > 0 {
			time.Sleep(2 * time.Millisecond)
			oldest := rr.markBusy(time.Duration(cfg.Int("busy-reply-threshold")) * time.Millisecond)
			if oldest != tracked {
				tracked, base = oldest, heap()
				continue
			}
			if heap()-base > scriptHeapCap && rr.stopHungry() {
				// Give the bomb's memory back to the OS at once: a full
				// collection, but only when a script was stopped.
				for rr.n.Load() > 0 && rr.hungryRunning() {
					time.Sleep(time.Millisecond)
				}
				debug.FreeOSMemory()
				tracked = nil
			}
		}
		rr.busy.Store(nil)
		rr.watching.Store(false)
		if rr.n.Load() == 0 || !rr.watching.CompareAndSwap(false, true) {
			return
		}
	}
}

// stopHungry stops the longest-running script that has run for more than
// a few milliseconds (a short one cannot have built the growth).
func (rr *runRegistry) stopHungry() bool {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	run := rr.oldest()
	if run == nil || time.Since(run.start) < 5*time.Millisecond {
		return false
	}
	run.memory.Store(true)
	run.cancel()
	return true
}

// hungryRunning reports whether a script stopped for memory is still
// unwinding.
func (rr *runRegistry) hungryRunning() bool {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	for run := range rr.runs {
		if run.memory.Load() {
			return true
		}
	}
	return false
}

// Stop stops every running script, killable or not (command.Stopper):
// the server is shutting down (Redis lets SHUTDOWN NOSAVE through a busy
// script too).
func (sc *scripting) Stop() {
	rr := &sc.runs
	rr.mu.Lock()
	defer rr.mu.Unlock()
	for run := range rr.runs {
		run.killed.Store(true)
		run.cancel()
	}
}
