package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"
)

// decodeOracle decodes data with encoding/json (numbers as literals) and
// reports whether it is exactly one JSON value.
func decodeOracle(data []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, false
	}
	return v, true
}

// oracleArgs turns one decoded command into argv the way §4 says, or
// reports that it is not a flat array of scalars. hasNull tells whether a
// null was among them.
func oracleArgs(v any) (argv []string, hasNull, ok bool) {
	arr, isArr := v.([]any)
	if !isArr {
		return nil, false, false
	}
	for _, e := range arr {
		switch x := e.(type) {
		case string:
			argv = append(argv, x)
		case json.Number:
			argv = append(argv, string(x))
		case bool:
			if x {
				argv = append(argv, "true")
			} else {
				argv = append(argv, "false")
			}
		case nil:
			argv = append(argv, "")
			hasNull = true
		default:
			return nil, false, false
		}
	}
	return argv, hasNull, true
}

func sameArgs(t *testing.T, data []byte, got request, want []string, hasNull bool) {
	t.Helper()
	if len(got.argv) != len(want) {
		t.Fatalf("%q: %d args, oracle %d", data, len(got.argv), len(want))
	}
	for i := range want {
		if string(got.argv[i]) != want[i] {
			t.Fatalf("%q: arg %d = %q, oracle %q", data, i, got.argv[i], want[i])
		}
	}
	if (got.err != "") != hasNull {
		t.Fatalf("%q: null error %q, oracle null %v", data, got.err, hasNull)
	}
}

var commandSeeds = []string{
	`["SET","foo","bar","EX",100]`, `["set","k",101600000000150081467]`, `["a",1.5e-3,-0,true,false,null]`,
	` [ "x" , "\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t" ] `, `["\ud800\u0041"]`, `["\udc00"]`, "[\"\xff\xfe\"]",
	`[]`, `[[]]`, `{"a":1}`, `["a",]`, `[01]`, `[1.]`, `[-]`, `[1e]`, `["a"] x`, `[nul]`, `[truex]`, "[\"\x01\"]",
	`[[["SET","a","1"],["INCR","a"]]]`, `[["GET","k"],["PING"]]`, strings.Repeat("[", 10000),
}

// FuzzParseCommandBody checks the POST / body parser against encoding/json:
// whatever one accepts as a flat array of scalars the other accepts with the
// same arguments (numbers kept literally), and it never panics.
func FuzzParseCommandBody(f *testing.F) {
	for _, s := range commandSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cmd, err := parseCommandBody(data)
		v, valid := decodeOracle(data)
		want, hasNull, flat := oracleArgs(v)
		switch {
		case err == nil && !(valid && flat):
			t.Fatalf("%q accepted, but encoding/json says valid=%v flat=%v", data, valid, flat)
		case err == nil:
			sameArgs(t, data, cmd, want, hasNull)
		case valid && flat && len(want) > 0:
			t.Fatalf("%q refused (%v), but it is a flat array of scalars", data, err)
		}
	})
}

// FuzzParsePipelineBody does the same for /pipeline bodies.
func FuzzParsePipelineBody(f *testing.F) {
	for _, s := range commandSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cmds, err := parsePipelineBody(data, 1000)
		v, valid := decodeOracle(data)
		outer, isArr := v.([]any)
		okShape := valid && isArr && len(outer) > 0 && len(outer) <= 1000
		var wants [][]string
		var nulls []bool
		for _, c := range outer {
			argv, hasNull, flat := oracleArgs(c)
			okShape = okShape && flat && len(argv) > 0
			wants, nulls = append(wants, argv), append(nulls, hasNull)
		}
		switch {
		case err == nil && !okShape:
			t.Fatalf("%q accepted, but encoding/json disagrees", data)
		case err == nil:
			if len(cmds) != len(wants) {
				t.Fatalf("%q: %d commands, oracle %d", data, len(cmds), len(wants))
			}
			for i := range wants {
				sameArgs(t, data, cmds[i], wants[i], nulls[i])
			}
		case okShape:
			t.Fatalf("%q refused (%v), but encoding/json reads a pipeline", data, err)
		}
	})
}

// FuzzPathArgs checks the path → argv parser: any arguments escaped segment
// by segment come back unchanged (a '/' inside one stays inside), query
// parameters follow in order without _token, and arbitrary input never
// panics.
func FuzzPathArgs(f *testing.F) {
	for _, s := range []string{"set\x00foo\x00bar", "get\x00a/b", "set\x00k\x00x y%2F", "zadd\x00teams\x00100\x00team-x", "a\x00\x00b", "%zz", "get\x00\xff"} {
		f.Add(s, "EX=100&NX&_token=t&a%20b=c%3Dd")
	}
	f.Fuzz(func(t *testing.T, joined, query string) {
		_, _ = pathArgs(joined, query, []byte(joined)) // raw input: must not panic
		args := strings.Split(joined, "\x00")
		if args[len(args)-1] == "" {
			return // a trailing slash is dropped, so a final empty argument cannot round-trip
		}
		esc := make([]string, len(args))
		for i, a := range args {
			esc[i] = url.PathEscape(a)
		}
		got, err := pathArgs(strings.Join(esc, "/"), "", nil)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if len(got) != len(args) {
			t.Fatalf("%q: got %d args %q", args, len(got), got)
		}
		for i := range args {
			if string(got[i]) != args[i] {
				t.Fatalf("%q: arg %d = %q", args, i, got[i])
			}
		}
		vals, err := url.ParseQuery(query)
		if err != nil || strings.Contains(query, ";") {
			return
		}
		withQuery, err := pathArgs("get/k", query, []byte("body"))
		if err != nil {
			t.Fatalf("query %q: %v", query, err)
		}
		n := 0
		for k, vs := range vals {
			if k != "_token" {
				n += len(vs) * 2 // an upper bound: a parameter without '=' is one argument
			}
		}
		if len(withQuery) < 3 || string(withQuery[2]) != "body" || len(withQuery)-3 > n {
			t.Fatalf("query %q: argv %q", query, withQuery)
		}
	})
}
