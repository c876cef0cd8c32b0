package resp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Reply type bytes: the first byte of every RESP2/RESP3 frame.
const (
	TypeSimple    = '+'
	TypeError     = '-'
	TypeInt       = ':'
	TypeBulk      = '$'
	TypeArray     = '*'
	TypeNull      = '_'
	TypeDouble    = ','
	TypeBool      = '#'
	TypeBigNumber = '('
	TypeBlobError = '!'
	TypeVerbatim  = '='
	TypeMap       = '%'
	TypeSet       = '~'
	TypePush      = '>'
	TypeAttr      = '|'
)

// Errors returned by ReadReply besides io.EOF (clean end of stream before the
// first byte of a reply) and io.ErrUnexpectedEOF (stream ended mid-reply).
var (
	// ErrMalformedReply wraps every syntax error: unknown type byte, a line
	// not ended by \r\n, a non-canonical number, a bad boolean, and so on.
	ErrMalformedReply = errors.New("resp: malformed reply")
	// ErrReplyLimit wraps a length, count or depth beyond ReplyLimits.
	ErrReplyLimit = errors.New("resp: reply exceeds limit")
)

// Value is one parsed reply. Which fields are set depends on Type:
//
//	'+' '-'        Str: the line after the type byte
//	':'            Int
//	'$' '!'        Str: the payload; '$' with Null set is the RESP2 null $-1
//	'='            Format: the 3-byte format ("txt"), Str: the text after "fmt:"
//	','            Str: the double exactly as sent, Float: its value
//	'#'            Int: 1 for #t, 0 for #f
//	'('            Str: the digits as sent
//	'_'            Null
//	'*' '~' '>'    Elems; '*' with Null set is the RESP2 null array *-1
//	'%'            Elems: keys and values alternating (len(Elems) is 2n)
//
// Attributes ('|' frames) are not values of their own: their key/value pairs
// are attached, alternating, to Attrs of the value that follows them.
type Value struct {
	Type   byte
	Null   bool
	Str    string
	Format string
	Int    int64
	Float  float64
	Elems  []Value
	Attrs  []Value
}

// ReplyLimits bound what ReadReply accepts, so that a hostile or corrupt
// stream (or a fuzzer) cannot make it allocate in proportion to a length it
// has only been told about, or recurse without end.
type ReplyLimits struct {
	MaxBulkLen int64 // longest payload of '$', '!' and '=' frames
	MaxLineLen int   // longest line: simple strings, errors, numbers, headers
	MaxElems   int64 // largest count in one aggregate header ('%' and '|' count pairs)
	MaxDepth   int   // deepest nesting of aggregates and attributes
}

// DefaultReplyLimits match Redis 7.0's own ceilings where it has them
// (proto-max-bulk-len is 512 MB, multibulk counts fit an int) and are far
// beyond any reply Redis or Larder produce.
var DefaultReplyLimits = ReplyLimits{
	MaxBulkLen: 512 << 20,
	MaxLineLen: 64 << 20,
	MaxElems:   math.MaxInt32,
	MaxDepth:   512,
}

// ReadReply reads exactly one complete reply (including any attributes that
// precede it) from r with DefaultReplyLimits. It returns the bytes consumed,
// byte for byte as they came, and the parsed value. The parser is strict: it
// accepts only what a correct server writes (\r\n line ends, canonical
// integers), so it doubles as a well-formedness check.
//
// On error, raw holds what was consumed before the error and the stream is
// no longer aligned on a reply boundary.
func ReadReply(r *bufio.Reader) (raw []byte, v Value, err error) {
	return DefaultReplyLimits.ReadReply(r)
}

// ReadReply is the package-level ReadReply with the limits in lim.
func (lim ReplyLimits) ReadReply(r *bufio.Reader) (raw []byte, v Value, err error) {
	rr := replyReader{r: r, lim: lim}
	v, err = rr.value(0)
	return rr.raw, v, err
}

