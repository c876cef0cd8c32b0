// The real @upstash/lock (pinned in package-lock.json) against Larder over REST
// (issue 6; UPSTASH-REST.md §12): SET NX PX to acquire, EVAL of its Lua to
// release and extend.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";
import { Lock } from "@upstash/lock";
import { startLarder, TOKEN } from "./larder.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let larder;
let redis;
let seq = 0;
const lockId = (name) => `lock${++seq}:${name}`;
const noRetry = { attempts: 1, delay: 10 };

before(async () => {
  larder = await startLarder();
  redis = new Redis({ url: larder.url, token: TOKEN, enableTelemetry: false });
});
after(async () => {
  await larder?.stop();
});

describe("@upstash/lock", () => {
  test("acquire, status, release", async () => {
    const id = lockId("basic");
    const lock = new Lock({ id, redis, lease: 5000 });
    assert.equal(await lock.getStatus(), "FREE");
    assert.equal(await lock.acquire({ retry: noRetry }), true);
    assert.equal(await lock.getStatus(), "ACQUIRED");
    const pttl = await redis.pttl(id);
    assert.ok(pttl > 4000 && pttl <= 5000, `pttl ${pttl}`);
    assert.equal(typeof (await redis.get(id)), "string");
    assert.equal(await lock.release(), true);
    assert.equal(await redis.exists(id), 0);
    assert.equal(await lock.getStatus(), "FREE");
    assert.equal(await lock.release(), false, "a second release finds nothing to release");
  });

  test("a second acquirer is refused while the lock is held, and cannot release it", async () => {
    const id = lockId("held");
    const a = new Lock({ id, redis, lease: 5000 });
    const b = new Lock({ id, redis, lease: 5000 });
    assert.equal(await a.acquire(), true);
    const t0 = Date.now();
    assert.equal(await b.acquire({ retry: { attempts: 3, delay: 50 } }), false);
    assert.ok(Date.now() - t0 >= 140, "b retried with its delay");
    assert.equal(await b.getStatus(), "FREE");
    assert.equal(await b.release(), false, "b's release must not delete a's lock");
    assert.equal(await a.getStatus(), "ACQUIRED");
    assert.equal(await a.release(), true);
    assert.equal(await b.acquire({ retry: noRetry }), true);
    assert.equal(await b.release(), true);
  });

  test("exactly one of many parallel acquirers wins", async () => {
    const id = lockId("race");
    const locks = Array.from({ length: 20 }, () => new Lock({ id, redis, lease: 5000 }));
    const won = await Promise.all(locks.map((l) => l.acquire({ retry: noRetry })));
    assert.equal(won.filter(Boolean).length, 1);
    const winner = locks[won.indexOf(true)];
    assert.equal(await winner.release(), true);
  });

  test("a waiting acquirer gets the lock once it is released", async () => {
    const id = lockId("wait");
    const a = new Lock({ id, redis, lease: 5000 });
    const b = new Lock({ id, redis, lease: 5000 });
    assert.equal(await a.acquire(), true);
    const waiting = b.acquire({ retry: { attempts: 40, delay: 25 } });
    await sleep(150);
    assert.equal(await a.release(), true);
    assert.equal(await waiting, true);
    assert.equal(await b.getStatus(), "ACQUIRED");
    assert.equal(await b.release(), true);
  });

  test("extend by whole seconds lengthens the lease; only the holder can extend", async () => {
    const id = lockId("extend");
    const a = new Lock({ id, redis, lease: 3000 });
    const b = new Lock({ id, redis, lease: 3000 });
    assert.equal(await a.acquire(), true);
    const ttl0 = await redis.ttl(id);
    assert.ok(ttl0 >= 2 && ttl0 <= 3, `ttl ${ttl0}`);
    assert.equal(await a.extend(5000), true); // EXPIRE id ttl+5
    const ttl1 = await redis.ttl(id);
    assert.ok(ttl1 >= ttl0 + 4 && ttl1 <= ttl0 + 5, `ttl ${ttl0} → ${ttl1}`);
    assert.equal(await b.extend(5000), false);
    assert.equal(await redis.ttl(id), ttl1);
    assert.equal(await a.release(), true);
    assert.equal(await a.extend(1000), false, "a released lock cannot be extended");
  });

  test("extend by a fraction of a second fails as on Redis (EXPIRE with a non-integer)", async () => {
    // extend(ms) sends ms/1000; the script calls EXPIRE key <ttl + 1.5>, which
    // Redis refuses. UPSTASH-REST.md §10: mirror that.
    const id = lockId("extend-frac");
    const a = new Lock({ id, redis, lease: 3000 });
    assert.equal(await a.acquire(), true);
    const ttl0 = await redis.ttl(id);
    // Text as redis-server 7.0.15 answers the same EVAL (checked by hand).
    await assert.rejects(
      a.extend(1500),
      /ERR value is not an integer or out of range script: 459cfa2e6c93bad7aa427b850f346bf836b2002d, on @user_script:10\.$/,
    );
    assert.ok((await redis.ttl(id)) <= ttl0, "the failed extend changed nothing");
    assert.equal(await a.release(), true);
  });

  test("the lease expires: another acquirer gets the lock, the old holder loses it", async () => {
    const id = lockId("expiry");
    const a = new Lock({ id, redis, lease: 300 });
    const b = new Lock({ id, redis, lease: 5000 });
    assert.equal(await a.acquire(), true);
    assert.equal(await b.acquire({ retry: noRetry }), false);
    // Bounded wait for the lease to run out.
    const deadline = Date.now() + 3000;
    let got = false;
    while (!got && Date.now() < deadline) {
      got = await b.acquire({ retry: { attempts: 1, delay: 10 } });
      if (!got) await sleep(50);
    }
    assert.equal(got, true, "b never acquired the expired lock");
    assert.equal(await a.getStatus(), "FREE");
    assert.equal(await a.extend(1000), false);
    assert.equal(await a.release(), false, "a's late release must not free b's lock");
    assert.equal(await b.getStatus(), "ACQUIRED");
    assert.equal(await b.release(), true);
  });
});
