// SSE subscriptions with the real SDK (UPSTASH-REST.md §2.5, §19.7).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";
import { startLarder, TOKEN } from "./larder.mjs";

let larder;
let redis;
before(async () => {
  larder = await startLarder();
  redis = new Redis({ url: larder.url, token: TOKEN, enableTelemetry: false });
});
after(async () => {
  await larder?.stop();
});

// next resolves with the next event of type on sub (bounded by the test
// runner's timeout, never by a sleep).
const next = (sub, type) => new Promise((resolve) => sub.on(type, resolve));

async function until(cond) {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail("condition never held");
}

const numsub = async (ch) => (await redis.exec(["PUBSUB", "NUMSUB", ch]))[1];

test("subscribe: channel with '/' and a space, JSON and text payloads, cleanup on unsubscribe", { timeout: 20000 }, async () => {
  const ch = "chat/room 1";
  const sub = redis.subscribe([ch]);
  const count = await next(sub, "subscribe");
  assert.equal(count, 1);
  const first = next(sub, "message");
  assert.equal(await redis.publish(ch, { hello: "world" }), 1);
  assert.deepEqual(await first, { channel: ch, message: { hello: "world" } });
  const second = next(sub, "message");
  await redis.publish(ch, "plain text");
  assert.deepEqual(await second, { channel: ch, message: "plain text" });
  assert.equal(await numsub(ch), 1);
  await sub.unsubscribe();
  await until(async () => (await numsub(ch)) === 0);
});

test("psubscribe: pattern messages, cleanup on unsubscribe", { timeout: 20000 }, async () => {
  const sub = redis.psubscribe(["news/*"]);
  assert.equal(await next(sub, "psubscribe"), 1);
  const msg = next(sub, "pmessage");
  assert.equal(await redis.publish("news/sport", { score: 3 }), 1);
  assert.deepEqual(await msg, { pattern: "news/*", channel: "news/sport", message: { score: 3 } });
  await sub.unsubscribe();
  await until(async () => (await redis.exec(["PUBSUB", "NUMPAT"])) === 0);
});
