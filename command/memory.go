package command

import "github.com/larder-db/larder/keyspace"

// UsedMemory is the startup heap plus the approximate bytes accounted by
// every shard (keys, values, per-key overhead), from the keyspace's running
// totals: no shard is locked.
func (d *Dispatcher) UsedMemory() int64 { return d.memoryNow() }

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

// OverMemory reports whether maxmemory is set and used memory exceeds it
// (a script's pre-run OOM state; the dispatcher's gate evicts first, see
// outOfMemory). It reads the keyspace's running totals, locking nothing.
func (d *Dispatcher) OverMemory() bool {
	limit := d.MaxMemory()
	return limit > 0 && d.memoryNow() > limit
}

// StartupMemory is the heap in use before any data (used_memory_startup).
func (d *Dispatcher) StartupMemory() int64 { return d.startupMemory }

// ErrOOM is Redis's refusal of a deny-oom command over maxmemory.
const ErrOOM Error = "OOM command not allowed when used memory > 'maxmemory'."

// MaxMemory returns maxmemory in bytes, from the configuration's parsed
// numbers: the gate reads it before every command.
func (d *Dispatcher) MaxMemory() int64 { return d.Cfg.Int("maxmemory") }
