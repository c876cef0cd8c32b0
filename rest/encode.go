package rest

import (
	"encoding/base64"
	"strconv"
	"unicode/utf8"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/protocol/resp"
)

// Reply encoding (UPSTASH-REST.md §5): a captured reply becomes
// {"result": …} or {"error": …}, in RESP2 shapes (maps flattened, doubles
// as strings, booleans as integers), with every string base64-encoded at
// every depth when the client asked for Upstash-Encoding: base64 — except a
// top-level simple-string OK (§5.2). Integers, nulls and error texts are
// never encoded.

// appendEntry appends {"result":v} or, for an error reply, {"error":text}.
func appendEntry(b []byte, v command.Value, b64 bool) []byte {
	if v.Kind == command.VError {
		b = append(b, `{"error":`...)
		b = appendJSONString(b, v.Str)
		return append(b, '}')
	}
	b = append(b, `{"result":`...)
	b = appendValue(b, v, b64, true)
	return append(b, '}')
}

// appendError appends {"error":text}.
func appendError(b []byte, text string) []byte {
	b = append(b, `{"error":`...)
	b = appendJSONString(b, text)
	return append(b, '}')
}

// appendValue appends v as a JSON value; top is true for a reply's root.
func appendValue(b []byte, v command.Value, b64, top bool) []byte {
	switch v.Kind {
	case command.VInt, command.VBool:
		return strconv.AppendInt(b, v.Int, 10)
	case command.VNull, command.VNullArray:
		return append(b, "null"...)
	case command.VSimple:
		if top && v.Str == "OK" {
			return append(b, `"OK"`...)
		}
		return appendStr(b, v.Str, b64)
	case command.VDouble:
		if v.Str != "" {
			return appendStr(b, v.Str, b64)
		}
		return appendStr(b, resp.FormatDouble(v.Float), b64)
	case command.VBulk, command.VBigNumber, command.VVerbatim, command.VError:
		return appendStr(b, v.Str, b64) // a nested error is a string (§5.2 rule 4)
	case command.VArray, command.VMap, command.VSet, command.VPush:
		b = append(b, '[')
		for i, e := range v.Elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e, b64, false)
		}
		return append(b, ']')
	}
	return append(b, "null"...)
}

// appendStr appends s as a JSON string, base64-encoded when asked.
func appendStr(b []byte, s string, b64 bool) []byte {
	if !b64 {
		return appendJSONString(b, s)
	}
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, []byte(s))
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json does: control
// characters escaped, <, >, & and U+2028/2029 escaped, invalid UTF-8
// replaced by U+FFFD (§5.2, "without the header").
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
