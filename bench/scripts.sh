#!/usr/bin/env bash
# scripts.sh — a sliding-window rate-limit script (the shape of
# @upstash/ratelimit's, written here) run by EVALSHA over TCP against
# Larder and redis-server in the same run, same pinning: with one
# identifier (every call on the same keys) and with IDS identifiers
# (random keys, so Larder's key-locked scripts run in parallel).
# Larder gets the script with Upstash's `#!lua flags=allow-key-locking`
# first line; redis-server, which refuses that flag, gets it without.
# Prints calls/s and the ratio larder/redis. Timings are reported, never
# asserted. Env: REQUESTS (200000), CLIENTS (50), IDS (1000), PIPELINES
# ("1 16"), SERVER_CPUS (default "0,1": scripts on different keys can use
# both cores in Larder), LARDER_BIN, REDIS_SERVER.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${REQUESTS:-200000}; CLIENTS=${CLIENTS:-50}; IDS=${IDS:-1000}
PIPELINES=${PIPELINES:-"1 16"}; REDIS_SERVER=${REDIS_SERVER:-redis-server}
SERVER_CPUS=${SERVER_CPUS:-0,1}
WORK=$(mktemp -d); PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 1 100); do [[ $(redis-cli -p "$1" ping 2>/dev/null) == PONG ]] && return 0; sleep 0.1; done; echo "no PONG on $1" >&2; exit 1; }
BIN=${LARDER_BIN:-$WORK/larder}
[[ -n ${LARDER_BIN:-} ]] || go build -trimpath -o "$BIN" ./cmd/larder

BODY='local cur, prev = KEYS[1], KEYS[2]
local limit, now, window, by = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local c = tonumber(redis.call("GET", cur) or "0")
local p = tonumber(redis.call("GET", prev) or "0")
p = math.floor((1 - (now % window) / window) * p)
if by > 0 and c + p >= limit then return {-1, limit} end
local n = redis.call("INCRBY", cur, by)
if n == by then redis.call("PEXPIRE", cur, window * 2 + 1000) end
return {limit - (n + p), limit}'

RPORT=$(free_port); LPORT=$(free_port)
taskset -c "$SERVER_CPUS" "$REDIS_SERVER" --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >/dev/null 2>&1 &
PIDS+=($!)
taskset -c "$SERVER_CPUS" "$BIN" --port "$LPORT" --bind 127.0.0.1 --appendonly no --rest-port 0 --dir "$WORK/l" --loglevel warning 2>"$WORK/larder.log" &
PIDS+=($!)
wait_ready "$RPORT"; wait_ready "$LPORT"
RSHA=$(redis-cli -p "$RPORT" script load "$BODY")
LSHA=$(redis-cli -p "$LPORT" script load "#!lua flags=allow-key-locking
$BODY")

run() { # port sha ids pipeline → calls/s
  local keys=(rl:1:cur rl:1:prev) r=()
  if (( $3 > 1 )); then keys=(rl:__rand_int__:cur rl:__rand_int__:prev); r=(-r "$3"); fi
  redis-benchmark -h 127.0.0.1 -p "$1" -n "$REQUESTS" -c "$CLIENTS" -P "$4" "${r[@]}" --csv \
    EVALSHA "$2" 2 "${keys[@]}" 1000000000 1700000000000 60000 1 2>/dev/null |
    awk -F'"' 'NR==2 {print $4}'
}
printf '%-6s %3s %12s %12s %7s\n' ids P redis_calls/s larder_calls/s ratio
for ids in 1 "$IDS"; do
  for p in $PIPELINES; do
    r=$(run "$RPORT" "$RSHA" "$ids" "$p"); l=$(run "$LPORT" "$LSHA" "$ids" "$p")
    printf '%-6s %3s %12.0f %12.0f %7.2f\n' "$ids" "$p" "$r" "$l" "$(awk -v a="$l" -v b="$r" 'BEGIN{print a/b}')"
  done
done
