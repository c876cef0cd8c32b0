package resp_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/larder-db/larder/protocol/resp"
)

// readAll parses in as one reply through a bufio.Reader of the given size
// (bufio's minimum is 16), so small sizes exercise lines split across fills.
func readAll(in string, size int) ([]byte, resp.Value, error) {
	return resp.ReadReply(bufio.NewReaderSize(strings.NewReader(in), size))
}

// Replies taken from redis-server 7.0.15 (DEBUG PROTOCOL <type> after HELLO 3,
// and ordinary commands), so the reader is pinned to real bytes.
var redisReplies = []struct {
	name string
	in   string
	want resp.Value
	str  string
}{
	{"simple", "+OK\r\n", resp.Value{Type: '+', Str: "OK"}, "OK"},
	{"error", "-ERR wrong number of arguments for 'get' command\r\n",
		resp.Value{Type: '-', Str: "ERR wrong number of arguments for 'get' command"},
		"(error) ERR wrong number of arguments for 'get' command"},
	{"integer", ":12345\r\n", resp.Value{Type: ':', Int: 12345}, "(integer) 12345"},
	{"negative", ":-2\r\n", resp.Value{Type: ':', Int: -2}, "(integer) -2"},
	{"bulk", "$11\r\nHello World\r\n", resp.Value{Type: '$', Str: "Hello World"}, `"Hello World"`},
	{"empty bulk", "$0\r\n\r\n", resp.Value{Type: '$'}, `""`},
	{"binary bulk", "$4\r\n\r\n\x00\xff\r\n", resp.Value{Type: '$', Str: "\r\n\x00\xff"}, `"\r\n\x00\xff"`},
	{"nil bulk", "$-1\r\n", resp.Value{Type: '$', Null: true}, "(nil)"},
	{"nil array", "*-1\r\n", resp.Value{Type: '*', Null: true}, "(nil array)"},
	{"null", "_\r\n", resp.Value{Type: '_', Null: true}, "(null)"},
	{"double", ",3.141\r\n", resp.Value{Type: ',', Str: "3.141", Float: 3.141}, "(double) 3.141"},
	{"double inf", ",-inf\r\n", resp.Value{Type: ',', Str: "-inf", Float: math.Inf(-1)}, "(double) -inf"},
	{"double exp", ",1.5e+300\r\n", resp.Value{Type: ',', Str: "1.5e+300", Float: 1.5e300}, "(double) 1.5e+300"},
	{"bignum", "(1234567999999999999999999999999999999\r\n",
		resp.Value{Type: '(', Str: "1234567999999999999999999999999999999"},
		"(big number) 1234567999999999999999999999999999999"},
	{"true", "#t\r\n", resp.Value{Type: '#', Int: 1}, "(true)"},
	{"false", "#f\r\n", resp.Value{Type: '#'}, "(false)"},
	{"verbatim", "=29\r\ntxt:This is a verbatim\nstring\r\n",
		resp.Value{Type: '=', Format: "txt", Str: "This is a verbatim\nstring"},
		`(verbatim txt) "This is a verbatim\nstring"`},
	{"blob error", "!9\r\nERR oops!\r\n", resp.Value{Type: '!', Str: "ERR oops!"}, `(blob error) "ERR oops!"`},
	{"array", "*3\r\n:0\r\n:1\r\n:2\r\n",
		resp.Value{Type: '*', Elems: []resp.Value{{Type: ':'}, {Type: ':', Int: 1}, {Type: ':', Int: 2}}},
		"1) (integer) 0\n2) (integer) 1\n3) (integer) 2"},
	{"empty array", "*0\r\n", resp.Value{Type: '*', Elems: []resp.Value{}}, "(empty array)"},
	{"set", "~2\r\n:0\r\n:1\r\n",
		resp.Value{Type: '~', Elems: []resp.Value{{Type: ':'}, {Type: ':', Int: 1}}},
		"1~ (integer) 0\n2~ (integer) 1"},
	{"map", "%2\r\n:0\r\n#f\r\n:1\r\n#t\r\n",
		resp.Value{Type: '%', Elems: []resp.Value{{Type: ':'}, {Type: '#'}, {Type: ':', Int: 1}, {Type: '#', Int: 1}}},
		"1# (integer) 0 => (false)\n2# (integer) 1 => (true)"},
	{"push", ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n",
		resp.Value{Type: '>', Elems: []resp.Value{{Type: '$', Str: "server-cpu-usage"}, {Type: ':', Int: 42}}},
		"(push) 1) \"server-cpu-usage\"\n       2) (integer) 42"},
	{"attribute", "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n",
		resp.Value{Type: '$', Str: "Some real reply following the attribute", Attrs: []resp.Value{
			{Type: '$', Str: "key-popularity"},
			{Type: '*', Elems: []resp.Value{{Type: '$', Str: "key:123"}, {Type: ':', Int: 90}}},
		}},
		"(attributes) 1# \"key-popularity\" => 1) \"key:123\"\n" +
			"                                    2) (integer) 90\n" +
			"\"Some real reply following the attribute\""},
	{"nested", "*2\r\n*2\r\n+a\r\n+b\r\n$1\r\nc\r\n",
		resp.Value{Type: '*', Elems: []resp.Value{
			{Type: '*', Elems: []resp.Value{{Type: '+', Str: "a"}, {Type: '+', Str: "b"}}},
			{Type: '$', Str: "c"},
		}},
		"1) 1) a\n   2) b\n2) \"c\""},
}

