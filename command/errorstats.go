package command

import (
	"sort"
	"strings"
	"sync"
)

// errorStatsLimit is Redis 7.2's ERROR_STATS_NUMBER: the most distinct
// error codes INFO errorstats tracks (Lua's redis.error_reply lets clients
// make up codes, so the table needs a bound).
const errorStatsLimit = 128

// errorStatsOff is the one code counted once the limit was passed.
const errorStatsOff = "ERRORSTATS_DISABLED"

// errorStats counts error replies by code (the error's first word) for
// INFO errorstats, as Redis's server.errors table does.
type errorStats struct {
	mu       sync.Mutex
	counts   map[string]int64
	disabled bool // more than errorStatsLimit codes were seen: count errorStatsOff
}

// errorCode is the code Redis's afterErrorReply files an error under: its
// first word when a space ends it within 32 bytes, else ERR.
func errorCode(text string) string {
	head := text[:min(len(text), 31)]
	if i := strings.IndexByte(head, ' '); i > 0 {
		return head[:i]
	}
	return "ERR"
}

// countError records one error reply: the total INFO stats shows as
// total_error_replies and the count of its code.
func (d *Dispatcher) countError(text string) {
	d.Stats.Errors.Add(1)
	e := &d.errStats
	code := errorCode(text)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.counts == nil {
		e.counts = map[string]int64{}
	}
	if e.disabled {
		code = errorStatsOff
	} else if _, seen := e.counts[code]; !seen && len(e.counts) >= errorStatsLimit {
		// As Redis 7.2 does (7.0 has no limit): forget the table and count
		// every later error under one marker until CONFIG RESETSTAT.
		d.log.Warn().Int("limit", errorStatsLimit).
			Msg("errorstats stopped adding new errors: too many different error codes")
		e.counts, e.disabled, code = map[string]int64{}, true, errorStatsOff
	}
	e.counts[code]++
}

// ErrorStats returns each tracked error code with its count, in byte order
// as Redis lists them.
func (d *Dispatcher) ErrorStats() (codes []string, counts []int64) {
	e := &d.errStats
	e.mu.Lock()
	defer e.mu.Unlock()
	for code := range e.counts {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		counts = append(counts, e.counts[code])
	}
	return codes, counts
}

// resetErrorStats is CONFIG RESETSTAT's part: an empty table, tracking again.
func (d *Dispatcher) resetErrorStats() {
	e := &d.errStats
	e.mu.Lock()
	e.counts, e.disabled = nil, false
	e.mu.Unlock()
}

// CountErrorReply accounts for an error reply a handler wrote itself (a
// script's error): the row's failed call, and the error statistics unless
// counted says they already have it (an error of a command the script
// called, counted when that command failed: Redis's
// ERR_REPLY_FLAG_NO_STATS_UPDATE). text is "CODE message".
func (c *Call) CountErrorReply(text string, counted bool) {
	c.Spec.Stats.Failed.Add(1)
	if !counted {
		c.D.countError(text)
	}
}

// CountRejected accounts for a command refused before it ran by a gate of
// its caller's (a script's): its rejected call, when it resolved to a row,
// and the error. text is "CODE message".
func (d *Dispatcher) CountRejected(spec *Spec, text string) {
	if spec != nil {
		spec.Stats.Rejected.Add(1)
	}
	d.countError(text)
}
