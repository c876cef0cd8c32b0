// The real @upstash/ratelimit (pinned in package-lock.json) against Larder over REST
// (issue 6; UPSTASH-REST.md §10–§11). Every limiter runs the package's own Lua
// scripts, shebang `#!lua flags=allow-key-locking` included, by EVALSHA → EVAL.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";
import { Analytics, IpDenyList, MultiRegionRatelimit, Ratelimit } from "@upstash/ratelimit";
import { startLarder, TOKEN } from "./larder.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The hashes @upstash/ratelimit 2.2.0 sends with EVALSHA (its src/lua-scripts/hash.ts).
const HASH = {
  fixedLimit: "b2efc02798c8e9b471a10f9b1d5745db89923ff3",
  fixedRemaining: "823cb2a5a902d69681244f5e28e5ebb8f2a89edd",
  slidingLimit: "74740bb3d7792848093cdef586b6b6037c455fd6",
  slidingRemaining: "7ca36169e0fc9caedd81b4eef8e99854c157f9b5",
  bucketLimit: "d60be5bd3d83482ae229309f1f7425424f891204",
  bucketRemaining: "40daf4a441df736f5c99f8b77bbe176c909e5de4",
  cachedLimit: "1861a700bafe96c833a483af6b1c28a8897cfdb0",
  cachedRemaining: "eb82f0e853d2fc9a236fa9bfbe704fda6ac2fc36",
  reset: "54bd274ddc59fb3be0f42deee2f64322a10e2b50",
  mrFixedLimit: "e04b753a75909b7f99aae4c04cf8869a8de02a9e",
  mrSlidingLimit: "aeb4d8f381e8dafc8e69041baae1324d254ded44",
};

// The deny-list download goes to raw.githubusercontent.com. Tests must not depend
// on the network, so that one host always fails here exactly as it does offline
// (fetch rejects with "fetch failed") unless a test serves its own list. Only
// that host is intercepted; the SDK's requests to Larder go through untouched.
const realFetch = globalThis.fetch;
let ipListBody = null; // null: offline
let ipListRequests = 0;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input.url ?? String(input);
  if (url.startsWith("https://raw.githubusercontent.com/")) {
    ipListRequests++;
    if (ipListBody === null) throw new TypeError("fetch failed");
    return new Response(ipListBody, { status: 200 });
  }
  return realFetch(input, init);
};

let larder;
let redis;
let seq = 0;
// A fresh prefix per test keeps tests independent on one server.
const prefix = (name) => `rl${++seq}:${name}`;
const client = (url) => new Redis({ url, token: TOKEN, enableTelemetry: false });

// If less than marginMs of the current window of windowMs is left, wait for the
// next one, so that a burst of calls lands in one fixed-window bucket.
async function freshWindow(windowMs, marginMs) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await sleep(left + 5);
}

// n parallel limit() calls; returns the successes and the results.
async function burst(rl, id, n, opts) {
  const res = await Promise.all(Array.from({ length: n }, () => rl.limit(id, opts)));
  await Promise.all(res.map((r) => r.pending));
  return { ok: res.filter((r) => r.success), res };
}

before(async () => {
  larder = await startLarder();
  redis = client(larder.url);
});
after(async () => {
  globalThis.fetch = realFetch;
  await larder?.stop();
});

// cmdstat_<name> counters from INFO commandstats.
async function cmdstats() {
  const info = await redis.exec(["INFO", "commandstats"]);
  const out = {};
  for (const m of info.matchAll(/^cmdstat_(\w+):calls=(\d+),.*failed_calls=(\d+)/gm)) {
    out[m[1]] = { calls: Number(m[2]), failed: Number(m[3]) };
  }
  return out;
}

