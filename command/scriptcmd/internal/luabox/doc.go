// Package luabox builds the Lua 5.1 interpreter scripts run in: gopher-lua
// with Redis's sandbox (base, table, string, math, coroutine, cjson, bit,
// struct and cmsgpack only; no io, os, package, debug, dofile, loadfile or
// print), read-only globals and libraries, and Redis's error texts for the
// sandbox ("Script attempted to access nonexistent global variable ...",
// "Attempt to modify a readonly table").
//
// The library knows nothing of commands: the caller installs the redis
// table (redis.call and friends) through Options.API before the globals are
// locked. A Box is used by one goroutine at a time; scripts never share
// state through it because every table they can reach is read-only.
//
// Caveats: gopher-lua has no allocator hook, so memory bombs are bounded
// by caps in the string functions here and by the caller's watchdog, not
// by the interpreter. pairs/next over a protected table see its contents,
// but rawequal(_G, real globals) is not observable either way.
//
// luabox imports only gopher-lua and the standard library.
package luabox
