package command

import (
	"errors"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/larder-db/larder/keyspace"
)

// Blocking commands (BLPOP, BZPOPMIN, …): a client that finds nothing to
// pop waits on its own goroutine with no shard lock held. Waiters queue per
// key in arrival order. A write that may have made a key ready serves the
// key's waiters after it has released its locks: the first waiter is woken,
// retries its command under the normal locks, and reports whether it was
// served; the next one is tried only while the key keeps yielding, so
// clients are served first blocked, first served, as in Redis.

// BlockHook is provided by a front end that can wait: it flushes the replies
// already produced, watches the connection while the command waits (gone
// closes when the client goes away), and resume ends the watch.
type BlockHook func() (gone <-chan struct{}, resume func())

type blockKey struct {
	db  int
	key string
}

// waiter is one blocked client.
type waiter struct {
	s       *Session
	keys    []blockKey
	wake    chan chan bool // a server hands a reply channel: "retry, then tell me"
	unblock chan string    // CLIENT UNBLOCK: "timeout" or "error"
	claimed bool           // being served (guarded by blocking.mu)
	dead    bool           // gave up (timeout, unblock, disconnect)
}

// blocking is the registry of waiters.
type blocking struct {
	mu        sync.Mutex
	n         atomic.Int64
	byKey     map[blockKey][]*waiter
	bySession map[*Session]*waiter
}

func (b *blocking) init() {
	b.byKey = map[blockKey][]*waiter{}
	b.bySession = map[*Session]*waiter{}
}

// add queues w at the end of each of its keys.
func (b *blocking) add(w *waiter) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range w.keys {
		b.byKey[k] = append(b.byKey[k], w)
	}
	b.bySession[w.s] = w
	b.n.Add(1)
}

// detach removes w from every queue; b.mu must be held.
func (b *blocking) detach(w *waiter) {
	for _, k := range w.keys {
		q := b.byKey[k]
		for i, x := range q {
			if x == w {
				q = append(q[:i:i], q[i+1:]...)
				break
			}
		}
		if len(q) == 0 {
			delete(b.byKey, k)
		} else {
			b.byKey[k] = q
		}
	}
}

// claimFirst takes the first waiter of key out of every queue for serving.
func (b *blocking) claimFirst(k blockKey) *waiter {
	b.mu.Lock()
	defer b.mu.Unlock()
	q := b.byKey[k]
	if len(q) == 0 {
		return nil
	}
	w := q[0]
	b.detach(w)
	w.claimed = true
	return w
}

// requeueFront puts back a waiter that was woken for nothing, ahead of the
// others, unless it has given up meanwhile; it reports whether it had.
func (b *blocking) requeueFront(w *waiter) (dead bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	w.claimed = false
	if w.dead {
		b.forget(w)
		return true
	}
	for _, k := range w.keys {
		b.byKey[k] = append([]*waiter{w}, b.byKey[k]...)
	}
	return false
}

// forget drops w's session entry; b.mu must be held.
func (b *blocking) forget(w *waiter) {
	if b.bySession[w.s] == w {
		delete(b.bySession, w.s)
		b.n.Add(-1)
	}
}

// giveUp marks w dead. It reports false when a server has claimed w: the
// caller must then answer the wake that is coming.
func (b *blocking) giveUp(w *waiter) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	w.dead = true
	if w.claimed {
		return false
	}
	b.detach(w)
	b.forget(w)
	return true
}

// served forgets a waiter that got its reply.
func (b *blocking) served(w *waiter) {
	b.mu.Lock()
	b.forget(w)
	b.mu.Unlock()
}

// blockReq is what a handler asks for when it found nothing to pop.
type blockReq struct {
	keys    [][]byte
	timeout time.Duration // 0: forever
	w       *waiter
}

// errTimeoutNegative is getTimeoutFromObjectOrReply's text; Redis 7.0 also
// gives it for timeouts too large for milliseconds in a long long.
const errTimeoutNegative Error = "ERR timeout is negative"

