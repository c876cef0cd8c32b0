package tests

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Blocking commands against redis-server 7.0: waits on one connection,
// pushes from another, replies compared byte for byte. After sending a
// blocking command the test waits until both servers have the client
// waiting (waitBlocked), so that a push comes after it.

func TestCompat_BlockingZsetImmediate(t *testing.T) {
	runCompat(t, [][]string{
		c("ZADD", "z", "1", "a", "2", "b", "3", "c"), c("ZADD", "y", "5", "e"),
		c("BZPOPMIN", "nope", "z", "0"), c("BZPOPMAX", "z", "y", "0.5"), c("BZMPOP", "1", "2", "nope", "y", "MIN"),
		c("BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"), c("EXISTS", "z"),
		c("BZPOPMIN", "z", "x"), c("BZPOPMIN", "z", "-1"), c("BZPOPMIN", "z", "1e400"), c("BZPOPMIN", "z", "inf"),
		c("BZPOPMIN", "z", ""), c("BZPOPMIN", "z", "nan"), c("BZPOPMIN", "z"), c("BZMPOP", "x", "1", "z", "MIN"),
		c("BZMPOP", "0", "0", "z", "MIN"), c("BZMPOP", "0", "1", "z", "FOO"), c("BZMPOP", "0", "1", "z", "MIN", "COUNT", "0"),
		c("SET", "str", "v"), c("BZPOPMIN", "str", "0"), c("BZPOPMIN", "nope", "str", "0"), c("BZMPOP", "0", "1", "str", "MIN"),
		c("BZPOPMIN", "nope", "0.01"), c("BZMPOP", "0.01", "1", "nope", "MAX"),
		c("MULTI"), c("BZPOPMIN", "nope", "0"), c("BZMPOP", "0", "1", "nope", "MIN"), c("EXEC"),
		c("CLIENT", "UNBLOCK", "x"), c("CLIENT", "UNBLOCK", "1", "foo"), c("CLIENT", "UNBLOCK", "99999"),
		c("CLIENT", "UNBLOCK", "99999", "ERROR"), c("CLIENT", "UNBLOCK", "1", "TIMEOUT", "x"),
	})
}

// send starts a blocking command on both servers without reading its
// reply, and waits until both have the client waiting.
func (p *pair) send(argv ...string) {
	p.t.Helper()
	rid, lid := p.redisConn.clientID(), p.larderConn.clientID()
	p.sendBoth(argv...)
	name := strings.ToLower(argv[0])
	p.redisConn.waitBlocked(rid, name)
	p.larderConn.waitBlocked(lid, name)
}

func TestCompat_BlockingZsetServed(t *testing.T) {
	base := sharedPair(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("resp%d", proto), func(t *testing.T) {
			base.with(t).do("FLUSHALL")
			a, b := base.newClient().with(t), base.newClient().with(t)
			if proto == 3 {
				a, b = base.resp3().with(t), base.resp3().with(t)
			}
			pusher := base.newClient().with(t)
			// one waiter, served by a later push
			a.send("BZPOPMIN", "z", "0")
			pusher.do("ZADD", "z", "1", "m1")
			a.next()
			pusher.do("EXISTS", "z")
			// first blocked, first served; a second push for the second
			a.send("BZPOPMAX", "z", "0")
			b.send("BZPOPMAX", "other", "z", "0")
			pusher.do("ZADD", "z", "1", "x", "2", "y")
			a.next()
			b.next()
			a.send("BZMPOP", "0", "2", "q", "z", "MIN", "COUNT", "3")
			b.send("BZPOPMIN", "z", "0")
			pusher.do("ZADD", "z", "1", "p")
			a.next()
			pusher.do("ZADD", "z", "2", "r")
			b.next()
			// pushes inside MULTI/EXEC serve after EXEC
			a.send("BZPOPMIN", "t", "0")
			pusher.do("MULTI")
			pusher.do("ZADD", "t", "1", "one")
			pusher.do("ZADD", "t", "2", "two")
			pusher.do("EXEC")
			a.next()
			pusher.do("ZRANGE", "t", "0", "-1")
			// a timeout
			a.do("BZPOPMIN", "never", "0.05")
			// a waiter of the wrong type: the push is ZADD on a key
			// holding a string — nothing to serve
			b.send("BZPOPMIN", "w", "0")
			pusher.do("SET", "w", "string")
			pusher.do("DEL", "w")
			pusher.do("ZADD", "w", "9", "n")
			b.next()
		})
	}
}

