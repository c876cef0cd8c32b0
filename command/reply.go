package command

import "github.com/larder-db/larder/protocol/resp"

// Reply is what handlers write to. A handler writes exactly one complete
// reply: a scalar, or an aggregate header followed by its elements. The
// front end decides the wire encoding; handlers never ask which is in use.
// A Reply is used by one goroutine at a time.
type Reply interface {
	Simple(s string)
	Error(msg string)
	Int(n int64)
	Bulk(b []byte)
	BulkString(s string)
	Null()      // a missing bulk string
	NullArray() // a missing array
	Double(f float64)
	// DoubleText is a double Redis writes as text it formatted itself
	// (addReplyHumanLongDouble): a bulk string in RESP2, a double in RESP3.
	DoubleText(f float64, text string)
	Bool(v bool)
	BigNumber(s string)
	Verbatim(format, text string)
	Array(n int)
	Map(n int) // n key/value pairs follow
	Set(n int)
	Push(n int)
}

// RESPWriter encodes replies as RESP into Buf, in the protocol version of its
// session at the moment of each write (so HELLO 3 answers in RESP3).
type RESPWriter struct {
	Buf []byte
	S   *Session
}

func (w *RESPWriter) proto() int { return w.S.Proto }

// Simple implements Reply.
func (w *RESPWriter) Simple(s string) { w.Buf = resp.AppendSimple(w.Buf, s) }

// Error implements Reply.
func (w *RESPWriter) Error(msg string) { w.Buf = resp.AppendError(w.Buf, msg) }

// Int implements Reply.
func (w *RESPWriter) Int(n int64) { w.Buf = resp.AppendInt(w.Buf, n) }

// Bulk implements Reply.
func (w *RESPWriter) Bulk(b []byte) { w.Buf = resp.AppendBulk(w.Buf, b) }

// BulkString implements Reply.
func (w *RESPWriter) BulkString(s string) { w.Buf = resp.AppendBulkString(w.Buf, s) }

// Null implements Reply.
func (w *RESPWriter) Null() { w.Buf = resp.AppendNull(w.Buf, w.proto()) }

// NullArray implements Reply.
func (w *RESPWriter) NullArray() { w.Buf = resp.AppendNullArray(w.Buf, w.proto()) }

// Double implements Reply.
func (w *RESPWriter) Double(f float64) { w.Buf = resp.AppendDouble(w.Buf, f, w.proto()) }

// DoubleText implements Reply.
func (w *RESPWriter) DoubleText(_ float64, text string) {
	w.Buf = resp.AppendDoubleText(w.Buf, text, w.proto())
}

// Bool implements Reply.
func (w *RESPWriter) Bool(v bool) { w.Buf = resp.AppendBool(w.Buf, v, w.proto()) }

// BigNumber implements Reply.
func (w *RESPWriter) BigNumber(s string) { w.Buf = resp.AppendBigNumber(w.Buf, s, w.proto()) }

// Verbatim implements Reply.
func (w *RESPWriter) Verbatim(format, text string) {
	w.Buf = resp.AppendVerbatim(w.Buf, format, text, w.proto())
}

// Array implements Reply.
func (w *RESPWriter) Array(n int) { w.Buf = resp.AppendArray(w.Buf, n) }

// Map implements Reply.
func (w *RESPWriter) Map(n int) { w.Buf = resp.AppendMap(w.Buf, n, w.proto()) }

// Set implements Reply.
func (w *RESPWriter) Set(n int) { w.Buf = resp.AppendSet(w.Buf, n, w.proto()) }

// Push implements Reply.
func (w *RESPWriter) Push(n int) { w.Buf = resp.AppendPush(w.Buf, n, w.proto()) }

// replyHelp writes Redis's HELP reply: a header line, the lines, and the
// trailing HELP line.
func ReplyHelp(c *Call, cmd string, lines []string) {
	c.R.Array(len(lines) + 3)
	c.R.Simple(cmd + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		c.R.Simple(l)
	}
	c.R.Simple("HELP")
	c.R.Simple("    Prints this help.")
}
