package rest_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/larder-db/larder/rest"
)

// sseClient is one open SSE subscription.
type sseClient struct {
	lines  chan string // "data: …" lines, in order
	cancel context.CancelFunc
	header http.Header
}

// subscribe opens an SSE stream as the SDK does (POST, body [], §2.5); the
// stream is closed when the test ends.
func (ts *testServer) subscribe(t *testing.T, path, token string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.url+path, strings.NewReader("[]"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Upstash-Encoding", "base64") // SSE data is never encoded
	switch token {
	case "std":
		req.Header.Set("Authorization", "Bearer "+stdToken)
	case "ro":
		req.Header.Set("Authorization", "Bearer "+roToken)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		cancel()
		t.Fatalf("subscribe %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	c := &sseClient{lines: make(chan string, 100), cancel: cancel, header: res.Header}
	go func() {
		defer close(c.lines)
		defer func() { _ = res.Body.Close() }()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "data: ") {
				c.lines <- line
			}
		}
	}()
	t.Cleanup(cancel)
	return c
}

// expect waits for the next data line (bounded, so a broken server fails
// the test instead of hanging it).
func (c *sseClient) expect(t *testing.T, want string) {
	t.Helper()
	select {
	case got, ok := <-c.lines:
		if !ok {
			t.Fatalf("stream ended, want %q", want)
		}
		if got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no event, want %q", want)
	}
}

// numsub is PUBSUB NUMSUB's count for channel.
func (ts *testServer) numsub(t *testing.T, channel string) string {
	t.Helper()
	return ts.post(t, "/", jsonBody(t, []string{"PUBSUB", "NUMSUB", channel})).body
}

// TestSSE_SubscribePublish: names with '/' and a space, JSON and text
// payloads raw (never base64), pattern messages, the sync token on the
// stream, and cleanup when the client goes away (§2.5).
func TestSSE_SubscribePublish(t *testing.T) {
	ts := startREST(t, nil)
	ch := "chat/room 1"
	sub := ts.subscribe(t, "/subscribe/chat/room%201", "std")
	if sub.header.Get("Upstash-Sync-Token") == "" {
		t.Error("no upstash-sync-token on the stream (§9)")
	}
	sub.expect(t, "data: subscribe,chat/room 1,1")
	psub := ts.subscribe(t, "/psubscribe/chat/*", "std")
	psub.expect(t, "data: psubscribe,chat/*,1")
	res := ts.post(t, "/", jsonBody(t, []string{"PUBLISH", ch, `{"hello":"world"}`}))
	if res.body != `{"result":2}` {
		t.Fatalf("publish: %s", res.body)
	}
	ts.post(t, "/", jsonBody(t, []string{"PUBLISH", ch, "plain text"}))
	sub.expect(t, `data: message,chat/room 1,{"hello":"world"}`)
	sub.expect(t, `data: message,chat/room 1,plain text`)
	psub.expect(t, `data: pmessage,chat/*,chat/room 1,{"hello":"world"}`)
	psub.expect(t, `data: pmessage,chat/*,chat/room 1,plain text`)
	if got := ts.numsub(t, ch); got != `{"result":["chat/room 1",1]}` {
		t.Fatalf("numsub while subscribed: %s", got)
	}
	sub.cancel()
	psub.cancel()
	waitFor(t, func() bool {
		return ts.numsub(t, ch) == `{"result":["chat/room 1",0]}` &&
			ts.post(t, "/", `["PUBSUB","NUMPAT"]`).body == `{"result":0}`
	})
}

// waitFor polls cond until it holds (bounded: cleanup after a disconnect is
// asynchronous by nature).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if cond() {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatal("condition never held")
}

// TestSSE_StreamLimit: past MaxStreams a subscription is refused with a
// JSON error, and a slot frees when a stream ends (§17 connections).
func TestSSE_StreamLimit(t *testing.T) {
	ts := startREST(t, func(o *rest.Options) { o.MaxStreams = 2 })
	a := ts.subscribe(t, "/subscribe/a", "std")
	a.expect(t, "data: subscribe,a,1")
	b := ts.subscribe(t, "/subscribe/b", "std")
	b.expect(t, "data: subscribe,b,1")
	res := ts.do(t, http.MethodPost, "/subscribe/c", "[]", "std")
	expectError(t, "third stream", res, 400, "ERR max concurrent connections exceeded")
	a.cancel()
	waitFor(t, func() bool {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.url+"/subscribe/c", strings.NewReader("[]"))
		req.Header.Set("Authorization", "Bearer "+stdToken)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		defer func() { _ = res.Body.Close() }()
		return res.StatusCode == 200
	})
}

// TestSSE_Heartbeat: an idle stream gets comment lines, which the SDK
// ignores, and keeps running past the server's write timeout.
func TestSSE_Heartbeat(t *testing.T) {
	ts := startREST(t, func(o *rest.Options) {
		o.KeepAlivePeriod = 50 * time.Millisecond
		o.WriteTimeout = 200 * time.Millisecond
		o.ReadTimeout = 200 * time.Millisecond
	})
	sub := ts.subscribe(t, "/subscribe/slow", "std")
	sub.expect(t, "data: subscribe,slow,1")
	time.Sleep(600 * time.Millisecond) // past both timeouts: the stream must survive them
	ts.post(t, "/", `["PUBLISH","slow","still here"]`)
	sub.expect(t, "data: message,slow,still here")
}

// TestSSE_Monitor: /monitor streams executed commands in Redis's MONITOR
// format after "data: OK"; the read-only token is refused (§2, MONITOR is
// @admin); the feed stops when the client goes away.
func TestSSE_Monitor(t *testing.T) {
	ts := startREST(t, nil)
	res := ts.do(t, http.MethodPost, "/monitor", "[]", "ro")
	expectError(t, "read-only", res, 400, "NOPERM this user has no permissions to run the 'monitor' command")
	mon := ts.subscribe(t, "/monitor", "std")
	mon.expect(t, "data: OK")
	ts.post(t, "/", `["SET","k","v w"]`)
	select {
	case line := <-mon.lines:
		ts, rest, _ := strings.Cut(strings.TrimPrefix(line, "data: "), " ")
		if len(ts) != 17 || ts[10] != '.' || !strings.HasPrefix(rest, "[0 127.0.0.1:") || !strings.HasSuffix(rest, `] "SET" "k" "v w"`) {
			t.Fatalf("monitor line %q", line)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no monitor line")
	}
	mon.cancel()
	waitFor(t, func() bool { return ts.d.Clients() == 0 }) // the stream's session is gone, and its feed with it
}
