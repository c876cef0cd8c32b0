package luabox

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

// bitLib is LuaBitOp 1.0 (Redis's bit library): operations on 32-bit
// signed integers, numbers normalised modulo 2^32.
func bitLib(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	un := func(f func(int32) int32) lua.LGFunction {
		return func(L *lua.LState) int { L.Push(lua.LNumber(f(bitArg(L, 1)))); return 1 }
	}
	fold := func(f func(a, b int32) int32) lua.LGFunction {
		return func(L *lua.LState) int {
			v := bitArg(L, 1)
			for i := 2; i <= L.GetTop(); i++ {
				v = f(v, bitArg(L, i))
			}
			L.Push(lua.LNumber(v))
			return 1
		}
	}
	shift := func(f func(v int32, n uint) int32) lua.LGFunction {
		return func(L *lua.LState) int {
			L.Push(lua.LNumber(f(bitArg(L, 1), uint(bitArg(L, 2))&31)))
			return 1
		}
	}
	fns := map[string]lua.LGFunction{
		"tobit": un(func(v int32) int32 { return v }),
		"bnot":  un(func(v int32) int32 { return ^v }),
		"bswap": un(func(v int32) int32 {
			u := uint32(v)
			return int32(u>>24 | (u>>8)&0xff00 | (u&0xff00)<<8 | u<<24)
		}),
		"band":    fold(func(a, b int32) int32 { return a & b }),
		"bor":     fold(func(a, b int32) int32 { return a | b }),
		"bxor":    fold(func(a, b int32) int32 { return a ^ b }),
		"lshift":  shift(func(v int32, n uint) int32 { return int32(uint32(v) << n) }),
		"rshift":  shift(func(v int32, n uint) int32 { return int32(uint32(v) >> n) }),
		"arshift": shift(func(v int32, n uint) int32 { return v >> n }),
		"rol": shift(func(v int32, n uint) int32 {
			return int32(uint32(v)<<n | uint32(v)>>((32-n)&31))
		}),
		"ror": shift(func(v int32, n uint) int32 {
			return int32(uint32(v)>>n | uint32(v)<<((32-n)&31))
		}),
		"tohex": bitToHex,
	}
	for name, fn := range fns {
		t.RawSetString(name, L.NewFunction(fn))
	}
	return t
}

// bitArg normalises a number as LuaBitOp's barg does (adding 2^52+2^51 and
// keeping the low 32 bits, which rounds to nearest even).
func bitArg(L *lua.LState, i int) int32 {
	n := float64(L.CheckNumber(i))
	n += 6755399441055744.0
	return int32(uint32(math.Float64bits(n)))
}

func bitToHex(L *lua.LState) int {
	v := bitArg(L, 1)
	n := int32(8)
	if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
		n = bitArg(L, 2)
	}
	digits := "0123456789abcdef"
	if n < 0 {
		n = -n
		digits = "0123456789ABCDEF"
	}
	if n > 8 {
		n = 8
	}
	u := uint32(v)
	buf := make([]byte, n)
	for i := int(n) - 1; i >= 0; i-- {
		buf[i] = digits[u&15]
		u >>= 4
	}
	L.Push(lua.LString(buf))
	return 1
}
