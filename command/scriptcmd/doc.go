// Package scriptcmd is the scripting family: EVAL, EVALSHA, EVAL_RO,
// EVALSHA_RO, FCALL, FCALL_RO, SCRIPT and FUNCTION, the Lua bridge
// (redis.call and friends, reply conversion both ways) over the sandbox in
// internal/luabox, and the registry of running scripts (BUSY, SCRIPT KILL,
// FUNCTION KILL, FUNCTION STATS, the memory watchdog).
//
// Its state — the EVAL cache, the FUNCTION libraries, idle interpreters
// and running scripts — is one dispatcher's command.Extension (NewState),
// which the core consults through hooks only: the BUSY gate (Busy), the
// libraries snapshots keep (SnapshotCommands, as FUNCTION LOAD records)
// and shutdown (Stop). A script's redis.calls run through the dispatcher
// on a nested session under the caller's locks (command.Session.BeginNested,
// Dispatcher.RunNested, Dispatcher.EndNested), their writes journaled as
// one record of effects; FUNCTION LOAD, DELETE, FLUSH and RESTORE are
// journaled as themselves (Call.Dirty), so replay rebuilds the libraries.
package scriptcmd
