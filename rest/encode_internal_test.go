package rest

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/larder-db/larder/command"
)

func simple(s string) command.Value { return command.Value{Kind: command.VSimple, Str: s} }
func bulk(s string) command.Value   { return command.Value{Kind: command.VBulk, Str: s} }
func arr(vs ...command.Value) command.Value {
	return command.Value{Kind: command.VArray, Elems: vs}
}

// TestEncode_Entries: §5.1 shapes and §5.2's base64 rules at every depth,
// including replies no current command gives over REST (a script's nested
// OK and error, RESP3 maps, booleans, big numbers).
func TestEncode_Entries(t *testing.T) {
	cases := []struct {
		name  string
		v     command.Value
		b64   bool
		plain string
	}{
		{"top-level OK stays plain", simple("OK"), true, `{"result":"OK"}`},
		{"nested OK is encoded (EVAL {1,'OK',status_reply('OK')})", arr(command.Value{Kind: command.VInt, Int: 1}, bulk("OK"), simple("OK")), true, `{"result":[1,"T0s=","T0s="]}`},
		{"other simple strings are encoded", simple("QUEUED"), true, `{"result":"UVVFVUVE"}`},
		{"errors are never encoded", command.Value{Kind: command.VError, Str: "ERR x"}, true, `{"error":"ERR x"}`},
		{"nested error is a string", arr(command.Value{Kind: command.VError, Str: "ERR x"}), false, `{"result":["ERR x"]}`},
		{"nested error encoded", arr(command.Value{Kind: command.VError, Str: "ERR x"}), true, `{"result":["RVJSIHg="]}`},
		{"null bulk", command.Value{Kind: command.VNull}, true, `{"result":null}`},
		{"null array", command.Value{Kind: command.VNullArray}, false, `{"result":null}`},
		{"map flattened", command.Value{Kind: command.VMap, Elems: []command.Value{bulk("f"), bulk("v")}}, false, `{"result":["f","v"]}`},
		{"set flattened", command.Value{Kind: command.VSet, Elems: []command.Value{bulk("a")}}, true, `{"result":["YQ=="]}`},
		{"double as string", command.Value{Kind: command.VDouble, Float: 1.5}, false, `{"result":"1.5"}`},
		{"inf double", command.Value{Kind: command.VDouble, Float: math.Inf(1)}, true, `{"result":"aW5m"}`},
		{"boolean as integer", command.Value{Kind: command.VBool, Int: 1}, true, `{"result":1}`},
		{"big number as string", command.Value{Kind: command.VBigNumber, Str: "123456789012345678901234567890"}, false, `{"result":"123456789012345678901234567890"}`},
		{"verbatim text", command.Value{Kind: command.VVerbatim, Fmt: "txt", Str: "hi"}, false, `{"result":"hi"}`},
		{"int64 extremes exact", arr(command.Value{Kind: command.VInt, Int: math.MaxInt64}, command.Value{Kind: command.VInt, Int: math.MinInt64}), true, `{"result":[9223372036854775807,-9223372036854775808]}`},
		{"empty array", arr(), true, `{"result":[]}`},
		{"binary in base64", bulk("\x00\xff"), true, `{"result":"AP8="}`},
		{"invalid UTF-8 without base64", bulk("a\xffb"), false, `{"result":"a\ufffdb"}`},
		{"escapes as encoding/json", bulk("<&>\"\\\n\t\x01\u2028"), false, `{"result":"\u003c\u0026\u003e\"\\\n\t\u0001\u2028"}`},
	}
	for _, c := range cases {
		if got := string(appendEntry(nil, c.v, c.b64)); got != c.plain {
			t.Errorf("%s: got %s, want %s", c.name, got, c.plain)
		}
	}
}

// TestEncode_StringsMatchEncodingJSON: appendJSONString writes what
// encoding/json writes, for every byte and some multi-byte cases.
func TestEncode_StringsMatchEncodingJSON(t *testing.T) {
	inputs := []string{"", "plain", "\u00e9\u2029\U0001F600", "\xed\xa0\x80", "a\xc3"}
	for b := 0; b < 256; b++ {
		inputs = append(inputs, string([]byte{byte(b)}), "x"+string([]byte{byte(b)})+"y")
	}
	for _, s := range inputs {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}
