package tests

import "testing"

// runCompat runs cases on a fresh shared pair in RESP2, then again from an
// empty keyspace on RESP3 connections, comparing every reply byte for byte.
func runCompat(t *testing.T, cases [][]string) {
	t.Helper()
	p := sharedPair(t)
	t.Run("resp2", func(t *testing.T) { runCases(t, p, cases) })
	q := p.resp3()
	q.do("FLUSHALL")
	t.Run("resp3", func(t *testing.T) { runCases(t, q, cases) })
}

// c is shorthand for one argv in a case table.
func c(args ...string) []string { return args }
