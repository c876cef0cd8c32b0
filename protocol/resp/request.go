package resp

import (
	"bytes"
	"errors"
	"strconv"
)

// Limits are the request limits Redis 7.0 enforces while reading a client's
// query buffer (networking.c). They are security boundaries
// (RELIABILITY.md §1 point 7): every one is checked as soon as the line that
// could break it is complete, before anything is buffered for it.
type Limits struct {
	// MaxBulk is proto-max-bulk-len: the largest bulk argument.
	MaxBulk int64
	// MaxInline is PROTO_INLINE_MAX_SIZE: the longest inline request and the
	// longest multibulk or bulk header line.
	MaxInline int
	// MaxMultibulk is the largest argument count (INT_MAX in Redis).
	MaxMultibulk int64
	// UnauthMultibulk and UnauthBulk cap the argument count and bulk length
	// of a client that still has to authenticate (the CVE-2021-32675 fix).
	UnauthMultibulk int64
	UnauthBulk      int64
	// MaxQuery is client-query-buffer-limit: the most bytes one incomplete
	// argument (with any bytes behind it) may hold. See ErrQueryBufferLimit.
	MaxQuery int64
}

// DefaultLimits returns Redis 7.0's defaults.
func DefaultLimits() Limits {
	return Limits{
		MaxBulk:         512 << 20,
		MaxInline:       64 << 10,
		MaxMultibulk:    1<<31 - 1,
		UnauthMultibulk: 10,
		UnauthBulk:      16384,
		MaxQuery:        1 << 30,
	}
}

// Kind says what Scan found at the start of the buffer.
type Kind uint8

const (
	// NeedMore: the buffer holds only part of a frame. Call Scan again with
	// the same buffer start once more bytes have arrived.
	NeedMore Kind = iota
	// Multibulk: buf[:N] is a complete, canonical *N multibulk frame
	// (N ≥ 1) that any strict RESP parser, redcon's included, reads as Redis
	// does.
	Multibulk
	// Inline: buf[:N] was an inline (telnet) command; Args holds its argv.
	Inline
	// Skip: buf[:N] is a frame Redis reads and ignores without a reply:
	// *0, *-N, or an inline line of only blanks.
	Skip
)

// Frame is one result of Scan.
type Frame struct {
	Kind Kind
	// N is the frame's length in bytes at the start of buf; 0 for NeedMore.
	N int
	// Args is the argv of an Inline frame. It points into the Scanner's
	// scratch memory and is valid only until the next call to Scan.
	Args [][]byte
	// Need, for NeedMore, is the buffer length Scan needs before it can make
	// progress (len(buf)+1 when only "more" is known). It is a sizing hint:
	// it is never larger than the frame's validated lengths allow.
	Need int
}

// ProtocolError is a malformed request. Redis 7.0 answers it with
// "-" + Text + "\r\n" and closes the connection after that reply.
type ProtocolError struct {
	// Text is the whole error line without the leading '-', for example
	// "ERR Protocol error: invalid bulk length".
	Text string
}

func (e *ProtocolError) Error() string { return e.Text }

// The protocol errors, with Redis 7.0.15's exact texts.
var (
	ErrInvalidMultibulkLength = &ProtocolError{"ERR Protocol error: invalid multibulk length"}
	ErrInvalidBulkLength      = &ProtocolError{"ERR Protocol error: invalid bulk length"}
	ErrUnauthMultibulkLength  = &ProtocolError{"ERR Protocol error: unauthenticated multibulk length"}
	ErrUnauthBulkLength       = &ProtocolError{"ERR Protocol error: unauthenticated bulk length"}
	ErrTooBigMultibulkCount   = &ProtocolError{"ERR Protocol error: too big mbulk count string"}
	ErrTooBigBulkCount        = &ProtocolError{"ERR Protocol error: too big bulk count string"}
	ErrTooBigInline           = &ProtocolError{"ERR Protocol error: too big inline request"}
	ErrUnbalancedQuotes       = &ProtocolError{"ERR Protocol error: unbalanced quotes in request"}
)

// ErrQueryBufferLimit means the client went over Limits.MaxQuery. Redis
// closes such a connection without a reply.
var ErrQueryBufferLimit = errors.New("resp: client query buffer limit reached")