func TestReadReply_RedisBytes(t *testing.T) {
	for _, tc := range redisReplies {
		t.Run(tc.name, func(t *testing.T) {
			for _, size := range []int{16, 4096} {
				// A trailing reply must be left unread: exactly one reply is consumed.
				br := bufio.NewReaderSize(strings.NewReader(tc.in+"+NEXT\r\n"), size)
				raw, v, err := resp.ReadReply(br)
				if err != nil {
					t.Fatalf("size %d: ReadReply(%q): %v", size, tc.in, err)
				}
				if string(raw) != tc.in {
					t.Errorf("size %d: raw = %q, want %q", size, raw, tc.in)
				}
				if !sameValue(v, tc.want) {
					t.Errorf("size %d: value = %#v, want %#v", size, v, tc.want)
				}
				if got := v.String(); got != tc.str {
					t.Errorf("size %d: String() =\n%s\nwant\n%s", size, got, tc.str)
				}
				if _, next, err := resp.ReadReply(br); err != nil || next.Str != "NEXT" {
					t.Errorf("size %d: next reply = %v, %v; want NEXT", size, next, err)
				}
			}
		})
	}
}

func TestReadReply_Malformed(t *testing.T) {
	cases := []struct{ name, in string }{
		{"empty line", "\r\n"},
		{"unknown type", "?x\r\n"},
		{"bare newline", "+OK\n"},
		{"cr inside line", "+O\rK\r\n"},
		{"int plus sign", ":+1\r\n"},
		{"int leading zero", ":01\r\n"},
		{"int minus zero", ":-0\r\n"},
		{"int empty", ":\r\n"},
		{"int overflow", ":9223372036854775808\r\n"},
		{"int letters", ":12a\r\n"},
		{"bulk length -2", "$-2\r\n"},
		{"bulk length letters", "$x\r\n"},
		{"bulk wrong terminator", "$3\r\nabcde\r\n"},
		{"blob error null", "!-1\r\n"},
		{"verbatim null", "=-1\r\n"},
		{"verbatim short", "=3\r\ntxt\r\n"},
		{"verbatim no colon", "=5\r\ntxt-a\r\n"},
		{"null with body", "_x\r\n"},
		{"bool other", "#x\r\n"},
		{"bool empty", "#\r\n"},
		{"double empty", ",\r\n"},
		{"double hex", ",0x1p3\r\n"},
		{"double Inf", ",Inf\r\n"},
		{"double dot only", ",1.\r\n"},
		{"double bad exponent", ",1e\r\n"},
		{"bignum empty", "(\r\n"},
		{"bignum sign only", "(-\r\n"},
		{"bignum letters", "(12x\r\n"},
		{"set null", "~-1\r\n"},
		{"map null", "%-1\r\n"},
		{"push count -2", ">-2\r\n"},
		{"array bad count", "*1x\r\n"},
		{"streamed string", "$?\r\n;4\r\nHell\r\n;0\r\n"},
		{"bad element", "*2\r\n+a\r\n:b\r\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw, _, err := readAll(tc.in, 16)
			if !errors.Is(err, resp.ErrMalformedReply) {
				t.Fatalf("ReadReply(%q) error = %v, want ErrMalformedReply", tc.in, err)
			}
			if !strings.HasPrefix(tc.in, string(raw)) {
				t.Errorf("raw %q is not a prefix of the input", raw)
			}
		})
	}
}

