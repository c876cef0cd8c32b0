package command

import (
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// runRegistry knows the scripts running now, for BUSY, SCRIPT KILL,
// FUNCTION KILL, FUNCTION STATS and the memory watchdog.
type runRegistry struct {
	n        atomic.Int32
	watching atomic.Bool // the memory watchdog goroutine is running
	mu       sync.Mutex
	runs     map[*scriptRun]struct{}
}

func (rr *runRegistry) add(run *scriptRun) {
	run.start = time.Now()
	rr.mu.Lock()
	if rr.runs == nil {
		rr.runs = map[*scriptRun]struct{}{}
	}
	rr.runs[run] = struct{}{}
	rr.mu.Unlock()
	rr.n.Add(1)
	if rr.watching.CompareAndSwap(false, true) {
		go rr.watch()
	}
}

func (rr *runRegistry) remove(run *scriptRun) {
	rr.mu.Lock()
	delete(rr.runs, run)
	rr.mu.Unlock()
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

// busy is the BUSY gate: a script has run past busy-reply-threshold, so
// other clients are told so instead of waiting behind its locks (Redis's
// slowevalerr / slowscripterr).
func (d *Dispatcher) scriptBusy() (Error, bool) {
	rr := &d.lua.runs
	if rr.n.Load() == 0 {
		return "", false
	}
	limit := time.Duration(d.cfg.Int("busy-reply-threshold")) * time.Millisecond
	if limit <= 0 {
		return "", false
	}
	rr.mu.Lock()
	run := rr.oldest()
	rr.mu.Unlock()
	if run == nil || time.Since(run.start) < limit {
		return "", false
	}
	if run.eval {
		return errBusyEval, true
	}
	return errBusyFunction, true
}

// kill is scriptKill: stop the running script unless it already wrote.
func (rr *runRegistry) kill(c *Call, eval bool) error {
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

// watch samples the heap every few milliseconds while scripts run, and
// ends when none does.
func (rr *runRegistry) watch() {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heap := func() int64 {
		metrics.Read(sample)
		return int64(sample[0].Value.Uint64())
	}
	for {
		base := heap()
		for rr.n.Load() > 0 {
			time.Sleep(2 * time.Millisecond)
			if heap()-base > scriptHeapCap && rr.stopHungry() {
				// Give the bomb's memory back to the OS at once: a full
				// collection, but only when a script was stopped.
				for rr.n.Load() > 0 && rr.hungryRunning() {
					time.Sleep(time.Millisecond)
				}
				debug.FreeOSMemory()
				base = heap()
			}
		}
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
