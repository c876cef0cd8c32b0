package luabox

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// cjson is lua-cjson 2.1.0 as Redis ships it, with its defaults: numbers
// at 14 significant digits, '/' escaped, empty tables as {}, sparse arrays
// refused beyond a ratio of 2 (and 10 items), nesting limited to 1000, and
// its error texts; its encode_*/decode_* functions change these for the
// interpreter (cjson_config.go).

// jsonNull is cjson.null.
var jsonNull = &lua.LUserData{Value: "cjson.null", Metatable: lua.LNil}

func (b *Box) cjsonLib() *lua.LTable {
	L := b.L
	t := L.NewTable()
	t.RawSetString("encode", L.NewFunction(b.cjsonEncode))
	t.RawSetString("decode", L.NewFunction(b.cjsonDecode))
	t.RawSetString("null", jsonNull)
	b.cjsonConfigFuncs(t)
	t.RawSetString("_NAME", lua.LString("cjson"))
	t.RawSetString("_VERSION", lua.LString("2.1.0"))
	return t
}

func (b *Box) cjsonEncode(L *lua.LState) int {
	if L.GetTop() != 1 {
		argError(L, 1, "encode", "expected 1 argument")
	}
	e := jsonEncoder{L: L, max: b.maxStr, cfg: &b.cjson}
	e.value(L.Get(1), 0)
	L.Push(lua.LString(e.buf))
	return 1
}

type jsonEncoder struct {
	L   *lua.LState
	buf []byte
	max int
	cfg *cjsonConfig
}

func (e *jsonEncoder) value(v lua.LValue, depth int) {
	if len(e.buf) > e.max {
		e.L.RaiseError(errStringTooLong)
	}
	switch x := v.(type) {
	case lua.LString:
		e.str(string(x))
	case lua.LNumber:
		e.number(float64(x))
	case lua.LBool:
		e.buf = strconv.AppendBool(e.buf, bool(x))
	case *lua.LNilType:
		e.buf = append(e.buf, "null"...)
	case *lua.LTable:
		e.table(x, depth+1)
	default:
		if v == jsonNull {
			e.buf = append(e.buf, "null"...)
			return
		}
		e.L.RaiseError("Cannot serialise %s: type not supported", v.Type().String())
	}
}

func (e *jsonEncoder) number(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		switch {
		case e.cfg.encodeInvalid == invalidRefuse:
			e.L.RaiseError("Cannot serialise number: must not be NaN or Inf")
		case e.cfg.encodeInvalid == invalidAsNull:
			e.buf = append(e.buf, "null"...)
			return
		}
	}
	if e.cfg.precision == 14 {
		e.buf = append(e.buf, FormatNumber(f)...)
		return
	}
	e.buf = append(e.buf, fmt.Sprintf("%.*g", e.cfg.precision, f)...)
}

// FormatNumber is Lua 5.1's number to string conversion ("%.14g").
func FormatNumber(f float64) string {
	s := fmt.Sprintf("%.14g", f)
	switch s {
	case "+Inf":
		return "inf"
	case "-Inf":
		return "-inf"
	case "NaN":
		return "nan"
	}
	return s
}

func (e *jsonEncoder) table(t *lua.LTable, depth int) {
	if depth > e.cfg.encodeMaxDepth {
		e.L.RaiseError("Cannot serialise, excessive nesting (%d)", depth)
	}
	n := e.arrayLength(t)
	if n > 0 {
		e.buf = append(e.buf, '[')
		for i := 1; i <= n; i++ {
			if i > 1 {
				e.buf = append(e.buf, ',')
			}
			e.value(t.RawGetInt(i), depth)
		}
		e.buf = append(e.buf, ']')
		return
	}
	e.buf = append(e.buf, '{')
	first := true
	t.ForEach(func(k, v lua.LValue) {
		if !first {
			e.buf = append(e.buf, ',')
		}
		first = false
		switch kk := k.(type) {
		case lua.LString:
			e.str(string(kk))
		case lua.LNumber:
			e.buf = append(e.buf, '"')
			e.number(float64(kk))
			e.buf = append(e.buf, '"')
		default:
			e.L.RaiseError("Cannot serialise %s: table key must be a number or string", k.Type().String())
		}
		e.buf = append(e.buf, ':')
		e.value(v, depth)
	})
	e.buf = append(e.buf, '}')
}

