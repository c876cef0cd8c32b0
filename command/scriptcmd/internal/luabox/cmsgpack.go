package luabox

import (
	"encoding/binary"
	"math"

	lua "github.com/yuin/gopher-lua"
)

// cmsgpack is lua-cmsgpack 0.4 as Redis ships it: pack(...) encodes each
// argument, unpack/unpack_one/unpack_limit decode. Arrays are tables whose
// keys are exactly 1..n; nesting past 16 levels and unsupported types
// encode as nil.

const msgpackMaxNesting = 16

func (b *Box) msgpackLib() *lua.LTable {
	L := b.L
	t := L.NewTable()
	t.RawSetString("pack", L.NewFunction(b.msgpackPack))
	t.RawSetString("unpack", L.NewFunction(func(L *lua.LState) int { return msgpackUnpack(L, 0, 0) }))
	t.RawSetString("unpack_one", L.NewFunction(func(L *lua.LState) int {
		return msgpackUnpack(L, 1, L.OptInt(2, 0))
	}))
	t.RawSetString("unpack_limit", L.NewFunction(func(L *lua.LState) int {
		return msgpackUnpack(L, L.CheckInt(2), L.OptInt(3, 0))
	}))
	t.RawSetString("_NAME", lua.LString("cmsgpack"))
	t.RawSetString("_VERSION", lua.LString("lua-cmsgpack 0.4.0"))
	return t
}

func (b *Box) msgpackPack(L *lua.LState) int {
	n := L.GetTop()
	if n == 0 {
		argError(L, 0, "pack", "MessagePack pack needs input.")
	}
	var out []byte
	for i := 1; i <= n; i++ {
		out = b.mpEncode(L, out, L.Get(i), 0)
	}
	L.Push(lua.LString(out))
	return 1
}

func (b *Box) mpEncode(L *lua.LState, out []byte, v lua.LValue, level int) []byte {
	if len(out) > b.maxStr {
		L.RaiseError(errStringTooLong)
	}
	switch x := v.(type) {
	case lua.LString:
		return mpHeader(out, len(x), 0xa0, 32, 0xd9, 0xda, 0xdb, true, string(x))
	case lua.LBool:
		if x {
			return append(out, 0xc3)
		}
		return append(out, 0xc2)
	case lua.LNumber:
		return mpNumber(out, float64(x))
	case *lua.LTable:
		if level >= msgpackMaxNesting {
			return append(out, 0xc0)
		}
		return b.mpTable(L, out, x, level+1)
	}
	return append(out, 0xc0)
}

// mpHeader writes a length-prefixed header (fix form below fixMax, then 8,
// 16, 32-bit forms) and, for strings, the bytes.
func mpHeader(out []byte, n int, fix byte, fixMax int, c8, c16, c32 byte, has8 bool, s string) []byte {
	switch {
	case n < fixMax:
		out = append(out, fix|byte(n))
	case has8 && n <= 0xff:
		out = append(out, c8, byte(n))
	case n <= 0xffff:
		out = binary.BigEndian.AppendUint16(append(out, c16), uint16(n))
	default:
		out = binary.BigEndian.AppendUint32(append(out, c32), uint32(n))
	}
	return append(out, s...)
}

func mpNumber(out []byte, f float64) []byte {
	if f == math.Trunc(f) && f >= -9.2233720368547758e18 && f < 9.2233720368547758e18 {
		return mpInt(out, int64(f))
	}
	if float64(float32(f)) == f || math.IsNaN(f) {
		return binary.BigEndian.AppendUint32(append(out, 0xca), math.Float32bits(float32(f)))
	}
	return binary.BigEndian.AppendUint64(append(out, 0xcb), math.Float64bits(f))
}

func mpInt(out []byte, n int64) []byte {
	be := binary.BigEndian
	switch {
	case n >= 0 && n <= 127:
		return append(out, byte(n))
	case n >= 0 && n <= 0xff:
		return append(out, 0xcc, byte(n))
	case n >= 0 && n <= 0xffff:
		return be.AppendUint16(append(out, 0xcd), uint16(n))
	case n >= 0 && n <= 0xffffffff:
		return be.AppendUint32(append(out, 0xce), uint32(n))
	case n >= 0:
		return be.AppendUint64(append(out, 0xcf), uint64(n))
	case n >= -32:
		return append(out, byte(n))
	case n >= -128:
		return append(out, 0xd0, byte(n))
	case n >= -32768:
		return be.AppendUint16(append(out, 0xd1), uint16(n))
	case n >= -2147483648:
		return be.AppendUint32(append(out, 0xd2), uint32(n))
	}
	return be.AppendUint64(append(out, 0xd3), uint64(n))
}

