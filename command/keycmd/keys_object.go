package keycmd

import (
	"github.com/larder-db/larder/command"
	"github.com/larder-db/larder/keyspace"
)

const (
	errNoLFU command.Error = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	errNoLRU command.Error = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
)

// objectEntry is OBJECT's lookup: no access-time update, null when missing.
func objectEntry(c *command.Call) *keyspace.Entry {
	e := peek(c, c.Args[2])
	if e == nil {
		c.R.Null()
	}
	return e
}

// cmdObjectEncoding: OBJECT ENCODING key
func cmdObjectEncoding(c *command.Call) error {
	if e := objectEntry(c); e != nil {
		c.R.BulkString(e.Encoding())
	}
	return nil
}

// cmdObjectFreq: OBJECT FREQ key
func cmdObjectFreq(c *command.Call) error {
	if !c.Store().LFU() {
		if peek(c, c.Args[2]) == nil {
			c.R.Null()
			return nil
		}
		return errNoLFU
	}
	if e := objectEntry(c); e != nil {
		c.R.Int(c.Store().Frequency(e))
	}
	return nil
}

// cmdObjectIdletime: OBJECT IDLETIME key
func cmdObjectIdletime(c *command.Call) error {
	if c.Store().LFU() {
		if peek(c, c.Args[2]) == nil {
			c.R.Null()
			return nil
		}
		return errNoLRU
	}
	if e := objectEntry(c); e != nil {
		c.R.Int(c.Store().IdleSeconds(e))
	}
	return nil
}

// sharedRefcount is what Redis reports for its shared small integers
// (OBJ_SHARED_REFCOUNT).
const sharedRefcount = 2147483647

// cmdObjectRefcount: OBJECT REFCOUNT key
//
// Larder never shares values, but Redis 7.0 shares the integers 0..9999
// unless an LRU/LFU maxmemory policy is set, and clients may look: the
// reply follows Redis's rule.
func cmdObjectRefcount(c *command.Call) error {
	e := objectEntry(c)
	if e == nil {
		return nil
	}
	if e.Kind() == keyspace.KindString && e.Encoding() == "int" && !lruOrLFUWithLimit(c) {
		if n, ok := command.ParseInt(e.Str()); ok && n >= 0 && n < 10000 {
			c.R.Int(sharedRefcount)
			return nil
		}
	}
	c.R.Int(1)
	return nil
}

// lruOrLFUWithLimit is Redis's MAXMEMORY_FLAG_NO_SHARED_INTEGERS test.
func lruOrLFUWithLimit(c *command.Call) bool {
	p := c.D.Cfg.Get("maxmemory-policy")
	lru := p == "allkeys-lru" || p == "volatile-lru" || p == "allkeys-lfu" || p == "volatile-lfu"
	return c.D.MaxMemory() > 0 && lru
}

// cmdObjectHelp: OBJECT HELP
func cmdObjectHelp(c *command.Call) error {
	command.ReplyHelp(c, "OBJECT", []string{
		"ENCODING <key>",
		"    Return the kind of internal representation used in order to store the value",
		"    associated with a <key>.",
		"FREQ <key>",
		"    Return the access frequency index of the <key>. The returned integer is",
		"    proportional to the logarithm of the recent access frequency of the key.",
		"IDLETIME <key>",
		"    Return the idle time of the <key>, that is the approximated number of",
		"    seconds elapsed since the last access to the key.",
		"REFCOUNT <key>",
		"    Return the number of references of the value associated with the specified",
		"    <key>.",
	})
	return nil
}
