package keycmd

import (
	"math/bits"
	"math/rand/v2"
	"strconv"

	"github.com/larder-db/larder/command"

	"github.com/larder-db/larder/keyspace"
)

// cmdKeys: KEYS pattern
func cmdKeys(c *command.Call) error {
	match := command.KeyMatcher(c.Args[1])
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
func cmdRandomkey(c *command.Call) error {
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

// cmdScan: SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] [WITHTYPE]
//
// WITHTYPE is Upstash's (UPSTASH-REST.md §15): key, type, key, type…
//
// The cursor packs the shard index in its low bits and the slot position
// within that shard above them. Entries keep their slot while they live, so
// every key present for the whole iteration is returned exactly once; the
// cursor values differ from Redis's.
func cmdScan(c *command.Call) error {
	cur, ok := command.ParseCursor(c.Args[1])
	if !ok {
		return command.Error("ERR invalid cursor")
	}
	args, withType := command.SplitWithType(c.Args[2:])
	o, err := command.ParseScanOptions(args)
	if err != nil {
		return err
	}
	n := c.Store().ShardsPerDB()
	shift := bits.Len(uint(n - 1))
	shard, pos := int(cur&uint64(n-1)), int(cur>>shift)
	match := command.KeyMatcher(o.Match)
	var keys []string
	visited := 0
	for shard < n && visited < o.Count {
		next := c.DB().Shard(shard).Scan(pos, o.Count-visited, c.NowMs(), func(e *keyspace.Entry) {
			if match(e.Key()) && (o.TypeName == nil || command.Eq(o.TypeName, e.Kind().String())) {
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