// expectedDollar builds "expected '$', got 'c'". Redis formats the byte
// with %c and then maps CR and LF to spaces so the reply stays one line.
func expectedDollar(c byte) *ProtocolError {
	if c == '\r' || c == '\n' {
		c = ' '
	}
	return &ProtocolError{"ERR Protocol error: expected '$', got '" + string([]byte{c}) + "'"}
}

// Scanner splits a client's byte stream into request frames with Redis 7.0's
// rules and limits (processInlineBuffer and processMultibulkBuffer in
// networking.c). It is resumable: for an incomplete frame it remembers how
// far it got, so a frame arriving in many pieces is examined once, in time
// linear in its size, and nothing is allocated in proportion to a length the
// client only claimed. A Scanner serves one connection and is not safe for
// concurrent use.
//
// Where Redis's outcome depends on how a read happened to split the stream
// (a line longer than MaxInline whose terminator arrives in the same read),
// Scanner behaves like Redis fed one byte at a time: such a line is always
// an error, so results never depend on chunking.
type Scanner struct {
	lim Limits
	err error // sticky: Redis closes the connection after a protocol error

	// Progress inside the current frame; offsets are from the frame start.
	pos      int   // first byte not yet parsed (0: no header parsed yet)
	left     int64 // multibulk arguments still to read
	bulkEnd  int   // end of the current argument's payload+CRLF, 0 if its header is unread
	lineScan int   // the current line has no terminator before this offset
	lineDead bool  // a NUL came first: the line can never end (Redis uses strchr)

	args    [][]byte // inline argv scratch
	argBuf  []byte   // inline argument bytes scratch
	release bool     // scratch grew past scratchKeep: drop it on the next call

	examined int64 // bytes looked at, for the linear-time test
	fast     bool  // MaxInline admits every line shortLen accepts
}

// scratchKeep is how much inline scratch a Scanner keeps between frames; a
// rare long inline command must not pin up to ~1 MiB per idle connection.
const scratchKeep = 4 << 10

// NewScanner returns a Scanner enforcing l.
func NewScanner(l Limits) *Scanner { return &Scanner{lim: l, fast: l.MaxInline >= 5} }

// Reset forgets any partial frame and a previous error.
func (s *Scanner) Reset() {
	s.err = nil
	s.resetFrame()
}

func (s *Scanner) resetFrame() {
	s.pos, s.left, s.bulkEnd = 0, 0, 0
	s.lineScan, s.lineDead = 0, false
}

// Scan reads the frame at the start of buf. authenticated says whether the
// client has passed AUTH; if not, the Unauth limits apply.
//
// Contract: after a frame (Kind ≠ NeedMore) the next call passes buf[N:] or
// later bytes; after NeedMore it passes the same stream start with at least
// as many bytes. A shorter buffer restarts the frame from its beginning. Once
// Scan returns an error it returns it again until Reset: the caller writes
// the reply (for a *ProtocolError) and closes the connection.
//
// Redis reads past the byte after each header's '\r' and the two bytes after
// each payload without looking at them. So that a Multibulk frame can be
// passed on unchanged to a strict parser, Scan overwrites those bytes in buf
// with "\n" and "\r\n"; a well-formed frame is never changed.
func (s *Scanner) Scan(buf []byte, authenticated bool) (Frame, error) {
	if s.err != nil {
		return Frame{}, s.err
	}
	if s.release {
		s.args, s.argBuf, s.release = nil, nil, false
	}
	if len(buf) < s.pos || len(buf) < s.lineScan {
		s.resetFrame()
	}
	if len(buf) == 0 {
		return Frame{Need: 1}, nil
	}
	var f Frame
	var err error
	if buf[0] == '*' {
		f, err = s.multibulk(buf, authenticated)
	} else {
		f, err = s.inline(buf)
	}
	if err != nil {
		s.err = err
		s.resetFrame()
		return Frame{}, err
	}
	if f.Kind != NeedMore {
		s.resetFrame()
	}
	return f, nil
}

