// Package zsetcmd is the sorted-set family: ZADD, ranges by rank, score
// and lex, pops (ZMPOP and the blocking BZPOPMIN BZPOPMAX BZMPOP), the
// algebra (ZUNION ZINTER ZDIFF and STOREs) and ZRANDMEMBER. It imports the
// command core and the keyspace only.
package zsetcmd