func TestReadReply_EOF(t *testing.T) {
	if _, _, err := readAll("", 16); err != io.EOF {
		t.Errorf("empty stream: error = %v, want io.EOF", err)
	}
	for _, in := range []string{"+OK", "+OK\r", "$5\r\nabc", "$3\r\nabc", "*2\r\n:1\r\n", "|1\r\n+a\r\n+b\r\n", "%1\r\n+a\r\n"} {
		if _, _, err := readAll(in, 16); err != io.ErrUnexpectedEOF {
			t.Errorf("ReadReply(%q) error = %v, want io.ErrUnexpectedEOF", in, err)
		}
	}
}

func TestReadReply_Limits(t *testing.T) {
	lim := resp.ReplyLimits{MaxBulkLen: 8, MaxLineLen: 20, MaxElems: 3, MaxDepth: 2}
	cases := []struct {
		name, in string
		ok       bool
	}{
		{"bulk at limit", "$8\r\n12345678\r\n", true},
		{"bulk over limit", "$9\r\n", false},
		{"verbatim over limit", "=9\r\n", false},
		{"line at limit", "+" + strings.Repeat("x", 19) + "\r\n", true},
		{"line over limit", "+" + strings.Repeat("x", 40) + "\r\n", false},
		{"count at limit", "*3\r\n:1\r\n:2\r\n:3\r\n", true},
		{"count over limit", "*4\r\n", false},
		{"map count over limit", "%4\r\n", false},
		{"depth at limit", "*1\r\n*1\r\n:1\r\n", true},
		{"depth over limit", "*1\r\n*1\r\n*1\r\n:1\r\n", false},
		{"attribute counts as depth", "*1\r\n*1\r\n|1\r\n+k\r\n+v\r\n:1\r\n", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := lim.ReadReply(bufio.NewReaderSize(strings.NewReader(tc.in), 16))
			if tc.ok && err != nil {
				t.Fatalf("ReadReply(%q) = %v, want success", tc.in, err)
			}
			if !tc.ok && !errors.Is(err, resp.ErrReplyLimit) {
				t.Fatalf("ReadReply(%q) error = %v, want ErrReplyLimit", tc.in, err)
			}
		})
	}
}

// TestReadReply_HugeLengthNoAlloc checks that an announced length is not
// allocated up front: a 500 MB bulk header with a few bytes behind it must
// fail with ErrUnexpectedEOF after allocating little.
func TestReadReply_HugeLengthNoAlloc(t *testing.T) {
	in := "$500000000\r\nabc"
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 5; i++ {
		if _, _, err := readAll(in, 16); err != io.ErrUnexpectedEOF {
			t.Fatalf("error = %v, want io.ErrUnexpectedEOF", err)
		}
	}
	runtime.ReadMemStats(&after)
	// TotalAlloc is cumulative, so a GC in between cannot hide an allocation.
	if perRun := (after.TotalAlloc - before.TotalAlloc) / 5; perRun > 1<<20 {
		t.Errorf("reading a lying 500 MB header allocated %d bytes per run", perRun)
	}
	if _, _, err := readAll("$600000000\r\n", 16); !errors.Is(err, resp.ErrReplyLimit) {
		t.Errorf("600 MB bulk: error = %v, want ErrReplyLimit", err)
	}
	if _, _, err := readAll("*2147483648\r\n", 16); !errors.Is(err, resp.ErrReplyLimit) {
		t.Errorf("2^31 elements: error = %v, want ErrReplyLimit", err)
	}
}

