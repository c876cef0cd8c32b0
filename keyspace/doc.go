// Package keyspace is Larder's sharded in-memory keyspace: 16 (configurable)
// databases, each split into a power-of-two number of shards chosen by
// xxhash(key). A shard owns its key map, a dense slot array (stable positions
// for SCAN cursors and random sampling), its expiry heap and its lock.
//
// keyspace speaks Go types and domain errors (ErrWrongType, ErrNotInteger, …);
// it knows nothing about RESP, HTTP, commands or disk, imports no Larder
// package, and does not log.
//
// Invariants and caveats:
//   - Callers lock shards (Shard.Lock/RLock) before calling any accessor that
//     takes a key; accessors never lock. Multi-shard callers lock in ascending
//     (db, shard) order, once (see LockSet).
//   - Expiry is an absolute unix-millisecond time. An expired entry is never
//     returned by Lookup; it is physically removed by a write to the key or by
//     ReclaimExpired (the active cycle driven by the command layer).
//   - Time comes from Options.Now so tests can move it.
//   - Memory accounting is approximate (key + value bytes + fixed overhead).
package keyspace
