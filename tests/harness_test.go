package tests

// The differential harness: every compat test sends the same argv to a real
// redis-server 7.0 and to the larder binary, and compares the raw reply bytes,
// errors included (STYLE.md §4.1: miniredis's integration/test.go, compared
// strictly).
//
// How to write a compat test (tests/compat_<family>_test.go):
//
//	func TestCompat_String(t *testing.T) {
//		p := sharedPair(t) // or newPair(t, "--shards", "4") for a private pair
//		p.do("SET", "k", "v")               // replies must match byte for byte
//		p.do("GET", "k")
//		p.do("GET", "k", "extra")           // error texts are compared too
//		p.doSorted("SMEMBERS", "s")         // order Redis leaves unspecified
//		p.doSortedPairs("HGETALL", "h")     // RESP2 flat field/value pairs
//		r, l := p.doBoth("TIME")            // both raw replies, for a custom check
//		if len(r) == 0 || len(l) == 0 { … }
//		runCases(t, p, [][]string{         // a sequence, stops at the first difference
//			{"APPEND", "k", "x"},
//			{"STRLEN", "k"},
//		})
//		p3 := p.resp3()                     // new connections after HELLO 3
//		p3.doSorted("HGETALL", "h")         // a RESP3 map: entries sorted, pairs kept
//		p3.do("GET", "missing")             // _\r\n on both
//	}
//
// Rules:
//   - sharedPair: one redis-server and one larder per test binary; each call
//     runs FLUSHALL on fresh connections and holds the pair until the test
//     ends, so tests that share it run one at a time. Call t.Parallel (if at
//     all) BEFORE sharedPair. Use newPair for tests that change server-wide
//     state (CONFIG SET, SCRIPT, ACL, CLIENT PAUSE, …) or need special flags.
//   - p.do reports a difference with t.Errorf and goes on; runCases stops at
//     the first one (t.Fatalf) because later cases would only repeat it.
//   - In a subtest use p.with(t), never the parent's p (FailNow must run on
//     the subtest's own goroutine).
//   - p.redisConn/p.larderConn give the raw connections (send, readRaw, read)
//     for protocol-level tests; p.doRaw(frame) compares the reply to a
//     hand-made frame; p.newClient() opens a second client pair.
//   - One server alone: startRedis(t), startLarder(t, flags...), dial(t, addr);
//     s.kill() for crash tests. Every process is stopped by PID in t.Cleanup.
//
// Environment:
//   - LARDER_REQUIRE_REDIS=1: fail instead of skipping when redis-server is
//     missing (.ci/run sets it). LARDER_REDIS_SERVER overrides its path.
//   - LARDER_BIN: use this larder binary instead of building ./cmd/larder.
//     Otherwise the binary is built once per test process, with -race when the
//     tests run with -race, and a data race reported by it fails the test.
//
// Files of the harness:
//   - harness_process_test.go: server processes (start on a free port, wait
//     for PING, stop by PID, log tails and race reports).
//   - harness_build_test.go: building ./cmd/larder once per test process.
//   - harness_client_test.go: rawConn, the raw RESP client.
//   - harness_pair_test.go: pair and runCases, the differential comparison.
//   - harness_compare_test.go: diffReplies and sortedReply.
//   - harness_shared_test.go: sharedPair.
//   - harness_wait_test.go: waitFor, and waiting for a client to block.
//   - harness_self_test.go: the harness's own tests.

import (
	"os"
	"testing"
	"time"
)

const (
	// ioTimeout only guards against a hang; no test asserts on time.
	ioTimeout = 30 * time.Second
	// startTimeout bounds the wait for a new server to answer PING; generous
	// because a -race binary on a loaded CI box starts slowly.
	startTimeout = 60 * time.Second
	stopTimeout  = 10 * time.Second
	logTailLines = 40
)

func TestMain(m *testing.M) {
	code := m.Run()
	if !stopShared() && code == 0 {
		code = 1
	}
	if larderBuild.dir != "" {
		_ = os.RemoveAll(larderBuild.dir) // a leftover temp dir is harmless
	}
	os.Exit(code)
}
