package tests

import (
	"bytes"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Pub/Sub against redis-server 7.0: a subscriber and a publisher connection
// on each server; every reply and every pushed message compared byte for
// byte, in RESP2 (subscriber mode) and RESP3 (push frames).

// next reads the next frame on both subscriber connections and compares.
func (p *pair) next() {
	p.t.Helper()
	r, l := p.redisConn.readRaw(), p.larderConn.readRaw()
	if d := diffReplies([]string{"(next pushed frame)"}, r, l); d != "" {
		p.t.Error(d)
	}
}

// sendBoth sends argv to both servers without reading a reply.
func (p *pair) sendBoth(argv ...string) {
	p.t.Helper()
	p.redisConn.send(encodeArgv(argv))
	p.larderConn.send(encodeArgv(argv))
}

// uncounted drops the trailing subscription count of an (un)subscribe
// frame: when the order is unspecified, so are the counts along the way.
func uncounted(frame []byte) []byte {
	if i := bytes.LastIndexByte(frame, ':'); i > 0 {
		return frame[:i]
	}
	return frame
}

// nextUnordered reads n frames on both and compares them as multisets,
// without their counts.
func (p *pair) nextUnordered(n int) {
	p.t.Helper()
	var rs, ls [][]byte
	for range n {
		rs, ls = append(rs, uncounted(p.redisConn.readRaw())), append(ls, uncounted(p.larderConn.readRaw()))
	}
	slices.SortFunc(rs, bytes.Compare)
	slices.SortFunc(ls, bytes.Compare)
	if d := diffReplies([]string{"(pushed frames, sorted)"}, bytes.Join(rs, nil), bytes.Join(ls, nil)); d != "" {
		p.t.Error(d)
	}
}

func TestCompat_PubSub(t *testing.T) {
	base := sharedPair(t)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("resp%d", proto), func(t *testing.T) {
			sub, pub := base.newClient().with(t), base.newClient().with(t)
			if proto == 3 {
				sub = base.resp3().with(t)
			}
			sub.do("UNSUBSCRIBE")
			sub.do("PUNSUBSCRIBE")
			sub.do("SUNSUBSCRIBE")
			sub.do("SUBSCRIBE", "a", "b", "a")
			sub.next()
			sub.next()
			sub.do("GET", "x")
			sub.do("SET", "x", "1")
			sub.do("PING")
			sub.do("PING", "hi")
			pub.do("PUBLISH", "a", "hello")
			sub.next()
			pub.do("PUBLISH", "b", "")
			sub.next()
			pub.do("PUBLISH", "nobody", "x")
			sub.do("PSUBSCRIBE", "n*", "a?")
			sub.next()
			pub.do("PUBLISH", "nobody", "bin\x00\r\nary")
			sub.next()
			pub.do("PUBLISH", "a", "twice") // once as a channel, once by pattern? no: "a?" needs two chars
			sub.next()
			pub.do("PUBLISH", "ab", "pattern")
			sub.next()
			pub.do("PUBSUB", "NUMSUB", "a", "b", "zz")
			pub.do("PUBSUB", "NUMPAT")
			pub.doSorted("PUBSUB", "CHANNELS")
			pub.doSorted("PUBSUB", "CHANNELS", "a*")
			pub.do("PUBSUB", "CHANNELS", "a", "b")
			pub.do("PUBSUB", "NUMPAT", "x")
			pub.do("PUBSUB", "HELP")
			pub.do("PUBSUB", "FOO")
			pub.do("PUBSUB")
			sub.do("SSUBSCRIBE", "s1", "s2")
			sub.next()
			pub.do("SPUBLISH", "s1", "shard")
			sub.next()
			pub.do("PUBLISH", "s1", "not-shard")
			pub.doSorted("PUBSUB", "SHARDCHANNELS")
			pub.do("PUBSUB", "SHARDNUMSUB", "s1", "nope")
			sub.do("SUNSUBSCRIBE", "s1")
			sub.do("SUNSUBSCRIBE")
			sub.do("PUNSUBSCRIBE", "n*", "zz")
			sub.next()
			sub.do("UNSUBSCRIBE", "b")
			sub.do("UNSUBSCRIBE")
			sub.do("SUBSCRIBE", "x")
			sub.do("SUBSCRIBE", "y")
			sub.sendBoth("UNSUBSCRIBE") // unsubscribes from all, in an unspecified order
			sub.nextUnordered(2)
			sub.do("UNSUBSCRIBE")
			sub.do("PUNSUBSCRIBE")
			pub.do("PUBLISH", "a", "gone")
			sub.do("GET", "x") // out of subscriber mode again
			sub.do("SUBSCRIBE")
			pub.do("PUBLISH")
			pub.do("SPUBLISH", "a")
			sub.do("SUBSCRIBE", "r")
			sub.do("RESET")
			pub.do("PUBSUB", "NUMSUB", "r")
		})
	}
}

