package tests

// The differential pair: the same argv to redis-server and larder, replies
// compared byte for byte.

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/larder-db/larder/protocol/resp"
)

// pair sends every command to a redis-server and to larder over one
// connection each, and compares the raw replies.
type pair struct {
	t          testing.TB
	redis      *server
	larder     *server
	redisConn  *rawConn
	larderConn *rawConn
}

// newPair starts a private redis-server and larder (extraArgs appended to
// larder's flags), both stopped when the test ends.
func newPair(t testing.TB, extraArgs ...string) *pair {
	t.Helper()
	rspec, lspec := redisSpec(requireRedis(t)), larderSpec(larderBinary(t), extraArgs)
	r, l, err := launchTwo(rspec, lspec, t.TempDir(), t.TempDir())
	var started []*server
	for _, s := range []*server{r, l} {
		if s != nil {
			started = append(started, s)
		}
	}
	t.Cleanup(func() { stopAllFor(t, started...) })
	if err != nil {
		t.Fatal(err)
	}
	return connectPair(t, r, l)
}

// connectPair opens one connection to each server. The self-tests use it
// with two redis-servers.
func connectPair(t testing.TB, redis, larder *server) *pair {
	t.Helper()
	p := &pair{t: t, redis: redis, larder: larder, redisConn: dial(t, redis.addr), larderConn: dial(t, larder.addr)}
	p.redisConn.name, p.larderConn.name = "redis", "larder"
	return p
}

// with returns p bound to another test (a subtest), sharing the connections.
func (p *pair) with(t testing.TB) *pair {
	return &pair{t: t, redis: p.redis, larder: p.larder,
		redisConn: p.redisConn.with(t), larderConn: p.larderConn.with(t)}
}

// newClient opens a second pair of connections to the same servers (for
// WATCH, pub/sub, blocking commands, CLIENT KILL …).
func (p *pair) newClient() *pair {
	p.t.Helper()
	return connectPair(p.t, p.redis, p.larder)
}

// resp3 opens new connections to the same servers and sends HELLO 3 on both.
// The HELLO replies are not compared: they carry each server's client id.
func (p *pair) resp3() *pair {
	p.t.Helper()
	q := p.newClient()
	q.redisConn.hello3()
	q.larderConn.hello3()
	return q
}

// reset puts both servers and connections back to a known state: FLUSHALL,
// SELECT 0, HELLO 2. It cannot undo CONFIG SET or scripts: use newPair for that.
func (p *pair) reset() {
	p.t.Helper()
	for _, c := range []*rawConn{p.redisConn, p.larderConn} {
		for _, argv := range [][]string{{"FLUSHALL"}, {"SELECT", "0"}} {
			if raw := c.do(argv...); string(raw) != "+OK\r\n" {
				p.t.Fatalf("reset: %s %v = %s", c.name, argv, strconv.Quote(string(raw)))
			}
		}
		c.send(encodeArgv([]string{"HELLO", "2"}))
		if raw, v, err := c.read(); err != nil || v.Type == resp.TypeError {
			p.t.Fatalf("reset: %s HELLO 2 = %s, %v", c.name, strconv.Quote(string(raw)), err)
		}
	}
}

// doBoth sends argv to both servers and returns both raw replies, uncompared.
func (p *pair) doBoth(argv ...string) (redis, larder []byte) {
	p.t.Helper()
	return p.redisConn.do(argv...), p.larderConn.do(argv...)
}

// do sends argv to both servers and reports (t.Errorf) any byte difference
// between the replies. It returns Redis's reply.
func (p *pair) do(argv ...string) []byte {
	p.t.Helper()
	r, l := p.doBoth(argv...)
	if d := diffReplies(argv, r, l); d != "" {
		p.t.Error(d)
	}
	return r
}

// doRaw sends raw bytes (a hand-made frame, an inline command) to both
// servers, reads one reply from each and compares them.
func (p *pair) doRaw(raw []byte) []byte {
	p.t.Helper()
	p.redisConn.send(raw)
	p.larderConn.send(raw)
	r, l := p.redisConn.readRaw(), p.larderConn.readRaw()
	if d := diffReplies([]string{"(raw) " + string(raw)}, r, l); d != "" {
		p.t.Error(d)
	}
	return r
}

// doSorted is do for replies whose element order Redis leaves unspecified
// (SMEMBERS, KEYS, RESP3 maps): the top-level elements are compared as a
// sorted multiset of their raw bytes. Map entries stay key+value together.
func (p *pair) doSorted(argv ...string) []byte {
	p.t.Helper()
	return p.doCanonical(false, argv)
}

// doSortedPairs is doSorted for RESP2 flat arrays of pairs (HGETALL,
// CONFIG GET): elements are sorted two by two, so a value moved to another
// field is still a difference.
func (p *pair) doSortedPairs(argv ...string) []byte {
	p.t.Helper()
	return p.doCanonical(true, argv)
}

func (p *pair) doCanonical(pairs bool, argv []string) []byte {
	p.t.Helper()
	r, l := p.doBoth(argv...)
	rs, rerr := sortedReply(r, pairs)
	ls, lerr := sortedReply(l, pairs)
	if err := errors.Join(rerr, lerr); err != nil {
		p.t.Errorf("argv: %s\nsort replies: %v\nredis:  %s\nlarder: %s", quoteArgv(argv), err, quote(r), quote(l))
		return r
	}
	if d := diffReplies(argv, rs, ls); d != "" {
		p.t.Errorf("%s\n(compared with top-level elements sorted)", d)
	}
	return r
}

// runCases runs argv cases in order on both servers, state carrying over,
// and stops at the first difference.
func runCases(t testing.TB, p *pair, cases [][]string) {
	t.Helper()
	q := p.with(t)
	for i, argv := range cases {
		if d := q.compareCase(argv); d != "" {
			t.Fatalf("case %d of %d:\n%s", i+1, len(cases), d)
		}
	}
}

// Case marks: a case table entry starting with unordered (or
// unorderedPairs) is compared as doSorted (doSortedPairs) would, for
// replies whose order Redis leaves unspecified.
const (
	unordered      = "\x00unordered"
	unorderedPairs = "\x00unordered-pairs"
)

// u marks a case whose reply order is unspecified; up one of pairs.
func u(args ...string) []string  { return append([]string{unordered}, args...) }
func up(args ...string) []string { return append([]string{unorderedPairs}, args...) }

// compareCase runs one case and returns the difference report, or "".
func (p *pair) compareCase(argv []string) string {
	mark := ""
	if len(argv) > 0 && (argv[0] == unordered || argv[0] == unorderedPairs) {
		mark, argv = argv[0], argv[1:]
	}
	r, l := p.doBoth(argv...)
	if mark == "" {
		return diffReplies(argv, r, l)
	}
	rs, rerr := sortedReply(r, mark == unorderedPairs)
	ls, lerr := sortedReply(l, mark == unorderedPairs)
	if err := errors.Join(rerr, lerr); err != nil {
		return fmt.Sprintf("argv: %s\nsort replies: %v\nredis:  %s\nlarder: %s", quoteArgv(argv), err, quote(r), quote(l))
	}
	if d := diffReplies(argv, rs, ls); d != "" {
		return d + "\n(compared with top-level elements sorted)"
	}
	return ""
}
