// Package command holds Larder's one command table and the dispatcher that
// runs it for every front end (RESP over TCP, REST over HTTP, scripts).
//
// Each family file (string.go, keys.go, connection.go, server.go, …) starts
// with a slice of rows (Spec) followed by its handlers; New joins the slices
// into one immutable Table. Nothing else in Larder lists command names:
// dispatch, arity errors, COMMAND, shard locking, the read-only token and
// journaling all read the table.
//
// The Dispatcher owns every gate (unknown command, arity, auth, …) and the
// shard locks; handlers parse all arguments, act through engine calls under
// the locks already held, and write exactly one complete reply to a semantic
// Reply, which the front end encodes (RESP2, RESP3, JSON).
//
// command imports engine and protocol/resp only; it never imports protocol
// (the server), rest or persist. The Journal interface is declared here and
// satisfied elsewhere.
package command