// arrayLength is lua-cjson's lua_array_length: the largest key of a table
// with only positive integer keys, -1 for any other table.
func (e *jsonEncoder) arrayLength(t *lua.LTable) int {
	maxKey, items, isArray := 0, 0, true
	t.ForEach(func(k, _ lua.LValue) {
		n, ok := k.(lua.LNumber)
		if !ok || float64(n) < 1 || math.Floor(float64(n)) != float64(n) {
			isArray = false
			return
		}
		if int(n) > maxKey {
			maxKey = int(n)
		}
		items++
	})
	if !isArray {
		return -1
	}
	if c := e.cfg; c.sparseRatio > 0 && maxKey > items*c.sparseRatio && maxKey > c.sparseSafe {
		if !c.sparseConvert {
			e.L.RaiseError("Cannot serialise table: excessively sparse array")
		}
		return -1
	}
	return maxKey
}

func (e *jsonEncoder) str(s string) {
	e.buf = append(e.buf, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			e.buf = append(e.buf, '\\', '"')
		case c == '\\':
			e.buf = append(e.buf, '\\', '\\')
		case c == '/':
			e.buf = append(e.buf, '\\', '/')
		case c == '\b':
			e.buf = append(e.buf, '\\', 'b')
		case c == '\f':
			e.buf = append(e.buf, '\\', 'f')
		case c == '\n':
			e.buf = append(e.buf, '\\', 'n')
		case c == '\r':
			e.buf = append(e.buf, '\\', 'r')
		case c == '\t':
			e.buf = append(e.buf, '\\', 't')
		case c < 0x20 || c == 0x7f:
			e.buf = append(e.buf, fmt.Sprintf("\\u%04x", c)...)
		default:
			e.buf = append(e.buf, c)
		}
	}
	e.buf = append(e.buf, '"')
}

// jsonDecoder is lua-cjson's decoder: one token of look-ahead, errors as
// "Expected <what> but found <token> at character <n>".
type jsonDecoder struct {
	L     *lua.LState
	max   int // decode_max_depth
	s     string
	pos   int
	depth int
}

type jsonToken struct {
	kind  string // lua-cjson's token type name, or an error text
	err   bool
	index int
	val   lua.LValue
}

func (b *Box) cjsonDecode(L *lua.LState) int {
	if L.GetTop() != 1 {
		argError(L, 1, "decode", "expected 1 argument")
	}
	d := jsonDecoder{L: L, s: checkString(L, 1, "decode"), max: b.cjson.decodeMaxDepth}
	tok := d.next()
	v := d.value(tok)
	tok = d.next()
	if tok.kind != "T_END" {
		d.fail("the end", tok)
	}
	L.Push(v)
	return 1
}

func (d *jsonDecoder) fail(expected string, tok jsonToken) {
	d.L.RaiseError("Expected %s but found %s at character %d", expected, tok.kind, tok.index+1)
}

func (d *jsonDecoder) value(tok jsonToken) lua.LValue {
	switch tok.kind {
	case "T_STRING", "T_NUMBER", "T_BOOLEAN", "T_NULL":
		return tok.val
	case "T_OBJ_BEGIN":
		return d.object(tok)
	case "T_ARR_BEGIN":
		return d.array(tok)
	}
	d.fail("value", tok)
	return lua.LNil
}

func (d *jsonDecoder) nest(tok jsonToken) {
	d.depth++
	if d.depth > d.max {
		d.L.RaiseError("Found too many nested data structures (%d) at character %d", d.depth, tok.index+1)
	}
}

func (d *jsonDecoder) object(open jsonToken) lua.LValue {
	d.nest(open)
	t := d.L.NewTable()
	tok := d.next()
	if tok.kind == "T_OBJ_END" {
		d.depth--
		return t
	}
	for {
		if tok.kind != "T_STRING" {
			d.fail("object key string", tok)
		}
		key := tok.val
		if tok = d.next(); tok.kind != "T_COLON" {
			d.fail("colon", tok)
		}
		t.RawSet(key, d.value(d.next()))
		tok = d.next()
		if tok.kind == "T_OBJ_END" {
			d.depth--
			return t
		}
		if tok.kind != "T_COMMA" {
			d.fail("comma or object end", tok)
		}
		tok = d.next()
	}
}

func (d *jsonDecoder) array(open jsonToken) lua.LValue {
	d.nest(open)
	t := d.L.NewTable()
	tok := d.next()
	if tok.kind == "T_ARR_END" {
		d.depth--
		return t
	}
	for i := 1; ; i++ {
		t.RawSetInt(i, d.value(tok))
		tok = d.next()
		if tok.kind == "T_ARR_END" {
			d.depth--
			return t
		}
		if tok.kind != "T_COMMA" {
			d.fail("comma or array end", tok)
		}
		tok = d.next()
	}
}

var jsonPunct = map[byte]string{
	'{': "T_OBJ_BEGIN", '}': "T_OBJ_END", '[': "T_ARR_BEGIN", ']': "T_ARR_END",
	',': "T_COMMA", ':': "T_COLON",
}

