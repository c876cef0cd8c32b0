package command

import (
	"context"
	"time"
)

// Active expiry: every activeExpiryPeriod the cycle visits every shard whose
// earliest deadline has passed and removes expired keys in batches of
// activeExpiryBatch, releasing the lock between batches so no client waits
// long. Expired keys are thus reclaimed within about a period of their
// deadline (DESIGN.md §3), and each removal is journaled as a DEL.
const (
	activeExpiryPeriod = 100 * time.Millisecond
	activeExpiryBatch  = 256
)

// StartActiveExpiry runs the active expiry cycle until ctx ends; the
// returned channel closes when the cycle has stopped.
func (d *Dispatcher) StartActiveExpiry(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(activeExpiryPeriod)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				d.store.Tick()
				start := time.Now()
				d.expireCycle()
				d.noteEvent("expire-cycle", time.Since(start), start)
				d.trackCron()
			}
		}
	}()
	return done
}

// expireCycle reclaims every key whose deadline has passed; it returns how
// many it removed (DropExpired runs it once, after recovery, and for tests).
func (d *Dispatcher) expireCycle() int {
	total := 0
	for i := 0; i < d.store.Databases(); i++ {
		db := d.store.DB(i)
		for j := 0; j < d.store.ShardsPerDB(); j++ {
			sh := db.Shard(j)
			for {
				sh.RLock()
				next := sh.NextExpiry()
				sh.RUnlock()
				now := d.store.NowMs()
				if next == 0 || next > now {
					break
				}
				sh.Lock()
				n := sh.ReclaimExpired(now, activeExpiryBatch, d.Expired(i))
				sh.Unlock()
				total += n
				if n < activeExpiryBatch {
					break
				}
			}
		}
	}
	return total + d.expireHashFields()
}
