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
//     (db, shard) order, once (the command layer's Call.LockOrdinals).
//   - Expiry is an absolute unix-millisecond time. An expired entry is never
//     returned by Lookup; it is physically removed by a write to the key or by
//     ReclaimExpired (the active cycle driven by the command layer).
//   - Time comes from Options.Now so tests can move it.
//   - Every mutation through this API counts itself in its shard's change
//     counter (Shard.Changes) and its memory (Shard.Used); callers never
//     report changes. That includes the mutating methods of a List, Hash,
//     Set or ZSet reached through Entry.Obj, and of any other Object: a
//     stored value is owned by its entry and re-accounts itself. A call
//     that changes nothing (adding a present member, deleting a missing
//     field, …) counts nothing; an overwrite counts even with an equal
//     value, as Redis counts SET, HSET, LSET and EXPIREAT. Reads and access-clock updates never count, nor
//     does the removal of an expired key (LookupWrite, Delete,
//     ReclaimExpired): the command layer journals expirations itself.
//   - Memory accounting is approximate (key + value bytes + fixed overhead)
//     but kept exactly in step with that estimate, in O(1) per mutation.
//     Each database also keeps running totals of its shards' bytes and keys
//     with an expiry (DB.Used, DB.VolatileKeys, Store.Used), read without
//     locks: the maxmemory test and eviction's choice of databases.
//   - Value types are open: a package outside the keyspace defines one by
//     implementing Object and registering its Kind (NewKind); the built-in
//     kinds are constants, so the command layer's type checks stay a byte
//     compare.
//   - A value lives under one key at a time (COPY stores a Clone). Bytes
//     from Entry.Str must not be modified, except to build the next value
//     for an immediate UpdateString.
package keyspace
