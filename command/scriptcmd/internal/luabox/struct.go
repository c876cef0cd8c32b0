package luabox

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// struct is Roberto Ierusalimschy's struct library (0.2) as Redis ships
// it: pack, unpack and size over a format of options
// (< > ! x b B h H l L T i I s f d c), little-endian native order.

const structMaxInt = 32

type structHeader struct {
	big   bool
	align int
}

type structOpt struct {
	op   byte
	size int
}

func structLib(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	t.RawSetString("pack", L.NewFunction(structPack))
	t.RawSetString("unpack", L.NewFunction(structUnpack))
	t.RawSetString("size", L.NewFunction(structSize))
	return t
}

// nextOpt reads one option at *i, applying the header options in place.
func nextOpt(L *lua.LState, fnName, f string, i *int, h *structHeader) (structOpt, bool) {
	for *i < len(f) {
		c := f[*i]
		*i++
		switch c {
		case ' ':
		case '>':
			h.big = true
		case '<':
			h.big = false
		case '!':
			h.align = readNum(f, i, 8)
			if h.align&(h.align-1) != 0 {
				L.RaiseError("alignment %d is not a power of 2", h.align)
			}
		case 'b', 'B', 'x':
			return structOpt{c, 1}, true
		case 'h', 'H':
			return structOpt{c, 2}, true
		case 'l', 'L', 'T', 'd':
			return structOpt{c, 8}, true
		case 'f':
			return structOpt{c, 4}, true
		case 's':
			return structOpt{c, 0}, true
		case 'c':
			return structOpt{c, readNum(f, i, 1)}, true
		case 'i', 'I':
			n := readNum(f, i, 4)
			if n > structMaxInt {
				L.RaiseError("integral size %d is larger than limit of %d", n, structMaxInt)
			}
			return structOpt{c, n}, true
		default:
			argError(L, 1, fnName, fmt.Sprintf("invalid format option '%c'", c))
		}
	}
	return structOpt{}, false
}

func readNum(f string, i *int, def int) int {
	if *i >= len(f) || !isDigit(f[*i]) {
		return def
	}
	n := 0
	for *i < len(f) && isDigit(f[*i]) && n < math.MaxInt32/10 {
		n = n*10 + int(f[*i]-'0')
		*i++
	}
	return n
}

func structPad(L *lua.LState, n int, h *structHeader, o structOpt) int {
	if o.size <= 1 || o.op == 'c' {
		return 0
	}
	a := o.size
	if h.align < a {
		a = h.align
	}
	return (a - (n & (a - 1))) & (a - 1)
}

func putUint(buf []byte, v uint64, size int, big bool) []byte {
	b := make([]byte, size)
	for k := 0; k < size && k < 8; k++ {
		idx := k
		if big {
			idx = size - 1 - k
		}
		b[idx] = byte(v >> (8 * k))
	}
	return append(buf, b...)
}

func structPack(L *lua.LState) int {
	f := checkString(L, 1, "pack")
	h := structHeader{align: 1}
	var out []byte
	arg := 2
	for i := 0; ; {
		o, ok := nextOpt(L, "pack", f, &i, &h)
		if !ok {
			break
		}
		out = append(out, make([]byte, structPad(L, len(out), &h, o))...)
		switch o.op {
		case 'x':
			out = append(out, 0)
			continue
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			n := float64(L.CheckNumber(arg))
			var v uint64
			if n < 0 {
				v = uint64(int64(n))
			} else {
				v = uint64(n)
			}
			out = putUint(out, v, o.size, h.big)
		case 'f', 'd':
			out = packFloat(out, float64(L.CheckNumber(arg)), o.size, h.big)
		case 'c', 's':
			s := L.CheckString(arg)
			size := o.size
			if o.op == 's' || size == 0 {
				size = len(s)
			}
			if len(s) < size {
				argError(L, arg+1, "pack", "string too short")
			}
			out = append(out, s[:size]...)
			if o.op == 's' {
				out = append(out, 0)
			}
		}
		arg++
	}
	L.Push(lua.LString(out))
	return 1
}

func packFloat(out []byte, f float64, size int, big bool) []byte {
	if size == 4 {
		return putUint(out, uint64(math.Float32bits(float32(f))), 4, big)
	}
	return putUint(out, math.Float64bits(f), 8, big)
}

func structUnpack(L *lua.LState) int {
	f, data := L.CheckString(1), L.CheckString(2)
	pos := L.OptInt(3, 1) - 1
	if pos < 0 || pos > len(data) {
		argError(L, 3, "unpack", "offset must be 1 or greater")
	}
	h := structHeader{align: 1}
	n := 0
	for i := 0; ; {
		o, ok := nextOpt(L, "unpack", f, &i, &h)
		if !ok {
			break
		}
		pos += structPad(L, pos, &h, o)
		if o.op != 's' && pos+o.size > len(data) {
			argError(L, 2, "unpack", "data string too short")
		}
		switch o.op {
		case 'x':
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			L.Push(lua.LNumber(getInt([]byte(data[pos:pos+o.size]), h.big, o.op >= 'a')))
			n++
		case 'f', 'd':
			L.Push(lua.LNumber(unpackFloat([]byte(data[pos:pos+o.size]), h.big)))
			n++
		case 'c':
			size := o.size
			if size == 0 {
				if n == 0 || L.Get(-1).Type() != lua.LTNumber {
					L.RaiseError("format 'c0' needs a previous size")
				}
				size = int(L.Get(-1).(lua.LNumber))
				L.Pop(1)
				n--
				if pos+size > len(data) {
					argError(L, 2, "unpack", "data string too short")
				}
			}
			L.Push(lua.LString(data[pos : pos+size]))
			n++
			o.size = size
		case 's':
			e := strings.IndexByte(data[pos:], 0)
			if e < 0 {
				L.RaiseError("unfinished string in data")
			}
			L.Push(lua.LString(data[pos : pos+e]))
			n++
			o.size = e + 1
		}
		pos += o.size
	}
	L.Push(lua.LNumber(pos + 1))
	return n + 1
}

func getInt(b []byte, big, signed bool) float64 {
	var v uint64
	for k := 0; k < len(b) && k < 8; k++ {
		idx := k
		if big {
			idx = len(b) - 1 - k
		}
		v |= uint64(b[idx]) << (8 * k)
	}
	if signed && len(b) < 8 && len(b) > 0 && v&(1<<(8*len(b)-1)) != 0 {
		v |= ^uint64(0) << (8 * len(b))
	}
	if signed {
		return float64(int64(v))
	}
	return float64(v)
}

func unpackFloat(b []byte, big bool) float64 {
	var order binary.ByteOrder = binary.LittleEndian
	if big {
		order = binary.BigEndian
	}
	if len(b) == 4 {
		return float64(math.Float32frombits(order.Uint32(b)))
	}
	return math.Float64frombits(order.Uint64(b))
}

func structSize(L *lua.LState) int {
	f := L.CheckString(1)
	h := structHeader{align: 1}
	pos := 0
	for i := 0; ; {
		o, ok := nextOpt(L, "size", f, &i, &h)
		if !ok {
			break
		}
		if o.op == 's' {
			argError(L, 1, "size", "option 's' has no fixed size")
		}
		if o.op == 'c' && o.size == 0 {
			argError(L, 1, "size", "option 'c0' has no fixed size")
		}
		pos += structPad(L, pos, &h, o) + o.size
	}
	L.Push(lua.LNumber(pos))
	return 1
}
