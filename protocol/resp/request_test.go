package resp

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

var scanSeed = flag.Uint64("scanseed", 0, "seed for TestScanChunked (0: time-independent default)")

// rec is one frame as the tests see it.
type rec struct {
	kind Kind
	n    int
	args []string
}

func (r rec) String() string { return fmt.Sprintf("{%d %d %q}", r.kind, r.n, r.args) }

func mb(args ...string) rec {
	return rec{Multibulk, len(AppendCommand(nil, strArgs(args))), args}
}

func il(n int, args ...string) rec { return rec{Inline, n, args} }
func skip(n int) rec               { return rec{Skip, n, nil} }

func strArgs(a []string) [][]byte {
	out := make([][]byte, len(a))
	for i := range a {
		out[i] = []byte(a[i])
	}
	return out
}

// strictParse reads a canonical multibulk frame the way a strict parser
// (redcon's) does: *N\r\n with N ≥ 1, then N × $len\r\nbytes\r\n, with
// canonical decimal numbers. It fails on anything else.
func strictParse(b []byte) ([]string, int, error) {
	num := func(c byte) (int, error) {
		if len(b) == 0 || b[0] != c {
			return 0, fmt.Errorf("want %q at %q", c, b)
		}
		i := bytes.Index(b, []byte("\r\n"))
		if i < 0 {
			return 0, fmt.Errorf("no CRLF in %q", b)
		}
		v, err := strconv.Atoi(string(b[1:i]))
		if err != nil || v < 0 || strconv.Itoa(v) != string(b[1:i]) {
			return 0, fmt.Errorf("bad number %q", b[1:i])
		}
		b = b[i+2:]
		return v, nil
	}
	total := len(b)
	n, err := num('*')
	if err != nil || n == 0 {
		return nil, 0, fmt.Errorf("header: %v", err)
	}
	var args []string
	for range n {
		l, err := num('$')
		if err != nil {
			return nil, 0, err
		}
		if len(b) < l+2 || string(b[l:l+2]) != "\r\n" {
			return nil, 0, fmt.Errorf("bad payload %q", b)
		}
		args = append(args, string(b[:l]))
		b = b[l+2:]
	}
	return args, total - len(b), nil
}

func record(t testing.TB, f Frame, frame []byte) rec {
	t.Helper()
	r := rec{kind: f.Kind, n: f.N}
	switch f.Kind {
	case Multibulk:
		args, n, err := strictParse(frame)
		if err != nil || n != f.N {
			t.Fatalf("frame %q is not canonical (n=%d): %v", frame, n, err)
		}
		r.args = args
	case Inline:
		for _, a := range f.Args {
			r.args = append(r.args, string(a))
		}
	}
	return r
}

// run feeds in to a fresh Scanner, growing the buffer by next() bytes at a
// time (nil: all at once), and returns the frames and the final error (nil:
// the scanner wants more data).
func run(t testing.TB, lim Limits, in []byte, auth bool, next func() int) ([]rec, error) {
	t.Helper()
	buf := append([]byte(nil), in...) // Scan rewrites ignored bytes in place
	s := NewScanner(lim)
	avail := len(buf)
	if next != nil {
		avail = min(len(buf), next())
	}
	var got []rec
	start := 0
	for {
		f, err := s.Scan(buf[start:avail], auth)
		if err != nil {
			return got, err
		}
		if f.Kind != NeedMore {
			got = append(got, record(t, f, buf[start:start+f.N]))
			start += f.N
			continue
		}
		if f.Need <= avail-start {
			t.Fatalf("NeedMore with Need %d ≤ buffered %d", f.Need, avail-start)
		}
		if avail == len(buf) {
			return got, nil
		}
		avail = min(len(buf), avail+next())
	}
}

type scanCase struct {
	name   string
	in     string
	unauth bool
	lim    *Limits // nil: DefaultLimits with MaxQuery 1 MiB, as the oracle runs
	want   []rec
	err    error  // nil: the scanner waits for more data at the end
	noDiff string // why the case is not compared with redis-server
}

