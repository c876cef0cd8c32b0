#!/usr/bin/env bash
# restart.sh — how long Larder and redis-server take to serve a data set
# again after a restart, and how many bytes per key their files hold.
#
# Writes KEYS keys (SET key:N with a VALUE-byte value, through redis-cli
# --pipe) into each server, then for each case stops the server (SIGTERM,
# or SIGKILL with KILL=1), starts it again on the same directory and times
# from the start of the process until DBSIZE answers KEYS:
#   larder-log       Larder recovering from its log only (no snapshot)
#   larder-snapshot  Larder after SAVE (snapshot, empty log)
#   redis-rdb        redis-server loading dump.rdb (SAVE, appendonly no)
#   redis-aof        redis-server loading its AOF (appendonly yes, no rewrite)
# and prints the bytes per key of larder.db (after SAVE) and dump.rdb.
# Timings are reported, never asserted. Env: KEYS (default 1000000),
# VALUE (default 16), LARDER_BIN, REDIS_SERVER, KILL.
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${KEYS:-1000000}
VALUE=${VALUE:-16}
KILL=${KILL:-0}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
log() { printf '[restart %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

BIN=${LARDER_BIN:-$WORK/larder}
[[ -n ${LARDER_BIN:-} ]] || go build -trimpath -o "$BIN" ./cmd/larder
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }

log "generating $KEYS SET commands"
python3 - "$KEYS" "$VALUE" >"$WORK/load.resp" <<'EOF'
import sys
n, size = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
v = "v" * size
for i in range(n):
    k = "key:%d" % i
    out.write("*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v))
EOF

# start NAME PORT ARGS... : starts a server in the background, sets PID.
start() {
  local name=$1; shift
  "$@" >>"$WORK/$name.log" 2>&1 &
  PID=$!; PIDS+=("$PID")
}

# ready_after PORT START_MS: polls DBSIZE until it answers KEYS.
ready_after() {
  local port=$1 t0=$2 n
  for _ in $(seq 1 60000); do
    n=$(redis-cli -p "$port" dbsize 2>/dev/null || true)
    if [[ $n == "$KEYS" ]]; then echo $(( $(now_ms) - t0 )); return; fi
    sleep 0.01
  done
  echo "never"
}

wait_ping() { # port
  for _ in $(seq 1 500); do
    [[ $(redis-cli -p "$1" ping 2>/dev/null) == PONG ]] && return 0
    sleep 0.01
  done
  echo "server on $1 did not start" >&2; exit 1
}

stop() { # pid
  if [[ $KILL == 1 ]]; then kill -9 "$1"; else kill "$1"; fi
  wait "$1" 2>/dev/null || true
}

case_run() { # name port dir args...
  local name=$1 port=$2; shift 2
  start "$name" "$@"; local pid=$PID
  wait_ping "$port"
  redis-cli -p "$port" --pipe <"$WORK/load.resp" >/dev/null
  [[ $name == *snapshot || $name == redis-rdb ]] && redis-cli -p "$port" save >/dev/null
  stop "$pid"
  local t0; t0=$(now_ms)
  start "$name" "$@"; local ms; ms=$(ready_after "$port" "$t0")
  printf '%-16s %8s ms\n' "$name" "$ms"
  stop "$PID"
}

log "$KEYS keys of $VALUE bytes; stop by $([[ $KILL == 1 ]] && echo SIGKILL || echo SIGTERM)"
P=$(free_port); mkdir -p "$WORK/ll"
case_run larder-log "$P" "$BIN" --port "$P" --dir "$WORK/ll" --appendfsync everysec --auto-aof-rewrite-percentage 0 --rest-port 0 --loglevel warning
P=$(free_port); mkdir -p "$WORK/ls"
case_run larder-snapshot "$P" "$BIN" --port "$P" --dir "$WORK/ls" --appendfsync everysec --rest-port 0 --loglevel warning
P=$(free_port); mkdir -p "$WORK/rr"
case_run redis-rdb "$P" "$REDIS_SERVER" --port "$P" --dir "$WORK/rr" --save '' --appendonly no
P=$(free_port); mkdir -p "$WORK/ra"
case_run redis-aof "$P" "$REDIS_SERVER" --port "$P" --dir "$WORK/ra" --save '' --appendonly yes --appendfsync everysec \
  --auto-aof-rewrite-percentage 0
ldb=$(stat -c %s "$WORK/ls/larder.db"); rdb=$(stat -c %s "$WORK/rr/dump.rdb")
awk -v l="$ldb" -v r="$rdb" -v n="$KEYS" 'BEGIN {
  printf "bytes/key after a snapshot: larder.db %.1f (file %d), dump.rdb %.1f (file %d), ratio %.2f\n", l/n, l, r/n, r, l/r }'
