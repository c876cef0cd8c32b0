package command_test

import (
	"testing"
	"time"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/commandtest"
	"github.com/larder-db/larder/command/scriptcmd"
)

// TestUpstash_Dialect: each §15 deviation on both front ends — REST
// sessions follow Upstash, RESP sessions Redis; additive ones work on both.
func TestUpstash_Dialect(t *testing.T) {
	d, tcp := commandtest.New(t, command.Options{})
	rest := command.NewSession("rest", "a", "b", time.Now())
	d.Register(rest)
	commandtest.Do(d, tcp, "set", "k", "v")
	commandtest.Do(d, tcp, "hset", "h", "f", "v")
	cases := []struct {
		name string
		s    *command.Session
		argv []string
		want string
	}{
		{"copy same, RESP", tcp, []string{"copy", "k", "k"}, "-ERR source and destination objects are the same\r\n"},
		{"copy same, REST", rest, []string{"copy", "k", "k"}, ":0\r\n"},
		{"copy same with REPLACE, REST", rest, []string{"copy", "k", "k", "replace"}, ":0\r\n"},
		{"scan withtype", tcp, []string{"scan", "0", "match", "k", "count", "1000", "withtype"}, "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nk\r\n$6\r\nstring\r\n"},
		{"scan withtype first", rest, []string{"scan", "0", "WITHTYPE", "type", "hash", "count", "1000"}, "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nh\r\n$4\r\nhash\r\n"},
		{"scan match withtype is a pattern", tcp, []string{"scan", "0", "match", "withtype", "count", "1000"}, "*2\r\n$1\r\n0\r\n*0\r\n"},
		{"scan withtype twice", tcp, []string{"scan", "0", "withtype", "match", "h", "withtype", "count", "1000"}, "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nh\r\n$4\r\nhash\r\n"},
		{"scan bad option still a syntax error", tcp, []string{"scan", "0", "withtype", "nope"}, "-ERR syntax error\r\n"},
	}
	for _, c := range cases {
		if got := commandtest.Do(d, c.s, c.argv...); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// TestUpstash_ReadOnlyScripts: FCALL_RO, EVAL_RO and EVALSHA_RO of a
// script without no-writes run on REST sessions and fail at their first
// write with Upstash's READONLY text; RESP sessions refuse them as Redis
// 7.0 does.
func TestUpstash_ReadOnlyScripts(t *testing.T) {
	d, tcp := commandtest.New(t, command.Options{})
	rest := command.NewSession("rest", "a", "b", time.Now())
	d.Register(rest)
	commandtest.Do(d, tcp, "set", "k", "v")
	lib := "#!lua name=lib\n" +
		"redis.register_function('rd', function(keys) return redis.call('get', keys[1]) end)\n" +
		"redis.register_function('wr', function(keys) return redis.call('set', keys[1], 'x') end)\n" +
		"redis.register_function{function_name='nw', callback=function(keys) return redis.call('set', keys[1], 'x') end, flags={'no-writes'}}"
	if got := commandtest.Do(d, tcp, "function", "load", lib); got != "$3\r\nlib\r\n" {
		t.Fatalf("function load: %q", got)
	}
	rd, wr := "#!lua\nreturn redis.call('get', KEYS[1])", "#!lua\nreturn redis.call('set', KEYS[1], 'x')"
	commandtest.Do(d, tcp, "script", "load", rd)
	const roTCP = "-ERR Can not execute a script with write flag using *_ro command.\r\n"
	const upWrite = "-READONLY Write commands are not allowed from read-only scripts script: "
	cases := []struct {
		name string
		s    *command.Session
		argv []string
		want string
	}{
		{"fcall_ro read, RESP", tcp, []string{"fcall_ro", "rd", "1", "k"}, roTCP},
		{"fcall_ro write, RESP", tcp, []string{"fcall_ro", "wr", "1", "k"}, roTCP},
		{"fcall_ro no-writes write, RESP", tcp, []string{"fcall_ro", "nw", "1", "k"},
			"-ERR Write commands are not allowed from read-only scripts. script: nw, on @user_function:4.\r\n"},
		{"eval_ro read, RESP", tcp, []string{"eval_ro", rd, "1", "k"}, roTCP},
		{"evalsha_ro read, RESP", tcp, []string{"evalsha_ro", scriptcmd.Sha1Hex(rd), "1", "k"}, roTCP},
		{"fcall_ro read, REST", rest, []string{"fcall_ro", "rd", "1", "k"}, "$1\r\nv\r\n"},
		{"fcall_ro write, REST", rest, []string{"fcall_ro", "wr", "1", "k"}, upWrite + "wr, on @user_function:3.\r\n"},
		{"fcall_ro no-writes write, REST", rest, []string{"fcall_ro", "nw", "1", "k"}, upWrite + "nw, on @user_function:4.\r\n"},
		{"eval_ro read, REST", rest, []string{"eval_ro", rd, "1", "k"}, "$1\r\nv\r\n"},
		{"evalsha_ro read, REST", rest, []string{"evalsha_ro", scriptcmd.Sha1Hex(rd), "1", "k"}, "$1\r\nv\r\n"},
		{"eval_ro write, REST", rest, []string{"eval_ro", wr, "1", "k"}, upWrite + scriptcmd.Sha1Hex(wr) + ", on @user_script:2.\r\n"},
		{"pcall keeps the error, REST", rest, []string{"eval_ro", "#!lua\nreturn redis.pcall('del', KEYS[1])", "1", "k"},
			"-READONLY Write commands are not allowed from read-only scripts\r\n"},
	}
	for _, c := range cases {
		if got := commandtest.Do(d, c.s, c.argv...); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	if got := commandtest.Do(d, tcp, "get", "k"); got != "$1\r\nv\r\n" {
		t.Errorf("a read-only script wrote: k = %q", got)
	}
}

// TestUpstash_ArityAndLimit: UNLINK without keys answers 0 and ZRANGE …
// LIMIT on a rank range applies the LIMIT to the ranks it selects, on REST
// sessions; RESP sessions keep Redis's errors.
func TestUpstash_ArityAndLimit(t *testing.T) {
	d, tcp := commandtest.New(t, command.Options{})
	rest := command.NewSession("rest", "a", "b", time.Now())
	d.Register(rest)
	commandtest.Do(d, tcp, "zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e")
	commandtest.Do(d, tcp, "set", "k", "v")
	const limitErr = "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n"
	cases := []struct {
		name string
		s    *command.Session
		argv []string
		want string
	}{
		{"unlink no keys, RESP", tcp, []string{"unlink"}, "-ERR wrong number of arguments for 'unlink' command\r\n"},
		{"unlink no keys, REST", rest, []string{"unlink"}, ":0\r\n"},
		{"del no keys, REST", rest, []string{"del"}, "-ERR wrong number of arguments for 'del' command\r\n"},
		{"unlink a key, REST", rest, []string{"unlink", "k", "nope"}, ":1\r\n"},
		{"zrange limit, RESP", tcp, []string{"zrange", "z", "0", "-1", "limit", "1", "2"}, limitErr},
		{"zrange limit, REST", rest, []string{"zrange", "z", "0", "-1", "limit", "1", "2"}, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
		{"zrange limit within range, REST", rest, []string{"zrange", "z", "1", "3", "LIMIT", "1", "5", "withscores"},
			"*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n"},
		{"zrange rev limit, REST", rest, []string{"zrange", "z", "0", "-1", "rev", "limit", "0", "2"}, "*2\r\n$1\r\ne\r\n$1\r\nd\r\n"},
		{"zrange limit negative count, REST", rest, []string{"zrange", "z", "0", "-1", "limit", "3", "-1"}, "*2\r\n$1\r\nd\r\n$1\r\ne\r\n"},
		{"zrange limit negative offset, REST", rest, []string{"zrange", "z", "0", "-1", "limit", "-1", "2"}, "*0\r\n"},
		{"zrange limit past the end, REST", rest, []string{"zrange", "z", "0", "-1", "limit", "9", "2"}, "*0\r\n"},
		{"zrange no limit, REST", rest, []string{"zrange", "z", "-2", "-1"}, "*2\r\n$1\r\nd\r\n$1\r\ne\r\n"},
		{"zrange byscore limit, REST", rest, []string{"zrange", "z", "2", "5", "byscore", "limit", "1", "1"}, "*1\r\n$1\r\nc\r\n"},
		{"zrangestore limit, REST", rest, []string{"zrangestore", "dst", "z", "0", "-1", "limit", "1", "2"}, limitErr},
	}
	for _, c := range cases {
		if got := commandtest.Do(d, c.s, c.argv...); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// TestUpstash_RecordSize: a session's MaxRecordSize (set by the REST front
// end) limits APPEND and SETRANGE, also from its scripts; other sessions,
// and scripts they run on the same interpreters afterwards, are not limited.
func TestUpstash_RecordSize(t *testing.T) {
	d, tcp := commandtest.New(t, command.Options{})
	rest := command.NewSession("rest", "a", "b", time.Now())
	rest.MaxRecordSize = 4
	d.Register(rest)
	script := "return redis.call('append', KEYS[1], 'xx')"
	cases := []struct {
		s    *command.Session
		argv []string
		want string
	}{
		{rest, []string{"append", "k", "abcd"}, ":4\r\n"},
		{rest, []string{"append", "k", "e"}, "-ERR max single record size exceeded\r\n"},
		{rest, []string{"setrange", "k", "4", "e"}, "-ERR max single record size exceeded\r\n"},
		{rest, []string{"eval", script, "1", "k"}, "-ERR max single record size exceeded script: " + scriptcmd.Sha1Hex(script) + ", on @user_script:1.\r\n"},
		{tcp, []string{"eval", script, "1", "k"}, ":6\r\n"},
		{tcp, []string{"append", "k", "e"}, ":7\r\n"},
		{tcp, []string{"setrange", "k", "9", "e"}, ":10\r\n"},
		{rest, []string{"setrange", "k", "0", "z"}, "-ERR max single record size exceeded\r\n"},
	}
	for i, c := range cases {
		if got := commandtest.Do(d, c.s, c.argv...); got != c.want {
			t.Errorf("%d %v: got %q, want %q", i, c.argv, got, c.want)
		}
	}
}
