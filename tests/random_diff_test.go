package tests

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestRandomDifferential runs a seeded stream of mixed commands over every
// family against redis-server 7.0 and Larder, comparing each reply (sorted
// where Redis leaves the order unspecified). LARDER_SEED=n replays one seed;
// LARDER_RANDOM_OPS sets the stream length. On a difference the seed and the
// last commands are printed.
func TestRandomDifferential(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	if s := os.Getenv("LARDER_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("LARDER_SEED: %v", err)
		}
		seeds = []uint64{n}
	}
	ops := 1500
	if s := os.Getenv("LARDER_RANDOM_OPS"); s != "" {
		ops, _ = strconv.Atoi(s)
	}
	p := newPair(t)
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			q := p.with(t)
			q.do("FLUSHALL")
			g := &cmdGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
			var history []string
			for i := range ops {
				argv := g.next()
				history = append(history, quoteArgv(argv))
				if d := q.compareCase(argv); d != "" {
					from := max(0, len(history)-15)
					t.Fatalf("seed %d, command %d:\n%s\nlast commands:\n  %s", seed, i,
						d, strings.Join(history[from:], "\n  "))
				}
			}
		})
	}
}

// cmdGen draws commands over a few keys and members, so that commands
// collide on keys (including of other types).
type cmdGen struct{ r *rand.Rand }

func (g *cmdGen) key() string { return "k" + strconv.Itoa(g.r.IntN(6)) }
func (g *cmdGen) member() string {
	return []string{"a", "b", "c", "1", "2", "10", "-3", "x y", ""}[g.r.IntN(9)]
}
func (g *cmdGen) num() string { return strconv.Itoa(g.r.IntN(21) - 10) }
func (g *cmdGen) score() string {
	return []string{"0", "1", "1.5", "-2", "inf", "-inf", "3", "1e3", "(1", "2.25"}[g.r.IntN(10)]
}

func (g *cmdGen) members(n int) []string {
	out := make([]string, 1+g.r.IntN(n))
	for i := range out {
		out[i] = g.member()
	}
	return out
}

func (g *cmdGen) pairs(n int, first func() string) []string {
	var out []string
	for range 1 + g.r.IntN(n) {
		out = append(out, first(), g.member())
	}
	return out
}

// next returns one command; unordered replies carry the u/up marks.
func (g *cmdGen) next() []string {
	k := g.key()
	switch g.r.IntN(50) {
	case 0:
		return c("SET", k, g.member())
	case 1:
		return c("INCRBY", k, g.num())
	case 2:
		return c("GET", k)
	case 3:
		return c("DEL", k, g.key())
	case 4:
		return c("TYPE", k)
	case 5:
		return c("EXPIRE", k, "1000")
	case 6:
		return append(c("SADD", k), g.members(4)...)
	case 7:
		return append(c("SREM", k), g.members(3)...)
	case 8:
		return u("SMEMBERS", k)
	case 9:
		return u("SINTER", k, g.key())
	case 10:
		return u("SUNION", k, g.key())
	case 11:
		return c("SDIFFSTORE", k, g.key(), g.key())
	case 12:
		return c("SCARD", k)
	case 13:
		return c("SMOVE", k, g.key(), g.member())
	case 14:
		return append(c("ZADD", k), g.pairs(4, func() string { return strings.TrimPrefix(g.score(), "(") })...)
	case 15:
		return c("ZINCRBY", k, g.num(), g.member())
	case 16:
		return c("ZRANGE", k, "0", "-1", "WITHSCORES")
	case 17:
		return c("ZRANGEBYSCORE", k, g.score(), g.score(), "WITHSCORES")
	case 18:
		return c("ZREVRANGE", k, g.num(), g.num())
	case 19:
		return c("ZREM", k, g.member())
	case 20:
		return c("ZRANK", k, g.member())
	case 21:
		return c("ZUNIONSTORE", k, "2", g.key(), g.key(), "WEIGHTS", "2", "1")
	case 22:
		return c("ZINTER", "2", k, g.key(), "WITHSCORES")
	case 23:
		return c("ZPOPMIN", k, strconv.Itoa(g.r.IntN(3)))
	case 24:
		return c("ZCOUNT", k, g.score(), g.score())
	case 25:
		return c("ZRANGEBYLEX", k, "-", "+")
	case 26:
		return append(c("HSET", k), g.pairs(3, g.member)...)
	case 27:
		return c("HDEL", k, g.member())
	case 28:
		return up("HGETALL", k)
	case 29:
		return c("HINCRBY", k, g.member(), g.num())
	case 30:
		return c("HGET", k, g.member())
	case 31:
		return c("HLEN", k)
	case 32:
		return c("EXISTS", k)
	case 33:
		return c("RENAME", k, g.key())
	case 34:
		return c("COPY", k, g.key(), "REPLACE")
	case 35:
		return c("OBJECT", "ENCODING", k)
	case 36:
		return c("ZMSCORE", k, g.member(), g.member())
	case 37:
		return c("SINTERCARD", "2", k, g.key())
	case 38:
		return c("ZRANGESTORE", k, g.key(), "0", "-1")
	case 40:
		return append(c("RPUSH", k), g.members(3)...)
	case 41:
		return append(c("LPUSH", k), g.members(3)...)
	case 42:
		return c("LPOP", k, strconv.Itoa(g.r.IntN(3)))
	case 43:
		return c("LRANGE", k, g.num(), g.num())
	case 44:
		return c("LMOVE", k, g.key(), "LEFT", "RIGHT")
	case 45:
		return c("LREM", k, g.num(), g.member())
	case 46:
		return c("LINSERT", k, "AFTER", g.member(), g.member())
	case 47:
		return c("LTRIM", k, g.num(), g.num())
	case 48:
		return c("SORT", k, "ALPHA", "LIMIT", "1", "3")
	case 49:
		return c("SORT", k, "BY", "nosort", "STORE", g.key())
	default:
		return c("HINCRBYFLOAT", k, g.member(), "1.5")
	}
}
