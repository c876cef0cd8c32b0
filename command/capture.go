package command

// Value is one node of a captured reply tree. Aggregates hold their
// elements in Elems (a map holds keys and values alternately).
type Value struct {
	Kind  ValueKind
	Str   string  // simple, bulk, error, big number, verbatim text; a double's own text if any
	Int   int64   // integer; for a boolean 1 or 0
	Float float64 // double
	Fmt   string  // verbatim format ("txt")
	Elems []Value
}

// ValueKind is the type of a captured reply node.
type ValueKind uint8

// Captured reply kinds.
const (
	VSimple ValueKind = iota + 1
	VError
	VInt
	VBulk
	VNull
	VNullArray
	VDouble
	VBool
	VBigNumber
	VVerbatim
	VArray
	VMap
	VSet
	VPush
)

// Capture is a Reply that builds a value tree instead of bytes. It serves
// MULTI/EXEC, REST and scripts, which need a reply as data before encoding
// it their own way (DESIGN.md §2).
type Capture struct {
	values []Value
	open   []frame
}

type frame struct {
	kind ValueKind
	want int // elements still expected
	at   int // index in values of the first element
}

// Values returns the complete top-level replies captured so far.
func (c *Capture) Values() []Value { return c.values }

// Reset empties the capture for reuse.
func (c *Capture) Reset() { c.values, c.open = c.values[:0], c.open[:0] }

func (c *Capture) add(v Value) {
	c.values = append(c.values, v)
	c.close()
}

// close counts a finished element against the innermost open aggregate and
// folds the aggregates it completes.
func (c *Capture) close() {
	if len(c.open) == 0 {
		return
	}
	top := &c.open[len(c.open)-1]
	top.want--
	if top.want == 0 {
		c.fold()
	}
}

func (c *Capture) fold() {
	top := c.open[len(c.open)-1]
	c.open = c.open[:len(c.open)-1]
	elems := append([]Value(nil), c.values[top.at:]...)
	c.values = append(c.values[:top.at], Value{Kind: top.kind, Elems: elems})
	if len(c.open) > 0 {
		parent := &c.open[len(c.open)-1]
		parent.want--
		if parent.want == 0 {
			c.fold()
		}
	}
}

func (c *Capture) aggregate(kind ValueKind, n int) {
	if n == 0 {
		c.add(Value{Kind: kind})
		return
	}
	c.open = append(c.open, frame{kind: kind, want: n, at: len(c.values)})
}

// Simple implements Reply.
func (c *Capture) Simple(s string) { c.add(Value{Kind: VSimple, Str: s}) }

// Error implements Reply.
func (c *Capture) Error(msg string) { c.add(Value{Kind: VError, Str: msg}) }

// Int implements Reply.
func (c *Capture) Int(n int64) { c.add(Value{Kind: VInt, Int: n}) }

// Bulk implements Reply.
func (c *Capture) Bulk(b []byte) { c.add(Value{Kind: VBulk, Str: string(b)}) }

// BulkString implements Reply.
func (c *Capture) BulkString(s string) { c.add(Value{Kind: VBulk, Str: s}) }

// Null implements Reply.
func (c *Capture) Null() { c.add(Value{Kind: VNull}) }

// NullArray implements Reply.
func (c *Capture) NullArray() { c.add(Value{Kind: VNullArray}) }

// Double implements Reply.
func (c *Capture) Double(f float64) { c.add(Value{Kind: VDouble, Float: f}) }

// DoubleText implements Reply.
func (c *Capture) DoubleText(f float64, text string) {
	c.add(Value{Kind: VDouble, Float: f, Str: text})
}

// Bool implements Reply.
func (c *Capture) Bool(v bool) {
	var n int64
	if v {
		n = 1
	}
	c.add(Value{Kind: VBool, Int: n})
}

// BigNumber implements Reply.
func (c *Capture) BigNumber(s string) { c.add(Value{Kind: VBigNumber, Str: s}) }

// Verbatim implements Reply.
func (c *Capture) Verbatim(format, text string) {
	c.add(Value{Kind: VVerbatim, Fmt: format, Str: text})
}

// Array implements Reply.
func (c *Capture) Array(n int) { c.aggregate(VArray, n) }

// Map implements Reply.
func (c *Capture) Map(n int) { c.aggregate(VMap, 2*n) }

// Set implements Reply.
func (c *Capture) Set(n int) { c.aggregate(VSet, n) }

// Push implements Reply.
func (c *Capture) Push(n int) { c.aggregate(VPush, n) }

// Replay writes a captured value to another Reply (EXEC's array, a script's
// conversion, a test's RESP encoding).
func (v Value) Replay(r Reply) {
	switch v.Kind {
	case VSimple:
		r.Simple(v.Str)
	case VError:
		r.Error(v.Str)
	case VInt:
		r.Int(v.Int)
	case VBulk:
		r.BulkString(v.Str)
	case VNull:
		r.Null()
	case VNullArray:
		r.NullArray()
	case VDouble:
		if v.Str != "" {
			r.DoubleText(v.Float, v.Str)
		} else {
			r.Double(v.Float)
		}
	case VBool:
		r.Bool(v.Int != 0)
	case VBigNumber:
		r.BigNumber(v.Str)
	case VVerbatim:
		r.Verbatim(v.Fmt, v.Str)
	case VArray, VMap, VSet, VPush:
		replayAggregate(v, r)
	}
}

func replayAggregate(v Value, r Reply) {
	switch v.Kind {
	case VArray:
		r.Array(len(v.Elems))
	case VMap:
		r.Map(len(v.Elems) / 2)
	case VSet:
		r.Set(len(v.Elems))
	case VPush:
		r.Push(len(v.Elems))
	}
	for _, e := range v.Elems {
		e.Replay(r)
	}
}
