package tests

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestMetrics_Binary runs the larder binary with the log, REST and a
// metrics listener: /metrics on both listeners, the log's and recovery's
// figures present, and every metric name the Grafana dashboard uses
// present in a scrape.
func TestMetrics_Binary(t *testing.T) {
	const token = "metrics-test-token"
	restPort, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	mPort, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	s := startLarder(t, "--rest-port", strconv.Itoa(restPort), "--rest-token", token,
		"--metrics-port", strconv.Itoa(mPort))
	// The start-up probe is answered -NOAUTH while the data loads.
	ready := "http://127.0.0.1:" + strconv.Itoa(restPort) + "/readyz"
	waitFor(t, 10*time.Second, "/readyz", func() bool { status, _ := httpGet(t, ready, ""); return status == http.StatusOK })
	c := dial(t, s.addr)
	if got := string(c.do("AUTH", token)); got != "+OK\r\n" {
		t.Fatalf("AUTH: %q", got)
	}
	for _, k := range []string{"a", "b", "c"} {
		c.do("SET", k, "v")
	}
	if got := string(c.do("SAVE")); got != "+OK\r\n" {
		t.Fatalf("SAVE: %q", got)
	}
	restURL := "http://127.0.0.1:" + strconv.Itoa(restPort) + "/metrics"
	if status, _ := httpGet(t, restURL, ""); status != http.StatusUnauthorized {
		t.Errorf("REST /metrics without a token: %d, want 401", status)
	}
	if status, _ := httpGet(t, restURL, token); status != http.StatusOK {
		t.Errorf("REST /metrics with the REST token: %d, want 200", status)
	}
	mURL := "http://127.0.0.1:" + strconv.Itoa(mPort) + "/metrics"
	var fams map[string]*dto.MetricFamily
	// The log's writes reach it after the replies (appendfsync everysec).
	waitFor(t, 10*time.Second, "the log's group commits in a scrape", func() bool {
		fams = scrapeFamilies(t, mURL)
		f := fams["larder_log_append_seconds"]
		return f != nil && f.GetMetric()[0].GetHistogram().GetSampleCount() > 0
	})
	if _, ok := fams["larder_recovery_duration_seconds"]; !ok {
		t.Error("no larder_recovery_duration_seconds")
	}
	for _, name := range []string{"larder_snapshots_total", "larder_snapshot_size_bytes"} {
		if f := fams[name]; f == nil || value(f.GetMetric()[0]) <= 0 {
			t.Errorf("%s after SAVE: %v", name, f)
		}
	}
	if f := fams["larder_command_calls_total"]; f == nil || len(f.GetMetric()) < 3 {
		t.Errorf("larder_command_calls_total: %v", f)
	}
	var missing []string
	for _, name := range dashboardMetrics(t) {
		if !scraped(fams, name) {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		t.Errorf("the dashboard uses metrics no scrape has: %s", strings.Join(missing, ", "))
	}
}

// value is a counter's or a gauge's value.
func value(m *dto.Metric) float64 {
	if m.Counter != nil {
		return m.Counter.GetValue()
	}
	return m.Gauge.GetValue()
}

// scraped reports whether name is a family of fams, or a histogram
// family's _bucket, _sum or _count series.
func scraped(fams map[string]*dto.MetricFamily, name string) bool {
	if fams[name] != nil {
		return true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && fams[base].GetType() == dto.MetricType_HISTOGRAM {
			return true
		}
	}
	return false
}

func httpGet(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
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

// scrapeFamilies scrapes url and parses it with Prometheus' text parser.
func scrapeFamilies(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	status, body := httpGet(t, url, "")
	if status != http.StatusOK {
		t.Fatalf("scrape %s: %d %s", url, status, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	return fams
}

// dashboardMetrics returns the metric names the Grafana dashboard's
// queries use.
func dashboardMetrics(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("../deploy/grafana/larder.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Targets []struct{ Expr string } `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct{ Definition string } `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	var exprs []string
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	for _, v := range dash.Templating.List {
		exprs = append(exprs, v.Definition)
	}
	names := map[string]bool{}
	re := regexp.MustCompile(`\blarder_[a-z_]+`)
	for _, e := range exprs {
		for _, n := range re.FindAllString(e, -1) {
			names[n] = true
		}
	}
	if len(names) < 20 {
		t.Fatalf("only %d metric names found in the dashboard", len(names))
	}
	out := make([]string, 0, len(names))
	for n := range names {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
