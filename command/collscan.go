package command

import (
	"strconv"

	"github.com/larder-db/larder/keyspace"
)

// scanStep runs one step of a collection's cursor walk from cur, passing
// every element (for hashes and sorted sets: field then value, or member
// then score) to emit, and returns the next cursor.
type scanStep func(e *keyspace.Entry, cur uint64, o scanOpts, emit func(string)) uint64

// scanCollection is SSCAN/HSCAN/ZSCAN (Redis's scanGenericCommand for a
// key): cursor first, then the key's type, then the options — a missing
// key answers an empty scan whatever the options. stride is 1 for sets and
// 2 for pairs; MATCH filters on the first of each stride.
func scanCollection(c *Call, kind keyspace.Kind, step scanStep, stride int) error {
	cur, ok := parseCursor(c.Args[2])
	if !ok {
		return Error("ERR invalid cursor")
	}
	e, err := c.lookupKind(c.Args[1], kind)
	if err != nil {
		return err
	}
	if e == nil {
		c.R.Array(2)
		c.R.BulkString("0")
		c.R.Array(0)
		return nil
	}
	o, err := parseScanOptions(c.Args[3:])
	if err != nil {
		return err
	}
	if o.typeName != nil {
		return errSyntax // TYPE is SCAN's alone
	}
	match := keyMatcher(o.match)
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
