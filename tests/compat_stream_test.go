package tests

import (
	"strconv"
	"strings"
	"testing"
)

// Streams: every command against redis-server 7.0, RESP2 and RESP3, with
// explicit IDs (automatic ones follow the clock).

func TestCompat_StreamBasics(t *testing.T) {
	runCompat(t, [][]string{
		c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "1-*", "b", "2"),
		c("XADD", "s", "5", "c", "3", "d", "4"), c("XADD", "s", "0-0", "a", "b"), c("XADD", "s", "0-*", "a", "b"),
		c("XADD", "s", "MAXLEN", "2", "6-0", "a", "b"), c("XRANGE", "s", "-", "+"),
		c("XADD", "s", "MINID", "=", "6", "7-0", "a", "b"), c("XRANGE", "s", "-", "+"), c("XLEN", "s"),
		c("XRANGE", "s", "(6-0", "+"), c("XRANGE", "s", "-", "+", "COUNT", "1"), c("XRANGE", "s", "-", "+", "COUNT", "0"),
		c("XREVRANGE", "s", "+", "-", "COUNT", "1"), c("XRANGE", "s", "(-", "+"), c("XRANGE", "s", "-", "(0-0"),
		c("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"), c("XRANGE", "s", "abc", "+"),
		c("XRANGE", "s", "-", "+", "COUNT"), c("XRANGE", "s", "-", "+", "COUNT", "x"), c("XRANGE", "nope", "-", "+"),
		c("XDEL", "s", "7-0", "9-9"), c("XDEL", "s", "xyz"), c("XDEL", "nope", "1-1"),
		c("XADD", "s", "NOMKSTREAM", "10-0", "a"), c("XADD", "nope", "NOMKSTREAM", "10-0", "a", "b"), c("EXISTS", "nope"),
		c("XADD", "s", "MAXLEN", "-1", "*", "a", "b"), c("XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "a", "b"),
		c("XADD", "s", "LIMIT", "10", "*", "a", "b"), c("XADD", "s", "MAXLEN", "1", "LIMIT", "10", "*", "a", "b"),
		c("XADD", "s", "MAXLEN", "x", "*", "a", "b"), c("XADD", "s", "MAXLEN", "~", "1", "LIMIT", "-1", "*", "a", "b"),
		c("XTRIM", "s"), c("XTRIM", "s", "foo", "1"), c("XTRIM", "s", "MAXLEN", "0"), c("XTRIM", "nope", "MAXLEN", "0"),
		c("TYPE", "s"), c("OBJECT", "ENCODING", "s"), c("EXISTS", "s"),
		c("XSETID", "s", "1-0"), c("XSETID", "s", "100-0", "ENTRIESADDED", "1"), c("XSETID", "s", "100-0", "MAXDELETEDID", "200-0"),
		c("XSETID", "s", "100-0", "ENTRIESADDED", "-1"), c("XSETID", "nope", "1-0"), c("XSETID", "s", "+"),
		c("XSETID", "s", "100-0", "ENTRIESADDED", "10", "MAXDELETEDID", "9-0"), c("XSETID", "s", "100-0", "foo"),
		c("XADD", "s", "100-0", "a", "b"), c("XADD", "s", "100-*", "a", "b"), c("XRANGE", "s", "-", "+"),
		c("SET", "str", "x"), c("XADD", "str", "*", "a", "b"), c("XLEN", "str"), c("XRANGE", "str", "-", "+"),
		c("XADD", "s", "18446744073709551615-18446744073709551615", "a", "b"), c("XADD", "s", "*", "a", "b"),
		c("XADD", "s", " 1", "a", "b"), c("XADD", "s"), c("XADD", "s", "200-0", "a"),
	})
}