// needMore reports an incomplete frame whose unparsed part starts at from,
// unless that part is over the query buffer limit. Redis checks the limit
// against its query buffer, which holds only what it has not yet turned into
// arguments, so finished arguments do not count.
func (s *Scanner) needMore(buf []byte, from, need int) (Frame, error) {
	if int64(len(buf)-from) > s.lim.MaxQuery {
		return Frame{}, ErrQueryBufferLimit
	}
	if need <= len(buf) {
		need = len(buf) + 1
	}
	return Frame{Need: need}, nil
}

// multibulk continues the *N frame at the start of buf. Progress lives in
// locals and is stored back only when the frame is incomplete.
func (s *Scanner) multibulk(buf []byte, auth bool) (Frame, error) {
	pos, left, end := s.pos, s.left, s.bulkEnd
	if pos == 0 {
		if n, p := shortLen(buf, 0, '*'); p > 0 && s.fast && n > 0 &&
			int64(n) <= s.lim.MaxMultibulk && (auth || int64(n) <= s.lim.UnauthMultibulk) {
			s.examined += int64(p + 1)
			pos, left = p+2, int64(n)
		}
	}
	if pos == 0 {
		n, next, err := s.lengthLine(buf, 0, false, auth)
		if next < 0 {
			return s.needOrErr(buf, 0, err)
		}
		if n <= 0 {
			return Frame{Kind: Skip, N: next}, nil
		}
		pos, left = next, n
	}
	for left > 0 {
		if end == 0 {
			if n, p := shortLen(buf, pos, '$'); p > 0 && s.fast &&
				int64(n) <= s.lim.MaxBulk && (auth || int64(n) <= s.lim.UnauthBulk) {
				s.examined += int64(p - pos + 1)
				pos, end = p+2, p+4+n
			} else {
				n, next, err := s.lengthLine(buf, pos, true, auth)
				if next < 0 {
					s.pos, s.left, s.bulkEnd = pos, left, 0
					return s.needOrErr(buf, pos, err)
				}
				pos, end = next, next+int(n)+2
			}
		}
		if len(buf) < end {
			s.pos, s.left, s.bulkEnd = pos, left, end
			return s.needMore(buf, pos, end)
		}
		buf[end-2], buf[end-1] = '\r', '\n'
		pos, end = end, 0
		left--
	}
	return Frame{Kind: Multibulk, N: pos}, nil
}

// shortLen is the hot path for a "cN\r" line with N < 10000 (nearly every
// header): it returns N and the index of '\r' and sets the byte after it to
// '\n', or returns p = 0 to defer to lengthLine, which applies every rule.
// Callers still check N against the limits.
func shortLen(buf []byte, i int, c byte) (n, p int) {
	if i+3 >= len(buf) || buf[i] != c {
		return 0, 0
	}
	n = int(buf[i+1] - '0')
	j := i + 2
	if n == 0 || n > 9 {
		if n == 0 && buf[j] == '\r' {
			buf[j+1] = '\n'
			return 0, j
		}
		return 0, 0
	}
	for ; j < i+5 && j < len(buf); j++ {
		d := int(buf[j] - '0')
		if d > 9 {
			break
		}
		n = n*10 + d
	}
	if j+1 >= len(buf) || buf[j] != '\r' {
		return 0, 0
	}
	buf[j+1] = '\n'
	return n, j
}

func (s *Scanner) needOrErr(buf []byte, from int, err error) (Frame, error) {
	if err != nil {
		return Frame{}, err
	}
	return s.needMore(buf, from, 0)
}

