package servercmd

import (
	"runtime/debug"

	"github.com/larder-db/larder/command"
)

// MEMORY USAGE, PURGE, MALLOC-STATS and HELP. DOCTOR and STATS, reports of
// Redis's allocator and its overheads, are not implemented.
func memoryCommands() []*command.Spec {
	return []*command.Spec{
		{Name: "memory", Arity: -2, Flags: command.FlagNoLock, ACL: command.ACLSlow, Subs: []*command.Spec{
			{Name: "memory|usage", Arity: -3, Flags: command.FlagReadOnly, First: 2, Last: 2, Step: 1,
				ACL: command.ACLRead | command.ACLSlow, Handler: cmdMemoryUsage},
			{Name: "memory|purge", Arity: 2, Flags: command.FlagNoLock,
				ACL: command.ACLSlow, Handler: cmdMemoryPurge},
			{Name: "memory|malloc-stats", Arity: 2, Flags: command.FlagNoLock,
				ACL: command.ACLSlow, Handler: cmdMemoryMallocStats},
			{Name: "memory|help", Arity: 2, Flags: command.FlagLoading | command.FlagStale | command.FlagNoLock,
				ACL: command.ACLSlow, Handler: cmdMemoryHelp},
		}},
	}
}

// cmdMemoryUsage: MEMORY USAGE key [SAMPLES count]. Larder keeps every
// value's size up to date, so it measures the whole value whatever SAMPLES
// asks (Redis samples nested elements, 0 meaning all of them). A missing
// key is a null; the lookup touches nothing, as OBJECT's.
func cmdMemoryUsage(c *command.Call) error {
	for j := 3; j < len(c.Args); j++ {
		if !command.Eq(c.Args[j], "samples") || j+1 >= len(c.Args) {
			return command.ErrSyntax
		}
		n, err := command.IntArg(c.Args[j+1])
		if err != nil {
			return err
		}
		if n < 0 {
			return command.ErrSyntax
		}
		j++
	}
	e := c.DB().LookupAt(c.Args[2], c.NowMs(), true)
	if e == nil {
		c.R.Null()
		return nil
	}
	c.R.Int(e.Size())
	return nil
}

// cmdMemoryPurge: MEMORY PURGE returns freed memory to the operating system
// (Go's runtime, as jemalloc's purge in Redis).
func cmdMemoryPurge(c *command.Call) error {
	debug.FreeOSMemory()
	c.R.Simple("OK")
	return nil
}

// cmdMemoryMallocStats: MEMORY MALLOC-STATS. Redis built with an allocator
// other than jemalloc answers this; Larder's is Go's runtime.
func cmdMemoryMallocStats(c *command.Call) error {
	c.R.BulkString("Stats not supported for the current allocator")
	return nil
}

// cmdMemoryHelp: MEMORY HELP
func cmdMemoryHelp(c *command.Call) error {
	command.ReplyHelp(c, "MEMORY", []string{
		"MALLOC-STATS",
		"    Return internal statistics report from the memory allocator.",
		"PURGE",
		"    Attempt to purge dirty pages for reclamation by the allocator.",
		"USAGE <key> [SAMPLES <count>]",
		"    Return memory in bytes used by <key> and its value. Nested values are",
		"    sampled up to <count> times (default: 5, 0 means sample all).",
	})
	return nil
}
