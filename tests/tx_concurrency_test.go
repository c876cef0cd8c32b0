package tests

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestTx_Atomic: writers move a unit from a to b inside MULTI/EXEC while
// readers read both in one transaction; a reader must never see the sum
// change, and the final counts must add up.
func TestTx_Atomic(t *testing.T) {
	l := startLarder(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: l.addr, PoolSize: 16})
	defer func() { _ = rdb.Close() }()
	if err := rdb.MSet(ctx, "a", 1000, "b", 0).Err(); err != nil {
		t.Fatal(err)
	}
	const writers, moves = 6, 150
	var wg sync.WaitGroup
	errc := make(chan error, writers+2)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < moves; i++ {
				_, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
					p.DecrBy(ctx, "a", 1)
					p.IncrBy(ctx, "b", 1)
					return nil
				})
				if err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	for r := 0; r < 2; r++ {
		go func() {
			for {
				select {
				case <-done:
					errc <- nil
					return
				default:
				}
				var ga, gb *redis.StringCmd
				_, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
					ga, gb = p.Get(ctx, "a"), p.Get(ctx, "b")
					return nil
				})
				if err != nil {
					errc <- err
					return
				}
				x, _ := strconv.Atoi(ga.Val())
				y, _ := strconv.Atoi(gb.Val())
				if x+y != 1000 {
					errc <- errors.New("reader saw a+b = " + strconv.Itoa(x+y))
					return
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	for i := 0; i < 2; i++ {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	select {
	case err := <-errc:
		t.Fatal(err)
	default:
	}
	vals, err := rdb.MGet(ctx, "a", "b").Result()
	if err != nil || vals[0] != strconv.Itoa(1000-writers*moves) || vals[1] != strconv.Itoa(writers*moves) {
		t.Fatalf("final a, b = %v, %v", vals, err)
	}
}

// TestTx_WatchOptimistic: clients increment one counter with
// WATCH/GET/MULTI/SET/EXEC, retrying on abort; no increment is lost.
func TestTx_WatchOptimistic(t *testing.T) {
	l := startLarder(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: l.addr, PoolSize: 16})
	defer func() { _ = rdb.Close() }()
	const clients, incs = 8, 50
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	aborted := 0
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < incs; {
				err := rdb.Watch(ctx, func(tx *redis.Tx) error {
					n, err := tx.Get(ctx, "counter").Int()
					if err != nil && !errors.Is(err, redis.Nil) {
						return err
					}
					_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
						p.Set(ctx, "counter", n+1, 0)
						return nil
					})
					return err
				}, "counter")
				switch {
				case err == nil:
					i++
				case errors.Is(err, redis.TxFailedErr):
					mu.Lock()
					aborted++
					mu.Unlock()
				default:
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		t.Fatal(firstErr)
	}
	if n, err := rdb.Get(ctx, "counter").Int(); err != nil || n != clients*incs {
		t.Fatalf("counter = %d, %v; want %d", n, err, clients*incs)
	}
	t.Logf("%d EXECs aborted by WATCH and retried", aborted)
}