func TestReadReply_AttributeChain(t *testing.T) {
	in := "|1\r\n+a\r\n:1\r\n|1\r\n+b\r\n:2\r\n+OK\r\n"
	raw, v, err := readAll(in, 16)
	if err != nil || string(raw) != in {
		t.Fatalf("ReadReply = %q, %v", raw, err)
	}
	want := resp.Value{Type: '+', Str: "OK", Attrs: []resp.Value{
		{Type: '+', Str: "a"}, {Type: ':', Int: 1}, {Type: '+', Str: "b"}, {Type: ':', Int: 2},
	}}
	if !sameValue(v, want) {
		t.Errorf("value = %#v, want %#v", v, want)
	}
}

func TestValue_String_Wide(t *testing.T) {
	// Ten elements: numbers are right-aligned as redis-cli does.
	var b []byte
	b = resp.AppendArray(b, 10)
	for i := 0; i < 10; i++ {
		b = resp.AppendInt(b, int64(i))
	}
	_, v, err := readAll(string(b), 4096)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(v.String(), "\n")
	if lines[0] != " 1) (integer) 0" || lines[9] != "10) (integer) 9" {
		t.Errorf("String() =\n%s", v.String())
	}
}

// sameValue is reflect.DeepEqual except that NaN equals NaN and a nil slice
// equals an empty one.
func sameValue(a, b resp.Value) bool {
	if a.Type != b.Type || a.Null != b.Null || a.Str != b.Str || a.Format != b.Format || a.Int != b.Int {
		return false
	}
	if a.Float != b.Float && !(math.IsNaN(a.Float) && math.IsNaN(b.Float)) {
		return false
	}
	return sameValues(a.Elems, b.Elems) && sameValues(a.Attrs, b.Attrs)
}

func sameValues(a, b []resp.Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameValue(a[i], b[i]) {
			return false
		}
	}
	return true
}

// encodeValue writes v back to RESP. The reader keeps the wire text of
// doubles and big numbers and accepts only canonical integers, so for any
// reply without attributes encodeValue(ReadReply(x)) == x byte for byte.
func encodeValue(b []byte, v resp.Value) []byte {
	if len(v.Attrs) > 0 {
		b = header(b, '|', len(v.Attrs)/2)
		for _, a := range v.Attrs {
			b = encodeValue(b, a)
		}
	}
	switch {
	case v.Null && v.Type == resp.TypeNull:
		return append(b, "_\r\n"...)
	case v.Null:
		return append(b, v.Type, '-', '1', '\r', '\n')
	}
	switch v.Type {
	case resp.TypeSimple, resp.TypeError, resp.TypeDouble, resp.TypeBigNumber:
		return append(append(append(b, v.Type), v.Str...), '\r', '\n')
	case resp.TypeInt:
		return append(strconv.AppendInt(append(b, ':'), v.Int, 10), '\r', '\n')
	case resp.TypeBool:
		return append(b, '#', "ft"[v.Int], '\r', '\n')
	case resp.TypeBulk, resp.TypeBlobError:
		return append(append(header(b, v.Type, len(v.Str)), v.Str...), '\r', '\n')
	case resp.TypeVerbatim:
		b = header(b, v.Type, len(v.Str)+4)
		return append(append(append(append(b, v.Format...), ':'), v.Str...), '\r', '\n')
	}
	n := len(v.Elems)
	if v.Type == resp.TypeMap {
		n /= 2
	}
	b = header(b, v.Type, n)
	for _, e := range v.Elems {
		b = encodeValue(b, e)
	}
	return b
}

func header(b []byte, typ byte, n int) []byte {
	return append(strconv.AppendInt(append(b, typ), int64(n), 10), '\r', '\n')
}

func TestEncodeValue_RoundTrip(t *testing.T) {
	for _, tc := range redisReplies {
		if got := encodeValue(nil, tc.want); !bytes.Equal(got, []byte(tc.in)) {
			t.Errorf("%s: encodeValue = %q, want %q", tc.name, got, tc.in)
		}
	}
}