// TestBlockingUnblockAndDisconnect covers CLIENT UNBLOCK and a waiter that
// disconnects (on Larder: ids differ between servers).
func TestBlockingUnblockAndDisconnect(t *testing.T) {
	l := startLarder(t)
	admin := dial(t, l.addr)
	a := dial(t, l.addr)
	id := a.sendBlocking("bzpopmin", encodeArgv([]string{"BZPOPMIN", "k", "0"}))
	if got := string(admin.do("CLIENT", "UNBLOCK", id)); got != ":1\r\n" {
		t.Fatalf("CLIENT UNBLOCK = %q", got)
	}
	if got := string(a.readRaw()); got != "*-1\r\n" {
		t.Fatalf("unblocked (timeout) reply = %q", got)
	}
	a.sendBlocking("bzpopmin", encodeArgv([]string{"BZPOPMIN", "k", "0"}))
	admin.do("CLIENT", "UNBLOCK", id, "ERROR")
	if got := string(a.readRaw()); got != "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n" {
		t.Fatalf("unblocked (error) reply = %q", got)
	}
	if got := string(admin.do("CLIENT", "UNBLOCK", id)); got != ":0\r\n" {
		t.Fatalf("CLIENT UNBLOCK of a client not blocked = %q", got)
	}
	// a pipeline behind a blocking command runs after it
	a.sendBlocking("bzpopmin", []byte("*3\r\n$8\r\nBZPOPMIN\r\n$1\r\nk\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n"))
	admin.do("ZADD", "k", "1", "m")
	if got := string(a.readRaw()) + string(a.readRaw()); got != "*3\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\n1\r\n+PONG\r\n" {
		t.Fatalf("blocked then pipelined: %q", got)
	}
	// a waiter that goes away takes nothing
	gone := dial(t, l.addr)
	goneID := gone.sendBlocking("bzpopmin", encodeArgv([]string{"BZPOPMIN", "k", "0"}))
	_ = gone.nc.Close() // the client going away is the point
	waitGone(t, admin, goneID)
	admin.do("ZADD", "k", "1", "kept")
	if got := string(admin.do("ZCARD", "k")); got != ":1\r\n" {
		t.Fatalf("ZCARD after a disconnected waiter = %q, want 1", got)
	}
}

// TestBlockingPopsNeverLoseOrDuplicate: many blocked poppers, many
// pushers; every pushed member is popped exactly once.
func TestBlockingPopsNeverLoseOrDuplicate(t *testing.T) {
	l := startLarder(t)
	ctx := t.Context()
	const poppers, pushers, each = 8, 4, 100
	seen := make(chan string, pushers*each)
	var wg sync.WaitGroup
	for range poppers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rdb := redis.NewClient(&redis.Options{Addr: l.addr, ReadTimeout: -1})
			defer rdb.Close()
			for {
				r, err := rdb.BZPopMin(ctx, 2*time.Second, "q1", "q2").Result()
				if err != nil {
					return // redis.Nil after the pushes are over
				}
				seen <- r.Member.(string)
			}
		}()
	}
	var pw sync.WaitGroup
	for p := range pushers {
		pw.Add(1)
		go func() {
			defer pw.Done()
			rdb := redis.NewClient(&redis.Options{Addr: l.addr})
			defer rdb.Close()
			for i := range each {
				key := "q1"
				if i%2 == 1 {
					key = "q2"
				}
				rdb.ZAdd(ctx, key, redis.Z{Score: float64(i), Member: strconv.Itoa(p) + ":" + strconv.Itoa(i)})
			}
		}()
	}
	pw.Wait()
	wg.Wait()
	close(seen)
	got := map[string]bool{}
	for m := range seen {
		if got[m] {
			t.Fatalf("%s popped twice", m)
		}
		got[m] = true
	}
	if len(got) != pushers*each {
		t.Fatalf("popped %d members, pushed %d", len(got), pushers*each)
	}
}

// TestCompat_BlockedMoveDoesNotTouchWatch: a BRPOPLPUSH still blocked has
// not written its destination, so a transaction WATCHing it commits; the
// push that wakes it comes after the EXEC's reply (Redis's "BRPOPLPUSH
// does not affect WATCH while still blocked", which the TCL gate skips:
// it sends the push without waiting for the EXEC).
func TestCompat_BlockedMoveDoesNotTouchWatch(t *testing.T) {
	p := sharedPair(t).newClient()
	p.do("DEL", "src", "dst", "some")
	p.do("SET", "some", "value")
	blocked := p.newClient()
	for _, c := range []*rawConn{blocked.redisConn, blocked.larderConn} {
		c.sendBlocking("brpoplpush", encodeArgv([]string{"BRPOPLPUSH", "src", "dst", "0"}))
	}
	w := p.newClient()
	w.do("WATCH", "dst")
	w.do("MULTI")
	w.do("GET", "some")
	w.do("EXEC")
	p.do("LPUSH", "src", "element")
	for _, c := range []*rawConn{blocked.redisConn, blocked.larderConn} {
		if got := string(c.readRaw()); got != "$7\r\nelement\r\n" {
			t.Errorf("%s: BRPOPLPUSH woke with %q", c.name, got)
		}
	}
	p.do("LRANGE", "dst", "0", "-1")
}
