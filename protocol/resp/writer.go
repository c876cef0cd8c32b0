package resp

// Writer encodes replies into Buf. Its methods are Larder's command.Reply,
// so a handler's reply is written as RESP with no value in between. The
// version of each write is *Proto at that moment (a session's protocol, so
// a HELLO 3 is answered in RESP3); a nil Proto writes RESP2.
type Writer struct {
	Buf   []byte
	Proto *int
}

func (w *Writer) proto() int {
	if w.Proto == nil {
		return RESP2
	}
	return *w.Proto
}

// Simple writes a simple string.
func (w *Writer) Simple(s string) { w.Buf = AppendSimple(w.Buf, s) }

// Error writes an error line.
func (w *Writer) Error(msg string) { w.Buf = AppendError(w.Buf, msg) }

// Int writes an integer.
func (w *Writer) Int(n int64) { w.Buf = AppendInt(w.Buf, n) }

// Bulk writes a bulk string.
func (w *Writer) Bulk(b []byte) { w.Buf = AppendBulk(w.Buf, b) }

// BulkString writes a bulk string.
func (w *Writer) BulkString(s string) { w.Buf = AppendBulkString(w.Buf, s) }

// Null writes a missing bulk string.
func (w *Writer) Null() { w.Buf = AppendNull(w.Buf, w.proto()) }

// NullArray writes a missing array.
func (w *Writer) NullArray() { w.Buf = AppendNullArray(w.Buf, w.proto()) }

// Double writes a double (a bulk string in RESP2).
func (w *Writer) Double(f float64) { w.Buf = AppendDouble(w.Buf, f, w.proto()) }

// DoubleText writes a double whose text is already formatted (a geo
// distance or coordinate): a bulk string in RESP2, a RESP3 double.
func (w *Writer) DoubleText(_ float64, text string) {
	w.Buf = AppendDoubleText(w.Buf, text, w.proto())
}

// Bool writes a boolean (an integer in RESP2).
func (w *Writer) Bool(v bool) { w.Buf = AppendBool(w.Buf, v, w.proto()) }

// BigNumber writes a big number (a bulk string in RESP2).
func (w *Writer) BigNumber(s string) { w.Buf = AppendBigNumber(w.Buf, s, w.proto()) }

// Verbatim writes a verbatim string (a bulk string in RESP2).
func (w *Writer) Verbatim(format, text string) {
	w.Buf = AppendVerbatim(w.Buf, format, text, w.proto())
}

// Array writes an array header of n elements.
func (w *Writer) Array(n int) { w.Buf = AppendArray(w.Buf, n) }

// Map writes a map header of n key/value pairs.
func (w *Writer) Map(n int) { w.Buf = AppendMap(w.Buf, n, w.proto()) }

// Set writes a set header of n elements.
func (w *Writer) Set(n int) { w.Buf = AppendSet(w.Buf, n, w.proto()) }

// Push writes a push header of n elements.
func (w *Writer) Push(n int) { w.Buf = AppendPush(w.Buf, n, w.proto()) }