describe("script cache", () => {
  test("after the first EVAL every limit() is a single EVALSHA (the hash covers the shebang)", async () => {
    const rl = new Ratelimit({ redis, prefix: prefix("cache"), limiter: Ratelimit.tokenBucket(1, "60 s", 100), ephemeralCache: false });
    await rl.limit("warm"); // may load the script: EVALSHA → NOSCRIPT → EVAL
    const before = await cmdstats();
    for (let i = 0; i < 10; i++) assert.equal((await rl.limit("u")).success, true);
    const after = await cmdstats();
    assert.equal(after.evalsha.calls - before.evalsha.calls, 10);
    assert.equal(after.evalsha.failed - before.evalsha.failed, 0, "no NOSCRIPT");
    assert.equal((after.eval?.calls ?? 0) - (before.eval?.calls ?? 0), 0, "no EVAL fallback");
  });
});

describe("fixedWindow", () => {
  test("N parallel limit() calls on one identifier allow exactly the limit", async () => {
    await freshWindow(60_000, 5_000);
    const p = prefix("fw");
    const rl = new Ratelimit({ redis, prefix: p, limiter: Ratelimit.fixedWindow(10, "60 s"), ephemeralCache: false });
    const { ok, res } = await burst(rl, "u", 40);
    assert.equal(ok.length, 10);
    // Atomic INCRBY: the ten successes saw ten distinct counts.
    assert.deepEqual(ok.map((r) => r.remaining).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const r of res) assert.equal(r.limit, 10);
    const bucket = Math.floor(Date.now() / 60_000);
    assert.equal(await redis.get(`${p}:u:${bucket}`), 40);
    const pttl = await redis.pttl(`${p}:u:${bucket}`);
    assert.ok(pttl > 0 && pttl <= 60_000, `pttl ${pttl}`);
    assert.deepEqual(await rl.getRemaining("u"), { remaining: 0, reset: (bucket + 1) * 60_000, limit: 10 });
    // The scripts are cached under the package's constant hashes (so EVALSHA hits).
    assert.deepEqual(await redis.scriptExists(HASH.fixedLimit, HASH.fixedRemaining), [1, 1]);
  });

  test("distinct identifiers are independent", async () => {
    await freshWindow(60_000, 5_000);
    const rl = new Ratelimit({ redis, prefix: prefix("fw-ids"), limiter: Ratelimit.fixedWindow(3, "60 s"), ephemeralCache: false });
    const results = await Promise.all(["a", "b", "c"].map((id) => burst(rl, id, 5)));
    assert.deepEqual(results.map((r) => r.ok.length), [3, 3, 3]);
    assert.equal((await rl.getRemaining("d")).remaining, 3);
  });

  test("the window expires and the identifier is allowed again", async () => {
    const rl = new Ratelimit({ redis, prefix: prefix("fw-exp"), limiter: Ratelimit.fixedWindow(2, "1 s"), ephemeralCache: false });
    await freshWindow(1000, 300);
    const first = await burst(rl, "u", 4);
    assert.equal(first.ok.length, 2);
    const reset = first.res[0].reset;
    await sleep(Math.max(0, reset - Date.now()) + 20);
    const second = await burst(rl, "u", 3);
    assert.equal(second.ok.length, 2);
    assert.ok(second.res[0].reset > reset);
  });

  test("getRemaining and resetUsedTokens (SCAN MATCH from Lua over many keys)", async () => {
    await freshWindow(60_000, 5_000);
    const p = prefix("fw-reset");
    const rl = new Ratelimit({ redis, prefix: p, limiter: Ratelimit.fixedWindow(5, "60 s"), ephemeralCache: false });
    // Enough unrelated keys that the script's SCAN loop needs several cursors.
    const filler = redis.pipeline();
    for (let i = 0; i < 500; i++) filler.set(`${p}:other${i}:1`, 1);
    await filler.exec();
    await burst(rl, "u", 3);
    await burst(rl, "v", 2);
    assert.equal((await rl.getRemaining("u")).remaining, 2);
    await rl.resetUsedTokens("u");
    assert.equal((await rl.getRemaining("u")).remaining, 5);
    assert.equal((await rl.getRemaining("v")).remaining, 3, "another identifier kept its count");
    assert.equal((await redis.keys(`${p}:other*`)).length, 500);
    assert.deepEqual(await redis.scriptExists(HASH.reset), [1]);
    assert.equal((await burst(rl, "u", 6)).ok.length, 5);
  });
});