func (c scanCase) limits() Limits {
	if c.lim != nil {
		return *c.lim
	}
	l := DefaultLimits()
	l.MaxQuery = 1 << 20
	return l
}

const setCmd = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"

var (
	pingMB     = "*1\r\n$4\r\nPING\r\n"
	small      = Limits{MaxBulk: 10, MaxInline: 16, MaxMultibulk: 5, UnauthMultibulk: 2, UnauthBulk: 4, MaxQuery: 40}
	smallQuery = Limits{MaxBulk: 100, MaxInline: 64, MaxMultibulk: 5, UnauthMultibulk: 5, UnauthBulk: 100, MaxQuery: 40}
	k64        = 64 << 10
	manyArgs   = "*300002\r\n$4\r\nECHO\r\n" + strings.Repeat("$1\r\na\r\n", 300000)
	bigInline  = "ECHO " + strings.Repeat("a", k64-5)
)

func scanCases() []scanCase {
	pong := mb("PING")
	return []scanCase{
		// Well-formed multibulk frames pass through whole.
		{name: "set", in: setCmd, want: []rec{mb("SET", "key", "value")}, noDiff: "not modelled"},
		{name: "ping", in: pingMB, want: []rec{pong}},
		{name: "pipeline", in: pingMB + "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n" + pingMB, want: []rec{pong, mb("ECHO", ""), pong}},
		{name: "binary payload", in: "*2\r\n$4\r\nECHO\r\n$4\r\n\r\n\x00\n\r\n", want: []rec{mb("ECHO", "\r\n\x00\n")}},
		{name: "partial payload", in: "*1\r\n$4\r\nPIN"},
		{name: "payload without CRLF", in: "*1\r\n$4\r\nPING"},
		{name: "payload with CR only", in: "*1\r\n$4\r\nPING\r"},
		{name: "header without LF", in: "*1\r"},
		{name: "bare star", in: "*"},
		// Redis skips the byte after a header's CR and a payload's trailer.
		{name: "lax separators", in: "*1\rX$4\rYPINGab" + pingMB, want: []rec{pong, pong}},
		{name: "lax bulk trailer", in: "*2\r\n$4\r\nECHO\r\n$1\r\nxyz" + pingMB, want: []rec{mb("ECHO", "x"), pong}, noDiff: "z starts an inline line"},
		// Empty and negative counts are ignored (RELIABILITY.md §3 rows 1-2).
		{name: "*0", in: "*0\r\n" + pingMB, want: []rec{skip(4), pong}},
		{name: "*-1", in: "*-1\r\nPING\r\n", want: []rec{skip(5), il(6, "PING")}},
		{name: "*-10", in: "*-10\r\n" + pingMB, want: []rec{skip(6), pong}},
		{name: "*LLONG_MIN", in: "*-9223372036854775808\r\n" + pingMB, want: []rec{skip(23), pong}},
		{name: "*-N unauth", in: "*-11\r\n" + pingMB, unauth: true, want: []rec{skip(6), pong}},
		// Multibulk count syntax (string2ll) and range.
		{name: "*-0", in: "*-0\r\n", err: ErrInvalidMultibulkLength},
		{name: "*01", in: "*01\r\n", err: ErrInvalidMultibulkLength},
		{name: "*+1", in: "*+1\r\n", err: ErrInvalidMultibulkLength},
		{name: "*empty", in: "*\r\n", err: ErrInvalidMultibulkLength},
		{name: "*space", in: "* 1\r\n", err: ErrInvalidMultibulkLength},
		{name: "*1x", in: "*1x\r\n", err: ErrInvalidMultibulkLength},
		{name: "*-LLONG_MIN-1", in: "*-9223372036854775809\r\n", err: ErrInvalidMultibulkLength},
		{name: "*20 digits", in: "*99999999999999999999\r\n", err: ErrInvalidMultibulkLength},
		{name: "*8589934592", in: "*8589934592\r\n", err: ErrInvalidMultibulkLength},
		{name: "*INT_MAX+1", in: "*2147483648\r\n", err: ErrInvalidMultibulkLength},
		{name: "*3000000000", in: "*3000000000\r\n", err: ErrInvalidMultibulkLength},
		{name: "*INT_MAX waits", in: "*2147483647\r\n"},
		{name: "NUL hides CR", in: "*1\x00\r\n" + pingMB},
		// Bulk headers.
		{name: "expected $", in: "*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", err: expectedDollar('f')},
		{name: "no bulk", in: "*1\r\nfoo\r\n", err: expectedDollar('f')},
		{name: "bulk line CR", in: "*1\r\n\r\n", err: expectedDollar('\r')},
		{name: "bulk line LF", in: "*1\r\n\n\r\n", err: expectedDollar('\n')},
		{name: "bulk 0xff", in: "*1\r\n\xff\r\n", err: expectedDollar(0xff)},
		{name: "bulk colon", in: "*1\r\n:1\r\n", err: expectedDollar(':')},
		{name: "bulk line incomplete", in: "*1\r\nfoo"},
		{name: "$-10", in: "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n", err: ErrInvalidBulkLength},
		{name: "$-1 argument", in: "*2\r\n$3\r\nGET\r\n$-1\r\n", err: ErrInvalidBulkLength},
		{name: "$-0", in: "*1\r\n$-0\r\n", err: ErrInvalidBulkLength},
		{name: "$01", in: "*1\r\n$01\r\n", err: ErrInvalidBulkLength},
		{name: "$empty", in: "*1\r\n$\r\n", err: ErrInvalidBulkLength},
		{name: "$blabla", in: "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n", err: ErrInvalidBulkLength},
		{name: "$2000000000", in: "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n", err: ErrInvalidBulkLength},
		{name: "$1GiB", in: "*2\r\n$3\r\nGET\r\n$1073741824\r\n", err: ErrInvalidBulkLength},
		{name: "$512MB+1", in: "*2\r\n$3\r\nGET\r\n$536870913\r\n", err: ErrInvalidBulkLength},
		{name: "$600000000", in: "*1\r\n$600000000\r\n", err: ErrInvalidBulkLength},
		{name: "$512MB waits", in: "*2\r\n$4\r\nECHO\r\n$536870912\r\n"},
		// Before AUTH (CVE-2021-32675).
		{name: "unauth *11", in: "*11\r\n", unauth: true, err: ErrUnauthMultibulkLength},
		{name: "unauth *10", in: "*10\r\n", unauth: true},
		{name: "unauth *11x", in: "*11x\r\n", unauth: true, err: ErrInvalidMultibulkLength},
		{name: "unauth *INT_MAX+1", in: "*2147483648\r\n", unauth: true, err: ErrInvalidMultibulkLength},
		{name: "unauth $16385", in: "*1\r\n$16385\r\n", unauth: true, err: ErrUnauthBulkLength},
		{name: "unauth $16384", in: "*1\r\n$16384\r\n", unauth: true},
		{name: "unauth $512MB+1", in: "*1\r\n$536870913\r\n", unauth: true, err: ErrInvalidBulkLength},
		{name: "unauth ping", in: pingMB + "PING\r\n", unauth: true, want: []rec{pong, il(6, "PING")}},
		// Header lines longer than PROTO_INLINE_MAX_SIZE.
		{name: "mbulk line 64K", in: "*" + strings.Repeat("1", k64-1)},
		{name: "mbulk line 64K+1", in: "*" + strings.Repeat("1", k64), err: ErrTooBigMultibulkCount},
		{name: "bulk line 64K", in: "*1\r\n$" + strings.Repeat("1", k64-1)},
		{name: "bulk line 64K+1", in: "*1\r\n$" + strings.Repeat("1", k64), err: ErrTooBigBulkCount},
		{name: "long mbulk line with CR", in: "*" + strings.Repeat("1", k64) + "\r\n", err: ErrTooBigMultibulkCount, noDiff: "Redis's result depends on read boundaries"},
		{name: "desync *NUL", in: "*\x00" + strings.Repeat(strings.Repeat("A", 1024)+"\n", 70), err: ErrTooBigMultibulkCount},
		{name: "desync $NUL", in: "$\x00" + strings.Repeat(strings.Repeat("A", 1024)+"\n", 70), err: ErrTooBigInline},
		{name: "desync NUL", in: "\x00" + strings.Repeat(strings.Repeat("A", 1024)+"\n", 70), err: ErrTooBigInline},
		// Inline commands.
		{name: "inline CRLF", in: "PING\r\n", want: []rec{il(6, "PING")}},
		{name: "inline LF", in: "PING\n", want: []rec{il(5, "PING")}},
		{name: "inline CRCRLF", in: "PING\r\r\n", want: []rec{il(7, "PING")}},
		{name: "inline blanks", in: "\r\n\n  \t\r\nPING\n", want: []rec{skip(2), skip(1), skip(5), il(5, "PING")}},
		{name: "inline waits", in: "PING"},
		{name: "inline NUL", in: "ECHO a\x00\n"},
		{name: "inline NUL first", in: "\x00\r\n"},
		{name: "inline 64K", in: strings.Repeat("a", k64)},
		{name: "inline 64K+1", in: strings.Repeat("a", k64+1), err: ErrTooBigInline},
		{name: "inline 8MiB", in: strings.Repeat("a", 8<<20), err: ErrTooBigInline},
		{name: "inline line 64K", in: bigInline + "\n", want: []rec{il(k64+1, "ECHO", bigInline[5:])}},
		{name: "inline line 64K+1", in: bigInline + "\r\n", err: ErrTooBigInline, noDiff: "Redis's result depends on read boundaries"},
		{name: "inline resp types", in: "$4\r\n:1\r\n+x\r\n", want: []rec{il(4, "$4"), il(4, ":1"), il(4, "+x")}, noDiff: "not modelled"},
		{name: "inline empty quotes", in: "ECHO \"\"\r\nECHO ''\r\n", want: []rec{il(9, "ECHO", ""), il(9, "ECHO", "")}},
		{name: "quote mid-token", in: "ECHO a\"b c\"\r\n", want: []rec{il(13, "ECHO", "ab c")}},
		{name: "quote then text", in: "ECHO \"a\"b\r\n", err: ErrUnbalancedQuotes},
		{name: "quote then VT", in: "ECHO \"a\"\vb\r\n", want: []rec{il(12, "ECHO", "a", "b")}},
		{name: "dq escapes", in: "ECHO \"\\x41\\x4g\\q\\n\\xZZ\\b\\a\\t\\r\\\"\"\r\n", want: []rec{il(35, "ECHO", "Ax4gq\nxZZ\b\a\t\r\"")}},
		{name: "sq escapes", in: "ECHO 'a\\'b\\n\"'\r\n", want: []rec{il(16, "ECHO", "a'b\\n\"")}},
		{name: "unterminated dq escape", in: "ECHO \"abc\\\"\r\n", err: ErrUnbalancedQuotes},
		{name: "dq backslash at end", in: "ECHO \"a\\\r\n", err: ErrUnbalancedQuotes},
		{name: "sq backslash at end", in: "ECHO 'a\\\r\n", err: ErrUnbalancedQuotes},
		{name: "sq then text", in: "ECHO 'a'b\r\n", err: ErrUnbalancedQuotes},
		{name: "redis unbalanced test", in: "set \"\"\"test-key\"\"\" test-value\r\nping\r\n", err: ErrUnbalancedQuotes},
		{name: "VT inside token", in: "ECHO a\vb\r\n", want: []rec{il(10, "ECHO", "a\vb")}},
		{name: "leading VT FF", in: "ECHO \v\fab\r\n", want: []rec{il(11, "ECHO", "ab")}},
		{name: "high bytes", in: "ECHO \xa0\x85a\r\n", want: []rec{il(10, "ECHO", "\xa0\x85a")}},
		{name: "tab separators", in: "ECHO\tx\r\n", want: []rec{il(8, "ECHO", "x")}},
		// Query buffer limit: only bytes not yet parsed into arguments count.
		{name: "query limit", in: "*2\r\n$4\r\nECHO\r\n$1500000\r\n" + strings.Repeat("a", 1100000), err: ErrQueryBufferLimit},
		{name: "query limit many args", in: manyArgs},
		// Custom limits.
		{name: "small MaxMultibulk", in: "*6\r\n", lim: &small, err: ErrInvalidMultibulkLength},
		{name: "small MaxBulk", in: "*1\r\n$11\r\n", lim: &small, err: ErrInvalidBulkLength},
		{name: "small unauth", in: "*3\r\n", lim: &small, unauth: true, err: ErrUnauthMultibulkLength},
		{name: "small unauth bulk", in: "*1\r\n$5\r\n", lim: &small, unauth: true, err: ErrUnauthBulkLength},
		{name: "small inline", in: strings.Repeat(" ", 17), lim: &small, err: ErrTooBigInline},
		{name: "small query", in: "*2\r\n$1\r\nx\r\n$100\r\n" + strings.Repeat("y", 40), lim: &smallQuery},
		{name: "small query over", in: "*2\r\n$1\r\nx\r\n$100\r\n" + strings.Repeat("y", 41), lim: &smallQuery, err: ErrQueryBufferLimit},
		{name: "small query header", in: "*2\r\n$1\r\nx\r\n$1" + strings.Repeat("0", 40), lim: &smallQuery, err: ErrQueryBufferLimit},
	}
}

