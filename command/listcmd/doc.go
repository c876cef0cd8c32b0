// Package listcmd is the list family: pushes, pops (LMPOP, and the blocking
// BLPOP BRPOP BLMOVE BLMPOP BRPOPLPUSH), LRANGE, LINSERT, LREM, LPOS, LSET,
// LTRIM. It imports the command core and the keyspace only.
package listcmd