describe("slidingWindow", () => {
  test("N parallel limit() calls on one identifier allow exactly the limit", async () => {
    await freshWindow(60_000, 5_000);
    const p = prefix("sw");
    const rl = new Ratelimit({ redis, prefix: p, limiter: Ratelimit.slidingWindow(10, "60 s"), ephemeralCache: false });
    const { ok } = await burst(rl, "u", 40);
    assert.equal(ok.length, 10);
    assert.deepEqual(ok.map((r) => r.remaining).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Rejected calls do not count (the script returns before INCRBY).
    const bucket = Math.floor(Date.now() / 60_000);
    assert.equal(await redis.get(`${p}:u:${bucket}`), 10);
    const pttl = await redis.pttl(`${p}:u:${bucket}`);
    assert.ok(pttl > 60_000 && pttl <= 121_000, `pttl ${pttl}`);
    assert.equal((await rl.getRemaining("u")).remaining, 0);
    assert.equal((await rl.getRemaining("other")).remaining, 10);
    assert.deepEqual(await redis.scriptExists(HASH.slidingLimit, HASH.slidingRemaining), [1, 1]);
  });

  test("the previous window is weighted, then forgotten", async () => {
    const rl = new Ratelimit({ redis, prefix: prefix("sw-exp"), limiter: Ratelimit.slidingWindow(4, "1 s"), ephemeralCache: false });
    await freshWindow(1000, 800); // start near the beginning of a window
    const w0 = Math.floor(Date.now() / 1000);
    assert.equal((await burst(rl, "u", 6)).ok.length, 4);
    // Early in the next window most of the previous one still counts.
    await sleep((w0 + 1) * 1000 - Date.now() + 20);
    const r1 = await rl.getRemaining("u");
    assert.ok(r1.remaining < 4, `remaining ${r1.remaining} early in the next window`);
    // Two windows later nothing of it is left.
    await sleep((w0 + 2) * 1000 - Date.now() + 20);
    assert.equal((await rl.getRemaining("u")).remaining, 4);
    assert.equal((await burst(rl, "u", 6)).ok.length, 4);
  });

  test("resetUsedTokens", async () => {
    const rl = new Ratelimit({ redis, prefix: prefix("sw-reset"), limiter: Ratelimit.slidingWindow(3, "60 s") });
    await freshWindow(60_000, 5_000);
    assert.equal((await burst(rl, "u", 5)).ok.length, 3);
    await rl.resetUsedTokens("u"); // also clears the ephemeral cache's block
    const r = await rl.limit("u");
    assert.equal(r.success, true);
    assert.equal(r.remaining, 2);
  });
});

describe("tokenBucket", () => {
  test("exactly maxTokens in a burst, then refillRate per interval", async () => {
    const p = prefix("tb");
    const rl = new Ratelimit({ redis, prefix: p, limiter: Ratelimit.tokenBucket(2, "1 s", 5), ephemeralCache: false });
    const first = await burst(rl, "u", 20);
    assert.equal(first.ok.length, 5);
    assert.deepEqual(first.ok.map((r) => r.remaining).sort(), [0, 1, 2, 3, 4]);
    const fields = await redis.hgetall(`${p}:u`);
    assert.equal(fields.tokens, 0);
    assert.equal(typeof fields.refilledAt, "number");
    assert.deepEqual(await redis.scriptExists(HASH.bucketLimit), [1]);
    const rem = await rl.getRemaining("u");
    assert.equal(rem.remaining, 0);
    assert.equal(rem.reset, fields.refilledAt + 1000);
    // After one interval exactly refillRate tokens came back.
    await sleep(Math.max(0, rem.reset - Date.now()) + 50);
    assert.equal((await burst(rl, "u", 10)).ok.length, 2);
    assert.equal((await rl.getRemaining("fresh")).remaining, 5);
  });

  test("distinct identifiers and resetUsedTokens", async () => {
    const rl = new Ratelimit({ redis, prefix: prefix("tb-reset"), limiter: Ratelimit.tokenBucket(1, "60 s", 3), ephemeralCache: false });
    const [a, b] = await Promise.all([burst(rl, "a", 5), burst(rl, "b", 5)]);
    assert.deepEqual([a.ok.length, b.ok.length], [3, 3]);
    await rl.resetUsedTokens("a");
    assert.equal((await rl.getRemaining("a")).remaining, 3);
    assert.equal((await rl.getRemaining("b")).remaining, 0);
    assert.equal((await burst(rl, "a", 5)).ok.length, 3);
  });
});

describe("rate: several tokens per call, negative rates refund", () => {
  for (const [name, limiter] of [
    ["fixedWindow", () => Ratelimit.fixedWindow(10, "60 s")],
    ["slidingWindow", () => Ratelimit.slidingWindow(10, "60 s")],
    ["tokenBucket", () => Ratelimit.tokenBucket(1, "60 s", 10)],
  ]) {
    test(name, async () => {
      await freshWindow(60_000, 5_000);
      const rl = new Ratelimit({ redis, prefix: prefix(`rate-${name}`), limiter: limiter(), ephemeralCache: false });
      const a = await rl.limit("u", { rate: 7 });
      assert.deepEqual([a.success, a.remaining], [true, 3]);
      const b = await rl.limit("u", { rate: 4 });
      assert.equal(b.success, false);
      // Refund 5. The windows counted the refused 4 as well (the sliding window
      // checks only the count before the call, then INCRBYs); the token bucket did not.
      const c = await rl.limit("u", { rate: -5 });
      assert.equal(c.success, true);
      const left = (await rl.getRemaining("u")).remaining;
      assert.equal(left, name === "tokenBucket" ? 8 : 4);
      assert.equal((await burst(rl, "u", left + 3)).ok.length, left);
    });
  }
});

describe("cachedFixedWindow (ephemeral cache)", () => {
  test("N parallel calls allow exactly the limit; later calls are answered from the cache", async () => {
    await freshWindow(60_000, 5_000);
    const p = prefix("cfw");
    const cache = new Map();
    const rl = new Ratelimit({ redis, prefix: p, limiter: Ratelimit.cachedFixedWindow(5, "60 s"), ephemeralCache: cache });
    // All miss the local cache, so all reach the server: exactly 5 pass.
    const first = await burst(rl, "u", 12);
    assert.equal(first.ok.length, 5);
    const bucket = Math.floor(Date.now() / 60_000);
    const key = `${p}:u:${bucket}`;
    assert.equal(await redis.get(key), 12);
    // The script guards PEXPIRE with `r == incrementBy` (number vs string ARGV):
    // never true in Lua 5.1, so this key has no TTL, exactly as on Redis.
    assert.equal(await redis.pttl(key), -1);
    assert.deepEqual(await redis.scriptExists(HASH.cachedLimit), [1]);
    // Now the cache holds the count: a denied call does not reach the server.
    const denied = await rl.limit("u");
    assert.equal(denied.success, false);
    await denied.pending;
    assert.equal(await redis.get(key), 12);
    assert.equal((await rl.getRemaining("u")).remaining, 0);
    // Another process (empty cache) reads the count from the server.
    const other = new Ratelimit({ redis, prefix: p, limiter: Ratelimit.cachedFixedWindow(5, "60 s"), ephemeralCache: new Map() });
    assert.equal((await other.getRemaining("u")).remaining, 0);
    assert.equal((await other.getRemaining("fresh")).remaining, 5);
    assert.deepEqual(await redis.scriptExists(HASH.cachedRemaining), [1]);
  });

  test("cache hits update the server in the background (pending)", async () => {
    await freshWindow(60_000, 5_000);
    const p = prefix("cfw-seq");
    const rl = new Ratelimit({ redis, prefix: p, limiter: Ratelimit.cachedFixedWindow(4, "60 s"), ephemeralCache: new Map() });
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await rl.limit("u"));
    assert.deepEqual(results.map((r) => r.success), [true, true, true, true, false, false]);
    await Promise.all(results.map((r) => r.pending));
    const bucket = Math.floor(Date.now() / 60_000);
    assert.equal(await redis.get(`${p}:u:${bucket}`), 4);
    await rl.resetUsedTokens("u");
    assert.equal(await redis.get(`${p}:u:${bucket}`), null);
    assert.equal((await rl.limit("u")).success, true);
  });
});