// ParseTimeout reads a blocking command's timeout in seconds (a float).
func ParseTimeout(b []byte) (time.Duration, error) {
	v, ok := ParseScore(b)
	if !ok {
		if f, fine, _ := Strtod(b); fine && len(b) > 0 && !math.IsNaN(f) && b[0] != ' ' {
			v, ok = f, true // overflow: Redis parses a long double, then fails below
		}
	}
	if !ok {
		return 0, Error("ERR timeout is not a float or out of range")
	}
	ms := math.Ceil(v * 1000)
	if ms < 0 || ms >= math.MaxInt64 || math.IsInf(ms, 0) {
		return 0, errTimeoutNegative
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// BlockOn is the end of a blocking handler that found nothing: inside
// MULTI/EXEC (or where the front end cannot wait) it answers the timeout
// reply at once; otherwise it registers the waiter, while the keys' locks
// are still held so no push can slip between the check and the wait, and
// the dispatcher waits after unlocking.
func (c *Call) BlockOn(keys [][]byte, timeout time.Duration) error {
	return c.BlockOnOr(keys, timeout, c.R.NullArray)
}

// BlockOnOr is blockOn with the reply a command gives when it cannot
// wait (BLMOVE and BRPOPLPUSH answer a null bulk inside MULTI, the others
// a null array); a timeout is a null array for all, as in Redis.
func (c *Call) BlockOnOr(keys [][]byte, timeout time.Duration, noWait func()) error {
	s := c.S
	if s.InExec || s.BlockHook == nil || s.BlockRetry {
		if !s.BlockRetry {
			noWait()
		}
		s.blockMiss = s.BlockRetry
		return nil
	}
	w := &waiter{s: s, wake: make(chan chan bool, 1), unblock: make(chan string, 1)}
	for _, k := range keys {
		w.keys = append(w.keys, blockKey{c.db.Index(), string(k)})
	}
	c.D.blocking.add(w)
	c.block = &blockReq{keys: keys, timeout: timeout, w: w}
	return nil
}

// wait blocks session s on req after its command released its locks, then
// retries the command each time it is woken, until it is served, times
// out, is unblocked or its client goes away.
func (d *Dispatcher) wait(s *Session, spec *Spec, argv [][]byte, r Reply, req *blockReq) {
	w := req.w
	gone, resume := s.BlockHook()
	defer resume()
	var timer <-chan time.Time
	if req.timeout > 0 {
		t := time.NewTimer(req.timeout)
		defer t.Stop()
		timer = t.C
	}
	for {
		var reason string
		select {
		case done := <-w.wake:
			if d.retry(s, spec, argv, r) {
				done <- true
				d.blocking.served(w)
				return
			}
			done <- false
			continue
		case <-timer:
			reason = "timeout"
		case reason = <-w.unblock:
		case <-gone:
			reason = "gone"
		}
		if !d.blocking.giveUp(w) {
			done := <-w.wake // a server claimed us first: answer it
			if reason != "gone" && d.retry(s, spec, argv, r) {
				done <- true
				d.blocking.served(w)
				return
			}
			done <- false
		}
		switch reason {
		case "timeout":
			r.NullArray()
		case "error":
			const text = "UNBLOCKED client unblocked via CLIENT UNBLOCK"
			spec.Stats.Failed.Add(1)
			d.countError(text)
			r.Error(text)
		}
		if reason != "gone" { // Redis's updateStatsOnUnblock
			d.Stats.Commands.Add(1)
			spec.Stats.Calls.Add(1)
		}
		return
	}
}

// retry runs a blocked command again; it reports whether it was served
// (it wrote its reply) or found nothing again (it wrote nothing).
func (d *Dispatcher) retry(s *Session, spec *Spec, argv [][]byte, r Reply) bool {
	s.BlockRetry, s.blockMiss = true, false
	d.run(s, spec, argv, r)
	s.BlockRetry = false
	return !s.blockMiss
}

// serveReady serves the waiters of keys a write may have made ready, with
// no lock held.
func (d *Dispatcher) serveReady(keys []blockKey) {
	for _, bk := range keys {
		for {
			w := d.blocking.claimFirst(bk)
			if w == nil {
				break
			}
			done := make(chan bool, 1)
			w.wake <- done
			if <-done {
				continue
			}
			if !d.blocking.requeueFront(w) {
				break // nothing left for the others either
			}
		}
	}
}

// BlockedClients is the number of clients waiting in a blocking command
// (INFO's blocked_clients).
func (d *Dispatcher) BlockedClients() int64 { return d.blocking.n.Load() }

// WakeDB marks every key of database db that has waiters as ready, for a
// command that changed the whole database (FLUSHDB, FLUSHALL, SWAPDB): its
// waiters retry once it is over, as Redis signals them (a blocked
// XREADGROUP then learns that its stream is gone).
func (c *Call) WakeDB(db int) {
	b := &c.D.blocking
	if b.n.Load() == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for k := range b.byKey {
		if k.db == db {
			c.S.ready = append(c.S.ready, k)
		}
	}
}

// WakeKey marks key of db as possibly ready for the clients waiting on
// it, for commands that write into another db than the session's (MOVE,
// COPY … DB), which the dispatcher's signalling by key position misses.
func (c *Call) WakeKey(db int, key []byte) {
	if c.D.blocking.n.Load() > 0 {
		c.S.ready = append(c.S.ready, blockKey{db, string(key)})
	}
}

// UnblockClient is CLIENT UNBLOCK: it reports whether id was blocked.
func (d *Dispatcher) UnblockClient(id int64, reason string) bool {
	b := &d.blocking
	b.mu.Lock()
	defer b.mu.Unlock()
	for s, w := range b.bySession {
		if s.ID == id && !w.dead {
			select {
			case w.unblock <- strings.ToLower(reason):
			default:
			}
			return true
		}
	}
	return false
}

// BzmpopKeys: BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
func BzmpopKeys(args [][]byte) []int { return NumkeysPositions(args, 2) }

// BlockedResult ends a blocking handler after its pop attempt: served or
// failed ends the command; nothing found waits. A woken waiter whose key
// now holds another type keeps waiting, as in Redis.
func (c *Call) BlockedResult(keys [][]byte, timeout time.Duration, served bool, err error) error {
	if errors.Is(err, keyspace.ErrWrongType) && c.S.BlockRetry {
		err = nil
	}
	if err != nil || served {
		return err
	}
	return c.BlockOn(keys, timeout)
}

// ZmpopKeys: ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
func ZmpopKeys(args [][]byte) []int { return NumkeysPositions(args, 1) }

// ZmpopArgs parses "numkeys key... MIN|MAX [COUNT count]" from args[at:]
// (ZMPOP, BZMPOP, and LMPOP's LEFT|RIGHT with the two names given).
func ZmpopArgs(args [][]byte, at int, lo, hi string) (keys [][]byte, low bool, count int64, err error) {
	numkeys, ok := ParseInt(args[at])
	if !ok || numkeys <= 0 {
		return nil, false, 0, Error("ERR numkeys should be greater than 0")
	}
	where := int64(at) + numkeys + 1
	if where >= int64(len(args)) {
		return nil, false, 0, ErrSyntax
	}
	switch w := args[where]; {
	case Eq(w, lo):
		low = true
	case Eq(w, hi):
	default:
		return nil, false, 0, ErrSyntax
	}
	count = -1
	for j := int(where) + 1; j < len(args); j++ {
		if count != -1 || !Eq(args[j], "count") || j+1 >= len(args) {
			return nil, false, 0, ErrSyntax
		}
		j++
		n, ok := ParseInt(args[j])
		if !ok || n <= 0 {
			return nil, false, 0, Error("ERR count should be greater than 0")
		}
		count = n
	}
	return args[at+1 : where], low, max(count, 1), nil
}