func sameErr(a, b error) bool {
	if a == nil || b == nil {
		return a == b
	}
	return errors.Is(a, b) || a.Error() == b.Error()
}

func checkRun(t *testing.T, c scanCase, how string, next func() int) {
	t.Helper()
	got, err := run(t, c.limits(), []byte(c.in), !c.unauth, next)
	if fmt.Sprint(got) != fmt.Sprint(c.want) || !sameErr(err, c.err) {
		t.Fatalf("%s: got %v, %v; want %v, %v", how, got, err, c.want, c.err)
	}
}

func TestScanCases(t *testing.T) {
	for _, c := range scanCases() {
		t.Run(c.name, func(t *testing.T) {
			checkRun(t, c, "whole", nil)
			if len(c.in) <= 200<<10 {
				checkRun(t, c, "byte by byte", func() int { return 1 })
			}
		})
	}
}

// TestScanChunked feeds every case in random pieces: results must not depend
// on how the stream was split. Rerun a failure with -scanseed.
func TestScanChunked(t *testing.T) {
	seed := *scanSeed
	if seed == 0 {
		seed = 20240601
	}
	t.Logf("seed %d (-scanseed to repeat)", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	for _, c := range scanCases() {
		for range 5 {
			maxChunk := 1 + r.IntN(64)
			if r.IntN(4) == 0 {
				maxChunk = 1 + r.IntN(64<<10)
			}
			checkRun(t, c, c.name+" chunked", func() int { return 1 + r.IntN(maxChunk) })
		}
	}
}

func TestScanStickyErrorAndReset(t *testing.T) {
	s := NewScanner(DefaultLimits())
	buf := []byte("*-0\r\n" + pingMB)
	for range 2 {
		if _, err := s.Scan(buf, true); err != ErrInvalidMultibulkLength {
			t.Fatalf("err = %v", err)
		}
	}
	s.Reset()
	if f, err := s.Scan(buf[5:], true); err != nil || f.Kind != Multibulk || f.N != len(pingMB) {
		t.Fatalf("after Reset: %+v, %v", f, err)
	}
}

func TestScanRestartsOnShorterBuffer(t *testing.T) {
	s := NewScanner(DefaultLimits())
	if f, _ := s.Scan([]byte(setCmd[:20]), true); f.Kind != NeedMore {
		t.Fatalf("kind %d", f.Kind)
	}
	f, err := s.Scan([]byte(pingMB), true) // a different, shorter stream
	if err != nil || f.Kind != Multibulk || f.N != len(pingMB) {
		t.Fatalf("%+v, %v", f, err)
	}
}

// TestScanNeedHint checks that NeedMore names the end of a pending payload.
func TestScanNeedHint(t *testing.T) {
	s := NewScanner(DefaultLimits())
	in := []byte("*1\r\n$100000\r\nabc")
	f, err := s.Scan(in, true)
	if err != nil || f.Kind != NeedMore || f.Need != 13+100000+2 {
		t.Fatalf("%+v, %v", f, err)
	}
}

func TestScanCanonicalizes(t *testing.T) {
	buf := []byte("*2\rX$4\rYECHO!!$1\r\rxAB")
	f, err := NewScanner(DefaultLimits()).Scan(buf, true)
	if err != nil || f.Kind != Multibulk || f.N != len(buf) {
		t.Fatalf("%+v, %v", f, err)
	}
	if want := "*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n"; string(buf) != want {
		t.Fatalf("rewritten to %q, want %q", buf, want)
	}
	good := []byte(setCmd)
	if f, _ := NewScanner(DefaultLimits()).Scan(good, true); f.N != len(setCmd) || string(good) != setCmd {
		t.Fatalf("well-formed frame changed: %q", good)
	}
}

func TestParseLen(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "1": 1, "-1": -1, "9223372036854775807": 1<<63 - 1,
		"-9223372036854775808": -1 << 63,
	} {
		if v, ok := parseLen([]byte(in)); !ok || v != want {
			t.Errorf("parseLen(%q) = %d, %v", in, v, ok)
		}
	}
	for _, in := range []string{"", "-", "-0", "00", "01", "+1", " 1", "1 ", "1a", "9223372036854775808",
		"-9223372036854775809", "18446744073709551616", "99999999999999999999", "123456789012345678901"} {
		if v, ok := parseLen([]byte(in)); ok {
			t.Errorf("parseLen(%q) = %d, want failure", in, v)
		}
	}
}