describe("blockUntilReady", () => {
  test("waits for the next window and then succeeds", async () => {
    const rl = new Ratelimit({ redis, prefix: prefix("bur"), limiter: Ratelimit.fixedWindow(1, "1 s") });
    await freshWindow(1000, 300);
    assert.equal((await rl.limit("u")).success, true);
    const t0 = Date.now();
    const r = await rl.blockUntilReady("u", 3000);
    const waited = Date.now() - t0;
    assert.equal(r.success, true);
    assert.ok(waited > 0 && waited < 2500, `waited ${waited} ms`);
  });

  test("gives up at its deadline while the window is full", async () => {
    const rl = new Ratelimit({ redis, prefix: prefix("bur-to"), limiter: Ratelimit.fixedWindow(1, "60 s") });
    await freshWindow(60_000, 5_000);
    assert.equal((await rl.limit("u")).success, true);
    const t0 = Date.now();
    const r = await rl.blockUntilReady("u", 300);
    const waited = Date.now() - t0;
    assert.equal(r.success, false);
    assert.ok(waited >= 290 && waited < 2000, `waited ${waited} ms`);
  });
});

describe("dynamic limits", () => {
  // left: what getRemaining says after 8 calls under limit 3 once the limit is 10
  // again (fixedWindow counts refused calls too, slidingWindow does not, and the
  // token bucket stored 0 tokens).
  for (const [name, limiter, left] of [
    ["fixedWindow", () => Ratelimit.fixedWindow(10, "60 s"), 2],
    ["slidingWindow", () => Ratelimit.slidingWindow(10, "60 s"), 7],
    ["tokenBucket", () => Ratelimit.tokenBucket(1, "60 s", 10), 0],
  ]) {
    test(`${name}: setDynamicLimit overrides the configured limit, false restores it`, async () => {
      await freshWindow(60_000, 5_000);
      const p = prefix(`dyn-${name}`);
      const rl = new Ratelimit({ redis, prefix: p, limiter: limiter(), ephemeralCache: false, dynamicLimits: true });
      assert.deepEqual(await rl.getDynamicLimit(), { dynamicLimit: null });
      await rl.setDynamicLimit({ limit: 3 });
      assert.deepEqual(await rl.getDynamicLimit(), { dynamicLimit: 3 });
      assert.equal(await redis.get(`${p}:dynamic:global`), 3);
      const { ok, res } = await burst(rl, "u", 8);
      assert.equal(ok.length, 3);
      for (const r of res) assert.equal(r.limit, 3);
      assert.equal((await rl.getRemaining("u")).limit, 3);
      const v = await rl.getRemaining("v");
      assert.deepEqual([v.remaining, v.limit], [3, 3]);
      await rl.setDynamicLimit({ limit: false });
      assert.deepEqual(await rl.getDynamicLimit(), { dynamicLimit: null });
      const rem = await rl.getRemaining("u");
      assert.equal(rem.limit, 10);
      assert.equal(rem.remaining, left);
    });
  }
});

