// Package servercmd holds the connection commands (PING, AUTH, HELLO,
// SELECT, RESET …), CLIENT, the server commands (DBSIZE, FLUSHDB, FLUSHALL,
// SWAPDB, TIME, CONFIG), introspection (COMMAND with Redis's metadata,
// INFO), persistence (SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE) and ACL. It
// imports the command core and the keyspace only.
package servercmd
