package streamcmd

import (
	"math"
	"strconv"
	"strings"

	"github.com/larder-db/larder/command"
)

// ID is a stream entry ID: milliseconds and a sequence number.
type ID struct{ Ms, Seq uint64 }

// maxID is the largest ID ("+").
var maxID = ID{math.MaxUint64, math.MaxUint64}

// Cmp orders two IDs: -1, 0 or 1.
func (a ID) Cmp(b ID) int {
	switch {
	case a.Ms != b.Ms:
		if a.Ms < b.Ms {
			return -1
		}
		return 1
	case a.Seq != b.Seq:
		if a.Seq < b.Seq {
			return -1
		}
		return 1
	}
	return 0
}

// Less reports a < b.
func (a ID) Less(b ID) bool { return a.Cmp(b) < 0 }

// IsZero reports a == 0-0.
func (a ID) IsZero() bool { return a.Ms == 0 && a.Seq == 0 }

// String is the "ms-seq" form.
func (a ID) String() string { return string(a.Append(nil)) }

// Append appends the "ms-seq" form to b.
func (a ID) Append(b []byte) []byte {
	b = strconv.AppendUint(b, a.Ms, 10)
	b = append(b, '-')
	return strconv.AppendUint(b, a.Seq, 10)
}

// Bytes is the "ms-seq" form as a fresh slice.
func (a ID) Bytes() []byte { return a.Append(nil) }

// Incr returns the next ID; ok is false at the largest.
func (a ID) Incr() (ID, bool) {
	switch {
	case a.Seq < math.MaxUint64:
		return ID{a.Ms, a.Seq + 1}, true
	case a.Ms < math.MaxUint64:
		return ID{a.Ms + 1, 0}, true
	}
	return ID{}, false
}

// Decr returns the previous ID; ok is false at 0-0.
func (a ID) Decr() (ID, bool) {
	switch {
	case a.Seq > 0:
		return ID{a.Ms, a.Seq - 1}, true
	case a.Ms > 0:
		return ID{a.Ms - 1, math.MaxUint64}, true
	}
	return ID{}, false
}

const errInvalidID command.Error = "ERR Invalid stream ID specified as stream command argument"

// parseIDFull reads "-", "+", "ms" (with missingSeq) or "ms-seq"; with
// strict, "-" and "+" are refused; with allowStar, "ms-*" is accepted and
// seqGiven reports false for it. It is streamGenericParseIDOrReply.
func parseIDFull(b []byte, missingSeq uint64, strict, allowStar bool) (id ID, seqGiven bool, err error) {
	if len(b) > 127 {
		return ID{}, false, errInvalidID
	}
	if len(b) == 1 && (b[0] == '-' || b[0] == '+') {
		if strict {
			return ID{}, false, errInvalidID
		}
		if b[0] == '-' {
			return ID{}, true, nil
		}
		return maxID, true, nil
	}
	msPart, seqPart, dash := cutDash(b)
	ms, ok := parseUint(msPart)
	if !ok {
		return ID{}, false, errInvalidID
	}
	seq, seqGiven := missingSeq, true
	if dash {
		if allowStar && len(seqPart) == 1 && seqPart[0] == '*' {
			seq, seqGiven = 0, false
		} else if seq, ok = parseUint(seqPart); !ok {
			return ID{}, false, errInvalidID
		}
	}
	return ID{ms, seq}, seqGiven, nil
}

func cutDash(b []byte) (before, after []byte, found bool) {
	for i, c := range b {
		if c == '-' {
			return b[:i], b[i+1:], true
		}
	}
	return b, nil, false
}

// parseUint is Redis's string2ull: a canonical negative integer is
// refused, anything else strtoull reads whole (leading spaces, a sign, which
// wraps a negative, leading zeros) is accepted.
func parseUint(b []byte) (uint64, bool) {
	if n, ok := command.ParseInt(b); ok {
		return uint64(n), n >= 0
	}
	i := 0
	for i < len(b) && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	if i == len(b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[i:]), 10, 64)
	if err != nil || strings.IndexFunc(string(b[i:]), notDigit) >= 0 {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

func notDigit(r rune) bool { return r < '0' || r > '9' }

// parseID is a non-strict ID (accepts "-" and "+").
func parseID(b []byte, missingSeq uint64) (ID, error) {
	id, _, err := parseIDFull(b, missingSeq, false, false)
	return id, err
}

// parseStrictID refuses "-" and "+".
func parseStrictID(b []byte, missingSeq uint64) (ID, error) {
	id, _, err := parseIDFull(b, missingSeq, true, false)
	return id, err
}
