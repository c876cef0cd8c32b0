package dumpcmd

import (
	"net"
	"testing"
	"time"
)

func cachedSockets(m *migrateCache) int {
	n := -1
	m.InfoFields("stats", func(_ string, v any) { n = v.(int) })
	return n
}

// TestMigrateCache: a connection is reused while cached, held by one user
// at a time, and closed once unused for the TTL.
func TestMigrateCache(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	accepted := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	m := NewState().(*migrateCache)
	m.ttl = 50 * time.Millisecond
	addr := ln.Addr().String()
	mc, err := m.get(addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m.put(addr, mc)
	again, err := m.get(addr, time.Second)
	if err != nil || again != mc {
		t.Fatalf("second get: %p, %v; want the cached %p", again, err, mc)
	}
	if n := cachedSockets(m); n != 1 {
		t.Fatalf("migrate_cached_sockets = %d, want 1", n)
	}
	m.put(addr, again)
	deadline := time.Now().Add(5 * time.Second)
	for cachedSockets(m) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the idle connection was never closed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	server := <-accepted
	if _, err := server.Read(make([]byte, 1)); err == nil {
		t.Fatal("the target's side of an expired connection is still open")
	}
	if len(accepted) != 0 {
		t.Fatalf("%d extra connections dialled", len(accepted))
	}
}
