#!/usr/bin/env bash
# rest.sh — Larder's REST API against webdis in front of redis-server 7.0,
# same pinning, one run: wrk with 50 connections sending POST / bodies
# (["GET","k"], ["SET","k","v"]) and path-style GET /get/k (webdis: its
# own /GET/k and POST GET/k forms). Both stores without persistence, so the
# HTTP front ends are what is compared. Prints req/s and p50/p99 per case.
# Timings are reported, never asserted. Env: DUR (10s), CONNS (50),
# SERVER_CPU (0), WRK_CPU (1), LARDER_BIN. Needs wrk and webdis
# (apt-get install -y wrk webdis).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${DUR:-10s}; CONNS=${CONNS:-50}; SCPU=${SERVER_CPU:-0}; WCPU=${WRK_CPU:-1}
for tool in wrk webdis redis-server redis-cli curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool not found (apt-get install -y wrk webdis redis-server)" >&2; exit 1; }
done
W=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT INT TERM
BIN=${LARDER_BIN:-$W/larder}
[[ -n ${LARDER_BIN:-} ]] || go build -trimpath -o "$BIN" ./cmd/larder
free() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
RP=$(free); WP=$(free); LP=$(free); LR=$(free)
taskset -c "$SCPU" redis-server --port "$RP" --bind 127.0.0.1 --save "" --appendonly no --dir "$W" --loglevel warning >/dev/null &
pids+=($!)
cat >"$W/webdis.json" <<J
{"redis_host":"127.0.0.1","redis_port":$RP,"http_host":"127.0.0.1","http_port":$WP,"threads":1,
 "daemonize":false,"database":0,"verbosity":0,"logfile":"$W/webdis.log"}
J
taskset -c "$SCPU" webdis "$W/webdis.json" &
pids+=($!)
taskset -c "$SCPU" "$BIN" --port "$LP" --bind 127.0.0.1 --appendonly no --dir "$W/l" --rest-port "$LR" \
  --rest-token tok --loglevel warning >/dev/null &
pids+=($!)
for p in $RP $LP; do for _ in $(seq 100); do redis-cli -p "$p" -a tok --no-auth-warning ping >/dev/null 2>&1 && break; sleep 0.1; done; done
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$WP/PING" >/dev/null && break; sleep 0.1; done
redis-cli -p "$RP" set k v >/dev/null; redis-cli -p "$LP" -a tok --no-auth-warning set k v >/dev/null
lua() { printf 'wrk.method = "%s"; wrk.body = %s; wrk.headers["Authorization"] = "Bearer tok"\n' "$1" "$2" >"$W/$3.lua"; }
lua POST "'[\"GET\",\"k\"]'" l_get; lua POST "'[\"SET\",\"k\",\"v\"]'" l_set; lua GET nil auth
lua POST "'GET/k'" w_get; lua POST "'SET/k/v'" w_set
run() { # name script url
  local out; out=$(taskset -c "$WCPU" wrk -t1 -c"$CONNS" -d"$DUR" --latency -s "$W/$2.lua" "$3")
  printf '%-26s %10s req/s  p50 %-8s p99 %s\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
}
run 'larder POST ["GET","k"]' l_get "http://127.0.0.1:$LR/"
run 'webdis POST GET/k' w_get "http://127.0.0.1:$WP/"
run 'larder POST ["SET","k","v"]' l_set "http://127.0.0.1:$LR/"
run 'webdis POST SET/k/v' w_set "http://127.0.0.1:$WP/"
run 'larder GET /get/k' auth "http://127.0.0.1:$LR/get/k"
run 'webdis GET /GET/k' auth "http://127.0.0.1:$WP/GET/k"
