package rest_test

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestACL_UserRESTToken: ACL RESTTOKEN of an ACL user gives a bearer token
// whose requests run as that user (its permissions, ACL WHOAMI); it stops
// working when the user's password is removed or the user is deleted.
func TestACL_UserRESTToken(t *testing.T) {
	ts := startREST(t, nil)
	result := func(r response) string {
		t.Helper()
		var v struct {
			Result any    `json:"result"`
			Error  string `json:"error"`
		}
		if err := json.Unmarshal([]byte(r.body), &v); err != nil {
			t.Fatalf("body %q: %v", r.body, err)
		}
		if v.Error != "" {
			return "error: " + v.Error
		}
		s, _ := v.Result.(string)
		return s
	}
	if got := result(ts.post(t, "/", `["acl","setuser","ann","on",">pw","~a*","+get","+set","+acl|whoami"]`)); got != "OK" {
		t.Fatalf("SETUSER: %q", got)
	}
	if got := result(ts.post(t, "/", `["acl","resttoken","ann","bad"]`)); got != `error: ERR Wrong password or user "ann" does not exist` {
		t.Errorf("wrong password: %q", got)
	}
	tok := result(ts.post(t, "/", `["acl","resttoken","ann","pw"]`))
	as := func(body string) response {
		return ts.do(t, http.MethodPost, "/", body, "", "Authorization: Bearer "+tok)
	}
	for body, want := range map[string]string{
		`["acl","whoami"]`:      "ann",
		`["set","a1","v"]`:      "OK",
		`["get","a1"]`:          "v",
		`["get","b1"]`:          "error: NOPERM this user has no permissions to access one of the keys used as arguments",
		`["del","a1"]`:          "error: NOPERM this user has no permissions to run the 'del' command",
		`["acl","setuser","x"]`: "error: NOPERM this user has no permissions to run the 'acl|setuser' command",
	} {
		if got := result(as(body)); got != want {
			t.Errorf("%s as ann: %q, want %q", body, got, want)
		}
	}
	result(ts.post(t, "/", `["acl","setuser","ann","<pw",">other"]`))
	if r := as(`["get","a1"]`); r.status != http.StatusUnauthorized {
		t.Errorf("after the password was removed: %d %s", r.status, r.body)
	}
	tok = result(ts.post(t, "/", `["acl","resttoken","ann","other"]`))
	if got := result(as(`["get","a1"]`)); got != "v" {
		t.Errorf("new token: %q", got)
	}
	result(ts.post(t, "/", `["acl","deluser","ann"]`))
	if r := as(`["get","a1"]`); r.status != http.StatusUnauthorized {
		t.Errorf("after DELUSER: %d %s", r.status, r.body)
	}
}