func TestAppendCommand(t *testing.T) {
	argv := [][]byte{[]byte("SET"), []byte("key"), []byte("value")}
	if got := string(AppendCommand([]byte("x"), argv)); got != "x"+setCmd {
		t.Fatalf("got %q", got)
	}
	if got := string(AppendCommand(nil, [][]byte{{}})); got != "*1\r\n$0\r\n\r\n" {
		t.Fatalf("got %q", got)
	}
	// An inline command re-encoded scans as the same argv.
	in := []byte("set \"a b\" 'c\\'d' \"\\x00\"\n")
	s := NewScanner(DefaultLimits())
	f, err := s.Scan(in, true)
	if err != nil || f.Kind != Inline {
		t.Fatalf("%+v, %v", f, err)
	}
	enc := AppendCommand(nil, f.Args)
	args, n, err := strictParse(enc)
	if err != nil || n != len(enc) || fmt.Sprint(args) != fmt.Sprint([]string{"set", "a b", "c'd", "\x00"}) {
		t.Fatalf("%q: %q, %v", enc, args, err)
	}
}

// TestScanLinear is RELIABILITY.md §3's last row: a 100 000-argument command
// arriving in 4 KiB reads is examined in work proportional to its size.
func TestScanLinear(t *testing.T) {
	const args = 100000
	b := []byte{'*'}
	b = strconv.AppendInt(b, args+1, 10)
	b = append(b, "\r\n$4\r\nMSET\r\n"...)
	for i := range args {
		b = AppendBulkString(b, strconv.Itoa(i))
	}
	in := b
	s := NewScanner(DefaultLimits())
	calls := 0
	for avail := 4096; ; avail += 4096 {
		calls++
		f, err := s.Scan(in[:min(avail, len(in))], true)
		if err != nil {
			t.Fatal(err)
		}
		if f.Kind == Multibulk {
			if f.N != len(in) {
				t.Fatalf("N = %d, want %d", f.N, len(in))
			}
			break
		}
		if avail >= len(in) {
			t.Fatal("frame not complete at end of input")
		}
	}
	if s.examined > int64(len(in)) {
		t.Fatalf("examined %d bytes in %d calls for a %d-byte frame; want ≤ its size",
			s.examined, calls, len(in))
	}
	t.Logf("%d bytes, %d calls, %d bytes examined", len(in), calls, s.examined)
}