// replyReader appends everything it consumes to raw; the parsed pieces are
// taken from raw, so what was read and what was parsed cannot diverge.
type replyReader struct {
	r   *bufio.Reader
	lim ReplyLimits
	raw []byte
}

// value reads one value and the attribute frames before it. Attributes are
// looped over, not recursed into, so a long chain of them costs no stack.
func (rr *replyReader) value(depth int) (Value, error) {
	if depth > rr.lim.MaxDepth {
		return Value{}, fmt.Errorf("%w: nesting deeper than %d", ErrReplyLimit, rr.lim.MaxDepth)
	}
	var attrs []Value
	for {
		v, err := rr.frame(depth)
		if err != nil || v.Type != TypeAttr {
			v.Attrs = attrs
			return v, err
		}
		attrs = append(attrs, v.Elems...)
	}
}

// frame reads one frame; for '|' it returns the attribute pairs in Elems and
// leaves the value they annotate to the caller.
func (rr *replyReader) frame(depth int) (Value, error) {
	ln, err := rr.line()
	if err != nil {
		return Value{}, err
	}
	if len(ln) == 0 {
		return Value{}, fmt.Errorf("%w: empty line", ErrMalformedReply)
	}
	typ, body := ln[0], string(ln[1:])
	switch typ {
	case TypeSimple, TypeError:
		return Value{Type: typ, Str: body}, nil
	case TypeInt, TypeNull, TypeDouble, TypeBool, TypeBigNumber:
		return scalar(typ, body)
	case TypeBulk, TypeBlobError, TypeVerbatim:
		return rr.blob(typ, body)
	case TypeArray, TypeSet, TypePush, TypeMap, TypeAttr:
		return rr.aggregate(typ, body, depth)
	}
	return Value{}, fmt.Errorf("%w: unknown type byte %q", ErrMalformedReply, typ)
}

// scalar parses the one-line types whose body needs checking.
func scalar(typ byte, body string) (Value, error) {
	v := Value{Type: typ}
	ok := true
	switch typ {
	case TypeInt:
		v.Int, ok = parseInt(body)
	case TypeNull:
		v.Null, ok = true, body == ""
	case TypeDouble:
		v.Str = body
		v.Float, ok = parseDouble(body)
	case TypeBool:
		ok = body == "t" || body == "f"
		if body == "t" {
			v.Int = 1
		}
	case TypeBigNumber:
		v.Str = body
		ok = isBigNumber(body)
	}
	if !ok {
		return Value{}, fmt.Errorf("%w: bad %q frame body %q", ErrMalformedReply, typ, body)
	}
	return v, nil
}

// blob reads the payload of a length-prefixed frame.
func (rr *replyReader) blob(typ byte, body string) (Value, error) {
	n, ok := parseInt(body)
	switch {
	case !ok || n < -1 || (n == -1 && typ != TypeBulk):
		return Value{}, fmt.Errorf("%w: bad %q length %q", ErrMalformedReply, typ, body)
	case n == -1:
		return Value{Type: typ, Null: true}, nil
	case n > rr.lim.MaxBulkLen:
		return Value{}, fmt.Errorf("%w: %q length %d over %d", ErrReplyLimit, typ, n, rr.lim.MaxBulkLen)
	}
	payload, err := rr.payload(n)
	if err != nil {
		return Value{}, err
	}
	if typ != TypeVerbatim {
		return Value{Type: typ, Str: payload}, nil
	}
	if len(payload) < 4 || payload[3] != ':' {
		return Value{}, fmt.Errorf("%w: verbatim string without a format prefix", ErrMalformedReply)
	}
	return Value{Type: typ, Format: payload[:3], Str: payload[4:]}, nil
}

