package tests

import (
	"context"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestClients_GoRedis drives a short scenario through go-redis v9, the
// most used Go client, in RESP2 and RESP3: its handshake (HELLO,
// CLIENT SETINFO), typed replies, pipelines and error values.
func TestClients_GoRedis(t *testing.T) {
	l := startLarder(t)
	for _, proto := range []int{2, 3} {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			rdb := redis.NewClient(&redis.Options{Addr: l.addr, Protocol: proto, DB: proto})
			defer func() { _ = rdb.Close() }()
			goRedisScenario(ctx, t, rdb)
		})
	}
}

func goRedisScenario(ctx context.Context, t *testing.T, rdb *redis.Client) {
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	check("ping", rdb.Ping(ctx).Err())
	check("set", rdb.Set(ctx, "greeting", "hello", time.Hour).Err())
	if v, err := rdb.Get(ctx, "greeting").Result(); err != nil || v != "hello" {
		t.Fatalf("get = %q, %v", v, err)
	}
	if _, err := rdb.Get(ctx, "missing").Result(); !errors.Is(err, redis.Nil) {
		t.Fatalf("get missing: %v, want redis.Nil", err)
	}
	if ttl, err := rdb.TTL(ctx, "greeting").Result(); err != nil || ttl <= 59*time.Minute || ttl > time.Hour {
		t.Fatalf("ttl = %v, %v", ttl, err)
	}
	if n, err := rdb.IncrBy(ctx, "counter", 5).Result(); err != nil || n != 5 {
		t.Fatalf("incrby = %d, %v", n, err)
	}
	if f, err := rdb.IncrByFloat(ctx, "float", 0.1).Result(); err != nil || f != 0.1 {
		t.Fatalf("incrbyfloat = %v, %v", f, err)
	}
	vals, err := rdb.MGet(ctx, "greeting", "missing", "counter").Result()
	if err != nil || len(vals) != 3 || vals[0] != "hello" || vals[1] != nil || vals[2] != "5" {
		t.Fatalf("mget = %#v, %v", vals, err)
	}
	if err := rdb.Incr(ctx, "greeting").Err(); err == nil || err.Error() != "ERR value is not an integer or out of range" {
		t.Fatalf("incr on text: %v", err)
	}
	pipe := rdb.Pipeline()
	for i := 0; i < 100; i++ {
		pipe.Incr(ctx, "piped")
	}
	get := pipe.Get(ctx, "piped")
	_, err = pipe.Exec(ctx)
	check("pipeline", err)
	if get.Val() != "100" {
		t.Fatalf("after pipeline: %q", get.Val())
	}
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil || len(keys) != 4 {
		t.Fatalf("keys = %v, %v", keys, err)
	}
	var scanned []string
	iter := rdb.Scan(ctx, 0, "*", 1).Iterator()
	for iter.Next(ctx) {
		scanned = append(scanned, iter.Val())
	}
	check("scan", iter.Err())
	if len(scanned) != 4 {
		t.Fatalf("scan = %v", scanned)
	}
	info, err := rdb.Info(ctx, "keyspace").Result()
	if err != nil || !strings.Contains(info, "keys=4") {
		t.Fatalf("info = %q, %v", info, err)
	}
	cfg, err := rdb.ConfigGet(ctx, "maxmemory").Result()
	if err != nil || cfg["maxmemory"] != "0" {
		t.Fatalf("config get = %v, %v", cfg, err)
	}
	check("client setname", rdb.Do(ctx, "CLIENT", "SETNAME", "scenario").Err())
	if n, err := rdb.Del(ctx, "greeting", "counter", "float", "piped").Result(); err != nil || n != 4 {
		t.Fatalf("del = %d, %v", n, err)
	}
	if n, err := rdb.DBSize(ctx).Result(); err != nil || n != 0 {
		t.Fatalf("dbsize = %d, %v", n, err)
	}
}

// TestClients_RedisCli runs redis-cli against Larder: one-shot commands,
// its RESP3 mode and a piped script.
func TestClients_RedisCli(t *testing.T) {
	requireRedis(t)
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Skip("redis-cli not installed")
	}
	l := startLarder(t)
	host, port, _ := strings.Cut(l.addr, ":")
	run := func(stdin string, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, cli, append([]string{"-h", host, "-p", port}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("redis-cli %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"PING"}, "PONG"},
		{[]string{"SET", "k", "v"}, "OK"},
		{[]string{"GET", "k"}, "v"},
		{[]string{"INCR", "n"}, "1"},
		{[]string{"GET", "nope"}, ""},
		{[]string{"-3", "HELLO", "3"}, ""},
		{[]string{"-3", "GETEX", "k", "PERSIST"}, "v"},
		{[]string{"--no-raw", "INCR", "k"}, "(error) ERR value is not an integer or out of range"},
		{[]string{"DBSIZE"}, "2"},
	} {
		got := run("", c.args...)
		if c.want != "" && got != c.want {
			t.Errorf("redis-cli %v = %q, want %q", c.args, got, c.want)
		}
	}
	if got := run("SET a 1\nINCRBY a 41\nGET a\n"); got != "OK\n42\n42" {
		t.Errorf("piped script = %q", got)
	}
	if got := run("", "INFO", "server"); !strings.Contains(got, "redis_version:7.0.15") {
		t.Errorf("INFO server = %q", got)
	}
	if got := run("", "--scan", "--pattern", "*"); len(strings.Fields(got)) != 3 {
		t.Errorf("--scan = %q", got)
	}
}
