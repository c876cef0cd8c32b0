package rest

import (
	"errors"
	"net/url"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Request parsing: JSON bodies (UPSTASH-REST.md §2.1, §2.3, §4) and
// path-style URLs (§2.2) into argv. The JSON parser is Larder's own: it keeps
// numbers as their literal text (§4 rule 2), needs no reflection, and never
// recurses deeper than a pipeline's two levels, so nesting cannot exhaust
// the stack (RELIABILITY R13 (e)).

// request is one parsed command: its argv, or the reason it cannot run
// (a null argument, §4 rule 4), answered in its own slot.
type request struct {
	argv [][]byte
	err  string
}

// Whole-request parse errors (400, §6).
var (
	errBadJSON      = errors.New("ERR failed to parse request body: expected a JSON array of command arguments")
	errBadPipeline  = errors.New("ERR failed to parse request body: expected a JSON array of commands, each a JSON array of arguments")
	errNestedArg    = errors.New("ERR failed to parse request body: a command argument must be a string, a number or a boolean")
	errEmptyCommand = errors.New("ERR empty command")
	errEmptyBatch   = errors.New("ERR empty pipeline")
)

// errNullArg is a command's own error: the SDKs send null only for an
// undefined JavaScript argument (§4 rule 4).
const errNullArg = "ERR null is not a valid command argument"

type jsonParser struct {
	b   []byte
	i   int
	buf []byte // backing store of every argument
}

// parseCommandBody parses POST / bodies: one JSON array of arguments.
func parseCommandBody(b []byte) (request, error) {
	p := jsonParser{b: b}
	cmd, err := p.command(errBadJSON)
	if err != nil {
		return request{}, err
	}
	if !p.end() {
		return request{}, errBadJSON
	}
	if len(cmd.argv) == 0 {
		return request{}, errEmptyCommand
	}
	return cmd, nil
}

// parsePipelineBody parses /pipeline and /multi-exec bodies: an array of
// argument arrays, at most max of them.
func parsePipelineBody(b []byte, max int) ([]request, error) {
	p := jsonParser{b: b}
	if !p.consume('[') {
		return nil, errBadPipeline
	}
	var cmds []request
	for !p.consume(']') {
		if len(cmds) > 0 && !p.consume(',') {
			return nil, errBadPipeline
		}
		cmd, err := p.command(errBadPipeline)
		if err != nil {
			return nil, err
		}
		if len(cmd.argv) == 0 {
			return nil, errEmptyCommand
		}
		if len(cmds) == max {
			return nil, errTooManyCommands
		}
		cmds = append(cmds, cmd)
	}
	if !p.end() {
		return nil, errBadPipeline
	}
	if len(cmds) == 0 {
		return nil, errEmptyBatch
	}
	return cmds, nil
}

// command parses one array of scalar arguments; notArray is the error when
// the value there is not an array.
func (p *jsonParser) command(notArray error) (request, error) {
	var cmd request
	if !p.consume('[') {
		return cmd, notArray
	}
	if p.consume(']') {
		return cmd, nil
	}
	for {
		arg, isNull, err := p.scalar()
		if err != nil {
			return cmd, err
		}
		if isNull && cmd.err == "" {
			cmd.err = errNullArg
		}
		cmd.argv = append(cmd.argv, arg)
		if p.consume(']') {
			return cmd, nil
		}
		if !p.consume(',') {
			return cmd, errBadJSON
		}
	}
}

// skipSpace skips JSON whitespace.
func (p *jsonParser) skipSpace() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// consume skips whitespace and takes ch if it is next.
func (p *jsonParser) consume(ch byte) bool {
	p.skipSpace()
	if p.i < len(p.b) && p.b[p.i] == ch {
		p.i++
		return true
	}
	return false
}

// end reports whether only whitespace is left.
func (p *jsonParser) end() bool {
	p.skipSpace()
	return p.i == len(p.b)
}

// scalar parses a string, number, true, false or null into an argument.
func (p *jsonParser) scalar() (arg []byte, isNull bool, err error) {
	p.skipSpace()
	if p.i >= len(p.b) {
		return nil, false, errBadJSON
	}
	switch ch := p.b[p.i]; {
	case ch == '"':
		arg, err = p.str()
		return arg, false, err
	case ch == '-' || ('0' <= ch && ch <= '9'):
		arg, err = p.number()
		return arg, false, err
	case ch == '[' || ch == '{':
		return nil, false, errNestedArg
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if strings.HasPrefix(string(p.b[p.i:min(len(p.b), p.i+5)]), lit) {
			p.i += len(lit)
			if lit == "null" {
				return []byte{}, true, nil
			}
			return p.keep([]byte(lit)), false, nil
		}
	}
	return nil, false, errBadJSON
}

// keep copies an argument into the shared backing store.
func (p *jsonParser) keep(b []byte) []byte {
	start := len(p.buf)
	p.buf = append(p.buf, b...)
	return p.buf[start:len(p.buf):len(p.buf)]
}

// number takes a JSON number and keeps its literal text (§4 rule 2).
func (p *jsonParser) number() ([]byte, error) {
	start := p.i
	p.accept('-')
	switch {
	case p.accept('0'):
	case p.digits() == 0:
		return nil, errBadJSON
	}
	if p.accept('.') && p.digits() == 0 {
		return nil, errBadJSON
	}
	if p.accept('e') || p.accept('E') {
		_ = p.accept('+') || p.accept('-') // either sign, or none
		if p.digits() == 0 {
			return nil, errBadJSON
		}
	}
	return p.keep(p.b[start:p.i]), nil
}

func (p *jsonParser) accept(ch byte) bool {
	if p.i < len(p.b) && p.b[p.i] == ch {
		p.i++
		return true
	}
	return false
}

func (p *jsonParser) digits() int {
	n := 0
	for p.i < len(p.b) && '0' <= p.b[p.i] && p.b[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

// str decodes a JSON string as encoding/json does: escapes resolved, a lone
// surrogate or invalid UTF-8 becomes U+FFFD.
func (p *jsonParser) str() ([]byte, error) {
	p.i++ // opening quote
	start := len(p.buf)
	for p.i < len(p.b) {
		ch := p.b[p.i]
		switch {
		case ch == '"':
			p.i++
			return p.buf[start:len(p.buf):len(p.buf)], nil
		case ch < 0x20:
			return nil, errBadJSON
		case ch == '\\':
			if err := p.escape(); err != nil {
				return nil, err
			}
		case ch < utf8.RuneSelf:
			p.buf = append(p.buf, ch)
			p.i++
		default:
			r, size := utf8.DecodeRune(p.b[p.i:])
			p.buf = utf8.AppendRune(p.buf, r) // RuneError for invalid bytes
			p.i += size
		}
	}
	return nil, errBadJSON
}

var simpleEscapes = map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// escape decodes the escape sequence at p.i into p.buf.
func (p *jsonParser) escape() error {
	if p.i+1 >= len(p.b) {
		return errBadJSON
	}
	if c, ok := simpleEscapes[p.b[p.i+1]]; ok {
		p.buf = append(p.buf, c)
		p.i += 2
		return nil
	}
	if p.b[p.i+1] != 'u' {
		return errBadJSON
	}
	r, ok := p.hex4(p.i + 2)
	if !ok {
		return errBadJSON
	}
	p.i += 6
	if utf16.IsSurrogate(r) {
		r2 := rune(-1)
		if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
			r2, ok = p.hex4(p.i + 2)
			if !ok {
				return errBadJSON
			}
		}
		if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
			p.i += 6
			r = dec
		} else {
			r = utf8.RuneError
		}
	}
	p.buf = utf8.AppendRune(p.buf, r)
	return nil
}

func (p *jsonParser) hex4(at int) (rune, bool) {
	if at+4 > len(p.b) {
		return 0, false
	}
	var r rune
	for _, c := range p.b[at : at+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// pathArgs turns a path-style request into argv (§2.2): each segment of the
// escaped path percent-decoded on its own (so %2F stays inside an
// argument), then the raw body if any, then the query parameters in order
// (k=v gives two arguments, k alone one; _token is left out).
func pathArgs(escapedPath, rawQuery string, body []byte) ([][]byte, error) {
	path := strings.TrimRight(escapedPath, "/")
	var argv [][]byte
	for _, seg := range strings.Split(path, "/") {
		arg, err := url.PathUnescape(seg)
		if err != nil {
			return nil, errBadPath
		}
		argv = append(argv, []byte(arg))
	}
	if len(body) > 0 {
		argv = append(argv, body)
	}
	for _, kv := range strings.Split(rawQuery, "&") {
		if kv == "" {
			continue
		}
		k, v, hasValue := strings.Cut(kv, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, errBadPath
		}
		if key == "_token" {
			continue
		}
		argv = append(argv, []byte(key))
		if hasValue {
			argv = append(argv, []byte(val))
		}
	}
	return argv, nil
}

var (
	errBadPath         = errors.New("ERR invalid percent-encoding in the request URL")
	errTooManyCommands = errors.New("ERR max pipeline commands exceeded")
)