// aggregate reads the elements of an array, set, push, map or attribute.
func (rr *replyReader) aggregate(typ byte, body string, depth int) (Value, error) {
	n, ok := parseInt(body)
	switch {
	case !ok || n < -1 || (n == -1 && typ != TypeArray):
		return Value{}, fmt.Errorf("%w: bad %q count %q", ErrMalformedReply, typ, body)
	case n == -1:
		return Value{Type: typ, Null: true}, nil
	case n > rr.lim.MaxElems:
		return Value{}, fmt.Errorf("%w: %q count %d over %d", ErrReplyLimit, typ, n, rr.lim.MaxElems)
	}
	if typ == TypeMap || typ == TypeAttr {
		n *= 2
	}
	// Never trust the count for the allocation: it grows as elements arrive.
	elems := make([]Value, 0, min(n, 64))
	for i := int64(0); i < n; i++ {
		e, err := rr.value(depth + 1)
		if err != nil {
			return Value{}, err
		}
		elems = append(elems, e)
	}
	return Value{Type: typ, Elems: elems}, nil
}

// line consumes one line through \r\n and returns it without the \r\n. The
// result aliases rr.raw and is only valid until the next read.
func (rr *replyReader) line() ([]byte, error) {
	start := len(rr.raw)
	for {
		chunk, err := rr.r.ReadSlice('\n')
		rr.raw = append(rr.raw, chunk...)
		if len(rr.raw)-start > rr.lim.MaxLineLen+2 {
			return nil, fmt.Errorf("%w: line longer than %d", ErrReplyLimit, rr.lim.MaxLineLen)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			return nil, eofError(err, len(rr.raw) == 0)
		}
		break
	}
	ln := rr.raw[start:]
	if len(ln) < 2 || ln[len(ln)-2] != '\r' {
		return nil, fmt.Errorf("%w: line not ended by \\r\\n", ErrMalformedReply)
	}
	ln = ln[:len(ln)-2]
	for _, c := range ln {
		if c == '\r' {
			return nil, fmt.Errorf("%w: \\r inside a line", ErrMalformedReply)
		}
	}
	return ln, nil
}

// payload consumes n bytes plus \r\n. It reads in bounded chunks so memory
// grows with the bytes that actually arrive, not with the announced length.
func (rr *replyReader) payload(n int64) (string, error) {
	const chunk = 64 << 10
	start := len(rr.raw)
	for need := n + 2; need > 0; {
		k := int(min(need, chunk))
		if cap(rr.raw)-len(rr.raw) < k {
			grown := make([]byte, len(rr.raw), 2*cap(rr.raw)+k)
			copy(grown, rr.raw)
			rr.raw = grown
		}
		m, err := io.ReadFull(rr.r, rr.raw[len(rr.raw):len(rr.raw)+k])
		rr.raw = rr.raw[:len(rr.raw)+m]
		if err != nil {
			return "", eofError(err, false)
		}
		need -= int64(k)
	}
	end := len(rr.raw)
	if rr.raw[end-2] != '\r' || rr.raw[end-1] != '\n' {
		return "", fmt.Errorf("%w: payload of length %d not followed by \\r\\n", ErrMalformedReply, n)
	}
	return string(rr.raw[start : end-2]), nil
}

