#!/usr/bin/env bash
# snapshot.sh — bytes on disk after a snapshot and restart time from it:
# Larder (appendonly yes, appendfsync everysec, SAVE) against redis-server
# (SAVE to dump.rdb, appendonly no) in the same run.
#
# Loads KEYS string keys (16-byte keys key:000000000000…, VALUE-byte values
# of seeded random letters and digits, or a repeated letter with
# VALUES=same) into both through redis-cli --pipe, runs SAVE on both,
# prints Larder's data-dir bytes (du) against dump.rdb's, then stops both
# (SIGTERM), starts them again on the same directories and prints the time
# from the start of each process until a GET of the last key answers its
# value (for Redis that is also when PING stops answering LOADING).
# Figures are reported, never asserted. Env: KEYS (1000000), VALUE (32),
# VALUES (random|same), LARDER_BIN, REDIS_SERVER.
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${KEYS:-1000000}
VALUE=${VALUE:-32}
VALUES=${VALUES:-random}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
log() { printf '[snapshot %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

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

log "generating $KEYS SET commands ($VALUE-byte $VALUES values)"
python3 - "$KEYS" "$VALUE" "$VALUES" >"$WORK/load.resp" 2>"$WORK/last" <<'EOF'
import random, string, sys
n, size, kind = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rnd = random.Random(15)
alphabet = string.ascii_letters + string.digits
out = sys.stdout
for i in range(n):
    k = "key:%012d" % i
    v = "v" * size if kind == "same" else "".join(rnd.choices(alphabet, k=size))
    out.write("*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v))
sys.stderr.write("%s %s\n" % (k, v))
EOF
read -r LAST_KEY LAST_VALUE <"$WORK/last"

start() { # name args...: starts a server in the background, sets PID
  local name=$1; shift
  "$@" >>"$WORK/$name.log" 2>&1 &
  PID=$!; PIDS+=("$PID")
}

# served_after PORT START_MS: polls GET of the last key until it answers
# the value (LOADING and refused connections count as not yet).
served_after() {
  local port=$1 t0=$2 v
  for _ in $(seq 1 60000); do
    v=$(redis-cli -p "$port" get "$LAST_KEY" 2>/dev/null || true)
    if [[ $v == "$LAST_VALUE" ]]; then echo $(( $(now_ms) - t0 )); return; fi
    sleep 0.01
  done
  echo never
}

wait_ping() { # port
  for _ in $(seq 1 1000); do
    [[ $(redis-cli -p "$1" ping 2>/dev/null) == PONG ]] && return 0
    sleep 0.01
  done
  echo "server on $1 did not start" >&2; exit 1
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

# run NAME PORT DIR FILES ARGS...: load, SAVE, measure FILES' bytes (BYTES),
# restart and measure the time until served (MS).
run() {
  local name=$1 port=$2 dir=$3 files=$4; shift 4
  start "$name" "$@"; local pid=$PID
  wait_ping "$port"
  redis-cli -p "$port" --pipe <"$WORK/load.resp" >/dev/null
  redis-cli -p "$port" save >/dev/null
  BYTES=$(cd "$dir" && du -cb $files | tail -1 | cut -f1)
  ALLOC=$(cd "$dir" && du -c --block-size=1 $files | tail -1 | cut -f1)
  stop "$pid"
  local t0; t0=$(now_ms)
  start "$name" "$@"
  MS=$(served_after "$port" "$t0")
  stop "$PID"
}

log "$KEYS keys; Larder first"
P=$(free_port); mkdir -p "$WORK/l"
run larder "$P" "$WORK/l" 'larder.db larder.tail.0 larder.tail.1' "$BIN" --port "$P" --dir "$WORK/l" \
  --appendonly yes --appendfsync everysec --auto-aof-rewrite-percentage 0 --rest-port 0 --loglevel warning
LB=$BYTES LA=$ALLOC LMS=$MS
P=$(free_port); mkdir -p "$WORK/r"
run redis "$P" "$WORK/r" dump.rdb "$REDIS_SERVER" --port "$P" --dir "$WORK/r" --save '' --appendonly no
RB=$BYTES RA=$ALLOC RMS=$MS
awk -v lb="$LB" -v rb="$RB" -v la="$LA" -v ra="$RA" -v lms="$LMS" -v rms="$RMS" -v n="$KEYS" 'BEGIN {
  printf "%-28s %12s %12s %7s\n", "figure", "larder", "redis", "ratio"
  printf "%-28s %12d %12d %7.2f\n", "file bytes after SAVE", lb, rb, lb/rb
  printf "%-28s %12d %12d %7.2f\n", "allocated bytes (du)", la, ra, la/ra
  printf "%-28s %12.1f %12.1f\n", "bytes per key", lb/n, rb/n
  if (lms == "never" || rms == "never") { printf "restart: larder %s ms, redis %s ms\n", lms, rms; exit }
  printf "%-28s %12d %12d %7.2f\n", "restart to GET last key, ms", lms, rms, lms/rms }'
