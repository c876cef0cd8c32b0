package rest_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/larder-db/larder/rest"
)

// rawConn opens a TCP connection to the test server (loopback), closed
// when the test ends.
func (ts *testServer) rawConn(t *testing.T) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(ts.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// closedBy reports whether the server ends c (EOF or reset, possibly after
// an error response) before the deadline; what it sent is returned.
func closedBy(c net.Conn, deadline time.Time) (string, bool) {
	_ = c.SetReadDeadline(deadline)
	b, err := io.ReadAll(c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return string(b), false
	}
	return string(b), true
}

// TestLimits_Slowloris is R13 (a) and (b), scaled down: connections that
// trickle their headers or body are closed by the header/read timeouts
// while normal requests keep being answered.
func TestLimits_Slowloris(t *testing.T) {
	const timeout = 300 * time.Millisecond
	ts := startREST(t, func(o *rest.Options) { o.HeaderTimeout, o.ReadTimeout = timeout, timeout })
	const conns = 20
	var wg sync.WaitGroup
	errs := make(chan string, 2*conns)
	for i := 0; i < conns; i++ {
		hdr, body := ts.rawConn(t), ts.rawConn(t)
		_, _ = io.WriteString(hdr, "POST / HTTP/1.1\r\nHost: x\r\n")
		_, _ = io.WriteString(body, "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+stdToken+"\r\nContent-Length: 100\r\n\r\n[")
		for _, c := range []net.Conn{hdr, body} {
			wg.Add(1)
			go func(c net.Conn) {
				defer wg.Done()
				for j := 0; j < 5; j++ { // one byte every 100 ms, slower than the timeout allows
					if _, err := c.Write([]byte("X")); err != nil {
						return
					}
					time.Sleep(100 * time.Millisecond)
				}
				got, closed := closedBy(c, time.Now().Add(timeout+5*time.Second))
				if !closed {
					errs <- "a slow connection was not closed: " + got
				}
			}(c)
		}
	}
	for i := 0; i < 10; i++ {
		if res := ts.post(t, "/", `["PING"]`); res.body != `{"result":"PONG"}` {
			t.Errorf("request during the attack: %d %s", res.status, res.body)
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestLimits_OversizeHeader is R13 (c): a 2 MB header block gets 431.
func TestLimits_OversizeHeader(t *testing.T) {
	ts := startREST(t, nil)
	res := ts.do(t, http.MethodPost, "/", `["PING"]`, "std", "X-Big: "+strings.Repeat("a", 2<<20))
	if res.status != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("status %d, want 431", res.status)
	}
}

// TestLimits_OversizeBody is R13 (d): a declared length over the limit is
// refused without reading the body; a chunked body is cut at the limit.
func TestLimits_OversizeBody(t *testing.T) {
	ts := startREST(t, nil)
	c := ts.rawConn(t)
	fmt.Fprintf(c, "POST /pipeline HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n[[", stdToken, 10<<20+1)
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer before the body was sent: %v", err)
	}
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 400 || string(b) != `{"error":"ERR max request size exceeded"}` {
		t.Fatalf("declared length: %d %s", res.StatusCode, b)
	}

	small := startREST(t, func(o *rest.Options) { o.MaxRequestSize = 64 << 10 })
	for _, path := range []string{"/", "/pipeline", "/multi-exec", "/set/k"} {
		req, _ := http.NewRequest(http.MethodPost, small.url+path, io.MultiReader(strings.NewReader(`["SET","k","`),
			strings.NewReader(strings.Repeat("v", 64<<10)), strings.NewReader(`"]`)))
		req.Header.Set("Authorization", "Bearer "+stdToken)
		req.ContentLength = -1 // chunked: the size is only found while reading
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if res.StatusCode != 400 || string(b) != `{"error":"ERR max request size exceeded"}` {
			t.Errorf("%s chunked: %d %s", path, res.StatusCode, b)
		}
	}
}

// TestLimits_NestedJSON is R13 (e): deep nesting is a 400 JSON error, found
// without recursion.
func TestLimits_NestedJSON(t *testing.T) {
	ts := startREST(t, nil)
	deep := strings.Repeat("[", 1<<20)
	for _, path := range []string{"/", "/pipeline", "/multi-exec"} {
		res := ts.post(t, path, deep)
		if res.status != 400 || !strings.HasPrefix(res.body, `{"error":"ERR failed to parse request body: `) {
			t.Errorf("%s: %d %.200s", path, res.status, res.body)
		}
	}
}

// TestLimits_PipelineCount is R13 (f): a pipeline of a million tiny
// commands within the size limit is refused by the command-count limit.
func TestLimits_PipelineCount(t *testing.T) {
	ts := startREST(t, nil)
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < 1_000_000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`["a"]`)
	}
	b.WriteString("]")
	res := ts.post(t, "/pipeline", b.String())
	expectError(t, "1M commands", res, 400, "ERR max pipeline commands exceeded")
	few := startREST(t, func(o *rest.Options) { o.MaxCommands = 2 })
	expectBody(t, "2 commands", few.post(t, "/pipeline", `[["PING"],["PING"]]`), 200, `[{"result":"PONG"},{"result":"PONG"}]`)
	expectError(t, "3 commands", few.post(t, "/multi-exec", `[["PING"],["PING"],["PING"]]`), 400, "ERR max pipeline commands exceeded")
}

// TestLimits_KeyAndRecord: Upstash's key and record size limits with their
// texts (§17); reads of big values stay allowed.
func TestLimits_KeyAndRecord(t *testing.T) {
	ts := startREST(t, func(o *rest.Options) { o.MaxKeySize, o.MaxRecordSize = 10, 10 })
	keyErr := "ERR max key size exceeded. Limit: 10 bytes, Actual: 11 bytes"
	expectError(t, "long key", ts.post(t, "/", `["GET","kkkkkkkkkkk"]`), 400, keyErr)
	expectError(t, "long key, path", ts.do(t, "GET", "/set/kkkkkkkkkkk/v", "", "std"), 400, keyErr)
	expectBody(t, "long key in a pipeline", ts.post(t, "/pipeline", `[["MSET","k","v","kkkkkkkkkkk","v"],["PING"]]`), 200,
		`[{"error":"`+keyErr+`"},{"result":"PONG"}]`)
	expectError(t, "long key in multi-exec", ts.post(t, "/multi-exec", `[["PING"],["DEL","kkkkkkkkkkk"]]`), 400, keyErr)
	expectError(t, "big record", ts.post(t, "/", `["SET","k","vvvvvvvvvvv"]`), 400, "ERR max single record size exceeded")
	expectBody(t, "big argument to a read", ts.post(t, "/", `["ECHO","vvvvvvvvvvv"]`), 200, `{"result":"vvvvvvvvvvv"}`)
	expectBody(t, "exactly at the limits", ts.post(t, "/", `["SET","kkkkkkkkkk","vvvvvvvvvv"]`), 200, `{"result":"OK"}`)
}

// TestLimits_RecordGrowth: writes that grow a stored value past the max
// record size (APPEND, SETRANGE; also from a script and inside
// /multi-exec) fail with Upstash's text and change nothing; up to the
// limit they work (§17).
func TestLimits_RecordGrowth(t *testing.T) {
	ts := startREST(t, func(o *rest.Options) { o.MaxRecordSize = 10 })
	const recErr = "ERR max single record size exceeded"
	ts.post(t, "/", `["SET","s","12345678"]`)
	cases := []struct {
		name, body string
		status     int
		want       string
	}{
		{"append to the limit", `["APPEND","s","9"]`, 200, `{"result":9}`},
		{"append past the limit", `["APPEND","s","ab"]`, 400, `{"error":"` + recErr + `"}`},
		{"setrange past the limit", `["SETRANGE","s","9","ab"]`, 400, `{"error":"` + recErr + `"}`},
		{"setrange far past the limit", `["SETRANGE","new","1000","x"]`, 400, `{"error":"` + recErr + `"}`},
		{"setrange inside", `["SETRANGE","s","0","ab"]`, 200, `{"result":9}`},
		{"setrange to the limit", `["SETRANGE","s","9","c"]`, 200, `{"result":10}`},
		{"append in a pipeline", `[["APPEND","s","x"],["GET","s"]]`, 200, `[{"error":"` + recErr + `"},{"result":"ab3456789c"}]`},
		{"append in multi-exec", `[["APPEND","s","x"],["STRLEN","s"]]`, 200, `[{"error":"` + recErr + `"},{"result":10}]`},
		{"append from a script", `["EVAL","return redis.call('append', KEYS[1], 'x')","1","s"]`, 400,
			`{"error":"` + recErr + ` script: ` + sha1hex("return redis.call('append', KEYS[1], 'x')") + `, on @user_script:1."}`},
		{"append a new key from a script", `["EVAL","return redis.call('append', KEYS[1], string.rep('x', 11))","1","n"]`, 400,
			`{"error":"` + recErr + ` script: ` + sha1hex("return redis.call('append', KEYS[1], string.rep('x', 11))") + `, on @user_script:1."}`},
	}
	for _, c := range cases {
		path := "/"
		switch {
		case strings.HasPrefix(c.name, "append in a pipeline"):
			path = "/pipeline"
		case strings.HasPrefix(c.name, "append in multi"):
			path = "/multi-exec"
		}
		expectBody(t, c.name, ts.post(t, path, c.body), c.status, c.want)
	}
	expectBody(t, "unchanged", ts.post(t, "/", `["MGET","s","new","n"]`), 200, `{"result":["ab3456789c",null,null]}`)
}
