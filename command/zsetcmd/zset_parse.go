package zsetcmd

import (
	"bytes"
	"math"

	"github.com/larder-db/larder/command"
)

// Sorted-set argument parsing: Redis reads scores with C's strtod, so
// Larder accepts what strtod accepts (hex floats, "inf", "+inf",
// "infinity") and rejects what Redis rejects around it.

const (
	errMinMaxFloat command.Error = "ERR min or max is not a float"
	errMinMaxLex   command.Error = "ERR min or max not valid string range item"
)

// scoreArg is parseScore with Redis's error text.
func scoreArg(b []byte) (float64, error) {
	v, ok := command.ParseScore(b)
	if !ok {
		return 0, command.ErrNotFloat
	}
	return v, nil
}

// scoreRange is zrangespec: [min, max] with exclusive ends.
type scoreRange struct {
	min, max     float64
	minEx, maxEx bool
}

// parseScoreBound is zslParseRange for one end: '(' makes it exclusive,
// then strtod over the rest (spaces, overflow and "" allowed; NaN not).
func parseScoreBound(b []byte) (v float64, ex, ok bool) {
	if len(b) > 0 && b[0] == '(' {
		ex, b = true, b[1:]
	}
	v, ok, _ = command.Strtod(b)
	return v, ex, ok && !math.IsNaN(v)
}

func parseScoreRange(min, max []byte) (scoreRange, error) {
	var r scoreRange
	var ok1, ok2 bool
	r.min, r.minEx, ok1 = parseScoreBound(min)
	r.max, r.maxEx, ok2 = parseScoreBound(max)
	if !ok1 || !ok2 {
		return r, errMinMaxFloat
	}
	return r, nil
}

func (r scoreRange) gteMin(s float64) bool {
	if r.minEx {
		return s > r.min
	}
	return s >= r.min
}

func (r scoreRange) lteMax(s float64) bool {
	if r.maxEx {
		return s < r.max
	}
	return s <= r.max
}

// empty is zslIsInRange's first test: the range itself is empty.
func (r scoreRange) empty() bool {
	return r.min > r.max || (r.min == r.max && (r.minEx || r.maxEx))
}

// lexBound is one end of a lex range: "-" and "+" are the infinities.
type lexBound struct {
	s   string
	inf int // -1 for "-", +1 for "+"
	ex  bool
}

type lexRange struct{ min, max lexBound }

// parseLexBound is zslParseLexRangeItem.
func parseLexBound(b []byte) (lexBound, bool) {
	switch {
	case len(b) == 1 && b[0] == '+':
		return lexBound{inf: 1}, true
	case len(b) == 1 && b[0] == '-':
		return lexBound{inf: -1}, true
	case len(b) > 0 && b[0] == '(':
		return lexBound{s: string(b[1:]), ex: true}, true
	case len(b) > 0 && b[0] == '[':
		return lexBound{s: string(b[1:])}, true
	}
	return lexBound{}, false
}

func parseLexRange(min, max []byte) (lexRange, error) {
	a, ok1 := parseLexBound(min)
	b, ok2 := parseLexBound(max)
	if !ok1 || !ok2 {
		return lexRange{}, errMinMaxLex
	}
	return lexRange{a, b}, nil
}

// cmpLex is sdscmplex: the infinities sort outside every string.
func cmpLex(a, b lexBound) int {
	if a.inf != 0 || b.inf != 0 {
		return a.inf - b.inf
	}
	return bytes.Compare([]byte(a.s), []byte(b.s))
}

func (r lexRange) gteMin(m string) bool {
	c := cmpLex(lexBound{s: m}, r.min)
	return c > 0 || (c == 0 && !r.min.ex)
}

func (r lexRange) lteMax(m string) bool {
	c := cmpLex(lexBound{s: m}, r.max)
	return c < 0 || (c == 0 && !r.max.ex)
}

func (r lexRange) empty() bool {
	c := cmpLex(r.min, r.max)
	return c > 0 || (c == 0 && (r.min.ex || r.max.ex))
}