describe("multi-region limiters across two Larder instances", () => {
  let second;
  let redis2;
  before(async () => {
    second = await startLarder();
    redis2 = client(second.url);
  });
  after(async () => {
    await second?.stop();
  });

  test("fixedWindow: the limit holds across regions and both regions converge", async () => {
    await freshWindow(60_000, 5_000);
    const p = prefix("mr-fw");
    const rl = new MultiRegionRatelimit({ redis: [redis, redis2], prefix: p, limiter: MultiRegionRatelimit.fixedWindow(4, "60 s") });
    const results = [];
    for (let i = 0; i < 6; i++) {
      const r = await rl.limit("u");
      await r.pending;
      results.push(r);
    }
    assert.deepEqual(results.map((r) => r.success), [true, true, true, true, false, false]);
    assert.deepEqual(results.slice(0, 4).map((r) => r.remaining), [3, 2, 1, 0]);
    const key = `${p}:u:${Math.floor(Date.now() / 60_000)}`;
    // The 6th call is answered by the ephemeral cache (on by default) without a
    // request; every other one is a field (request id → rate) on both servers.
    assert.equal(results[5].reason, "cacheBlock");
    assert.equal(await redis.hlen(key), 5);
    assert.equal(await redis2.hlen(key), 5);
    const pttl = await redis2.pttl(key);
    assert.ok(pttl > 0 && pttl <= 60_000, `pttl ${pttl}`);
    assert.equal((await rl.getRemaining("u")).remaining, 0);
    assert.equal((await rl.getRemaining("v")).remaining, 4);
    assert.deepEqual(await redis2.scriptExists(HASH.mrFixedLimit), [1]);
  });

  test("fixedWindow: a request only one region saw is copied to the other (sync)", async () => {
    await freshWindow(60_000, 5_000);
    const p = prefix("mr-sync");
    const rl = new MultiRegionRatelimit({ redis: [redis, redis2], prefix: p, limiter: MultiRegionRatelimit.fixedWindow(10, "60 s") });
    const key = `${p}:u:${Math.floor(Date.now() / 60_000)}`;
    await redis.hset(key, { onlyInRegionOne: 1 });
    const r = await rl.limit("u");
    assert.equal(r.success, true);
    await r.pending;
    assert.equal(await redis2.hget(key, "onlyInRegionOne"), 1);
    assert.equal(await redis.hlen(key), 2);
    assert.equal(await redis2.hlen(key), 2);
  });

  test("slidingWindow: limit, getRemaining, resetUsedTokens", async () => {
    await freshWindow(60_000, 5_000);
    const p = prefix("mr-sw");
    const rl = new MultiRegionRatelimit({ redis: [redis, redis2], prefix: p, limiter: MultiRegionRatelimit.slidingWindow(3, "60 s") });
    const results = [];
    for (let i = 0; i < 5; i++) {
      const r = await rl.limit("u");
      await r.pending;
      results.push(r);
    }
    // The script's `{current, previous, false}` reaches the client as null: denied.
    assert.deepEqual(results.map((r) => r.success), [true, true, true, false, false]);
    const key = `${p}:u:${Math.floor(Date.now() / 60_000)}`;
    assert.equal(await redis.hlen(key), 3, "denied requests are not recorded");
    assert.equal(await redis2.hlen(key), 3);
    assert.equal((await rl.getRemaining("u")).remaining, 0);
    assert.deepEqual(await redis.scriptExists(HASH.mrSlidingLimit), [1]);
    // Multi-region resetUsedTokens fires its scripts without awaiting them:
    // poll, with a bound, until both regions dropped the key.
    await rl.resetUsedTokens("u");
    const deadline = Date.now() + 3000;
    while ((await redis.exists(key)) + (await redis2.exists(key)) > 0 && Date.now() < deadline) await sleep(20);
    assert.equal(await redis.exists(key), 0);
    assert.equal(await redis2.exists(key), 0);
    assert.equal((await rl.getRemaining("u")).remaining, 3);
  });
});

