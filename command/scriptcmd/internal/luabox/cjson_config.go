package luabox

import (
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// cjsonConfig is lua-cjson's per-interpreter configuration. Its
// encode_*/decode_* functions read and change it, and a change lasts for
// later scripts on the same interpreter, as in Redis (whose tests restore
// the defaults themselves).
type cjsonConfig struct {
	encodeMaxDepth, decodeMaxDepth int
	encodeInvalid                  int  // invalidRefuse, invalidAllow or invalidAsNull
	decodeInvalid                  bool // accepted, and reported; the decoder reads them either way
	keepBuffer                     bool // accepted and reported; nothing to keep here
	precision                      int  // significant digits of numbers
	sparseConvert                  bool // encode an excessively sparse array as an object
	sparseRatio, sparseSafe        int
}

// encode_invalid_numbers settings, in lua-cjson's option order.
const (
	invalidRefuse = iota // "off"
	invalidAllow         // "on": as printf prints them (inf, -inf, nan)
	invalidAsNull        // "null"
)

func defaultCjsonConfig() cjsonConfig {
	return cjsonConfig{encodeMaxDepth: 1000, decodeMaxDepth: 1000, decodeInvalid: true, keepBuffer: true,
		precision: 14, sparseRatio: 2, sparseSafe: 10}
}

// cjsonConfigFuncs adds lua-cjson's configuration functions to t.
func (b *Box) cjsonConfigFuncs(t *lua.LTable) {
	b.cjson = defaultCjsonConfig()
	c := &b.cjson
	ints := map[string]struct {
		v        *int
		min, max int
	}{
		"encode_max_depth":        {&c.encodeMaxDepth, 1, math.MaxInt32},
		"decode_max_depth":        {&c.decodeMaxDepth, 1, math.MaxInt32},
		"encode_number_precision": {&c.precision, 1, 14},
	}
	for name, o := range ints {
		t.RawSetString(name, b.L.NewFunction(func(L *lua.LState) int {
			argCount(L, 1, name)
			L.Push(lua.LNumber(intOption(L, 1, name, o.v, o.min, o.max)))
			return 1
		}))
	}
	for name, v := range map[string]*bool{"decode_invalid_numbers": &c.decodeInvalid, "encode_keep_buffer": &c.keepBuffer} {
		t.RawSetString(name, b.L.NewFunction(func(L *lua.LState) int {
			argCount(L, 1, name)
			n := boolInt(*v)
			L.Push(enumOption(L, 1, name, &n, []string{"off", "on"}))
			*v = n == 1
			return 1
		}))
	}
	t.RawSetString("encode_invalid_numbers", b.L.NewFunction(func(L *lua.LState) int {
		argCount(L, 1, "encode_invalid_numbers")
		L.Push(enumOption(L, 1, "encode_invalid_numbers", &c.encodeInvalid, []string{"off", "on", "null"}))
		return 1
	}))
	t.RawSetString("encode_sparse_array", b.L.NewFunction(func(L *lua.LState) int {
		const name = "encode_sparse_array"
		argCount(L, 3, name)
		n := boolInt(c.sparseConvert)
		convert := enumOption(L, 1, name, &n, []string{"off", "on"})
		ratio := intOption(L, 2, name, &c.sparseRatio, 0, math.MaxInt32)
		safe := intOption(L, 3, name, &c.sparseSafe, 0, math.MaxInt32)
		c.sparseConvert = n == 1
		L.Push(convert)
		L.Push(lua.LNumber(ratio))
		L.Push(lua.LNumber(safe))
		return 3
	}))
}

// argCount is lua-cjson's json_arg_init check.
func argCount(L *lua.LState, most int, name string) {
	if L.GetTop() > most {
		argError(L, most+1, name, "found too many arguments")
	}
}

// intOption is json_integer_option: a non-nil argument n sets *v (within
// [min, max]); it returns the setting.
func intOption(L *lua.LState, n int, name string, v *int, min, max int) int {
	if L.Get(n) != lua.LNil {
		x := checkInt(L, n)
		if x < min || x > max {
			argError(L, 1, name, "expected integer between "+strconv.Itoa(min)+" and "+strconv.Itoa(max))
		}
		*v = x
	}
	return *v
}

// enumOption is json_enum_option with bool_true 1: a boolean or one of
// options sets *v; it returns the setting to push, a boolean when it is 0
// or 1 (the caller pushes once every argument is read).
func enumOption(L *lua.LState, n int, name string, v *int, options []string) lua.LValue {
	switch a := L.Get(n).(type) {
	case *lua.LNilType:
	case lua.LBool:
		*v = boolInt(bool(a))
	default:
		s := checkString(L, n, name)
		i := 0
		for i < len(options) && options[i] != s {
			i++
		}
		if i == len(options) {
			argError(L, n, name, "invalid option '"+s+"'")
		}
		*v = i
	}
	if *v <= 1 {
		return lua.LBool(*v == 1)
	}
	return lua.LString(options[*v])
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
