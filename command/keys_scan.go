package command

import (
	"math/bits"
	"math/rand/v2"
	"strconv"

	"github.com/larder-db/larder/internal/glob"
	"github.com/larder-db/larder/keyspace"
)

// keyMatcher returns the KEYS/SCAN MATCH test for pattern. A lone "*"
// matches everything without running the matcher (Redis's allkeys).
func keyMatcher(pattern []byte) func(key string) bool {
	if pattern == nil || string(pattern) == "*" {
		return func(string) bool { return true }
	}
	return func(key string) bool { return glob.Match(pattern, []byte(key), false) }
}

// cmdKeys: KEYS pattern
func cmdKeys(c *Call) error {
	match := keyMatcher(c.Args[1])
	var keys []string
	db := c.DB()
	for i := 0; i < c.Store().ShardsPerDB(); i++ {
		db.Shard(i).Each(c.NowMs(), func(e *keyspace.Entry) bool {
			if match(e.Key()) {
				keys = append(keys, e.Key())
			}
			return true
		})
	}
	c.R.Array(len(keys))
	for _, k := range keys {
		c.R.BulkString(k)
	}
	return nil
}

// cmdRandomkey: RANDOMKEY
func cmdRandomkey(c *Call) error {
	n := c.Store().ShardsPerDB()
	start := rand.IntN(n)
	for i := 0; i < n; i++ {
		if e := c.DB().Shard((start + i) % n).Random(c.NowMs()); e != nil {
			c.R.BulkString(e.Key())
			return nil
		}
	}
	c.R.Null()
	return nil
}

type scanOpts struct {
	match    []byte
	count    int
	typeName []byte
}

// parseScanOptions is Redis's scanGenericCommand option loop.
func parseScanOptions(args [][]byte) (scanOpts, error) {
	o := scanOpts{count: 10}
	for i := 0; i < len(args); i += 2 {
		if i+1 >= len(args) {
			return o, errSyntax
		}
		switch a, v := args[i], args[i+1]; {
		case eq(a, "count"):
			n, err := intArg(v)
			if err != nil {
				return o, err
			}
			if n < 1 {
				return o, errSyntax
			}
			o.count = int(min(n, 1<<30))
		case eq(a, "match"):
			o.match = v
		case eq(a, "type"):
			o.typeName = v
		default:
			return o, errSyntax
		}
	}
	return o, nil
}

// cmdScan: SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] [WITHTYPE]
//
// WITHTYPE is Upstash's (UPSTASH-REST.md §15): key, type, key, type…
//
// The cursor packs the shard index in its low bits and the slot position
// within that shard above them. Entries keep their slot while they live, so
// every key present for the whole iteration is returned exactly once; the
// cursor values differ from Redis's.
func cmdScan(c *Call) error {
	cur, ok := parseCursor(c.Args[1])
	if !ok {
		return Error("ERR invalid cursor")
	}
	args, withType := splitWithType(c.Args[2:])
	o, err := parseScanOptions(args)
	if err != nil {
		return err
	}
	n := c.Store().ShardsPerDB()
	shift := bits.Len(uint(n - 1))
	shard, pos := int(cur&uint64(n-1)), int(cur>>shift)
	match := keyMatcher(o.match)
	var keys []string
	visited := 0
	for shard < n && visited < o.count {
		next := c.DB().Shard(shard).Scan(pos, o.count-visited, c.NowMs(), func(e *keyspace.Entry) {
			if match(e.Key()) && (o.typeName == nil || eq(o.typeName, e.Kind().String())) {
				keys = append(keys, e.Key())
				if withType {
					keys = append(keys, e.Kind().String())
				}
			}
		})
		if next < 0 {
			visited += max(c.DB().Shard(shard).SlotCount()-pos, 0)
			shard, pos = shard+1, 0
			continue
		}
		visited += next - pos
		pos = next
	}
	var next uint64
	if shard < n {
		next = uint64(pos)<<shift | uint64(shard)
	}
	c.R.Array(2)
	c.R.BulkString(strconv.FormatUint(next, 10))
	c.R.Array(len(keys))
	for _, k := range keys {
		c.R.BulkString(k)
	}
	return nil
}

// parseCursor is Redis's parseScanCursorOrReply, i.e. C's strtoul: an
// optional sign (a negative value wraps), decimal digits, nothing after;
// the empty string is cursor 0.
func parseCursor(b []byte) (uint64, bool) {
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
