package resp

import (
	"math"
	"strconv"
)

// Protocol versions a session can speak.
const (
	RESP2 = 2
	RESP3 = 3
)

// AppendSimple appends a simple string: +s\r\n.
func AppendSimple(b []byte, s string) []byte {
	b = append(b, '+')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// AppendError appends an error line: -msg\r\n. Line breaks inside msg would
// desync the client, so they are replaced by spaces as Redis does.
func AppendError(b []byte, msg string) []byte {
	b = append(b, '-')
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		if c == '\r' || c == '\n' {
			c = ' '
		}
		b = append(b, c)
	}
	return append(b, '\r', '\n')
}

// AppendInt appends an integer: :n\r\n.
func AppendInt(b []byte, n int64) []byte {
	b = append(b, ':')
	b = strconv.AppendInt(b, n, 10)
	return append(b, '\r', '\n')
}

// AppendBulk appends a bulk string: $len\r\nbytes\r\n.
func AppendBulk(b []byte, v []byte) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(v)), 10)
	b = append(b, '\r', '\n')
	b = append(b, v...)
	return append(b, '\r', '\n')
}

// AppendBulkString is AppendBulk for a string.
func AppendBulkString(b []byte, v string) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(v)), 10)
	b = append(b, '\r', '\n')
	b = append(b, v...)
	return append(b, '\r', '\n')
}

// AppendNull appends the null of a missing bulk: $-1 in RESP2, _ in RESP3.
func AppendNull(b []byte, proto int) []byte {
	if proto >= RESP3 {
		return append(b, '_', '\r', '\n')
	}
	return append(b, '$', '-', '1', '\r', '\n')
}

// AppendNullArray appends the null of a missing array: *-1 in RESP2, _ in RESP3.
func AppendNullArray(b []byte, proto int) []byte {
	if proto >= RESP3 {
		return append(b, '_', '\r', '\n')
	}
	return append(b, '*', '-', '1', '\r', '\n')
}

func appendHeader(b []byte, c byte, n int) []byte {
	b = append(b, c)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, '\r', '\n')
}

// AppendArray appends an array header of n elements.
func AppendArray(b []byte, n int) []byte { return appendHeader(b, '*', n) }

// AppendMap appends a map header of n key/value pairs; RESP2 gets a flat
// array of 2n elements.
func AppendMap(b []byte, n int, proto int) []byte {
	if proto >= RESP3 {
		return appendHeader(b, '%', n)
	}
	return appendHeader(b, '*', 2*n)
}

// AppendSet appends a set header; RESP2 gets an array.
func AppendSet(b []byte, n int, proto int) []byte {
	if proto >= RESP3 {
		return appendHeader(b, '~', n)
	}
	return appendHeader(b, '*', n)
}

// AppendPush appends a push header; RESP2 gets an array (pub/sub messages).
func AppendPush(b []byte, n int, proto int) []byte {
	if proto >= RESP3 {
		return appendHeader(b, '>', n)
	}
	return appendHeader(b, '*', n)
}

// FormatDouble formats f as Redis 7.0's addReplyDouble does: "%.17g", with
// inf, -inf and nan spelled out.
func FormatDouble(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}

// AppendDouble appends a double: ,f\r\n in RESP3, a bulk string in RESP2.
func AppendDouble(b []byte, f float64, proto int) []byte {
	if proto >= RESP3 {
		b = append(b, ',')
		b = append(b, FormatDouble(f)...)
		return append(b, '\r', '\n')
	}
	return AppendBulkString(b, FormatDouble(f))
}

// AppendDoubleText appends a double already formatted as text: ,text\r\n
// in RESP3, a bulk string in RESP2.
func AppendDoubleText(b []byte, text string, proto int) []byte {
	if proto >= RESP3 {
		b = append(b, ',')
		b = append(b, text...)
		return append(b, '\r', '\n')
	}
	return AppendBulkString(b, text)
}

// AppendBool appends a boolean: #t/#f in RESP3, :1/:0 in RESP2.
func AppendBool(b []byte, v bool, proto int) []byte {
	if proto >= RESP3 {
		if v {
			return append(b, '#', 't', '\r', '\n')
		}
		return append(b, '#', 'f', '\r', '\n')
	}
	if v {
		return append(b, ':', '1', '\r', '\n')
	}
	return append(b, ':', '0', '\r', '\n')
}

// AppendBigNumber appends a big number: (n\r\n in RESP3, a bulk in RESP2.
func AppendBigNumber(b []byte, n string, proto int) []byte {
	if proto >= RESP3 {
		b = append(b, '(')
		b = append(b, n...)
		return append(b, '\r', '\n')
	}
	return AppendBulkString(b, n)
}

// AppendVerbatim appends a verbatim string with a 3-letter format ("txt"):
// =len\r\nfmt:text\r\n in RESP3, a plain bulk in RESP2.
func AppendVerbatim(b []byte, format, text string, proto int) []byte {
	if proto < RESP3 {
		return AppendBulkString(b, text)
	}
	b = append(b, '=')
	b = strconv.AppendInt(b, int64(len(text)+4), 10)
	b = append(b, '\r', '\n')
	b = append(b, format...)
	b = append(b, ':')
	b = append(b, text...)
	return append(b, '\r', '\n')
}
