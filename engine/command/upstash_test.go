package command

import (
	"testing"
	"time"
)

// TestUpstash_Dialect: each §15 deviation on both front ends — REST
// sessions follow Upstash, RESP sessions Redis; additive ones work on both.
func TestUpstash_Dialect(t *testing.T) {
	d, tcp := newTestDispatcher(t)
	rest := NewSession("rest", "a", "b", time.Now())
	d.Register(rest)
	do(d, tcp, "set", "k", "v")
	do(d, tcp, "hset", "h", "f", "v")
	cases := []struct {
		name string
		s    *Session
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
		if got := do(d, c.s, c.argv...); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