// TestScanInlineNoRescan: a long inline line arriving a byte at a time is
// examined once, and an 8 MiB line is refused after 64 KB.
func TestScanInlineNoRescan(t *testing.T) {
	in := []byte(strings.Repeat("a", 8<<20))
	s := NewScanner(DefaultLimits())
	var err error
	n := 0
	for n = 1; n <= len(in) && err == nil; n++ {
		_, err = s.Scan(in[:n], true)
	}
	if err != ErrTooBigInline || n-1 != k64+1 {
		t.Fatalf("err %v after %d bytes", err, n-1)
	}
	if s.examined > int64(2*k64) {
		t.Fatalf("examined %d bytes", s.examined)
	}
}

// TestScanHugeHeadersNoAlloc: claimed sizes cost nothing until data arrives.
func TestScanHugeHeadersNoAlloc(t *testing.T) {
	for _, in := range []string{"*8589934592\r\n", "*2147483647\r\n", "*1\r\n$600000000\r\n",
		"*1\r\n$536870912\r\n", "*2\r\n$3\r\nGET\r\n$1073741824\r\n"} {
		buf := []byte(in)
		s := NewScanner(DefaultLimits())
		allocs := testing.AllocsPerRun(100, func() {
			s.Reset()
			f, _ := s.Scan(buf, true)
			if f.Kind != NeedMore {
				t.Fatalf("%q: kind %d", in, f.Kind)
			}
		})
		if allocs != 0 {
			t.Errorf("%q: %v allocations", in, allocs)
		}
	}
}

