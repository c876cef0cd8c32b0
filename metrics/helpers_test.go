package metrics_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/rs/zerolog"

	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/command/families"
	"github.com/larder-db/larder/keyspace"
	"github.com/larder-db/larder/metrics"
	"github.com/larder-db/larder/protocol"
	"github.com/larder-db/larder/rest"
)

const (
	stdToken = "std-token-0123456789"
	roToken  = "ro-token-9876543210"
)

// fixture is a dispatcher served over RESP and REST (with the metrics
// middleware), and the metrics of it, all in process on loopback ports.
type fixture struct {
	d        *command.Dispatcher
	mx       *metrics.Metrics
	respAddr string
	restURL  string
}

// start serves a fresh dispatcher; metricsToken "" leaves /metrics on the
// REST listener to the REST tokens.
func start(t *testing.T, metricsToken string) *fixture {
	t.Helper()
	cfg := families.NewConfig()
	cfg.AddParams(metrics.Params())
	for name, v := range map[string]string{"rest-token": stdToken, "rest-readonly-token": roToken,
		"metrics-token": metricsToken} {
		if err := cfg.Init(name, v); err != nil {
			t.Fatal(err)
		}
	}
	d := families.New(command.Options{Store: keyspace.New(keyspace.Options{}), Config: cfg, Logger: zerolog.Nop()})
	mx := metrics.New(metrics.Options{Dispatcher: d})
	f := &fixture{d: d, mx: mx}

	ln := listen(t)
	srv := protocol.New(ln, protocol.Options{Dispatcher: d, Logger: zerolog.Nop()})
	go func() { _ = srv.Serve() }()
	t.Cleanup(func() { _ = srv.Close() })
	f.respAddr = ln.Addr().String()

	rln := listen(t)
	rs := rest.New(rest.Options{Dispatcher: d, Logger: zerolog.Nop(), Wrap: mx.WrapREST("", true)})
	mx.SetStreams(rs.OpenStreams)
	go func() { _ = rs.Serve(rln) }()
	t.Cleanup(func() { _ = rs.Close() })
	f.restURL = "http://" + rln.Addr().String()
	return f
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// request sends method path with body and a bearer token ("" for none)
// and returns the status and body.
func request(t *testing.T, method, url, body, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// scrape GETs url with token and parses the exposition with Prometheus'
// own text parser.
func scrape(t *testing.T, url, token string) scraped {
	t.Helper()
	status, body := request(t, http.MethodGet, url, "", token)
	if status != http.StatusOK {
		t.Fatalf("scrape %s: status %d: %s", url, status, body)
	}
	return parse(t, body)
}

func parse(t *testing.T, body string) scraped {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse the exposition: %v\n%s", err, body)
	}
	return fams
}

type scraped map[string]*dto.MetricFamily

// value is the sample of name whose labels include want (a histogram's
// count); 0 when there is none, as a counter not yet moved.
func (fs scraped) value(name string, want ...string) float64 {
	f := fs[name]
	if f == nil {
		return 0
	}
	for _, m := range f.GetMetric() {
		if !hasLabels(m, want) {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return 0
}

// hasLabels reports whether m carries every name=value pair of kv.
func hasLabels(m *dto.Metric, kv []string) bool {
	for i := 0; i+1 < len(kv); i += 2 {
		found := false
		for _, l := range m.GetLabel() {
			found = found || (l.GetName() == kv[i] && l.GetValue() == kv[i+1])
		}
		if !found {
			return false
		}
	}
	return true
}

// respConn is a raw RESP connection sending inline commands.
type respConn struct {
	nc net.Conn
	br *bufio.Reader
}

func dialRESP(t *testing.T, addr string) *respConn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	return &respConn{nc: nc, br: bufio.NewReader(nc)}
}

// do sends an inline command and returns the first line of its reply.
func (c *respConn) do(t *testing.T, line string) string {
	t.Helper()
	_ = c.nc.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c.nc, line+"\r\n"); err != nil {
		t.Fatal(err)
	}
	reply, err := c.br.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimRight(reply, "\r\n")
}

// waitFor polls cond until it holds, failing after a few seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("%s: never happened", what)
		case <-time.After(10 * time.Millisecond):
		}
	}
}
