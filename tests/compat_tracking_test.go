package tests

import (
	"bytes"
	"strings"
	"testing"
)

// CLIENT TRACKING (server-assisted client side caching) against
// redis-server 7.0: every reply and every invalidation push compared byte
// for byte. Client ids differ between the servers, so a command naming
// one is sent with each server's id (doIDs) and a reply carrying one is
// compared with redis's id replaced by larder's.

// doIDs sends argv with "$ID" replaced by rid to redis and by lid to
// larder, and compares the replies with rid in redis's written as lid.
func (p *pair) doIDs(rid, lid string, argv ...string) {
	p.t.Helper()
	ra, la := make([]string, len(argv)), make([]string, len(argv))
	for i, a := range argv {
		ra[i], la[i] = a, a
		if a == "$ID" {
			ra[i], la[i] = rid, lid
		}
	}
	r, l := p.redisConn.do(ra...), p.larderConn.do(la...)
	p.compareIDs(argv, r, l, rid, lid)
}

// nextIDs reads the next pushed frame on both and compares them, rid in
// redis's written as lid.
func (p *pair) nextIDs(rid, lid string) {
	p.t.Helper()
	p.compareIDs([]string{"(next pushed frame)"}, p.redisConn.readRaw(), p.larderConn.readRaw(), rid, lid)
}

func (p *pair) compareIDs(argv []string, r, l []byte, rid, lid string) {
	p.t.Helper()
	r = bytes.ReplaceAll(r, []byte(":"+rid+"\r\n"), []byte(":"+lid+"\r\n"))
	if d := diffReplies(argv, r, l); d != "" {
		p.t.Error(d)
	}
}

// ids returns the client ids of q's two connections.
func (p *pair) ids() (rid, lid string) {
	p.t.Helper()
	return p.redisConn.clientID(), p.larderConn.clientID()
}

