// Package stringcmd is the string family: GET, SET and its variants, the
// counters (INCR … INCRBYFLOAT), ranges (GETRANGE, SETRANGE, APPEND), MGET,
// MSET and LCS. It imports the command core and the keyspace only.
package stringcmd
