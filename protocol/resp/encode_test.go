package resp

import (
	"math"
	"testing"
)

func TestEncode_Shapes(t *testing.T) {
	cases := []struct {
		name       string
		enc        func(b []byte, proto int) []byte
		resp2, res string
	}{
		{"simple", func(b []byte, _ int) []byte { return AppendSimple(b, "OK") }, "+OK\r\n", "+OK\r\n"},
		{"error newline", func(b []byte, _ int) []byte { return AppendError(b, "ERR a\r\nb") }, "-ERR a  b\r\n", "-ERR a  b\r\n"},
		{"int", func(b []byte, _ int) []byte { return AppendInt(b, -42) }, ":-42\r\n", ":-42\r\n"},
		{"bulk", func(b []byte, _ int) []byte { return AppendBulk(b, []byte("a\r\nb")) }, "$4\r\na\r\nb\r\n", "$4\r\na\r\nb\r\n"},
		{"empty bulk", func(b []byte, _ int) []byte { return AppendBulkString(b, "") }, "$0\r\n\r\n", "$0\r\n\r\n"},
		{"null", AppendNull, "$-1\r\n", "_\r\n"},
		{"null array", AppendNullArray, "*-1\r\n", "_\r\n"},
		{"map", func(b []byte, p int) []byte { return AppendMap(b, 2, p) }, "*4\r\n", "%2\r\n"},
		{"set", func(b []byte, p int) []byte { return AppendSet(b, 3, p) }, "*3\r\n", "~3\r\n"},
		{"push", func(b []byte, p int) []byte { return AppendPush(b, 3, p) }, "*3\r\n", ">3\r\n"},
		{"double", func(b []byte, p int) []byte { return AppendDouble(b, 1.1, p) }, "$18\r\n1.1000000000000001\r\n", ",1.1000000000000001\r\n"},
		{"double int", func(b []byte, p int) []byte { return AppendDouble(b, 3, p) }, "$1\r\n3\r\n", ",3\r\n"},
		{"double exp", func(b []byte, p int) []byte { return AppendDouble(b, 1e20, p) }, "$5\r\n1e+20\r\n", ",1e+20\r\n"},
		{"inf", func(b []byte, p int) []byte { return AppendDouble(b, math.Inf(-1), p) }, "$4\r\n-inf\r\n", ",-inf\r\n"},
		{"bool", func(b []byte, p int) []byte { return AppendBool(b, true, p) }, ":1\r\n", "#t\r\n"},
		{"big number", func(b []byte, p int) []byte { return AppendBigNumber(b, "123", p) }, "$3\r\n123\r\n", "(123\r\n"},
		{"verbatim", func(b []byte, p int) []byte { return AppendVerbatim(b, "txt", "hi", p) }, "$2\r\nhi\r\n", "=6\r\ntxt:hi\r\n"},
	}
	for _, c := range cases {
		if got := string(c.enc(nil, RESP2)); got != c.resp2 {
			t.Errorf("%s RESP2: %q, want %q", c.name, got, c.resp2)
		}
		if got := string(c.enc(nil, RESP3)); got != c.res {
			t.Errorf("%s RESP3: %q, want %q", c.name, got, c.res)
		}
	}
}