describe("mixed load", () => {
  test("every limiter, dynamic limits, analytics, deny lists and resets at once: no errors, no timeouts", async () => {
    // Key-locked limiter scripts (1–3 shards each) interleave with unflagged
    // scripts that take the whole db (deny list, reset): a lock-order bug shows
    // here as a timeout.
    const p = prefix("mixed");
    await IpDenyList.disableIpDenyList(redis, p);
    const mk = (limiter) => new Ratelimit({
      redis, prefix: p, limiter, ephemeralCache: false, dynamicLimits: true, analytics: true,
      enableProtection: true, timeout: 10_000,
    });
    const rls = [mk(Ratelimit.slidingWindow(50, "2 s")), mk(Ratelimit.fixedWindow(50, "2 s")), mk(Ratelimit.tokenBucket(10, "1 s", 50))];
    await rls[0].setDynamicLimit({ limit: 30 });
    const end = Date.now() + 2000;
    const stats = { calls: 0, timeouts: 0, errors: [] };
    let n = 0;
    const worker = async () => {
      while (Date.now() < end) {
        const i = n++;
        const rl = rls[i % 3];
        const id = `id${i % 200}`;
        try {
          if (i % 97 === 0) await rl.resetUsedTokens(id);
          else if (i % 131 === 0) await rl.getRemaining(id);
          else {
            const r = await rl.limit(id, { ip: `10.0.${i % 7}.1` });
            await r.pending;
            stats.calls++;
            if (r.reason === "timeout") stats.timeouts++;
          }
        } catch (err) {
          stats.errors.push(String(err));
        }
      }
    };
    await Promise.all(Array.from({ length: 100 }, worker));
    assert.deepEqual(stats.errors.slice(0, 3), []);
    assert.equal(stats.timeouts, 0);
    assert.ok(stats.calls > 100, `only ${stats.calls} calls`);
  });
});

