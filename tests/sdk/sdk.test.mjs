// The real @upstash/redis against Larder (issue 5; UPSTASH-REST.md §19).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";
import { startLarder, TOKEN, RO_TOKEN } from "./larder.mjs";

let larder;
let redis;
const clients = [];
const client = (opts = {}) => {
  const c = new Redis({ url: larder.url, token: TOKEN, enableTelemetry: false, ...opts });
  clients.push(c);
  return c;
};

before(async () => {
  larder = await startLarder();
  redis = client();
});
after(async () => {
  await larder?.stop();
});

describe("values round-trip through auto-pipelining (§19.1)", () => {
  test("string, number, object, boolean, big-integer string", async () => {
    const values = {
      "rt:s": "hello", "rt:n": 42, "rt:o": { a: 1, b: [1, "x"] }, "rt:b": true,
      "rt:big": "101600000000150081467", "rt:f": 1.5, "rt:u": "héllo ✓",
    };
    const sets = await Promise.all(Object.entries(values).map(([k, v]) => redis.set(k, v)));
    assert.deepEqual(sets, Object.keys(values).map(() => "OK"));
    const got = await Promise.all(Object.keys(values).map((k) => redis.get(k)));
    assert.deepEqual(got, Object.values(values));
    assert.equal(await redis.get("rt:missing"), null);
  });
});

describe("script replies (§5.2, §19.4)", () => {
  test("a nested OK from a script is base64-encoded on the wire and decoded by the SDK", async () => {
    const script = "return {redis.call('SET', KEYS[1], ARGV[1]), redis.call('GET', KEYS[1]), 7}";
    assert.deepEqual(await redis.eval(script, ["sr:k"], ["v"]), ["OK", "v", 7]);
    const raw = await fetch(larder.url, {
      method: "POST",
      headers: { Authorization: `Bearer ${TOKEN}`, "Upstash-Encoding": "base64" },
      body: JSON.stringify(["EVAL", script, "1", "sr:k", "v"]),
    });
    assert.deepEqual(await raw.json(), { result: [Buffer.from("OK").toString("base64"), Buffer.from("v").toString("base64"), 7] });
  });
});

describe("explicit pipelines (§2.3, §19.2)", () => {
  test("keepErrors: the failing middle command has only an error", async () => {
    const p = redis.pipeline();
    p.set("pl:a", "x");
    p.incr("pl:a");
    p.get("pl:a");
    const res = await p.exec({ keepErrors: true });
    assert.equal(res.length, 3);
    assert.deepEqual(res[0], { result: "OK", error: undefined });
    assert.equal(res[1].result, undefined);
    assert.equal(res[1].error, "ERR value is not an integer or out of range");
    assert.deepEqual(res[2], { result: "x", error: undefined });
  });
  test("without keepErrors the pipeline throws the command's error", async () => {
    const p = redis.pipeline();
    p.set("pl:b", "x");
    p.incr("pl:b");
    await assert.rejects(p.exec(), /ERR value is not an integer or out of range/);
  });
});