// lengthLine reads the *N (bulk false) or $N line at ls. It returns the
// length and the offset after the line, or next < 0 while the line is
// incomplete. The common case, a short canonical number within the limits,
// takes a fast path; everything else gets Redis's full rules.
func (s *Scanner) lengthLine(buf []byte, ls int, bulk, auth bool) (n int64, next int, err error) {
	limit, unauth := s.lim.MaxMultibulk, s.lim.UnauthMultibulk
	if bulk {
		limit, unauth = s.lim.MaxBulk, s.lim.UnauthBulk
	}
	v, p, ok := fastLen(buf, ls)
	if ok && p-ls <= s.lim.MaxInline && v <= limit && (auth || v <= unauth) && (!bulk || buf[ls] == '$') {
		s.examined += int64(p - ls + 1)
		s.lineScan = 0
		buf[p+1] = '\n'
		return v, p + 2, nil
	}
	tooBig := ErrTooBigMultibulkCount
	if bulk {
		tooBig = ErrTooBigBulkCount
	}
	if p, err = s.line(buf, ls, tooBig); p < 0 || err != nil {
		return 0, -1, err
	}
	if bulk && buf[ls] != '$' {
		return 0, -1, expectedDollar(buf[ls])
	}
	v, ok = parseLen(buf[ls+1 : p])
	switch {
	case bulk && (!ok || v < 0 || v > limit):
		return 0, -1, ErrInvalidBulkLength
	case bulk && v > unauth && !auth:
		return 0, -1, ErrUnauthBulkLength
	case !ok || v > limit:
		return 0, -1, ErrInvalidMultibulkLength
	case v > unauth && !auth:
		return 0, -1, ErrUnauthMultibulkLength
	}
	buf[p+1] = '\n'
	return v, p + 2, nil
}

// fastLen parses "Xdigits\r?" at buf[i] (any X): a canonical non-negative
// number of at most 18 digits, so it cannot overflow, whose line is
// complete including the byte after '\r'. ok false means "ask the slow path".
func fastLen(buf []byte, i int) (v int64, p int, ok bool) {
	j := i + 1
	if j >= len(buf) {
		return 0, 0, false
	}
	d := buf[j] - '0'
	if d > 9 {
		return 0, 0, false
	}
	v, j = int64(d), j+1
	if d != 0 {
		for stop := min(len(buf), i+19); j < stop; j++ {
			d = buf[j] - '0'
			if d > 9 {
				break
			}
			v = v*10 + int64(d)
		}
	}
	if j+1 < len(buf) && buf[j] == '\r' {
		return v, j, true
	}
	return 0, 0, false
}

// line finds the '\r' that ends the header line starting at ls, the way
// Redis's strchr does: a NUL before it hides it for good. It returns the
// index of '\r' once the byte after it has arrived too, or -1 for "need
// more", or tooBig once more than MaxInline bytes hold no terminator.
func (s *Scanner) line(buf []byte, ls int, tooBig error) (int, error) {
	limit := ls + s.lim.MaxInline + 1
	if !s.lineDead {
		from := max(ls, s.lineScan)
		end := min(len(buf), limit)
		i := from
		for ; i < end; i++ {
			c := buf[i]
			if c == '\r' {
				break
			}
			if c == 0 {
				s.lineDead = true
				break
			}
		}
		s.examined += int64(i - from + 1)
		s.lineScan = i
		if i < end && !s.lineDead {
			if i+1 >= len(buf) {
				return -1, nil
			}
			s.lineScan = 0
			return i, nil
		}
	}
	if len(buf)-ls > s.lim.MaxInline {
		return -1, tooBig
	}
	return -1, nil
}

// inline reads an inline command: one line ended by "\n" (a "\r" before it
// is dropped), split like sdssplitargs.
func (s *Scanner) inline(buf []byte) (Frame, error) {
	end := -1
	if !s.lineDead {
		from := s.lineScan
		w := buf[from:min(len(buf), s.lim.MaxInline+1)]
		q := bytes.IndexByte(w, '\n')
		head := w
		if q >= 0 {
			head = w[:q]
		}
		if bytes.IndexByte(head, 0) >= 0 {
			s.lineDead = true
		} else if q >= 0 {
			end = from + q
		}
		s.examined += int64(len(head))
		s.lineScan = from + len(head)
	}
	if end < 0 {
		if len(buf) > s.lim.MaxInline {
			return Frame{}, ErrTooBigInline
		}
		return s.needMore(buf, 0, 0)
	}
	n := end + 1
	if end > 0 && buf[end-1] == '\r' {
		end--
	}
	if !s.split(buf[:end]) {
		return Frame{}, ErrUnbalancedQuotes
	}
	if len(s.args) == 0 {
		return Frame{Kind: Skip, N: n}, nil
	}
	if cap(s.argBuf) > scratchKeep || cap(s.args) > scratchKeep/24 {
		s.release = true
	}
	return Frame{Kind: Inline, N: n, Args: s.args}, nil
}

