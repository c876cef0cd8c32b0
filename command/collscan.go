package command

import (
	"strconv"

	"github.com/larder-db/larder/internal/glob"
	"github.com/larder-db/larder/keyspace"
)

// scanStep runs one step of a collection's cursor walk from cur, passing
// every element (for hashes and sorted sets: field then value, or member
// then score) to emit, and returns the next cursor.
type scanStep func(e *keyspace.Entry, cur uint64, o ScanOpts, emit func(string)) uint64

// ScanCollection is SSCAN/HSCAN/ZSCAN (Redis's scanGenericCommand for a
// key): cursor first, then the key's type, then the options — a missing
// key answers an empty scan whatever the options. stride is 1 for sets and
// 2 for pairs; MATCH filters on the first of each stride.
func ScanCollection(c *Call, kind keyspace.Kind, step scanStep, stride int) error {
	cur, ok := ParseCursor(c.Args[2])
	if !ok {
		return Error("ERR invalid cursor")
	}
	e, err := c.LookupKind(c.Args[1], kind)
	if err != nil {
		return err
	}
	if e == nil {
		c.R.Array(2)
		c.R.BulkString("0")
		c.R.Array(0)
		return nil
	}
	o, err := ParseScanOptions(c.Args[3:])
	if err != nil {
		return err
	}
	if o.TypeName != nil {
		return ErrSyntax // TYPE is SCAN's alone
	}
	match := KeyMatcher(o.Match)
	var out []string
	pending, keep := 0, true
	next := step(e, cur, o, func(s string) {
		if pending == 0 {
			keep = match(s)
		}
		if keep {
			out = append(out, s)
		}
		pending = (pending + 1) % stride
	})
	c.R.Array(2)
	c.R.BulkString(strconv.FormatUint(next, 10))
	c.R.Array(len(out))
	for _, s := range out {
		c.R.BulkString(s)
	}
	return nil
}

// KeyMatcher returns the KEYS/SCAN MATCH test for pattern. A lone "*"
// matches everything without running the matcher (Redis's allkeys).
func KeyMatcher(pattern []byte) func(key string) bool {
	if pattern == nil || string(pattern) == "*" {
		return func(string) bool { return true }
	}
	return func(key string) bool { return glob.Match(pattern, []byte(key), false) }
}

type ScanOpts struct {
	Match    []byte
	Count    int
	TypeName []byte
}

// ParseScanOptions is Redis's scanGenericCommand option loop.
func ParseScanOptions(args [][]byte) (ScanOpts, error) {
	o := ScanOpts{Count: 10}
	for i := 0; i < len(args); i += 2 {
		if i+1 >= len(args) {
			return o, ErrSyntax
		}
		switch a, v := args[i], args[i+1]; {
		case Eq(a, "count"):
			n, err := IntArg(v)
			if err != nil {
				return o, err
			}
			if n < 1 {
				return o, ErrSyntax
			}
			o.Count = int(min(n, 1<<30))
		case Eq(a, "match"):
			o.Match = v
		case Eq(a, "type"):
			o.TypeName = v
		default:
			return o, ErrSyntax
		}
	}
	return o, nil
}

// ParseCursor is Redis's parseScanCursorOrReply, i.e. C's strtoul: an
// optional sign (a negative value wraps), decimal digits, nothing after;
// the empty string is cursor 0.
func ParseCursor(b []byte) (uint64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg, b = b[0] == '-', b[1:]
		if len(b) == 0 {
			return 0, false // no digits: strtoul stops at the sign
		}
	}
	var v uint64
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		d := uint64(ch - '0')
		if v > (1<<64-1-d)/10 {
			return 0, false // ERANGE
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return v, true
}
