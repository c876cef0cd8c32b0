package luabox_test

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"

	"github.com/larder-db/larder/command/scriptcmd/internal/luabox"
)

// run compiles src as the body of a script and returns its first result
// as a string, or the error text.
func run(t *testing.T, b *luabox.Box, src string) string {
	t.Helper()
	chunk, err := parse.Parse(strings.NewReader(src), "user_script")
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	proto, err := lua.Compile(chunk, "user_script")
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	L := b.L
	L.Push(L.NewFunctionFromProto(proto))
	if err := L.PCall(0, 1, nil); err != nil {
		if ae, ok := err.(*lua.ApiError); ok {
			return "error: " + ae.Object.String()
		}
		return "error: " + err.Error()
	}
	defer L.SetTop(0)
	return L.Get(-1).String()
}

func TestBox_Sandbox(t *testing.T) {
	b := luabox.New(luabox.Options{})
	defer b.Close()
	cases := []struct{ src, want string }{
		{"x = 1", "error: user_script:1: Attempt to modify a readonly table"},
		{"return y", "error: user_script:1: Script attempted to access nonexistent global variable 'y'"},
		{"rawset(_G, 'x', 1)", "error: Attempt to modify a readonly table"},
		{"string.x = 1", "error: user_script:1: Attempt to modify a readonly table"},
		{"return rawget(_G, 'string') ~= nil", "true"},
		{"local n = 0 for k in pairs(string) do n = n + 1 end return n > 10", "true"},
		{"return tostring(1e15) .. ' ' .. tostring(0.1) .. ' ' .. tostring(1/0)", "1e+15 0.1 inf"},
		{"return #string.rep('ab', 3)", "6"},
		{"return pcall(error, {err='X'})", "false"},
		{"return select(2, pcall(error, {err='X'}))", "X"},
		{"return select('#', unpack({1, 2, 3}))", "3"},
		{"return pcall(unpack, {}, 1, 1e6)", "false"},
	}
	for _, c := range cases {
		if got := run(t, b, c.src); got != c.want {
			t.Errorf("%q: got %q, want %q", c.src, got, c.want)
		}
	}
}

func TestBox_Libraries(t *testing.T) {
	b := luabox.New(luabox.Options{MaxString: 1 << 20})
	defer b.Close()
	cases := []struct{ src, want string }{
		{"return cjson.encode({1, 'a', true, cjson.null})", `[1,"a",true,null]`},
		{"return cjson.encode(cjson.decode('{\"k\":[1.5,\"\\\\u00e9\\\\/\"]}'))", `{"k":[1.5,"é\/"]}`},
		{"return cjson.decode('[1,2]')[2]", "2"},
		{"return select(2, pcall(cjson.decode, '[1,'))", "user_script:1: Expected value but found T_END at character 4"},
		{"return struct.unpack('>i2', struct.pack('>i2', -2))", "-2"},
		{"return struct.size('!8bd')", "16"},
		{"return cmsgpack.unpack(cmsgpack.pack(300))", "300"},
		{"return cmsgpack.unpack(cmsgpack.pack({x = 'y'})).x", "y"},
		{"return bit.tohex(bit.bxor(0xf0, 0xff), 2)", "0f"},
		{"return bit.band(-1, 0xffffffff)", "-1"},
		{"return select(2, pcall(string.rep, 'x', 2^21))", "user_script:1: resulting string too large"},
		{"math.randomseed(1) local a = math.random(100) math.randomseed(1) return a == math.random(100)", "true"},
	}
	for _, c := range cases {
		if got := run(t, b, c.src); got != c.want {
			t.Errorf("%q: got %q, want %q", c.src, got, c.want)
		}
	}
}
