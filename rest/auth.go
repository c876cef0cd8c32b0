package rest

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/larder-db/larder/command"
)

// errUnauthorized is Upstash's 401 text (§3), surfaced by the SDKs.
const errUnauthorized = "WRONGPASS invalid or missing auth token"

// tokenEqual compares a configured token with a presented one; it is the
// dispatcher's constant-time helper (sha256 of both, then
// subtle.ConstantTimeCompare). A variable so a test can prove every check
// goes through it.
var tokenEqual = command.CheckPassword

// authenticate checks the request's token (Authorization: Bearer, else
// ?_token=) against the standard and read-only tokens. Both comparisons
// always run, so timing does not tell which token matched. It reports
// whether the request is read-only, and false for a missing or wrong token.
func (s *Server) authenticate(r *http.Request) (readOnly, ok bool) {
	got, present := presentedToken(r)
	if !present {
		return false, false
	}
	std, ro := s.cfg.Get("rest-token"), s.cfg.Get("rest-readonly-token")
	stdOK := std != "" && tokenEqual([]byte(std), []byte(got))
	roOK := ro != "" && tokenEqual([]byte(ro), []byte(got))
	switch {
	case stdOK:
		return false, true
	case roOK:
		return true, true
	}
	return false, false
}

// userKey is the request context's key for the ACL user of a token ACL
// RESTTOKEN made (command.TokenLogin).
type userKey struct{}

// aclUser authenticates a token of an ACL user: the request, carrying the
// user for open, or false.
func (s *Server) aclUser(r *http.Request) (*http.Request, bool) {
	got, present := presentedToken(r)
	if !present {
		return r, false
	}
	l, ok := s.d.RESTTokenLogin(got)
	if !ok {
		return r, false
	}
	return r.WithContext(context.WithValue(r.Context(), userKey{}, l)), true
}

// presentedToken finds the token: the Authorization header's Bearer
// credentials (scheme in any case, surrounding spaces ignored), or the
// _token query parameter (§3).
func presentedToken(r *http.Request) (string, bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, cred, found := strings.Cut(strings.TrimSpace(h), " ")
		if !found || !strings.EqualFold(scheme, "bearer") {
			return "", false
		}
		cred = strings.TrimSpace(cred)
		return cred, cred != ""
	}
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if k != "_token" {
			continue
		}
		tok, err := url.QueryUnescape(v)
		return tok, err == nil && tok != ""
	}
	return "", false
}
