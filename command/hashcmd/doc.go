// Package hashcmd is the hash family: HSET … HSCAN, HRANDFIELD, and the
// field-expiry commands (HEXPIRE … HPERSIST, HGETEX, HSETEX, HGETDEL). It
// imports the command core and the keyspace only.
package hashcmd