// SplitArgs splits line as Redis's sdssplitargs does (see split), for the
// other lines Redis parses so (a library's "#!lua name=…" line); ok is
// false for unbalanced quotes. Like the C string Redis splits, the line
// ends at a NUL.
func SplitArgs(line []byte) (args [][]byte, ok bool) {
	if i := bytes.IndexByte(line, 0); i >= 0 {
		line = line[:i]
	}
	var s Scanner
	if !s.split(line) {
		return nil, false
	}
	return s.args, true
}

// split splits an inline line into s.args exactly as Redis's sdssplitargs:
// blanks (C isspace) separate arguments; "double quotes" take \n \r \t \b
// \a \xHH and \<any> escapes; 'single quotes' take only \'; a quote may
// start mid-argument, but a closing quote must be followed by a blank or the
// end of the line. It reports false for unbalanced quotes. The line never
// holds a NUL (inline finds none before the newline), so running past its
// end stands for sdssplitargs reaching the C string's terminator.
func (s *Scanner) split(line []byte) bool {
	if cap(s.argBuf) < len(line) {
		s.argBuf = make([]byte, 0, len(line)) // decoding never lengthens
	}
	out, args := s.argBuf[:0], s.args[:0]
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i == len(line) {
			s.argBuf, s.args = out, args
			return true
		}
		start := len(out)
		var ok bool
		if out, i, ok = splitToken(line, i, out); !ok {
			s.argBuf, s.args = out, args[:0]
			return false
		}
		args = append(args, out[start:len(out):len(out)])
	}
}

// splitToken decodes one sdssplitargs token starting at line[i] and returns
// the index after it.
func splitToken(line []byte, i int, out []byte) ([]byte, int, bool) {
	at := func(i int) byte { // line[i], or the C string's NUL past its end
		if i < len(line) {
			return line[i]
		}
		return 0
	}
	inq, insq := false, false
	for done := false; !done; {
		c := at(i)
		switch {
		case inq:
			switch {
			case c == '\\' && at(i+1) == 'x' && isHex(at(i+2)) && isHex(at(i+3)):
				out = append(out, unhex(at(i+2))<<4|unhex(at(i+3)))
				i += 3
			case c == '\\' && at(i+1) != 0:
				i++
				out = append(out, unescape(line[i]))
			case c == '"':
				if n := at(i + 1); n != 0 && !isSpace(n) {
					return out, i, false
				}
				done = true
			case c == 0:
				return out, i, false
			default:
				out = append(out, c)
			}
		case insq:
			switch {
			case c == '\\' && at(i+1) == '\'':
				i++
				out = append(out, '\'')
			case c == '\'':
				if n := at(i + 1); n != 0 && !isSpace(n) {
					return out, i, false
				}
				done = true
			case c == 0:
				return out, i, false
			default:
				out = append(out, c)
			}
		default:
			switch c {
			case ' ', '\n', '\r', '\t', 0:
				done = true
			case '"':
				inq = true
			case '\'':
				insq = true
			default:
				out = append(out, c)
			}
		}
		if i < len(line) {
			i++
		}
	}
	return out, i, true
}

// isSpace is C's isspace in the "C" locale, which Redis keeps for LC_CTYPE.
func isSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return (c | 0x20) - 'a' + 10
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'a':
		return '\a'
	}
	return c
}

// parseLen parses a length exactly as Redis's string2ll: optional '-', no
// '+', no leading zeros, no "-0", at most 20 bytes, within int64.
func parseLen(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	if b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		d := uint64(c - '0')
		if d > 9 || v > (1<<64-1)/10 || v*10 > 1<<64-1-d {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true // -(1<<63) wraps to itself: LLONG_MIN
	}
	if v > 1<<63-1 {
		return 0, false
	}
	return int64(v), true
}

// AppendCommand appends argv as a RESP multibulk request:
// *N\r\n then $len\r\narg\r\n for each argument.
func AppendCommand(dst []byte, argv [][]byte) []byte {
	dst = append(dst, '*')
	dst = strconv.AppendInt(dst, int64(len(argv)), 10)
	dst = append(dst, '\r', '\n')
	for _, a := range argv {
		dst = append(dst, '$')
		dst = strconv.AppendInt(dst, int64(len(a)), 10)
		dst = append(dst, '\r', '\n')
		dst = append(dst, a...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}
