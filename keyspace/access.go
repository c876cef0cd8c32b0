package keyspace

import (
	"math/rand/v2"
	"sync/atomic"
)

// lfuInitVal is the counter of a new key, as Redis's LFU_INIT_VAL. The
// other LFU parameters are lfu-log-factor and lfu-decay-time (SetLFUParams,
// Redis's defaults 10 and 1 until then).
const lfuInitVal = 5

// lfuParams are lfu-log-factor and lfu-decay-time (minutes per decrement,
// 0: the counter never decays).
type lfuParams struct{ logFactor, decayMin atomic.Int64 }

// SetLFUParams applies lfu-log-factor and lfu-decay-time.
func (st *Store) SetLFUParams(logFactor, decayMinutes int64) {
	st.lfuParams.logFactor.Store(logFactor)
	st.lfuParams.decayMin.Store(decayMinutes)
}

func (st *Store) unix() int64 {
	if st.exact {
		return st.now().Unix()
	}
	return st.coarse.Load()
}

func (st *Store) clockSec() uint32 { return uint32(st.unix()) }

func (st *Store) clockMin() uint32 { return uint32(st.unix()/60) & 0xffff }

func (st *Store) initAccess(e *Entry) {
	e.access.Store(st.clockSec())
	e.lfu.Store(st.clockMin()<<8 | lfuInitVal)
}

func (st *Store) touch(e *Entry) {
	if !st.lfu.Load() {
		e.access.Store(st.clockSec())
		return
	}
	c := st.decayedFreq(e)
	if c < 255 {
		base := float64(c) - lfuInitVal
		if base < 0 {
			base = 0
		}
		if rand.Float64() < 1.0/(base*float64(st.lfuParams.logFactor.Load())+1) {
			c++
		}
	}
	e.lfu.Store(st.clockMin()<<8 | c)
}

// decayedFreq is Redis's LFUDecrAndReturn: the counter less one per decay
// period elapsed since the last access.
func (st *Store) decayedFreq(e *Entry) uint32 {
	v := e.lfu.Load()
	last, c := v>>8, v&0xff
	now := st.clockMin()
	var elapsed uint32
	if now >= last {
		elapsed = now - last
	} else {
		elapsed = 65535 - last + now
	}
	periods := uint32(0)
	if d := st.lfuParams.decayMin.Load(); d > 0 {
		periods = uint32(min(int64(elapsed)/d, 255))
	}
	if periods > c {
		return 0
	}
	return c - periods
}

// IdleSeconds returns the seconds since the entry was last accessed.
func (st *Store) IdleSeconds(e *Entry) int64 {
	d := st.now().Unix() - int64(e.access.Load())
	return max(d, 0)
}

// Frequency returns the entry's logarithmic access counter (OBJECT FREQ).
func (st *Store) Frequency(e *Entry) int64 { return int64(st.decayedFreq(e)) }

// SetIdle makes e's last access idle seconds ago (RESTORE … IDLETIME,
// Redis's objectSetLRUOrLFU under an LRU policy).
func (st *Store) SetIdle(e *Entry, idle int64) {
	e.access.Store(uint32(max(st.now().Unix()-idle, 0)))
}

// SetFrequency sets e's LFU counter to freq, last decremented now (RESTORE
// … FREQ under an LFU policy).
func (st *Store) SetFrequency(e *Entry, freq uint8) {
	e.lfu.Store(st.clockMin()<<8 | uint32(freq))
}
