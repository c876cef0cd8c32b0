package command

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

// ReplyHelp writes Redis's HELP reply: a header line, the lines, and the
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