func TestCompat_StreamTrimApprox(t *testing.T) {
	cases := [][]string{}
	for i := 1; i <= 350; i++ {
		cases = append(cases, c("XADD", "t", strconv.Itoa(i)+"-0", "f", "v"))
	}
	cases = append(cases, c("XTRIM", "t", "MAXLEN", "~", "120"), c("XLEN", "t"), c("XRANGE", "t", "-", "+", "COUNT", "1"),
		c("XTRIM", "t", "MINID", "~", "290"), c("XLEN", "t"), c("XTRIM", "t", "MAXLEN", "~", "0", "LIMIT", "10"), c("XLEN", "t"),
		c("XDEL", "t", "301-0"), c("XTRIM", "t", "MINID", "305"), c("XLEN", "t"),
		c("XADD", "t", "MAXLEN", "~", "10", "400-0", "f", "v"), c("XLEN", "t"))
	runCompat(t, cases)
}

func TestCompat_StreamRead(t *testing.T) {
	runCompat(t, [][]string{
		c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "2-1", "b", "2"), c("XADD", "s", "3-1", "c", "3"),
		c("XREAD", "COUNT", "1", "STREAMS", "s", "0"), c("XREAD", "STREAMS", "s", "2-1"), c("XREAD", "STREAMS", "s", "$"),
		c("XREAD", "STREAMS", "s", "nope", "0", "0"), c("XREAD", "STREAMS", "s"), c("XREAD", "COUNT", "x", "STREAMS", "s", "0"),
		c("XREAD", "BLOCK", "-1", "STREAMS", "s", "0"), c("XREAD", "BLOCK", "x", "STREAMS", "s", "0"),
		c("XREAD", "GROUP", "g", "c", "STREAMS", "s", "0"), c("XREAD", "NOACK", "STREAMS", "s", "0"),
		c("XREAD", "STREAMS", "s", ">"), c("XREAD", "STREAMS", "s", "x"), c("XREAD", "BLOCK", "10", "STREAMS", "s", "0"),
		c("SET", "str", "x"), c("XREAD", "STREAMS", "str", "0"),
	})
}

