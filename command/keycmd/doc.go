// Package keycmd is the generic key family: DEL, EXISTS, TYPE, the expiry
// commands, RENAME, COPY, MOVE, OBJECT, SCAN, KEYS, RANDOMKEY and SORT. It
// imports the command core and the keyspace only.
package keycmd