func TestScanSteadyStateNoAlloc(t *testing.T) {
	for _, in := range []string{setCmd, "SET key \"value\"\r\n", "*0\r\n"} {
		buf := []byte(in)
		s := NewScanner(DefaultLimits())
		s.Scan(buf, true)
		allocs := testing.AllocsPerRun(100, func() {
			if f, err := s.Scan(buf, true); err != nil || f.N != len(buf) {
				t.Fatalf("%q: %+v, %v", in, f, err)
			}
		})
		if allocs != 0 {
			t.Errorf("%q: %v allocations per frame", in, allocs)
		}
	}
}

// TestScanReleasesBigScratch: a long inline command must not pin its
// scratch memory on an idle connection.
func TestScanReleasesBigScratch(t *testing.T) {
	s := NewScanner(DefaultLimits())
	long := []byte(strings.Repeat("a ", 20000) + "\n")
	if f, err := s.Scan(long, true); err != nil || len(f.Args) != 20000 {
		t.Fatalf("%d args, %v", len(f.Args), err)
	}
	s.Scan([]byte(pingMB), true)
	if s.argBuf != nil || s.args != nil {
		t.Fatalf("scratch kept: %d bytes, %d args", cap(s.argBuf), cap(s.args))
	}
}

func BenchmarkScanner(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"set", setCmd},
		{"pipeline16", strings.Repeat(setCmd, 16)},
		{"inline", "SET key value\r\n"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			buf := []byte(bc.in)
			s := NewScanner(DefaultLimits())
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				for rest := buf; len(rest) > 0; {
					f, err := s.Scan(rest, true)
					if err != nil || f.N == 0 {
						b.Fatalf("%+v, %v", f, err)
					}
					rest = rest[f.N:]
				}
			}
		})
	}
}