describe("analytics: true", () => {
  test("limit() records events and the package's Analytics API reads them back", async () => {
    await freshWindow(60_000, 5_000);
    const p = prefix("an");
    const rl = new Ratelimit({ redis, prefix: p, limiter: Ratelimit.fixedWindow(2, "60 s"), ephemeralCache: false, analytics: true });
    // u1: 2 allowed, 2 blocked; u2 (non-ASCII, through base64 replies): 1 allowed.
    const u2 = "ü2✓";
    for (const id of ["u1", "u1", "u1", "u1", u2]) {
      const r = await rl.limit(id);
      await r.pending;
    }
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const events = await redis.zrange(`${p}:events:${hour}`, 0, -1, { withScores: true });
    assert.equal(events.length, 6, JSON.stringify(events));

    const analytics = new Analytics({ redis, prefix: p });
    // getUsage: a Lua script building 256 hourly keys itself, ZUNION … WITHSCORES.
    assert.deepEqual(await analytics.getUsage(), {
      u1: { success: 2, blocked: 2 },
      [u2]: { success: 1, blocked: 0 },
    });
    // getUsageOverTime: pipelined EVALs, ZRANGE WITHSCORES + cjson.decode in Lua.
    const byId = await analytics.getUsageOverTime(3, "identifier");
    assert.equal(byId.length, 3);
    assert.deepEqual(byId[0], { time: hour, identifier: { u1: 4, [u2]: 1 } });
    assert.deepEqual(byId[1], { time: hour - 3_600_000 });
    const bySuccess = await analytics.getUsageOverTime(1, "success");
    assert.deepEqual(bySuccess, [{ time: hour, success: { true: 3, false: 2 } }]);
    // getMostAllowedBlocked: the ZUNION script with string.find over members.
    const most = await analytics.getMostAllowedBlocked(2, 5);
    assert.deepEqual(
      { allowed: most.allowed.sort((a, b) => b.count - a.count), ratelimited: most.ratelimited, denied: most.denied },
      { allowed: [{ identifier: "u1", count: 2 }, { identifier: u2, count: 1 }], ratelimited: [{ identifier: "u1", count: 2 }], denied: [] },
    );
    // The limiter's own handle answers the same.
    assert.deepEqual(await rl.analytics.getUsage(Date.now() - 3_600_000), await analytics.getUsage(Date.now() - 3_600_000));
  });
});

