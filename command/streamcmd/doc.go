// Package streamcmd is the stream family: the stream value type (entries
// ordered by ID, consumer groups with their pending entries) and the X*
// commands. It imports the command core and the keyspace only.
package streamcmd