func TestCompat_TrackingArgs(t *testing.T) {
	p := newPair(t)
	other := p.newClient()
	rid, lid := other.ids()
	for _, c := range [][]string{
		{"CLIENT", "TRACKING"},
		{"CLIENT", "TRACKING", "maybe"},
		{"CLIENT", "TRACKING", "on", "foo"},
		{"CLIENT", "TRACKING", "on", "REDIRECT"},
		{"CLIENT", "TRACKING", "on", "REDIRECT", "x"},
		{"CLIENT", "TRACKING", "on", "REDIRECT", "0"},
		{"CLIENT", "TRACKING", "on", "REDIRECT", "99999", "foo"},
		{"CLIENT", "TRACKING", "on", "PREFIX", "a"},
		{"CLIENT", "TRACKING", "on", "BCAST", "OPTIN"},
		{"CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT"},
		{"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "foo", "PREFIX", "fo"},
		{"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "ab", "PREFIX", "abc"},
		{"CLIENT", "CACHING", "yes"},
		{"CLIENT", "CACHING", "maybe"},
		{"CLIENT", "CACHING"},
		{"CLIENT", "GETREDIR"},
		{"CLIENT", "GETREDIR", "x"},
		{"CLIENT", "TRACKINGINFO"},
		{"CLIENT", "TRACKING", "on", "OPTIN", "NOLOOP"},
		{"CLIENT", "CACHING", "no"},
		{"CLIENT", "CACHING", "maybe"},
		{"CLIENT", "TRACKINGINFO"},
		{"CLIENT", "CACHING", "yes"},
		{"CLIENT", "TRACKINGINFO"},
		{"CLIENT", "TRACKING", "on", "OPTOUT"},
		{"CLIENT", "TRACKING", "on", "BCAST"},
		{"CLIENT", "GETREDIR"},
		{"CLIENT", "TRACKING", "off", "bogus"},
		{"CLIENT", "TRACKING", "off"},
		{"CLIENT", "TRACKINGINFO"},
		{"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "b", "PREFIX", "a"},
		{"CLIENT", "TRACKINGINFO"},
		{"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "ab"},
		{"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "c"},
		{"CLIENT", "TRACKINGINFO"},
		{"CLIENT", "TRACKING", "on"},
		{"CLIENT", "TRACKING", "off"},
		{"CLIENT", "TRACKING", "on", "BCAST"},
		{"CLIENT", "TRACKINGINFO"},
		{"CLIENT", "TRACKING", "off"},
	} {
		p.do(c...)
	}
	p.doIDs(rid, lid, "CLIENT", "TRACKING", "on", "REDIRECT", "$ID", "REDIRECT", "$ID")
	p.doIDs(rid, lid, "CLIENT", "TRACKING", "on", "REDIRECT", "$ID", "NOLOOP")
	p.doIDs(rid, lid, "CLIENT", "GETREDIR")
	p.doIDs(rid, lid, "CLIENT", "TRACKINGINFO")
	p.resp3().do("CLIENT", "TRACKINGINFO") // RESP3: a map with a set of flags
	for _, sub := range []string{"tracking", "caching", "getredir", "trackinginfo"} {
		p.do("COMMAND", "INFO", "client|"+sub)
	}
}

// clientFields returns the flags= and redir= fields of a CLIENT INFO
// reply, with the redirect id rid written as "ID".
func clientFields(t *testing.T, raw []byte, rid string) string {
	t.Helper()
	var out []string
	for _, f := range strings.Fields(string(raw)) {
		if strings.HasPrefix(f, "flags=") || strings.HasPrefix(f, "redir=") {
			out = append(out, strings.Replace(f, "redir="+rid, "redir=ID", 1))
		}
	}
	if len(out) != 2 {
		t.Fatalf("CLIENT INFO %q: no flags= and redir=", raw)
	}
	return strings.Join(out, " ")
}

// trackingInfo returns INFO's tracking_* lines.
func trackingInfo(raw []byte) string {
	var out []string
	for _, line := range strings.Split(string(raw), "\r\n") {
		if strings.HasPrefix(line, "tracking_") {
			out = append(out, line)
		}
	}
	return strings.Join(out, " ")
}

func TestCompat_TrackingClientInfo(t *testing.T) {
	p := newPair(t)
	target := p.newClient()
	rid, lid := target.ids()
	check := func() {
		t.Helper()
		r := clientFields(t, p.redisConn.do("CLIENT", "INFO"), rid)
		l := clientFields(t, p.larderConn.do("CLIENT", "INFO"), lid)
		if r != l {
			t.Errorf("CLIENT INFO: redis %q, larder %q", r, l)
		}
	}
	info := func() {
		t.Helper()
		r, l := trackingInfo(p.redisConn.do("INFO")), trackingInfo(p.larderConn.do("INFO"))
		if r != l || strings.Count(r, "tracking_") != 4 {
			t.Errorf("INFO: redis %q, larder %q", r, l)
		}
	}
	check()
	p.doIDs(rid, lid, "CLIENT", "TRACKING", "on", "REDIRECT", "$ID")
	check()
	p.do("MGET", "k", "j", "k")
	bc := p.newClient()
	bc.do("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a", "PREFIX", "b")
	info()
	bc.do("CLIENT", "TRACKING", "off")
	p.newClient().do("SET", "j", "1")
	info()
	target.do("QUIT")
	p.newClient().do("SET", "k", "1") // the target is gone: the redirect breaks
	check()
	p.do("CLIENT", "TRACKING", "off")
	p.do("CLIENT", "TRACKING", "on", "BCAST")
	check()
	p.do("CLIENT", "TRACKING", "off")
	check()
}

func TestCompat_TrackingRESP3(t *testing.T) {
	p := newPair(t)
	w := p.newClient()
	c := p.resp3()
	c.do("CLIENT", "TRACKING", "on")
	w.do("MSET", "k", "1", "a", "1", "b", "2")
	c.do("GET", "k")
	w.do("SET", "k", "2")
	c.next() // invalidate k
	w.do("SET", "k", "3")
	c.do("PING") // forgotten once invalidated: no second push
	c.do("MGET", "a", "b", "nokey")
	w.do("DEL", "a", "b")
	c.next()
	c.next()
	c.do("HSET", "h", "f", "1")
	c.do("HGET", "h", "f")
	c.do("HDEL", "h", "f") // its own change: the reply, then the push
	c.next()
	c.do("GET", "p")
	pipeline := append(encodeArgv([]string{"SET", "p", "1"}), encodeArgv([]string{"PING"})...)
	c.redisConn.send(pipeline)
	c.larderConn.send(pipeline)
	c.next() // SET's reply, then its invalidation, then PONG: one batch
	c.next()
	c.next()
	c.do("GET", "k")
	c.do("MULTI")
	c.do("INCR", "k")
	c.do("GET", "k")
	c.do("EXEC") // the reply of EXEC, then the push
	c.next()
	c.do("GET", "k")
	w.do("FLUSHALL") // a null invalidation
	c.next()
	c.do("GET", "k")
	w.do("EXPIRE", "k", "100")
	c.do("PING") // k did not exist: EXPIRE changed nothing

	c.do("CLIENT", "TRACKING", "off")
	c.do("CLIENT", "TRACKING", "on", "NOLOOP")
	c.do("GET", "n")
	c.do("SET", "n", "1") // NOLOOP: no push for its own change
	c.do("PING")
	c.do("GET", "n")
	w.do("SET", "n", "2")
	c.next()

	c.do("CLIENT", "TRACKING", "off")
	c.do("CLIENT", "TRACKING", "on", "OPTIN")
	c.do("GET", "o")
	w.do("SET", "o", "1")
	c.do("PING") // OPTIN without CACHING yes: not tracked
	c.do("CLIENT", "CACHING", "yes")
	c.do("GET", "o")
	w.do("SET", "o", "2")
	c.next()
	c.do("CLIENT", "TRACKING", "off")
	c.do("CLIENT", "TRACKING", "on", "OPTOUT")
	c.do("CLIENT", "CACHING", "no")
	c.do("GET", "o")
	c.do("GET", "q")
	w.do("MSET", "o", "3", "q", "1")
	c.next() // q only
	c.do("RESET")
	c.do("CLIENT", "TRACKINGINFO")
}

func TestCompat_TrackingScripts(t *testing.T) {
	p := newPair(t)
	w := p.newClient()
	c := p.resp3()
	c.do("CLIENT", "TRACKING", "on")
	c.do("EVAL", "redis.call('set', 'k3', 'bar')", "2", "k1", "k2")
	w.do("MSET", "k2", "1", "k1", "1")
	c.do("PING") // no read: nothing tracked
	c.do("EVAL", "return redis.call('get', 'k3')", "2", "k1", "k2")
	w.do("MSET", "k2", "2", "k1", "2")
	c.next() // the script's declared keys, not k3
	c.next()
	c.do("CLIENT", "TRACKING", "off")
	c.do("CLIENT", "TRACKING", "on", "NOLOOP")
	c.do("GET", "k1")
	c.do("EVAL", "return redis.call('set', KEYS[1], '3')", "1", "k1")
	c.do("PING") // the script's write is its caller's: NOLOOP holds
}

func TestCompat_TrackingRedirect(t *testing.T) {
	p := newPair(t)
	w := p.newClient()
	sub := p.newClient()
	rid, lid := sub.ids()
	sub.do("SUBSCRIBE", "__redis__:invalidate")
	p.doIDs(rid, lid, "CLIENT", "TRACKING", "on", "REDIRECT", "$ID")
	p.do("GET", "k")
	w.do("SET", "k", "1")
	sub.next() // a message on __redis__:invalidate with the key array
	p.do("MGET", "k", "j")
	w.do("FLUSHALL")
	sub.next() // RESP2 tracker: a null bulk
	p.do("CLIENT", "TRACKING", "off")
	p.doIDs(rid, lid, "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a:", "PREFIX", "b:", "REDIRECT", "$ID")
	w.do("MULTI")
	w.do("INCR", "b:2")
	w.do("INCR", "a:2")
	w.do("INCR", "a:1")
	w.do("INCR", "c:1")
	w.do("EXEC")
	sub.next() // one message per prefix, keys sorted
	sub.next()
	p.do("CLIENT", "TRACKING", "off")
	p.doIDs(rid, lid, "CLIENT", "TRACKING", "on", "BCAST", "NOLOOP", "REDIRECT", "$ID")
	p.do("SET", "mine", "1")
	w.do("SET", "theirs", "1")
	sub.next()
	p.do("CLIENT", "TRACKING", "off")

	// A RESP3 tracker whose redirect target goes away.
	c := p.resp3()
	gone := p.newClient()
	grid, glid := gone.ids()
	c.doIDs(grid, glid, "CLIENT", "TRACKING", "on", "REDIRECT", "$ID")
	c.do("GET", "x")
	gone.do("QUIT")
	w.do("SET", "x", "1")
	c.nextIDs(grid, glid) // tracking-redir-broken
	c.doIDs(grid, glid, "CLIENT", "TRACKINGINFO")
}
