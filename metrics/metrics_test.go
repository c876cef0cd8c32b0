package metrics_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/larder-db/larder/metrics"
	"github.com/larder-db/larder/persist"
)

// TestMetrics_CountersMove: commands over RESP and REST move the command,
// latency, error, keyspace, connection and REST request figures by exactly
// what was sent.
func TestMetrics_CountersMove(t *testing.T) {
	f := start(t, "")
	before := scrape(t, f.restURL+"/metrics", stdToken)
	c := dialRESP(t, f.respAddr)
	for i := range 5 {
		if got := c.do(t, fmt.Sprintf("SET k%d v", i)); got != "+OK" {
			t.Fatalf("SET: %s", got)
		}
	}
	if got := c.do(t, "LPUSH k0 x"); !strings.HasPrefix(got, "-WRONGTYPE") {
		t.Fatalf("LPUSH on a string: %s", got)
	}
	c.do(t, "SET tmp v EX 100")
	for range 3 {
		if status, body := request(t, http.MethodPost, f.restURL+"/", `["SET","r","v"]`, stdToken); status != 200 {
			t.Fatalf("REST SET: %d %s", status, body)
		}
	}
	if status, body := request(t, http.MethodPost, f.restURL+"/pipeline", `[["GET","r"],["GET","k1"]]`, stdToken); status != 200 {
		t.Fatalf("REST pipeline: %d %s", status, body)
	}
	request(t, http.MethodGet, f.restURL+"/get/r", "", "wrong-token")
	after := scrape(t, f.restURL+"/metrics", stdToken)

	delta := func(name string, labels ...string) float64 {
		return after.value(name, labels...) - before.value(name, labels...)
	}
	for _, want := range []struct {
		name   string
		labels []string
		n      float64
	}{
		{"larder_command_calls_total", []string{"cmd", "set"}, 9},
		{"larder_command_duration_seconds", []string{"cmd", "set"}, 9},
		{"larder_command_calls_total", []string{"cmd", "get"}, 2},
		{"larder_command_failed_calls_total", []string{"cmd", "lpush"}, 1},
		{"larder_errors_total", []string{"code", "WRONGTYPE"}, 1},
		{"larder_error_replies_total", nil, 1},
		{"larder_rest_requests_total", []string{"route", "single", "status", "200"}, 3},
		{"larder_rest_requests_total", []string{"route", "pipeline", "status", "200"}, 1},
		{"larder_rest_requests_total", []string{"route", "command", "status", "401"}, 1},
		{"larder_rest_requests_total", []string{"route", "metrics", "status", "200"}, 1},
	} {
		if got := delta(want.name, want.labels...); got != want.n {
			t.Errorf("%s%v moved by %v, want %v", want.name, want.labels, got, want.n)
		}
	}
	if got := after.value("larder_db_keys", "db", "0"); got != 7 {
		t.Errorf("larder_db_keys{db=0} = %v, want 7", got)
	}
	if got := after.value("larder_db_expiring_keys", "db", "0"); got != 1 {
		t.Errorf("larder_db_expiring_keys{db=0} = %v, want 1", got)
	}
	if got := after.value("larder_connected_clients", "frontend", "resp"); got != 1 {
		t.Errorf("larder_connected_clients{frontend=resp} = %v, want 1", got)
	}
	if after.value("larder_memory_used_bytes") <= before.value("larder_memory_used_bytes") {
		t.Errorf("larder_memory_used_bytes did not grow with the keys")
	}
}

// TestMetrics_PerUserCounts: the commands of each REST token and of a RESP
// connection are counted under their user and front end, exactly.
func TestMetrics_PerUserCounts(t *testing.T) {
	f := start(t, "")
	const std, ro = 7, 4
	for i := range std {
		request(t, http.MethodPost, f.restURL+"/", fmt.Sprintf(`["INCR","n%d"]`, i%3), stdToken)
	}
	// A pipeline of three is three commands of the read-only user.
	request(t, http.MethodPost, f.restURL+"/pipeline", `[["GET","a"],["GET","b"],["EXISTS","c"]]`, roToken)
	request(t, http.MethodGet, f.restURL+"/get/a", "", roToken)
	// A RESP connection counts for its user as it changes: AUTH counts for
	// the user it makes; a closed connection's counts stay.
	c := dialRESP(t, f.respAddr)
	for range 2 {
		c.do(t, "PING")
	}
	if got := c.do(t, "AUTH default_ro "+roToken); got != "+OK" {
		t.Fatalf("AUTH default_ro: %s", got)
	}
	for range 3 {
		c.do(t, "PING")
	}
	want := []struct {
		user, frontEnd string
		n              float64
	}{{"default", "rest", std}, {"default_ro", "rest", ro}, {"default", "resp", 2}, {"default_ro", "resp", 4}}
	check := func(when string) {
		got := scrape(t, f.restURL+"/metrics", stdToken)
		for _, w := range want {
			if v := got.value("larder_user_commands_total", "user", w.user, "frontend", w.frontEnd); v != w.n {
				t.Errorf("%s: larder_user_commands_total{user=%s,frontend=%s} = %v, want %v", when, w.user, w.frontEnd, v, w.n)
			}
		}
	}
	check("connection open")
	_ = c.nc.Close()
	waitFor(t, "the connection gone", func() bool { return f.d.Clients() == 0 })
	check("connection closed")
}

