// Package protocol is Larder's RESP front end: a TCP server on
// github.com/tidwall/redcon whose connections are read through Larder's own
// bounded scanner (protocol/resp) before redcon sees a byte, so Redis's
// protocol limits hold (RELIABILITY.md §1.7, §3). Each connection keeps one
// command.Session; commands run through the shared command.Dispatcher and
// their replies are encoded as RESP2 or RESP3 per session. The replies of a
// pipeline are written in order and flushed once.
//
// protocol imports engine/command and protocol/resp; it never imports rest.
package protocol
