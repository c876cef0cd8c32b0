// Package resp is Larder's pure RESP2/RESP3 codec: append-style reply encoders,
// a bounded, resumable request scanner that enforces Redis's protocol limits
// (RELIABILITY.md §1 point 7), and a reply reader used by tests and scripts.
//
// It imports nothing but the standard library and no other Larder package.
// Encoders never allocate beyond growing the destination slice; the request
// scanner never allocates in proportion to a length it has only been told
// about (a 13-byte `*8589934592` header is rejected at once).
package resp