// eofError maps the end of the stream: clean before a reply starts,
// unexpected inside one. Other I/O errors pass through.
func eofError(err error, atStart bool) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		if atStart {
			return io.EOF
		}
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseInt accepts only canonical decimal integers as Redis writes them: an
// optional '-', no '+', no leading zeros, no "-0", and within int64.
func parseInt(s string) (int64, bool) {
	digits := s
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || (digits[0] == '0' && len(s) > 1) {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// parseDouble accepts RESP3's double grammar: inf, -inf, nan, or
// [+-]digits[.digits][(e|E)[+-]digits]. A value out of float64's range is
// well-formed and parses to ±Inf or 0.
func parseDouble(s string) (float64, bool) {
	switch s {
	case "inf":
		return math.Inf(1), true
	case "-inf":
		return math.Inf(-1), true
	case "nan":
		return math.NaN(), true
	}
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	i, ok := digitsAt(s, i)
	if !ok {
		return 0, false
	}
	if i < len(s) && s[i] == '.' {
		if i, ok = digitsAt(s, i+1); !ok {
			return 0, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i, ok = digitsAt(s, i); !ok {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	var numErr *strconv.NumError
	if err != nil && !(errors.As(err, &numErr) && errors.Is(numErr.Err, strconv.ErrRange)) {
		return 0, false
	}
	return f, true
}

// digitsAt skips one or more decimal digits starting at i.
func digitsAt(s string, i int) (int, bool) {
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return j, j > i
}

// isBigNumber reports whether s is an optional '-' followed by digits.
func isBigNumber(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	j, ok := digitsAt(s, 0)
	return ok && j == len(s)
}

// String renders v the way redis-cli does, for test failure messages:
// bulk strings quoted, "(integer) 1", "(error) ERR …", numbered nested
// elements. The three nulls are told apart: (nil) for $-1, (nil array) for
// *-1, (null) for RESP3's _.
func (v Value) String() string {
	return strings.Join(v.lines(), "\n")
}

func (v Value) lines() []string {
	body := v.bodyLines()
	if len(v.Attrs) == 0 {
		return body
	}
	attrs := Value{Type: TypeMap, Elems: v.Attrs}.bodyLines()
	return append(prefixLines("(attributes) ", attrs), body...)
}

func (v Value) bodyLines() []string {
	var s string
	switch {
	case v.Null && v.Type == TypeArray:
		s = "(nil array)"
	case v.Null && v.Type == TypeNull:
		s = "(null)"
	case v.Null:
		s = "(nil)"
	case v.Type == TypeSimple:
		s = v.Str
	case v.Type == TypeError:
		s = "(error) " + v.Str
	case v.Type == TypeBlobError:
		s = "(blob error) " + strconv.Quote(v.Str)
	case v.Type == TypeInt:
		s = "(integer) " + strconv.FormatInt(v.Int, 10)
	case v.Type == TypeBulk:
		s = strconv.Quote(v.Str)
	case v.Type == TypeVerbatim:
		s = "(verbatim " + v.Format + ") " + strconv.Quote(v.Str)
	case v.Type == TypeDouble:
		s = "(double) " + v.Str
	case v.Type == TypeBool && v.Int != 0:
		s = "(true)"
	case v.Type == TypeBool:
		s = "(false)"
	case v.Type == TypeBigNumber:
		s = "(big number) " + v.Str
	default:
		return v.aggregateLines()
	}
	return []string{s}
}

func (v Value) aggregateLines() []string {
	names := map[byte]string{TypeArray: "array", TypeSet: "set", TypeMap: "map", TypePush: "push", TypeAttr: "attributes"}
	if len(v.Elems) == 0 {
		return []string{"(empty " + names[v.Type] + ")"}
	}
	mark, step := ")", 1
	switch v.Type {
	case TypeSet:
		mark = "~"
	case TypeMap, TypeAttr:
		mark, step = "#", 2
	}
	width := len(strconv.Itoa(len(v.Elems) / step))
	var out []string
	for i := 0; i+step <= len(v.Elems); i += step {
		p := fmt.Sprintf("%*d%s ", width, i/step+1, mark)
		item := v.Elems[i].lines()
		if step == 2 {
			key := strings.Join(item, " ")
			item = prefixLines(key+" => ", v.Elems[i+1].lines())
		}
		out = append(out, prefixLines(p, item)...)
	}
	if v.Type == TypePush {
		out = prefixLines("(push) ", out)
	}
	return out
}

// prefixLines puts p before the first line and as many spaces before the rest,
// so nested elements line up under their parent's number.
func prefixLines(p string, lines []string) []string {
	pad := strings.Repeat(" ", len(p))
	out := make([]string, len(lines))
	for i, l := range lines {
		if i == 0 {
			out[i] = p + l
		} else {
			out[i] = pad + l
		}
	}
	return out
}
