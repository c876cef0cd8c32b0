package main

import (
	"math"
	"os"
	"runtime/debug"
)

// gcHeadroom is the fixed part of the Go runtime's memory limit beyond
// maxmemory: the runtime's own structures, goroutine stacks, connection
// buffers and the journal's, which used_memory does not count.
const gcHeadroom = 32 << 20

// applyGCLimit makes the Go runtime's soft memory limit follow maxmemory,
// so that the garbage of evicted and overwritten values is collected before
// the heap grows far past the data: with the default GOGC alone the heap
// reaches about twice the live data between collections, and the RSS with
// it. The limit is maxmemory plus a fifth plus gcHeadroom; 0 (no maxmemory)
// lifts it. A GOMEMLIMIT in the environment is the operator's choice and
// is left alone.
func applyGCLimit(maxmemory int64) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	if maxmemory <= 0 {
		debug.SetMemoryLimit(math.MaxInt64)
		return
	}
	debug.SetMemoryLimit(maxmemory + maxmemory/5 + gcHeadroom)
}
