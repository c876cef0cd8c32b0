package tests

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCompat_Errorstats compares INFO errorstats (deterministic: codes in
// byte order with their counts) and the error totals after errors of every
// path: unknown command, arity, a failed call, a failed call inside MULTI,
// a rejected EXEC, NOSCRIPT, and a blocked XREADGROUP ended by NOGROUP
// (found by Redis's "XGROUP DESTROY should unblock XREADGROUP with -NOGROUP").
func TestCompat_Errorstats(t *testing.T) {
	p := sharedPair(t)
	w := p.newClient().with(t)
	p.do("CONFIG", "RESETSTAT")
	p.do("INFO", "errorstats")
	p.do("NOSUCHCMD")
	p.do("GET")
	p.do("SET", "str", "v")
	p.do("LPUSH", "str", "x")
	p.do("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0")
	p.do("MULTI")
	p.do("INCR", "str")
	p.do("EXEC")
	p.do("MULTI")
	p.do("SET")
	p.do("EXEC")
	p.do("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
	p.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
	w.do("XGROUP", "DESTROY", "s", "g")
	p.next()
	p.do("INFO", "errorstats")
	// A blocked command is one call, counted when it ends: served, failed,
	// timed out or unblocked (updateStatsOnUnblock).
	p.send("BLPOP", "l", "0")
	w.do("RPUSH", "l", "a")
	p.next()
	p.do("BLPOP", "l", "0.01")
	for _, name := range []string{"xreadgroup", "blpop"} {
		r, l := p.doBoth("INFO", "commandstats")
		re := regexp.MustCompile(`cmdstat_` + name + `:calls=(\d+),.*,rejected_calls=(\d+),failed_calls=(\d+)`)
		if rm, lm := re.FindStringSubmatch(string(r)), re.FindStringSubmatch(string(l)); rm == nil || lm == nil ||
			fmt.Sprint(rm[1:]) != fmt.Sprint(lm[1:]) {
			t.Errorf("cmdstat_%s: redis %v larder %v", name, rm, lm)
		}
	}
	r, l := p.doBoth("INFO", "stats")
	for _, raw := range [][]byte{r, l} {
		if !strings.Contains(string(raw), "total_error_replies:8\r\n") {
			t.Errorf("total_error_replies is not 8 in %q", raw)
		}
	}
	p.do("CONFIG", "RESETSTAT")
	p.do("INFO", "errorstats")
}

// TestCompat_ScriptErrorStats: a script's errors count once in the error
// statistics: an error of a command it called (failed or refused) where it
// arose, an error it makes itself (redis.error_reply, a Lua error) when it
// is replied; EVAL's failed_calls counts every error reply (Redis's
// "Consistent eval error reporting" and "LUA redis.error_reply API").
func TestCompat_ScriptErrorStats(t *testing.T) {
	p := sharedPair(t)
	usecFree := regexp.MustCompile(`usec=\d+,usec_per_call=[\d.]+,`)
	stats := func(when string, cmds ...string) {
		t.Helper()
		p.do("INFO", "errorstats")
		r, l := p.doBoth("INFO", "everything")
		for _, name := range append(cmds, "eval") {
			re := regexp.MustCompile(`cmdstat_` + name + `:calls=\d+,.*,rejected_calls=\d+,failed_calls=\d+`)
			rm, lm := re.FindString(string(r)), re.FindString(string(l))
			rm, lm = usecFree.ReplaceAllString(rm, ""), usecFree.ReplaceAllString(lm, "")
			if rm != lm {
				t.Errorf("%s: cmdstat_%s: redis %v larder %v", when, name, rm, lm)
			}
		}
		re := regexp.MustCompile(`total_error_replies:\d+`)
		if rm, lm := re.FindString(string(r)), re.FindString(string(l)); rm != lm {
			t.Errorf("%s: redis %s larder %s", when, rm, lm)
		}
	}
	for _, step := range []struct {
		script string
		cmds   []string
	}{
		{"return redis.call('select', 99)", []string{"select"}},
		{"local t = redis.pcall('select', 99) return t['err']", []string{"select"}},
		{"return redis.pcall('select', 99)", []string{"select"}},
		{"return redis.error_reply('MY_ERR_CODE custom msg')", nil},
		{"return redis.error_reply('')", nil},
		{"return {err = 'OTHER thing'}", nil},
		{"error('boom')", nil},
		{"return redis.call('nosuchcommand')", nil},
		{"return redis.pcall('get')", nil},
		{"return redis.call('get', KEYS[1], 'x')", nil},
		{"return redis.call('hset', KEYS[1], 'f', 'v')", []string{"hset"}},
	} {
		p.do("CONFIG", "RESETSTAT")
		p.do("SET", "k", "str")
		p.do("EVAL", step.script, "1", "k")
		stats(step.script, step.cmds...)
	}
}

// TestCompat_OOMGates: with maxmemory below what the server needs empty
// (Redis's used_memory_startup; Larder's heap at start), deny-oom commands
// are refused, in scripts too, and the refusals count in the statistics
// (Redis's "Consistent eval error reporting" and "reject script do not
// cause a Lua stack leak").
func TestCompat_OOMGates(t *testing.T) {
	p := sharedPair(t)
	defer p.do("CONFIG", "SET", "maxmemory", "0")
	p.do("CONFIG", "RESETSTAT")
	p.do("CONFIG", "SET", "maxmemory", "1")
	for _, argv := range [][]string{
		{"SET", "x", "y"}, {"GET", "x"}, {"DEL", "x"},
		{"EVAL", "return redis.call('set','x','y')", "1", "x"},
		{"EVAL", "local t = redis.pcall('set','x','y') return t['err']", "1", "x"},
		{"EVAL", "return redis.pcall('set','x','y')", "1", "x"},
		{"EVAL", "#!lua\nreturn 1", "0"},
		{"EVAL", "#!lua flags=no-writes\nreturn 1", "0"},
		{"EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','x','y')", "1", "x"},
		{"INFO", "errorstats"},
	} {
		p.do(argv...)
	}
	p.do("CONFIG", "SET", "maxmemory", "0")
	r, l := p.doBoth("INFO", "commandstats")
	usecFree := regexp.MustCompile(`usec=\d+,usec_per_call=[\d.]+,`)
	for _, name := range []string{"set", "eval"} {
		re := regexp.MustCompile(`cmdstat_` + name + `:[^\r]*`)
		rm, lm := usecFree.ReplaceAllString(re.FindString(string(r)), ""), usecFree.ReplaceAllString(re.FindString(string(l)), "")
		if rm != lm {
			t.Errorf("redis %q larder %q", rm, lm)
		}
	}
}

// TestCompat_ChangesSinceSave compares how much each write moves INFO's
// rdb_changes_since_last_save (Redis's dirty counter), a write that changes
// nothing included (Redis's "SETBIT/BITFIELD only increase dirty when the
// value changed"). Only writes that change one thing are compared: Redis
// counts each element a command changes, Larder counts the command once
// (README, known differences).
func TestCompat_ChangesSinceSave(t *testing.T) {
	p := sharedPair(t)
	re := regexp.MustCompile(`rdb_changes_since_last_save:(\d+)`)
	read := func() (int, int) {
		r, l := p.doBoth("INFO", "persistence")
		rm, lm := re.FindStringSubmatch(string(r)), re.FindStringSubmatch(string(l))
		if rm == nil || lm == nil {
			t.Fatalf("no rdb_changes_since_last_save: redis %v larder %v", rm, lm)
		}
		a, _ := strconv.Atoi(rm[1])
		b, _ := strconv.Atoi(lm[1])
		return a, b
	}
	for _, argv := range [][]string{
		{"SET", "s", "v"}, {"SET", "s", "v"}, {"INCR", "a"}, {"APPEND", "s", "x"},
		{"SETBIT", "bm", "0", "0"}, {"SETBIT", "bm", "0", "0"}, {"SETBIT", "bm", "0", "1"}, {"BITFIELD", "bf", "SET", "i5", "0", "0"},
		{"BITFIELD", "bf", "SET", "i5", "0", "0"}, {"BITFIELD", "bf", "SET", "i5", "0", "1"},
		{"SADD", "set", "a"}, {"SADD", "set", "a"}, {"SREM", "set", "a"}, {"HSET", "h", "f1", "v"}, {"HDEL", "h", "f1"},
		{"RPUSH", "l", "a"}, {"LPOP", "l"}, {"ZADD", "z", "1", "a"}, {"ZADD", "z", "1", "a"}, {"ZINCRBY", "z", "1", "a"},
		{"EXPIRE", "s", "100"}, {"PERSIST", "s"}, {"DEL", "a", "nosuch"}, {"GET", "s"}, {"XADD", "st", "1-1", "f", "v"},
		{"EVAL", "return redis.call('set', 'u', '1')", "0"},
	} {
		r0, l0 := read()
		p.do(argv...)
		r1, l1 := read()
		if r1-r0 != l1-l0 {
			t.Errorf("%v: redis's changes moved by %d, larder's by %d", argv, r1-r0, l1-l0)
		}
	}
}