// TestPubSubClients checks go-redis's PubSub (RESP3, its default) and a
// redis-cli subscriber against Larder.
func TestPubSubGoRedis(t *testing.T) {
	l := startLarder(t)
	ctx := t.Context()
	rdb := redis.NewClient(&redis.Options{Addr: l.addr})
	defer rdb.Close()
	ps := rdb.PSubscribe(ctx, "news.*")
	defer ps.Close()
	if _, err := ps.Receive(ctx); err != nil {
		t.Fatalf("psubscribe: %v", err)
	}
	if err := ps.Subscribe(ctx, "direct"); err != nil {
		t.Fatal(err)
	}
	ch := ps.Channel()
	for i := range 100 {
		channel := "direct"
		if i%2 == 1 {
			channel = "news.tech"
		}
		if n, err := rdb.Publish(ctx, channel, fmt.Sprint(i)).Result(); err != nil || n != 1 {
			t.Fatalf("publish %d: %d %v", i, n, err)
		}
	}
	for i := range 100 {
		select {
		case m := <-ch:
			if m.Payload != fmt.Sprint(i) {
				t.Fatalf("message %d: got %q on %s", i, m.Payload, m.Channel)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("message %d never came", i)
		}
	}
}

// TestPubSubSlowSubscriberDropped: a subscriber that never reads is
// disconnected once its queue passes the pubsub hard limit, and
// publishers are never blocked by it.
func TestPubSubSlowSubscriberDropped(t *testing.T) {
	l := startLarder(t)
	admin := dial(t, l.addr)
	admin.do("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0")
	slow := dial(t, l.addr)
	slow.do("SUBSCRIBE", "firehose")
	payload := strings.Repeat("x", 64<<10)
	deadline := time.Now().Add(20 * time.Second)
	for {
		n := admin.do("PUBLISH", "firehose", payload)
		if string(n) == ":0\r\n" {
			break // the slow subscriber is gone
		}
		if time.Now().After(deadline) {
			t.Fatal("slow subscriber never dropped")
		}
	}
	// its connection is closed: reading drains what was sent, then EOF
	_ = slow.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 1<<20)
	for {
		if _, err := slow.nc.Read(buf); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("dropped subscriber's connection still open")
			}
			break
		}
	}
}

// TestPubSubConcurrentPublishers: many publishers, many subscribers; each
// subscriber gets every message exactly once and each publisher's messages
// in order.
func TestPubSubConcurrentPublishers(t *testing.T) {
	l := startLarder(t)
	ctx := t.Context()
	const subs, pubs, each = 4, 4, 200
	var clients []*redis.PubSub
	for range subs {
		rdb := redis.NewClient(&redis.Options{Addr: l.addr})
		t.Cleanup(func() { rdb.Close() })
		ps := rdb.Subscribe(ctx, "c")
		if _, err := ps.Receive(ctx); err != nil {
			t.Fatal(err)
		}
		clients = append(clients, ps)
	}
	var wg sync.WaitGroup
	for p := range pubs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rdb := redis.NewClient(&redis.Options{Addr: l.addr})
			defer rdb.Close()
			for i := range each {
				rdb.Publish(ctx, "c", fmt.Sprintf("%d:%d", p, i))
			}
		}()
	}
	for _, ps := range clients {
		last := make([]int, pubs)
		for i := range last {
			last[i] = -1
		}
		ch := ps.Channel()
		for range pubs * each {
			select {
			case m := <-ch:
				var p, i int
				fmt.Sscanf(m.Payload, "%d:%d", &p, &i)
				if i != last[p]+1 {
					t.Fatalf("publisher %d: message %d after %d", p, i, last[p])
				}
				last[p] = i
			case <-time.After(10 * time.Second):
				t.Fatal("messages missing")
			}
		}
	}
	wg.Wait()
}
