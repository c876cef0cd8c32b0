#!/usr/bin/env bash
# compare.sh — Larder vs redis-server in the same run, same pinning, same load.
#
# Starts both servers on free loopback ports with the same settings (no
# persistence: the durability issue adds an appendfsync matrix), pins each
# server to the same CPU and redis-benchmark to another, then runs
# redis-benchmark against them in alternation for every test and pipeline
# depth, ROUNDS times, and prints the median ops/s of each, the ratio
# larder/redis and each server's CPU µs per operation (user+sys from
# /proc/<pid>/stat around each run). Timings are reported, never asserted.
#
# Env: QUICK=1 (one short round, for CI), ROUNDS (default 3), REQUESTS
# (default 200000), CLIENTS (50), SIZE (1024), TESTS ("set get incr mset";
# besides redis-benchmark's own -t names, the data-model families' xadd
# xrange xreadgroup setbit bitcount pfadd pfcount geoadd geosearch, run in
# that order so the reads find data),
# PIPELINES ("1 16"), SERVER_CPU / BENCH_CPU (default 1 / 0 on ≥2 CPUs),
# LARDER_BIN (skip the build), REDIS_SERVER (default redis-server),
# FSYNC (none | always | everysec | no; default none = both in memory): with a
# policy, both servers log every write (redis: appendonly yes, appendfsync
# FSYNC; larder: its bbolt log with the same appendfsync).
set -euo pipefail

cd "$(dirname "$0")/.."
QUICK=${QUICK:-0}
ROUNDS=${ROUNDS:-3}
REQUESTS=${REQUESTS:-200000}
if [[ $QUICK == 1 ]]; then ROUNDS=1; REQUESTS=${QUICK_REQUESTS:-20000}; fi
CLIENTS=${CLIENTS:-50}
SIZE=${SIZE:-1024}
TESTS=${TESTS:-"set get incr mset"}
PIPELINES=${PIPELINES:-"1 16"}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
FSYNC=${FSYNC:-none}
case $FSYNC in
  none) REDIS_PERSIST=(--appendonly no); LARDER_PERSIST=(--appendonly no) ;;
  always|everysec|no) REDIS_PERSIST=(--appendonly yes --appendfsync "$FSYNC")
    LARDER_PERSIST=(--appendonly yes --appendfsync "$FSYNC") ;;
  *) echo "FSYNC must be none, always, everysec or no" >&2; exit 2 ;;
esac

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

for tool in "$REDIS_SERVER" redis-benchmark redis-cli python3 timeout; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y redis-server redis-tools)"
done

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

ncpu=$(getconf _NPROCESSORS_ONLN)
PIN_SERVER=() PIN_BENCH=()
if command -v taskset >/dev/null && (( ncpu >= 2 )); then
  PIN_SERVER=(taskset -c "${SERVER_CPU:-1}")
  PIN_BENCH=(taskset -c "${BENCH_CPU:-0}")
  log "pinning servers to CPU ${SERVER_CPU:-1}, redis-benchmark to CPU ${BENCH_CPU:-0}"
else
  log "not pinning (taskset missing or a single CPU): figures are noisier"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_ready() { # port name
  for _ in $(seq 1 100); do
    if [[ $(timeout 2 redis-cli -p "$1" ping 2>/dev/null) == PONG ]]; then return 0; fi
    sleep 0.1
  done
  die "$2 did not answer PING on port $1"
}

if [[ -n ${LARDER_BIN:-} ]]; then
  BIN=$LARDER_BIN
else
  log "building larder"
  BIN=$WORK/larder-bin
  go build -trimpath -o "$BIN" ./cmd/larder
fi

RPORT=$(free_port)
mkdir -p "$WORK/redis"
"${PIN_SERVER[@]}" "$REDIS_SERVER" --port "$RPORT" --bind 127.0.0.1 --save '' "${REDIS_PERSIST[@]}" \
  --daemonize no --dir "$WORK/redis" --logfile "$WORK/redis.log" &
PIDS+=($!); RPID=$!
wait_ready "$RPORT" redis-server

LPORT=$(free_port)
mkdir -p "$WORK/larder"
"${PIN_SERVER[@]}" "$BIN" --port "$LPORT" --bind 127.0.0.1 "${LARDER_PERSIST[@]}" --rest-port 0 --dir "$WORK/larder" \
  --loglevel warning 2>"$WORK/larder.log" &
PIDS+=($!); LPID=$!
wait_ready "$LPORT" larder

