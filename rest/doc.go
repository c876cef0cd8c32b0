// Package rest is Larder's Upstash-compatible REST front end: the HTTP API
// that @upstash/redis and upstash-redis speak (contract:
// ../shared/UPSTASH-REST.md; section numbers in comments refer to it).
//
// Routes (under an optional base path): POST / with a JSON array; path-style
// commands (GET|POST|PUT|HEAD /cmd/arg/..., raw body and query parameters
// appended); POST /pipeline; POST /multi-exec; SSE /subscribe/<channel>,
// /psubscribe/<pattern> and /monitor; OPTIONS for CORS preflight; /healthz and /readyz
// without a token. Other methods get 405.
//
// Every request builds argv and a short-lived command.Session, runs the same
// command.Dispatcher as RESP with a capturing Reply, and encodes the
// captured value as {"result": …} / {"error": …} (base64 when asked, §5.2)
// or as RESP2 bytes (Upstash-Response-Format: resp2, §5.3). Nothing below
// the dispatcher knows which front end called (STYLE.md §3.5).
//
// Imports: command and protocol/resp only (never protocol, never
// the keyspace directly; tests/imports_test.go checks it).
//
// Invariants and caveats:
//   - every response carries upstash-sync-token and every error body is
//     JSON (§6, §9);
//   - tokens are compared in constant time through command.CheckPassword;
//     the read-only token's sessions meet the dispatcher's read-only gate
//     (command.ReadOnlyAllowed), so it holds on every route and for the
//     commands its scripts run; EVAL/EVALSHA/FCALL run only scripts
//     declared no-writes;
//   - a token ACL RESTTOKEN made for an ACL user (an HMAC of its name and
//     password, checked by the dispatcher) runs the request as that user,
//     under its ACL rules;
//   - rows flagged TCP-only (AUTH, HELLO, SELECT, MULTI…, SUBSCRIBE…, most of
//     CLIENT) are refused in bodies (§16); blocking commands answer their
//     timeout reply at once, since REST sessions have no BlockHook (§15);
//   - bodies are limited before they are read; headers and bodies have
//     timeouts; SSE streams are exempt from the server's timeouts (each write
//     is bounded instead) and end when the client goes away;
//   - bodies over 1 KB are gzip-encoded when the request accepts gzip
//     (gzip.go); SSE streams never are;
//   - /monitor streams the dispatcher's MONITOR feed (Redis's line format,
//     passwords redacted); the read-only token may not use it.
package rest
