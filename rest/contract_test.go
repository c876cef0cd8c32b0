package rest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// contractCase is one row of testdata/contract.json: requests in order, each
// with the exact answer the contract (UPSTASH-REST.md, section in cite)
// requires. A step without a status is set-up only.
type contractCase struct {
	Name  string `json:"name"`
	Cite  string `json:"cite"`
	Steps []struct {
		Method      string            `json:"method"`
		Path        string            `json:"path"`
		Token       string            `json:"token"` // "std" (default), "ro", "none"
		Headers     []string          `json:"headers"`
		Body        string            `json:"body"`
		Status      int               `json:"status"`
		Response    json.RawMessage   `json:"response"` // JSON body, compared compacted and byte for byte
		Text        *string           `json:"text"`     // raw body
		WantHeaders map[string]string `json:"wantHeaders"`
	} `json:"steps"`
}

// TestContract_Golden runs every golden case on a fresh server.
func TestContract_Golden(t *testing.T) {
	raw, err := os.ReadFile("testdata/contract.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []contractCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			ts := startREST(t, nil)
			for i, st := range c.Steps {
				tok := st.Token
				if tok == "" {
					tok = "std"
				}
				res := ts.do(t, st.Method, st.Path, st.Body, tok, st.Headers...)
				if st.Status == 0 {
					continue
				}
				where := func() string { return fmt.Sprintf("%s, step %d: %s %s", c.Cite, i, st.Method, st.Path) }
				if res.status != st.Status {
					t.Errorf("%s: status %d, want %d (body %s)", where(), res.status, st.Status, res.body)
				}
				want := ""
				switch {
				case st.Text != nil:
					want = *st.Text
				case st.Response != nil:
					var buf bytes.Buffer
					if err := json.Compact(&buf, st.Response); err != nil {
						t.Fatal(err)
					}
					want = buf.String()
				}
				if res.body != want {
					t.Errorf("%s:\n got  %q\n want %q", where(), res.body, want)
				}
				for k, v := range st.WantHeaders {
					if got := res.header.Get(k); got != v {
						t.Errorf("%s: header %s = %q, want %q", where(), k, got, v)
					}
				}
				if res.header.Get("Upstash-Sync-Token") == "" {
					t.Errorf("%s: no upstash-sync-token (§9: on every response)", where())
				}
			}
		})
	}
}