describe("multi-exec (§2.4, §19.3)", () => {
  test("a runtime error stays in its slot", async () => {
    const tx = redis.multi();
    tx.set("tx:a", "x");
    tx.incr("tx:a");
    tx.get("tx:a");
    const res = await tx.exec({ keepErrors: true });
    assert.equal(res[0].result, "OK");
    assert.equal(res[1].error, "ERR value is not an integer or out of range");
    assert.equal(res[2].result, "x");
  });
  test("an unknown command discards the transaction", async () => {
    const tx = redis.multi();
    tx.set("tx:b", "x");
    tx.json.set("tx:json", "$", { f: "v" }); // no JSON module in Larder: unknown at queue time
    await assert.rejects(tx.exec(), /EXECABORT Transaction discarded because of previous errors/);
    assert.equal(await redis.exists("tx:b"), 0);
  });
  test("concurrent transactions do not interfere (SRH #25)", async () => {
    const runs = Array.from({ length: 20 }, (_, i) => redis.multi().set(`tx:c${i}`, i).incr(`tx:c${i}`).exec());
    const res = await Promise.all(runs);
    res.forEach((r) => assert.deepEqual(r, ["OK", (r[1])]));
    assert.deepEqual(res.map((r) => r[1]), Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe("tokens (§3, §19.5)", () => {
  test("a wrong token is a 401 the SDK reports", async () => {
    const bad = client({ token: "wrong" });
    await assert.rejects(bad.get("k"), /WRONGPASS invalid or missing auth token/);
  });
  test("the read-only token reads and cannot write", async () => {
    await redis.set("ro:k", "v");
    const ro = client({ token: RO_TOKEN });
    assert.equal(await ro.get("ro:k"), "v");
    await assert.rejects(ro.set("ro:k", "w"), /NOPERM this user has no permissions to run the 'set' command/);
    await assert.rejects(ro.keys("*"), /NOPERM/);
    // Scripts: read-only forms and no-writes scripts run; nothing a script
    // calls may exceed what the token could run itself.
    assert.equal(await ro.exec(["EVAL_RO", "return redis.call('get', KEYS[1])", "1", "ro:k"]), "v");
    assert.equal(await ro.exec(["EVAL", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "ro:k"]), "v");
    await assert.rejects(ro.exec(["EVAL", "return redis.call('get', KEYS[1])", "1", "ro:k"]), /NOPERM this user has no permissions to run the 'eval' command/);
    await assert.rejects(ro.exec(["EVAL_RO", "return redis.call('keys', '*')", "0"]), /NOPERM this user has no permissions to run the 'keys' command/);
    await assert.rejects(ro.exec(["EVAL_RO", "return redis.call('set', KEYS[1], 'w')", "1", "ro:k"]), /NOPERM this user has no permissions to run the 'set' command/);
    assert.equal(await redis.get("ro:k"), "v");
  });
});

describe("read-your-writes sync token (§9, §19.6)", () => {
  test("starts empty, changes after every write, accepts garbage", async () => {
    const c = client();
    assert.ok(!c.readYourWritesSyncToken, "empty before the first request");
    await c.set("sync:a", 1);
    const t1 = c.readYourWritesSyncToken;
    assert.ok(t1, "non-empty after a write");
    await c.set("sync:a", 2);
    const t2 = c.readYourWritesSyncToken;
    assert.notEqual(t2, t1);
    const p = c.pipeline();
    p.set("sync:b", 1);
    p.set("sync:c", 1);
    await p.exec();
    assert.notEqual(c.readYourWritesSyncToken, t2);
    c.readYourWritesSyncToken = "my-new-sync-token";
    assert.equal(await c.set("sync:d", 1), "OK");
    assert.notEqual(c.readYourWritesSyncToken, "my-new-sync-token");
  });
  test("readYourWrites:false neither sends nor updates it", async () => {
    const c = client({ readYourWrites: false });
    await c.set("sync:e", 1);
    assert.ok(!c.readYourWritesSyncToken, "not updated from the response");
  });
});

describe("encodings (§5.2, §5.4)", () => {
  test("responseEncoding:false", async () => {
    const c = client({ responseEncoding: false });
    await c.set("enc:a", { x: 1 });
    assert.deepEqual(await c.get("enc:a"), { x: 1 });
    assert.deepEqual(await c.mget("enc:a", "enc:none"), [{ x: 1 }, null]);
    assert.equal(await c.ping(), "PONG");
  });
  test("automaticDeserialization:false", async () => {
    const c = client({ automaticDeserialization: false });
    await c.set("enc:b", 42);
    assert.equal(await c.get("enc:b"), "42");
    await c.hset("enc:h", { f: "1" });
    assert.deepEqual(await c.hgetall("enc:h"), ["f", "1"]);
  });
});