func TestCompat_StreamGroups(t *testing.T) {
	runCompat(t, [][]string{
		c("XADD", "s", "1-1", "a", "1"), c("XADD", "s", "2-1", "b", "2"), c("XADD", "s", "3-1", "c", "3"),
		c("XGROUP", "CREATE", "s", "g", "0"), c("XGROUP", "CREATE", "s", "g", "0"), c("XGROUP", "CREATE", "nope", "g", "0"),
		c("XGROUP", "CREATE", "nope", "g", "$", "MKSTREAM"), c("TYPE", "nope"), c("XLEN", "nope"),
		c("XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "3"), c("XGROUP", "CREATE", "s", "g3", "$", "ENTRIESREAD", "-2"),
		c("XGROUP", "CREATE", "s", "g3", "$", "foo"), c("XGROUP", "SETID", "s", "g", "1-1"), c("XGROUP", "SETID", "s", "nog", "1-1"),
		c("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"),
		c("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0"), c("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "$"),
		c("XREADGROUP", "GROUP", "nog", "c2", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "0"),
		c("XREADGROUP", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "c1", "NOACK", "STREAMS", "s", ">"),
		c("XACK", "s", "g", "2-1", "9-9"), c("XACK", "s", "nog", "2-1"), c("XACK", "s", "g", "x"),
		c("XCLAIM", "s", "g", "c2", "0", "3-1", "JUSTID"), c("XCLAIM", "s", "g", "c2", "0", "3-1", "RETRYCOUNT", "5"),
		c("XCLAIM", "s", "nog", "c2", "0", "3-1"), c("XCLAIM", "s", "g", "c2", "x", "3-1"), c("XCLAIM", "s", "g", "c2", "0", "3-1", "foo"),
		c("XCLAIM", "s", "g", "c2", "0", "3-1", "IDLE", "x"), c("XADD", "s", "4-1", "d", "4"), c("XDEL", "s", "3-1"),
		c("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"), c("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "0"),
		c("XCLAIM", "s", "g", "c3", "0", "3-1", "4-1", "JUSTID"), c("XREADGROUP", "GROUP", "g", "c3", "STREAMS", "s", "0"),
		c("XGROUP", "CREATECONSUMER", "s", "g", "c4"), c("XGROUP", "CREATECONSUMER", "s", "g", "c4"),
		c("XGROUP", "DELCONSUMER", "s", "g", "c3"), c("XGROUP", "DELCONSUMER", "s", "g", "c9"),
		c("XGROUP", "DESTROY", "s", "g"), c("XGROUP", "DESTROY", "s", "g"), c("XGROUP", "HELP"), c("XGROUP", "FOO"),
		c("XGROUP", "CREATE", "s"), c("XGROUP", "DESTROY", "nope2", "g"),
	})
}

// TestCompat_StreamGroupHistoryAfterID: a history read (an ID, not ">")
// returns the consumer's pending entries after the ID, not from it; the
// largest ID wraps to 0-0 as streamIncrID does (found by Redis's
// "Blocking XREADGROUP will ignore BLOCK if ID is not >").
func TestCompat_StreamGroupHistoryAfterID(t *testing.T) {
	runCompat(t, [][]string{
		c("XGROUP", "CREATE", "h", "g", "$", "MKSTREAM"), c("XADD", "h", "666", "k", "v"), c("XDEL", "h", "666"),
		c("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "h", "666"),
		c("XADD", "h", "667", "k", "v"), c("XADD", "h", "668", "k", "v"),
		c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "h", ">"),
		c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "h", "666"), c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "h", "667"),
		c("XREADGROUP", "GROUP", "g", "c", "STREAMS", "h", "667-0"), c("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "h", "668"),
		c("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "h", "18446744073709551615-18446744073709551615"),
		c("XPENDING", "h", "g"),
	})
}

// TestStreamDeleteRedis82 covers Redis 8.2's XDELEX and XACKDEL on Larder
// alone (Redis 7.0, the oracle, has neither): the replies follow the
// redis.io pages and the cases of Redis's own 8.2 test suite.
func TestStreamDeleteRedis82(t *testing.T) {
	l := startLarder(t)
	conn := dial(t, l.addr)
	twoGroups := []string{"DEL s", "XADD s 1-0 f v", "XADD s 2-0 f v", "XGROUP CREATE s g1 0", "XGROUP CREATE s g2 0",
		"XREADGROUP GROUP g1 c1 STREAMS s >", "XREADGROUP GROUP g2 c2 STREAMS s >"}
	steps := [][]string{
		{"XACKDEL", "-ERR wrong number of arguments for 'xackdel' command"},
		{"XACKDEL s g IDS 1", "-ERR wrong number of arguments for 'xackdel' command"},
		{"XDELEX s IDS 1", "-ERR wrong number of arguments for 'xdelex' command"},
		{"XACKDEL s g IDS 2 1-1 2-2", "*2 :-1 :-1"}, // no key
		{"XDELEX s IDS 2 1-1 2-2", "*2 :-1 :-1"},
		{"XADD s 1-0 f v", "$3 1-0"},
		{"XACKDEL s g IDS 2 1-1 2-2", "*2 :-1 :-1"}, // no group
		{"XGROUP CREATE s g 0", "+OK"},
		{"XACKDEL s g IDS abc 1-1", "-ERR Number of IDs must be a positive integer"},
		{"XACKDEL s g IDS 0 1-1", "-ERR Number of IDs must be a positive integer"},
		{"XDELEX s IDS -5 1-1", "-ERR Number of IDs must be a positive integer"},
		{"XACKDEL s g IDS 3 1-1 2-2", "-ERR The `numids` parameter must match the number of arguments"},
		{"XACKDEL s g IDS 1 1-1 2-2", "-ERR syntax error"},
		{"XACKDEL s g KEEPREF DELREF IDS 1 1-1", "-ERR syntax error"},
		{"XDELEX s DELREF ACKED IDS 1 1-1", "-ERR syntax error"},
		{"XDELEX s BOGUS IDS 1 1-1", "-ERR syntax error"},
		{"XDELEX s IDS 1 nope", "-ERR Invalid stream ID specified as stream command argument"},
		{"SET str x", "+OK"},
		{"XDELEX str IDS 1 1-0", "-WRONGTYPE Operation against a key holding the wrong kind of value"},
		// XDELEX KEEPREF (the default) deletes; a missing ID is -1
		{"XDELEX s IDS 2 1-0 9-9", "*2 :1 :-1"}, {"XLEN s", ":0"},
	}
	steps = append(steps, setupSteps(twoGroups)...)
	steps = append(steps, [][]string{ // DELREF removes the entries from every PEL
		{"XACKDEL s g1 DELREF IDS 2 1-0 2-0", "*2 :1 :1"}, {"XLEN s", ":0"},
		{"XPENDING s g2", "*4 :0 $-1 $-1 *-1"},
		{"XACKDEL s g2 DELREF IDS 2 1-0 2-0", "*2 :-1 :-1"},
	}...)
	steps = append(steps, setupSteps(twoGroups)...)
	steps = append(steps, [][]string{ // ACKED deletes only what no group needs
		{"XACKDEL s g1 ACKED IDS 2 1-0 2-0", "*2 :2 :2"}, {"XLEN s", ":2"},
		{"XPENDING s g1", "*4 :0 $-1 $-1 *-1"},
		{"XACKDEL s g2 ACKED IDS 2 1-0 2-0", "*2 :1 :1"}, {"XLEN s", ":0"},
	}...)
	steps = append(steps, setupSteps(twoGroups)...)
	steps = append(steps, [][]string{ // KEEPREF leaves other groups' references
		{"XACKDEL s g1 KEEPREF IDS 2 1-0 2-0", "*2 :1 :1"}, {"XLEN s", ":0"},
		{"XPENDING s g2", "*4 :2 $3 1-0 $3 2-0 *1 *2 $2 c2 $1 2"},
		{"XACKDEL s g2 IDS 2 1-0 2-0", "*2 :1 :1"},
		{"XPENDING s g2", "*4 :0 $-1 $-1 *-1"},
		// XDELEX ACKED: an entry past a group's last delivered ID is still needed
		{"DEL s", ":1"}, {"XADD s 1-0 f v", "$3 1-0"}, {"XADD s 2-0 f v", "$3 2-0"}, {"XADD s 3-0 f v", "$3 3-0"},
		{"XGROUP CREATE s g1 1-0", "+OK"}, {"XGROUP CREATE s g2 3-0", "+OK"},
		{"XDELEX s ACKED IDS 2 1-0 2-0", "*2 :1 :2"},
		{"XGROUP DESTROY s g1", ":1"},
		{"XDELEX s ACKED IDS 1 2-0", "*1 :1"},
		{"XINFO STREAM s", ""}, // checked below: max-deleted-entry-id and first entry
	}...)
	for _, tc := range steps {
		got := strings.TrimSpace(strings.ReplaceAll(string(conn.do(strings.Fields(tc[0])...)), "\r\n", " "))
		if tc[1] == "*" { // setup
			continue
		}
		if tc[1] == "" {
			if !strings.Contains(got, "max-deleted-entry-id $3 2-0") || !strings.Contains(got, "first-entry *2 $3 3-0") {
				t.Errorf("%s: %q lacks max-deleted-entry-id 2-0 / first-entry 3-0", tc[0], got)
			}
			continue
		}
		if got != tc[1] {
			t.Errorf("%s: got %q, want %q", tc[0], got, tc[1])
		}
	}
}

// setupSteps turns setup commands into steps whose replies are not
// checked (want "*").
func setupSteps(cmds []string) [][]string {
	out := make([][]string, len(cmds))
	for i, c := range cmds {
		out[i] = []string{c, "*"}
	}
	return out
}
