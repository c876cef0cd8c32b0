// Package hllcmd is the HyperLogLog family: PFADD, PFCOUNT, PFMERGE and the
// debugging commands PFDEBUG and PFSELFTEST. An HLL is a string value
// holding exactly the bytes Redis 7.0 stores (internal/hll): GET and SET
// carry HLLs between Larder and Redis, and APPEND or SETRANGE corrupt them
// as they do in Redis. It imports the command core, the keyspace and
// internal/hll only.
//
// Writes edit the value in place under the shard's write lock and hand it
// back to the keyspace (UpdateString), which counts the change and its
// memory. PFCOUNT of one key caches the count in the value, so it is a
// write when the cache is stale: its row carries Redis's hidden
// may_replicate flag, which makes the dispatcher lock for writing and
// journal it (as "PFCOUNT key") when it changed data.
//
// Journal: PFADD, PFMERGE and PFDEBUG log themselves. The value depends on
// hll-sparse-max-bytes (when a sparse value turns dense), which may differ
// between a run and a later replay, so replay edits sparse values without
// that limit and each promotion is logged as a PFDEBUG TODENSE after the
// command: the dense registers do not depend on when the promotion happened,
// so the replayed bytes are the logged run's under any setting.
package hllcmd