func (b *Box) mpTable(L *lua.LState, out []byte, t *lua.LTable, level int) []byte {
	count, maxKey, array := 0, 0, true
	t.ForEach(func(k, _ lua.LValue) {
		count++
		n, ok := k.(lua.LNumber)
		if !ok || n < 1 || float64(n) != math.Floor(float64(n)) {
			array = false
			return
		}
		if int(n) > maxKey {
			maxKey = int(n)
		}
	})
	if array && maxKey == count {
		out = mpHeader(out, count, 0x90, 16, 0, 0xdc, 0xdd, false, "")
		for i := 1; i <= count; i++ {
			out = b.mpEncode(L, out, t.RawGetInt(i), level)
		}
		return out
	}
	out = mpHeader(out, count, 0x80, 16, 0, 0xde, 0xdf, false, "")
	t.ForEach(func(k, v lua.LValue) {
		out = b.mpEncode(L, out, k, level)
		out = b.mpEncode(L, out, v, level)
	})
	return out
}

// msgpackUnpack decodes up to limit objects (0 = all) from offset and
// returns them; with a limit it first returns the offset after the last
// object (-1 at the end of the input), as lua-cmsgpack does.
func msgpackUnpack(L *lua.LState, limit, offset int) int {
	s := L.CheckString(1)
	if offset < 0 || limit < 0 {
		L.RaiseError("Invalid request to unpack with offset of %d and limit of %d.", offset, limit)
	}
	if offset > len(s) {
		L.RaiseError("Start offset %d greater than input length %d.", offset, len(s))
	}
	d := mpDecoder{L: L, s: s, pos: offset}
	var vals []lua.LValue
	for d.pos < len(s) && (limit == 0 || len(vals) < limit) {
		vals = append(vals, d.value(0))
	}
	if limit > 0 {
		next := d.pos
		if next >= len(s) {
			next = -1
		}
		L.Push(lua.LNumber(next))
	}
	for _, v := range vals {
		L.Push(v)
	}
	if limit > 0 {
		return len(vals) + 1
	}
	return len(vals)
}

type mpDecoder struct {
	L   *lua.LState
	s   string
	pos int
}

func (d *mpDecoder) need(n int) string {
	if n < 0 || d.pos+n > len(d.s) {
		d.L.RaiseError("Missing bytes in input.")
	}
	out := d.s[d.pos : d.pos+n]
	d.pos += n
	return out
}

func (d *mpDecoder) uint(n int) uint64 {
	b := d.need(n)
	var v uint64
	for i := 0; i < n; i++ {
		v = v<<8 | uint64(b[i])
	}
	return v
}

func (d *mpDecoder) value(depth int) lua.LValue {
	if depth > 1000 {
		d.L.RaiseError("Bad data format in input.")
	}
	c := d.need(1)[0]
	switch {
	case c <= 0x7f:
		return lua.LNumber(c)
	case c >= 0xe0:
		return lua.LNumber(int8(c))
	case c&0xe0 == 0xa0:
		return lua.LString(d.need(int(c & 0x1f)))
	case c&0xf0 == 0x90:
		return d.array(int(c&0x0f), depth)
	case c&0xf0 == 0x80:
		return d.mapOf(int(c&0x0f), depth)
	}
	return d.tagged(c, depth)
}

func (d *mpDecoder) tagged(c byte, depth int) lua.LValue {
	switch c {
	case 0xc0:
		return lua.LNil
	case 0xc2:
		return lua.LFalse
	case 0xc3:
		return lua.LTrue
	case 0xcc, 0xcd, 0xce, 0xcf:
		return lua.LNumber(float64(d.uint(1 << (c - 0xcc))))
	case 0xd0:
		return lua.LNumber(int8(d.uint(1)))
	case 0xd1:
		return lua.LNumber(int16(d.uint(2)))
	case 0xd2:
		return lua.LNumber(int32(d.uint(4)))
	case 0xd3:
		return lua.LNumber(float64(int64(d.uint(8))))
	case 0xca:
		return lua.LNumber(math.Float32frombits(uint32(d.uint(4))))
	case 0xcb:
		return lua.LNumber(math.Float64frombits(d.uint(8)))
	case 0xd9, 0xc4:
		return lua.LString(d.need(int(d.uint(1))))
	case 0xda, 0xc5:
		return lua.LString(d.need(int(d.uint(2))))
	case 0xdb, 0xc6:
		return lua.LString(d.need(int(d.uint(4))))
	case 0xdc:
		return d.array(int(d.uint(2)), depth)
	case 0xdd:
		return d.array(int(d.uint(4)), depth)
	case 0xde:
		return d.mapOf(int(d.uint(2)), depth)
	case 0xdf:
		return d.mapOf(int(d.uint(4)), depth)
	}
	d.L.RaiseError("Bad data format in input.")
	return lua.LNil
}

func (d *mpDecoder) array(n, depth int) lua.LValue {
	if n > len(d.s)-d.pos {
		d.L.RaiseError("Missing bytes in input.")
	}
	t := d.L.CreateTable(min(n, 1024), 0)
	for i := 1; i <= n; i++ {
		t.RawSetInt(i, d.value(depth+1))
	}
	return t
}

func (d *mpDecoder) mapOf(n, depth int) lua.LValue {
	if n > (len(d.s)-d.pos)/2 {
		d.L.RaiseError("Missing bytes in input.")
	}
	t := d.L.CreateTable(0, min(n, 1024))
	for i := 0; i < n; i++ {
		k := d.value(depth + 1)
		v := d.value(depth + 1)
		if k != lua.LNil {
			t.RawSet(k, v)
		}
	}
	return t
}