// startRedis runs redis-server 7.0 (the oracle) on a free loopback port with
// requirepass "pw" and client-query-buffer-limit 1mb, stopped at Cleanup.
func startRedis(t *testing.T) string {
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("LARDER_REQUIRE_REDIS") == "1" {
			t.Fatal("redis-server not in PATH and LARDER_REQUIRE_REDIS=1")
		}
		t.Skip("redis-server not in PATH")
	}
	var log string
	for range 5 { // the free port can be taken between Close and redis's bind
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		ln.Close()
		var out bytes.Buffer
		cmd := exec.Command(path, "--port", port, "--bind", "127.0.0.1", "--save", "",
			"--appendonly", "no", "--daemonize", "no", "--dir", t.TempDir(),
			"--requirepass", "pw", "--client-query-buffer-limit", "1mb")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }() // exit status is irrelevant: we kill it
		stop := func() { _ = cmd.Process.Kill(); <-exited }
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
			select {
			case <-exited:
				deadline = time.Time{}
				continue
			default:
			}
			if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
				c.Close()
				t.Cleanup(stop)
				return addr
			}
			time.Sleep(20 * time.Millisecond)
		}
		stop()
		log = out.String()
	}
	t.Fatalf("redis-server did not start: %s", log)
	return ""
}

// redisReplies models what Redis answers to the frames Scan returned
// (PING and ECHO only) and then to its final error. ok is false when the
// case holds another command.
func redisReplies(frames []rec, err error, auth bool) (want []byte, closed, ok bool) {
	for _, f := range frames {
		switch {
		case f.kind == Skip:
		case !auth:
			want = append(want, "-NOAUTH Authentication required.\r\n"...)
		case strings.EqualFold(f.args[0], "PING") && len(f.args) == 1:
			want = append(want, "+PONG\r\n"...)
		case strings.EqualFold(f.args[0], "ECHO") && len(f.args) == 2:
			want = AppendBulkString(want, f.args[1])
		case strings.EqualFold(f.args[0], "ECHO"):
			want = append(want, "-ERR wrong number of arguments for 'echo' command\r\n"...)
		default:
			return nil, false, false
		}
	}
	var pe *ProtocolError
	if errors.As(err, &pe) {
		want = AppendError(want, pe.Text)
	}
	return want, err != nil, true
}

