// Package command is the core of Larder's command layer: the row type (Spec)
// and the one immutable Table joined from every family's rows, the
// Dispatcher and its gates, Session, the handler API (Call: arguments,
// locked keyspace, reply, notify, journal, clock), the capturing Reply,
// Redis's error texts, argument parsing, MULTI/WATCH, blocking waits, the
// pub/sub registry and keyspace events, MONITOR's feed, configuration,
// effect records, replay and the snapshot driver, and the hooks through
// which it consults families' state beside the keyspace (Extension: the
// BUSY gate, snapshot state, shutdown) and runs commands nested in another
// (NewNestedSession: a script's redis.call).
//
// The commands themselves live in family packages beside it (stringcmd,
// keycmd, hashcmd, listcmd, setcmd, zsetcmd, hllcmd, pubsubcmd, servercmd,
// scriptcmd), each with its rows and handlers, and with the rows of the
// value types it defines (Type: kind, snapshot hook); package families
// joins them (families.All, families.Types, families.Extensions,
// families.Params) and is the only list of families. The core knows a
// value's type through its Type row, never by a switch on kinds, and owns
// MULTI/EXEC/DISCARD/WATCH/UNWATCH (CoreCommands).
//
// The Dispatcher owns every gate (unknown command, arity, auth, read-only,
// loading, OOM, MULTI queueing) and the shard locks; handlers parse all
// arguments, act through keyspace calls under the locks already held, and
// write exactly one complete reply to a semantic Reply, which the front end
// encodes (RESP2, RESP3, JSON).
//
// Whether a command changed data is not remembered by handlers: the
// keyspace counts every mutation in its shards' change counters, and the
// dispatcher compares them around each command (Call.changes) to journal the
// command, invalidate WATCH, wake blocked clients and grow the sync token.
// Call.Dirty remains for state the keyspace does not hold (FUNCTION
// libraries) and for commands that lock outside the dispatcher (SWAPDB,
// FLUSHALL, MOVE, COPY … DB).
//
// command imports keyspace, protocol/resp and internal/ only; it never
// imports a family, protocol (the server), rest or persist. The Journal
// interface is declared here and satisfied by persist.Log elsewhere.
package command
