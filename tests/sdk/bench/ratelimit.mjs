// @upstash/ratelimit limit() calls per second over REST against a Larder built
// from this tree (issue 6, benchmarks). Not part of `npm test`.
//
//   node bench/ratelimit.mjs                       # slidingWindow, 1 and 1000 identifiers
//   DURATION=10 CONCURRENCY=50 ALGO=fixedWindow node bench/ratelimit.mjs
//   LARDER_ARGS="--appendfsync everysec" node bench/ratelimit.mjs
//   URL=http://127.0.0.1:8080 TOKEN=… node bench/ratelimit.mjs   # an already running server
//
// Knobs (env): DURATION seconds per case (10), WARMUP seconds (2), CONCURRENCY
// in-flight limit() calls (50), IDS identifier counts ("1 1000"), ALGO
// (fixedWindow | slidingWindow | tokenBucket), PIPELINING (1 = the SDK's default
// auto-pipelining, 0 = one HTTP request per call), LARDER_ARGS extra server flags,
// TASKSET_CPU: pin the started server to this CPU (the client stays unpinned).
// The limit is far above what a run can use, so every call runs the full script.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import os from "node:os";
import { Redis } from "@upstash/redis";
import { Ratelimit } from "@upstash/ratelimit";
import { startLarder, TOKEN } from "../larder.mjs";

const env = process.env;
const DURATION = Number(env.DURATION ?? 10);
const WARMUP = Number(env.WARMUP ?? 2);
const CONCURRENCY = Number(env.CONCURRENCY ?? 50);
const IDS = (env.IDS ?? "1 1000").split(/\s+/).filter(Boolean).map(Number);
const ALGO = env.ALGO ?? "slidingWindow";
const PIPELINING = (env.PIPELINING ?? "1") !== "0";
const BIG = 1e12;

const limiters = {
  fixedWindow: () => Ratelimit.fixedWindow(BIG, "60 s"),
  slidingWindow: () => Ratelimit.slidingWindow(BIG, "60 s"),
  tokenBucket: () => Ratelimit.tokenBucket(BIG, "1 s", BIG),
};
if (!limiters[ALGO]) throw new Error(`ALGO must be one of ${Object.keys(limiters).join(", ")}`);

// CPU seconds (user+sys) used so far by a process (Linux /proc); null elsewhere.
function cpuOf(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(rl, ids, seconds, record) {
  const lat = [];
  let calls = 0;
  let errors = 0;
  let denied = 0;
  const end = performance.now() + seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const id = `id${next++ % ids}`;
      const t0 = performance.now();
      try {
        const r = await rl.limit(id);
        if (!r.success) denied++;
        if (r.reason === "timeout") errors++;
      } catch {
        errors++;
        continue;
      }
      if (record) lat.push(performance.now() - t0);
      calls++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { calls, elapsed, errors, denied, lat };
}

const started = env.URL ? null : await startLarder((env.LARDER_ARGS ?? "").split(/\s+/).filter(Boolean));
try {
  const url = env.URL ?? started.url;
  const token = env.TOKEN ?? TOKEN;
  if (started && env.TASKSET_CPU) execFileSync("taskset", ["-pc", env.TASKSET_CPU, String(started.pid)]);
  const redis = new Redis({ url, token, enableTelemetry: false, enableAutoPipelining: PIPELINING });
  console.log(
    `# @upstash/ratelimit ${ALGO} limit() over REST; concurrency ${CONCURRENCY}, ${DURATION} s per case, ` +
      `auto-pipelining ${PIPELINING ? "on" : "off"}, server flags "${env.LARDER_ARGS ?? ""}"; ` +
      `${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`,
  );
  for (const ids of IDS) {
    const rl = new Ratelimit({
      redis, prefix: `bench:${ALGO}:${ids}:${Date.now()}`, limiter: limiters[ALGO](),
      ephemeralCache: false, timeout: 0,
    });
    await run(rl, ids, WARMUP, false);
    const srv0 = started ? cpuOf(started.pid) : null;
    const cli0 = process.cpuUsage();
    const r = await run(rl, ids, DURATION, true);
    const srv = srv0 === null ? null : cpuOf(started.pid) - srv0;
    const cli = process.cpuUsage(cli0);
    const perCall = (sec) => ((sec * 1e6) / r.calls).toFixed(0);
    console.log(
      `identifiers=${String(ids).padEnd(5)} calls/s=${(r.calls / r.elapsed).toFixed(0).padStart(6)} ` +
        `p50=${pct(r.lat, 50).toFixed(2)}ms p99=${pct(r.lat, 99).toFixed(2)}ms ` +
        `server_cpu/call=${srv === null ? "?" : perCall(srv)}µs client_cpu/call=${perCall((cli.user + cli.system) / 1e6)}µs ` +
        `calls=${r.calls} errors=${r.errors} denied=${r.denied}`,
    );
    if (r.errors) process.exitCode = 1;
  }
} finally {
  await started?.stop();
}
