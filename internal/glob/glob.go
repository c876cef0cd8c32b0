package glob

// Glob matching with the exact semantics of Redis 7.0's stringmatchlen
// (util.c), used by KEYS, SCAN MATCH, PSUBSCRIBE and ACL key patterns.
//
// Redis matches recursively, one call per '*'. That was a DoS twice:
// exponential backtracking (CVE-2022-36021, fixed with skipLongerMatches) and
// unbounded recursion depth (CVE-2024-31228, fixed by refusing to nest more
// than 1000 '*'). This matcher is iterative: it keeps a single backtrack point
// (the most recent '*'), which gives the same answer because every other
// pattern token consumes exactly one byte, so the earliest place a prefix
// ending in a '*' can match is the only one worth trying (the argument behind
// skipLongerMatches). Its work is O(len(pattern)·len(s)) and additionally
// capped by a step budget; a match that runs out of budget reports no match.
// Redis 7.2+ (and the patched 7.0.15 used as the oracle) also gives up on
// too-complex patterns: past 1000 nested '*' it answers "no match", and
// globMaxStars reproduces that limit exactly.

// globMaxStars is Redis's CVE-2024-31228 nesting limit: stringmatchlen_impl
// returns 0 when called with nesting > 1000, so the 1001st non-trailing run
// of '*' that is reached with input left can never lead to a match.
const globMaxStars = 1000

// MaxSteps is the fixed part of Match's work cap (a step is one
// pattern byte examined, a few nanoseconds). On top of it every byte of
// pattern and subject adds globStepsPerByte, so the cap is linear in the
// input: patterns needing a few attempts per byte never hit it, and only
// quadratic cases (a long almost-matching tail after a '*' against a long
// subject) do, reporting "no match" after some tens of milliseconds.
const MaxSteps = 1 << 24

const globStepsPerByte = 16

// Match reports whether s matches the Redis glob pattern, optionally
// ignoring ASCII case, exactly as Redis 7.0's stringmatchlen does (including
// its quirks: an empty s matches only an empty pattern, so callers special
// case a lone "*" like Redis's KEYS and SCAN do). It never recurses, runs in
// O(len(pattern)·len(s)) time and gives up with false past its step budget.
func Match(pattern, s []byte, nocase bool) bool {
	budget := MaxSteps + globStepsPerByte*(len(pattern)+len(s))
	matched, _ := globMatchBudget(pattern, s, nocase, budget)
	return matched
}

// globMatchBudget is Match with an explicit work cap. exhausted reports
// that the cap was hit, in which case matched is false.
func globMatchBudget(pattern, s []byte, nocase bool, budget int) (matched, exhausted bool) {
	matched, used := globRun(pattern, s, nocase, budget)
	if used > budget {
		return false, true
	}
	return matched, false
}

// globRun does the matching and returns the steps it used; used > budget
// means it stopped early. A step is one pattern byte examined.
func globRun(p, s []byte, nocase bool, budget int) (matched bool, used int) {
	if len(s) == 0 {
		// stringmatchlen's main loop needs input left, so nothing (not even
		// "*") matches the empty string except the empty pattern.
		return len(p) == 0, 1
	}
	px, sx := 0, 0
	starPx, starSx := -1, 0 // pattern after the last '*', where its tail was tried
	stars := 0
	for used <= budget {
		used++
		switch {
		case sx == len(s):
			// Redis: after the last byte only '*'s may remain.
			for px < len(p) && p[px] == '*' {
				px++
				used++
			}
			if px == len(p) {
				return true, used
			}
		case px < len(p) && p[px] == '*':
			for px+1 < len(p) && p[px+1] == '*' {
				px++
				used++
			}
			if px == len(p)-1 {
				return true, used // a trailing '*' eats the rest
			}
			if stars++; stars > globMaxStars {
				return false, used
			}
			px++
			starPx, starSx = px, sx
			continue
		case px < len(p):
			ok, next := globStep(p, px, s[sx], nocase)
			used += next - px
			if ok {
				px, sx = next, sx+1
				continue
			}
		}
		// Mismatch: let the last '*' swallow one more byte. Redis's star loop
		// only tries tails with at least one byte left.
		if starPx < 0 || starSx+1 >= len(s) {
			return false, used
		}
		starSx++
		px, sx = starPx, starSx
	}
	return false, used
}

// globStep matches the token at p[px] against c, keeping the common
// literal byte cheap (small enough to be inlined).
func globStep(p []byte, px int, c byte, nocase bool) (bool, int) {
	switch b := p[px]; {
	case b == '?' || b == '[' || b == '\\':
		return globToken(p, px, c, nocase)
	case nocase:
		return globLower(b) == globLower(c), px + 1
	default:
		return b == c, px + 1
	}
}

// globToken matches the single-byte token at p[px] (anything but '*')
// against c and returns where the next token starts. How much pattern a
// token spans never depends on c, which is what makes one backtrack point
// enough.
func globToken(p []byte, px int, c byte, nocase bool) (ok bool, next int) {
	switch p[px] {
	case '?':
		return true, px + 1
	case '[':
		return globClass(p, px+1, c, nocase)
	case '\\':
		if px+1 < len(p) {
			px++ // a trailing backslash is a literal backslash
		}
	}
	if nocase {
		return globLower(p[px]) == globLower(c), px + 1
	}
	return p[px] == c, px + 1
}

// globClass matches a bracket class whose body starts at p[i], transcribing
// stringmatchlen's loop: Redis reads its NUL-terminated buffer one byte past
// the end (at), an unterminated class ends at the end of the pattern, an
// escaped byte compares case-sensitively even with nocase, and ranges
// compare C's signed chars after swapping reversed bounds.
func globClass(p []byte, i int, c byte, nocase bool) (ok bool, next int) {
	at := func(j int) byte {
		if j < len(p) {
			return p[j]
		}
		return 0
	}
	not := at(i) == '^'
	if not {
		i++
	}
	match := false
	for {
		rem := len(p) - i
		switch {
		case at(i) == '\\' && rem >= 2:
			i++
			if p[i] == c {
				match = true
			}
		case at(i) == ']':
			return match != not, i + 1
		case rem == 0:
			return match != not, i
		case rem >= 3 && p[i+1] == '-':
			if globInRange(p[i], p[i+2], c, nocase) {
				match = true
			}
			i += 2
		case nocase:
			if globLower(p[i]) == globLower(c) {
				match = true
			}
		default:
			if p[i] == c {
				match = true
			}
		}
		i++
	}
}

// globInRange is Redis's [start-end] test: operands are C chars (signed on
// x86), swapped when reversed, then passed through tolower when nocase.
func globInRange(lo, hi, c byte, nocase bool) bool {
	start, end, v := int(int8(lo)), int(int8(hi)), int(int8(c))
	if start > end {
		start, end = end, start
	}
	if nocase {
		start, end, v = globLowerInt(start), globLowerInt(end), globLowerInt(v)
	}
	return v >= start && v <= end
}

// globLower is C's tolower((int)(char)b) in the C locale, which Redis never
// changes (it only sets LC_COLLATE).
func globLower(b byte) int { return globLowerInt(int(int8(b))) }

// globLowerInt is glibc's tolower for a signed char value: ASCII letters
// fold, EOF (-1) stays -1 and the other negative values map to c+256.
func globLowerInt(v int) int {
	switch {
	case v >= 'A' && v <= 'Z':
		return v + 'a' - 'A'
	case v < -1:
		return v + 256
	}
	return v
}