describe("enableProtection (deny lists)", () => {
  test("the IP list download fails offline; the limiter still works and does not retry while the status is pending", async () => {
    await freshWindow(60_000, 5_000);
    const p = prefix("dl-off");
    const rl = new Ratelimit({ redis, prefix: p, limiter: Ratelimit.fixedWindow(2, "60 s"), ephemeralCache: false, enableProtection: true });
    ipListBody = null;
    const before = ipListRequests;
    const r1 = await rl.limit("u", { ip: "10.0.0.1" });
    assert.equal(r1.success, true);
    assert.equal(r1.remaining, 1);
    // The failed refresh lands in `pending`: the caller sees it there and nowhere else.
    await assert.rejects(r1.pending, /Failed to fetch ip deny list/);
    assert.equal(ipListRequests, before + 1);
    const status = `${p}:ipDenyListStatus`;
    assert.equal(await redis.get(status), "pending");
    const ttl = await redis.ttl(status);
    assert.ok(ttl > 0 && ttl <= 30, `ttl ${ttl}`);
    // While `pending` lives no further download is tried, and limits still count.
    const r2 = await rl.limit("u", { ip: "10.0.0.1" });
    await r2.pending;
    const r3 = await rl.limit("u", { ip: "10.0.0.1" });
    await r3.pending;
    assert.deepEqual([r2.success, r3.success], [true, false]);
    assert.equal(ipListRequests, before + 1);
  });

  test("deny-listed identifier, user agent and country are refused with reason denyList", async () => {
    await freshWindow(60_000, 5_000);
    const p = prefix("dl");
    const rl = new Ratelimit({ redis, prefix: p, limiter: Ratelimit.fixedWindow(100, "60 s"), ephemeralCache: false, enableProtection: true, analytics: true });
    // Status "disabled" (no TTL): the package does not try to download.
    await IpDenyList.disableIpDenyList(redis, p);
    assert.equal(await redis.ttl(`${p}:ipDenyListStatus`), -1);
    const tag = `${p}-${Date.now()}`; // the package caches denied values process-wide
    await redis.sadd(`${p}:denyList:all`, `bad-${tag}`, `agent-${tag}`, `country-${tag}`);
    const before = ipListRequests;

    const denied = await rl.limit(`bad-${tag}`);
    await denied.pending;
    assert.equal(denied.success, false);
    assert.equal(denied.reason, "denyList");
    assert.equal(denied.deniedValue, `bad-${tag}`);

    const ua = await rl.limit("good", { userAgent: `agent-${tag}` });
    await ua.pending;
    assert.deepEqual([ua.success, ua.reason, ua.deniedValue], [false, "denyList", `agent-${tag}`]);
    const country = await rl.limit("good2", { country: `country-${tag}`, ip: "10.1.1.1" });
    await country.pending;
    assert.deepEqual([country.success, country.deniedValue], [false, `country-${tag}`]);

    const ok = await rl.limit("good3", { ip: "10.1.1.1", userAgent: "curl" });
    await ok.pending;
    assert.equal(ok.success, true);
    assert.equal(ok.reason, undefined);
    assert.equal(ipListRequests, before);
    // Analytics records denied values as "denied".
    const most = await new Analytics({ redis, prefix: p }).getMostAllowedBlocked(1, 10);
    assert.deepEqual(most.denied.map((d) => d.identifier).sort(), [`agent-${tag}`, `bad-${tag}`, `country-${tag}`]);
  });

  test("a downloaded IP list is stored through /multi-exec and denies its IPs", async () => {
    await freshWindow(60_000, 5_000);
    const p = prefix("dl-ip");
    const rl = new Ratelimit({ redis, prefix: p, limiter: Ratelimit.fixedWindow(100, "60 s"), ephemeralCache: false, enableProtection: true });
    const ip = `192.0.2.${(seq % 200) + 1}`;
    ipListBody = `${ip}\n198.51.100.7\n`;
    try {
      const first = await rl.limit("u", { ip: "203.0.113.1" });
      assert.equal(first.success, true);
      const [, txn] = await first.pending;
      assert.equal(txn.length, 6);
      assert.equal(await redis.get(`${p}:ipDenyListStatus`), "valid");
      assert.deepEqual((await redis.smembers(`${p}:denyList:ipDenyList`)).sort(), [ip, "198.51.100.7"].sort());
      const r = await rl.limit("u", { ip });
      await r.pending;
      assert.deepEqual([r.success, r.reason, r.deniedValue], [false, "denyList", ip]);
    } finally {
      ipListBody = null;
    }
  });
});