func (d *jsonDecoder) next() jsonToken {
	for d.pos < len(d.s) && (d.s[d.pos] == ' ' || d.s[d.pos] == '\t' || d.s[d.pos] == '\n' || d.s[d.pos] == '\r') {
		d.pos++
	}
	tok := jsonToken{index: d.pos}
	if d.pos >= len(d.s) {
		tok.kind = "T_END"
		return tok
	}
	c := d.s[d.pos]
	if k, ok := jsonPunct[c]; ok {
		d.pos++
		tok.kind = k
		return tok
	}
	switch {
	case c == '"':
		return d.str(tok)
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number(tok)
	}
	for _, w := range []struct {
		word string
		kind string
		val  lua.LValue
	}{{"true", "T_BOOLEAN", lua.LTrue}, {"false", "T_BOOLEAN", lua.LFalse}, {"null", "T_NULL", jsonNull}} {
		if len(d.s)-d.pos >= len(w.word) && d.s[d.pos:d.pos+len(w.word)] == w.word {
			d.pos += len(w.word)
			tok.kind, tok.val = w.kind, w.val
			return tok
		}
	}
	return d.bad(tok, "invalid token")
}

func (d *jsonDecoder) bad(tok jsonToken, text string) jsonToken {
	tok.kind, tok.err = text, true
	return tok
}

func (d *jsonDecoder) number(tok jsonToken) jsonToken {
	p := d.pos
	if p < len(d.s) && d.s[p] == '-' {
		p++
	}
	if p+1 < len(d.s) && d.s[p] == '0' && (d.s[p+1]|0x20 == 'x' || isDigit(d.s[p+1])) {
		return d.bad(tok, "invalid number")
	}
	end := scanFloat(d.s, d.pos)
	if end == d.pos {
		return d.bad(tok, "invalid number")
	}
	f, err := strconv.ParseFloat(d.s[d.pos:end], 64)
	if err != nil && !isRangeErr(err) {
		return d.bad(tok, "invalid number")
	}
	d.pos = end
	tok.kind, tok.val = "T_NUMBER", lua.LNumber(f)
	return tok
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanFloat returns the end of the longest prefix of s[at:] that strtod
// reads as a decimal number, or at when there is none.
func scanFloat(s string, at int) int {
	p := at
	if p < len(s) && (s[p] == '-' || s[p] == '+') {
		p++
	}
	digits := 0
	for p < len(s) && isDigit(s[p]) {
		p, digits = p+1, digits+1
	}
	if p < len(s) && s[p] == '.' {
		q := p + 1
		for q < len(s) && isDigit(s[q]) {
			q, digits = q+1, digits+1
		}
		p = q
	}
	if digits == 0 {
		return at
	}
	if p < len(s) && s[p]|0x20 == 'e' {
		q := p + 1
		if q < len(s) && (s[q] == '-' || s[q] == '+') {
			q++
		}
		if q < len(s) && isDigit(s[q]) {
			for q < len(s) && isDigit(s[q]) {
				q++
			}
			p = q
		}
	}
	return p
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

var jsonEscapes = map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

func (d *jsonDecoder) str(tok jsonToken) jsonToken {
	d.pos++
	var out []byte
	for {
		if d.pos >= len(d.s) {
			return d.bad(tok, "unexpected end of string")
		}
		c := d.s[d.pos]
		if c == '"' {
			d.pos++
			tok.kind, tok.val = "T_STRING", lua.LString(out)
			return tok
		}
		if c != '\\' {
			out = append(out, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.s) {
			return d.bad(tok, "unexpected end of string")
		}
		e := d.s[d.pos+1]
		if r, ok := jsonEscapes[e]; ok {
			out = append(out, r)
			d.pos += 2
			continue
		}
		if e != 'u' {
			return d.bad(tok, "invalid escape code")
		}
		r, n := d.unicode()
		if n == 0 {
			return d.bad(tok, "invalid unicode escape code")
		}
		out = utf8.AppendRune(out, r)
		d.pos += n
	}
}

// unicode decodes \uXXXX (and a surrogate pair) at pos: the rune and the
// bytes consumed, 0 when invalid.
func (d *jsonDecoder) unicode() (rune, int) {
	hex := func(at int) (rune, bool) {
		if at+6 > len(d.s) || d.s[at] != '\\' || d.s[at+1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(d.s[at+2:at+6], 16, 32)
		return rune(v), err == nil
	}
	r, ok := hex(d.pos)
	if !ok {
		return 0, 0
	}
	if r >= 0xDC00 && r <= 0xDFFF {
		return 0, 0
	}
	if r >= 0xD800 && r <= 0xDBFF {
		lo, ok := hex(d.pos + 6)
		if !ok || lo < 0xDC00 || lo > 0xDFFF {
			return 0, 0
		}
		return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12
	}
	return r, 6
}