# Commands for the tests redis-benchmark has no -t for: the data-model
# families (issue 13's closing note). __rand_int__ takes -r 100000; it is
# zero-padded, which a bit offset refuses, so SETBIT varies its key instead.
declare -A CUSTOM=(
  [xadd]="XADD bench:stream MAXLEN ~ 100000 * f __rand_int__"
  [xrange]="XRANGE bench:stream - + COUNT 10"
  [xreadgroup]="XREADGROUP GROUP g c COUNT 1 STREAMS bench:stream >"
  [setbit]="SETBIT bench:bits:__rand_int__ 1000 1"
  [bitcount]="BITCOUNT bench:bits:__rand_int__"
  [pfadd]="PFADD bench:hll __rand_int__"
  [pfcount]="PFCOUNT bench:hll"
  [geoadd]="GEOADD bench:geoadd 13.361389 38.115556 __rand_int__"
  [geosearch]="GEOSEARCH bench:geo FROMLONLAT 13.36 38.11 BYRADIUS 200 km COUNT 10 ASC"
)
# XREADGROUP's group, and GEOSEARCH's 100k members spread over the globe
# (the same deterministic places on both servers).
GEOFILL='for i = 0, 99999 do redis.call("GEOADD", KEYS[1], -179 + (i * 7919 % 35800) / 100, -80 + (i * 104729 % 16000) / 100, "m" .. i) end'
for port in "$RPORT" "$LPORT"; do
  if [[ " $TESTS " == *" xreadgroup "* ]]; then
    redis-cli -p "$port" XGROUP CREATE bench:stream g 0 MKSTREAM >/dev/null
  fi
  if [[ " $TESTS " == *" geosearch "* ]]; then
    redis-cli -p "$port" EVAL "$GEOFILL" 1 bench:geo >/dev/null
  fi
done

# cpu_ticks pid: user+system clock ticks used so far.
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)

# run port pid test pipeline → "ops_per_sec cpu_us_per_op"
run() {
  local port=$1 pid=$2 test=$3 p=$4 before after out rps args
  args=(-t "$test")
  if [[ -n ${CUSTOM[$test]:-} ]]; then read -ra args <<<"${CUSTOM[$test]}"; fi # read: no globbing of *
  before=$(cpu_ticks "$pid")
  out=$(timeout "$RUN_TIMEOUT" "${PIN_BENCH[@]}" redis-benchmark -h 127.0.0.1 -p "$port" \
    -n "$REQUESTS" -c "$CLIENTS" -P "$p" -d "$SIZE" -r 100000 --csv "${args[@]}" 2>"$WORK/bench.err") ||
    die "redis-benchmark -t $test -P $p on port $port failed or timed out: $(cat "$WORK/bench.err")"
  after=$(cpu_ticks "$pid")
  rps=$(printf '%s\n' "$out" | awk -F'"' '$2 != "" && $2 != "test" {print $4; exit}')
  [[ -n $rps ]] || die "no result from redis-benchmark: $out"
  awk -v r="$rps" -v t=$((after - before)) -v hz="$HZ" -v n="$REQUESTS" \
    'BEGIN { printf "%.0f %.2f\n", r, t * 1e6 / hz / n }'
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

log "redis $("$REDIS_SERVER" --version | awk '{print $3}') on :$RPORT, larder on :$LPORT;" \
  "$ROUNDS round(s) × $REQUESTS requests, $CLIENTS clients, ${SIZE}-byte values, persistence: $FSYNC"
printf '%-10s %3s %12s %12s %7s %10s %10s\n' test P redis_ops/s larder_ops/s ratio redis_us/op larder_us/op
ratios=()
for test in $TESTS; do
  for p in $PIPELINES; do
    : >"$WORK/r" ; : >"$WORK/l"
    for round in $(seq 1 "$ROUNDS"); do
      # Alternate which server goes first so drift (thermal, neighbours) is shared.
      if (( round % 2 )); then
        run "$RPORT" "$RPID" "$test" "$p" >>"$WORK/r"; run "$LPORT" "$LPID" "$test" "$p" >>"$WORK/l"
      else
        run "$LPORT" "$LPID" "$test" "$p" >>"$WORK/l"; run "$RPORT" "$RPID" "$test" "$p" >>"$WORK/r"
      fi
      log "$test P$p round $round/$ROUNDS: redis $(tail -1 "$WORK/r") larder $(tail -1 "$WORK/l")"
    done
    r=$(cut -d' ' -f1 "$WORK/r" | median); l=$(cut -d' ' -f1 "$WORK/l" | median)
    rc=$(cut -d' ' -f2 "$WORK/r" | median); lc=$(cut -d' ' -f2 "$WORK/l" | median)
    ratio=$(awk -v a="$l" -v b="$r" 'BEGIN { printf "%.2f", a / b }')
    ratios+=("$ratio")
    printf '%-10s %3s %12.0f %12.0f %7s %10.2f %10.2f\n' "$test" "$p" "$r" "$l" "$ratio" "$rc" "$lc"
  done
done
printf '%s\n' "${ratios[@]}" | awk '{s += log($1)} END {printf "geomean ratio larder/redis: %.2f\n", exp(s / NR)}'
if grep -q '"level":"error"' "$WORK/larder.log"; then
  log "larder logged errors:"; grep '"level":"error"' "$WORK/larder.log" >&2; exit 1
fi