// TestMetrics_Auth: /metrics on the REST listener takes either REST token,
// or only metrics-token once it is set; the metrics listener is open
// without metrics-token and takes only it with one.
func TestMetrics_Auth(t *testing.T) {
	f := start(t, "")
	for _, c := range []struct {
		token string
		want  int
	}{{"", 401}, {"wrong", 401}, {stdToken, 200}, {roToken, 200}} {
		if status, body := request(t, http.MethodGet, f.restURL+"/metrics", "", c.token); status != c.want {
			t.Errorf("REST /metrics with token %q: %d, want %d (%s)", c.token, status, c.want, body)
		}
	}
	open := httptest.NewServer(f.mx.Handler(false))
	defer open.Close()
	if status, _ := request(t, http.MethodGet, open.URL, "", ""); status != 200 {
		t.Errorf("metrics listener without metrics-token: %d, want 200", status)
	}

	g := start(t, "metrics-secret")
	for _, c := range []struct {
		token string
		want  int
	}{{"", 401}, {stdToken, 401}, {"metrics-secret", 200}} {
		if status, _ := request(t, http.MethodGet, g.restURL+"/metrics", "", c.token); status != c.want {
			t.Errorf("REST /metrics with metrics-token set, token %q: %d, want %d", c.token, status, c.want)
		}
	}
	closed := httptest.NewServer(g.mx.Handler(false))
	defer closed.Close()
	if status, _ := request(t, http.MethodGet, closed.URL, "", ""); status != 401 {
		t.Errorf("metrics listener with metrics-token, no token: %d, want 401", status)
	}
	if status, _ := request(t, http.MethodPost, closed.URL, "", "metrics-secret"); status != 405 {
		t.Errorf("POST /metrics: %d, want 405", status)
	}
}

// TestMetrics_SSEStreams: an open subscription shows as an SSE stream
// until it ends.
func TestMetrics_SSEStreams(t *testing.T) {
	f := start(t, "")
	streams := func() float64 {
		return scrape(t, f.restURL+"/metrics", stdToken).value("larder_rest_sse_streams")
	}
	if n := streams(); n != 0 {
		t.Fatalf("streams before any: %v", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.restURL+"/subscribe/ch", nil)
	req.Header.Set("Authorization", "Bearer "+stdToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "one open stream", func() bool { return streams() == 1 })
	cancel()
	_ = res.Body.Close()
	waitFor(t, "the stream closed", func() bool { return streams() == 0 })
	// The request is counted once its handler has returned.
	waitFor(t, "the subscribe request counted", func() bool {
		got := scrape(t, f.restURL+"/metrics", stdToken)
		return got.value("larder_rest_requests_total", "route", "subscribe", "status", "200") == 1
	})
}

// TestMetrics_Log: the log's group commits show as append and fsync
// timings and group sizes, its figures as gauges.
func TestMetrics_Log(t *testing.T) {
	l, err := persist.Open(persist.Options{Dir: t.TempDir(), Policy: persist.Always, Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	if _, err := l.Recover(func([]byte) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := l.Start(0); err != nil {
		t.Fatal(err)
	}
	const n = 20
	var last uint64
	for i := range n {
		last = l.Append(fmt.Appendf(nil, "record %d", i))
	}
	if err := l.Wait(last); err != nil {
		t.Fatal(err)
	}
	f := start(t, "")
	mx := metrics.New(metrics.Options{Dispatcher: f.d, Log: l})
	mx.SetRecovery(1500 * time.Millisecond)
	srv := httptest.NewServer(mx.Handler(false))
	defer srv.Close()
	got := scrape(t, srv.URL, "")
	groups := got.value("larder_log_append_seconds")
	if groups < 1 || groups > n {
		t.Errorf("append timings: %v groups for %d records", groups, n)
	}
	if fs := got.value("larder_log_fsync_seconds"); fs != groups {
		t.Errorf("fsync timings: %v, want one per group (%v)", fs, groups)
	}
	if recs := got["larder_log_group_records"].GetMetric()[0].GetHistogram().GetSampleSum(); recs != n {
		t.Errorf("records in groups: %v, want %d", recs, n)
	}
	if seq := got.value("larder_log_last_seq"); seq != float64(last) {
		t.Errorf("larder_log_last_seq = %v, want %d", seq, last)
	}
	if r := got.value("larder_recovery_duration_seconds"); r != 1.5 {
		t.Errorf("larder_recovery_duration_seconds = %v, want 1.5", r)
	}
}
