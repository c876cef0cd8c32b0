package luabox

import (
	"math"
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// lrand48 is Redis's rand.c generator (the 48-bit LCG of lrand48), so
// math.random gives the same sequence as Redis on every platform. Redis
// has one generator for all scripts; so does Larder.
type lrand48 struct {
	mu sync.Mutex
	x  uint64
}

const lrandMax = 1<<31 - 1

var scriptRand = &lrand48{x: 0x1234ABCD330E}

func (r *lrand48) next() int64 {
	r.mu.Lock()
	r.x = (0x5DEECE66D*r.x + 0xB) & (1<<48 - 1)
	v := int64(r.x >> 17)
	r.mu.Unlock()
	return v
}

func (r *lrand48) seed(i int32) {
	r.mu.Lock()
	r.x = uint64(uint32(i))<<16 | 0x330E
	r.mu.Unlock()
}

// mathRandom is Redis's redis_math_random: Lua 5.1's math.random over
// redisLrand48.
func (b *Box) mathRandom(L *lua.LState) int {
	r := float64(scriptRand.next()%lrandMax) / float64(lrandMax)
	switch L.GetTop() {
	case 0:
		L.Push(lua.LNumber(r))
	case 1:
		u := checkInt(L, 1)
		if u < 1 {
			argError(L, 1, "random", "interval is empty")
		}
		L.Push(lua.LNumber(math.Floor(r*float64(u)) + 1))
	case 2:
		l, u := checkInt(L, 1), checkInt(L, 2)
		if l > u {
			argError(L, 2, "random", "interval is empty")
		}
		L.Push(lua.LNumber(math.Floor(r*float64(u-l+1)) + float64(l)))
	default:
		L.RaiseError("wrong number of arguments")
	}
	return 1
}

func (b *Box) mathRandomSeed(L *lua.LState) int {
	scriptRand.seed(int32(checkInt(L, 1)))
	return 0
}

// checkInt is Lua 5.1's luaL_checkint: a number or a string that reads as
// one (math.randomseed(ARGV[1])), truncated to a C int.
func checkInt(L *lua.LState, n int) int { return int(int32(int64(L.CheckNumber(n)))) }
