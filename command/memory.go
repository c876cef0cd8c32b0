package command

import "github.com/larder-db/larder/keyspace"

// UsedMemory is the startup heap plus the approximate bytes accounted by
// every shard (keys, values, per-key overhead). It takes each shard's read
// lock briefly.
func (d *Dispatcher) UsedMemory() int64 { return d.UsedMemoryOf(true) }

// UsedMemoryOf sums the shards' accounting, under their read locks or, with
// lock false, for a caller holding every shard (INFO inside EXEC).
func (d *Dispatcher) UsedMemoryOf(lock bool) int64 {
	n := d.startupMemory
	d.EachShard(lock, func(_ int, sh *keyspace.Shard) { n += sh.Used() })
	d.usedMemory.Store(n)
	return n
}

// EachShard calls fn for every shard of every db in order, each under its
// read lock, or unlocked when the caller holds them all (lock false: INFO
// inside EXEC, which takes every shard for it).
func (d *Dispatcher) EachShard(lock bool, fn func(db int, sh *keyspace.Shard)) {
	for i := 0; i < d.store.Databases(); i++ {
		db := d.store.DB(i)
		for j := 0; j < d.store.ShardsPerDB(); j++ {
			sh := db.Shard(j)
			if lock {
				sh.RLock()
			}
			fn(i, sh)
			if lock {
				sh.RUnlock()
			}
		}
	}
}

// OverMemory is the OOM gate's test: maxmemory is set and the last measured
// usage (refreshed by every active expiry cycle, and after each write that
// the gate lets through while near the limit) exceeds it. Only noeviction
// exists so far: with any policy the write is refused rather than evicting.
func (d *Dispatcher) OverMemory() bool {
	limit := d.MaxMemory()
	if limit <= 0 {
		return false
	}
	used := d.usedMemory.Load()
	if used > limit*9/10 {
		used = d.UsedMemory()
	}
	return used > limit
}

// StartupMemory is the heap in use before any data (used_memory_startup).
func (d *Dispatcher) StartupMemory() int64 { return d.startupMemory }

// ErrOOM is Redis's refusal of a deny-oom command over maxmemory.
const ErrOOM Error = "OOM command not allowed when used memory > 'maxmemory'."

// MaxMemory returns maxmemory in bytes, parsing it only when its text
// changed: the gate runs before every deny-oom command.
func (d *Dispatcher) MaxMemory() int64 {
	raw := d.Cfg.Get("maxmemory")
	if c := d.maxmem.Load(); c != nil && c.raw == raw {
		return c.bytes
	}
	n, _ := parseMemory(raw)
	d.maxmem.Store(&memSetting{raw: raw, bytes: n})
	return n
}

type memSetting struct {
	raw   string
	bytes int64
}
