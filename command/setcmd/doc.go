// Package setcmd is the set family: SADD … SSCAN, SPOP, SRANDMEMBER, SMOVE
// and the algebra (SINTER SUNION SDIFF, their STOREs, SINTERCARD). It imports
// the command core and the keyspace only.
package setcmd
