package dumpcmd

import (
	"bufio"
	"net"
	"sync"
	"time"

	"github.com/larder-db/larder/command"
)

// Redis's MIGRATE socket cache (cluster.c): at most migrateCacheMax
// connections, one per target host:port, each closed after
// migrateCacheTTL unused.
const (
	migrateCacheMax = 64
	migrateCacheTTL = 10 * time.Second
)

// migrateConn is one cached connection to a MIGRATE target. mu is held by
// the MIGRATE using it (get to put or drop), so two clients never share it
// at once and the idle timer never closes it under a user.
type migrateConn struct {
	mu     sync.Mutex
	closed bool
	conn   net.Conn
	rd     *bufio.Reader
	lastDB int64 // the db the target has selected, -1: unknown
	idle   *time.Timer
}

func (mc *migrateConn) close() {
	mc.closed = true
	mc.idle.Stop()
	_ = mc.conn.Close() // the target sees EOF; nothing is pending on it
}

// migrateCache is the family's per-dispatcher state: the cached target
// connections. INFO stats reports their number as migrate_cached_sockets.
type migrateCache struct {
	mu    sync.Mutex
	conns map[string]*migrateConn
	ttl   time.Duration // migrateCacheTTL (shorter in tests)
}

// NewState returns the family's state beside the keyspace (command.Extension).
func NewState() command.Extension {
	return &migrateCache{conns: map[string]*migrateConn{}, ttl: migrateCacheTTL}
}

// InfoFields adds migrate_cached_sockets to INFO stats.
func (m *migrateCache) InfoFields(section string, add func(name string, value any)) {
	if section != "stats" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	add("migrate_cached_sockets", len(m.conns))
}

// Stop closes the cached connections not in use at shutdown.
func (m *migrateCache) Stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for addr, mc := range m.conns {
		m.evictLocked(addr, mc)
	}
}

// get returns the cached connection to addr, locked for the caller, or
// dials one within timeout (evicting an idle entry when the cache is
// full, as Redis evicts one at random). The caller ends with put or drop.
func (m *migrateCache) get(addr string, timeout time.Duration) (*migrateConn, error) {
	m.mu.Lock()
	mc := m.conns[addr]
	m.mu.Unlock()
	if mc != nil {
		mc.mu.Lock()
		if !mc.closed {
			mc.idle.Stop()
			return mc, nil
		}
		mc.mu.Unlock()
	}
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	mc = &migrateConn{conn: conn, rd: bufio.NewReader(conn), lastDB: -1}
	mc.mu.Lock()
	mc.idle = time.AfterFunc(m.ttl, func() { m.expire(addr, mc) })
	mc.idle.Stop()
	m.mu.Lock()
	defer m.mu.Unlock()
	for other, oc := range m.conns {
		if len(m.conns) < migrateCacheMax {
			break
		}
		m.evictLocked(other, oc)
	}
	m.conns[addr] = mc // one in use by another client is closed when put back
	return mc, nil
}

// put hands a connection back: it stays cached until unused for the TTL
// (or is closed now if another took its place in the cache).
func (m *migrateCache) put(addr string, mc *migrateConn) {
	m.mu.Lock()
	cached := m.conns[addr] == mc
	m.mu.Unlock()
	if cached {
		mc.idle.Reset(m.ttl)
	} else {
		mc.close()
	}
	mc.mu.Unlock()
}

// drop closes a connection after a socket error.
func (m *migrateCache) drop(addr string, mc *migrateConn) {
	m.mu.Lock()
	if m.conns[addr] == mc {
		delete(m.conns, addr)
	}
	m.mu.Unlock()
	mc.close()
	mc.mu.Unlock()
}

// expire closes mc when its idle timer fires, unless a MIGRATE took it
// meanwhile (put restarts the timer).
func (m *migrateCache) expire(addr string, mc *migrateConn) {
	if !mc.mu.TryLock() {
		return
	}
	defer mc.mu.Unlock()
	m.mu.Lock()
	if m.conns[addr] == mc {
		delete(m.conns, addr)
	}
	m.mu.Unlock()
	if !mc.closed {
		mc.close()
	}
}

// evictLocked closes and forgets an idle cached connection (m.mu held).
func (m *migrateCache) evictLocked(addr string, mc *migrateConn) {
	if !mc.mu.TryLock() {
		return
	}
	defer mc.mu.Unlock()
	delete(m.conns, addr)
	mc.close()
}