// TestScanMatchesRedis replays every case into redis-server and checks that
// its reply bytes and close behaviour are what the scanner's result implies.
func TestScanMatchesRedis(t *testing.T) {
	addr := startRedis(t)
	for _, c := range scanCases() {
		if c.noDiff != "" || c.lim != nil {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			frames, err := run(t, c.limits(), []byte(c.in), !c.unauth, nil)
			want, closed, ok := redisReplies(frames, err, !c.unauth)
			if !ok {
				t.Fatalf("case not modelled (%v); give it a noDiff reason", frames)
			}
			got, gotClosed := exchange(t, addr, c.in, !c.unauth, len(want), closed)
			if !bytes.Equal(got, want) || gotClosed != closed {
				t.Fatalf("redis: %q closed=%v; scanner implies %q closed=%v",
					got, gotClosed, want, closed)
			}
		})
	}
}

// exchange sends in (after AUTH if auth) and reads n reply bytes, then
// whether the server closes. A still-open connection can only be seen as
// silence: the short wait can miss a late reply but never invent one.
func exchange(t *testing.T, addr, in string, auth bool, n int, expectClose bool) ([]byte, bool) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rd := bufio.NewReader(conn)
	if err := conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if auth {
		if _, err := conn.Write([]byte("AUTH pw\r\n")); err != nil {
			t.Fatal(err)
		}
		if line, err := rd.ReadString('\n'); err != nil || line != "+OK\r\n" {
			t.Fatalf("AUTH: %q, %v", line, err)
		}
	}
	wrote := make(chan struct{})
	go func() { // Redis may close mid-write; the write error is expected then
		_, _ = conn.Write([]byte(in))
		close(wrote)
	}()
	defer func() { conn.Close(); <-wrote }()
	got := make([]byte, n)
	m, _ := io.ReadFull(rd, got)
	got = got[:m]
	if m < n {
		return got, true
	}
	if !expectClose {
		if err := conn.SetReadDeadline(time.Now().Add(150 * time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	extra, err := rd.ReadByte()
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return got, false
	}
	if err == nil {
		return append(got, extra), false
	}
	return got, true
}
