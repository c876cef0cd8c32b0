// The data-model families of issue 13 through the real @upstash/redis:
// streams, bitmaps and BITFIELD, HyperLogLog and geo. Expected values are
// Redis 7 semantics as the SDK deserializes them.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";
import { startLarder, TOKEN } from "./larder.mjs";

let larder;
let redis;
before(async () => {
  larder = await startLarder();
  // Without auto-pipelining: BITFIELD's builder (redis.bitfield(k).set(…))
  // is not reachable through the auto-pipeline proxy.
  redis = new Redis({ url: larder.url, token: TOKEN, enableTelemetry: false, enableAutoPipelining: false });
});
after(async () => {
  await larder?.stop();
});

test("streams", async () => {
  assert.equal(await redis.xadd("st", "1-1", { f: "one" }), "1-1");
  assert.equal(await redis.xadd("st", "2-1", { f: "two" }), "2-1");
  const auto = await redis.xadd("st", "*", { f: "three" });
  assert.match(auto, /^\d+-\d+$/);
  assert.equal(await redis.xlen("st"), 3);
  const range = await redis.xrange("st", "-", "2-1");
  assert.deepEqual(Object.keys(range), ["1-1", "2-1"]);
  assert.equal(range["2-1"].f, "two");
  assert.equal(await redis.xgroup("st", { type: "CREATE", group: "g", id: "0" }), "OK");
  const read = await redis.xreadgroup("g", "alice", "st", ">", { count: 2 });
  assert.equal(read[0][0], "st");
  assert.deepEqual(read[0][1].map((e) => e[0]), ["1-1", "2-1"]);
  assert.equal(await redis.xack("st", "g", "1-1"), 1);
  const claimed = await redis.xautoclaim("st", "g", "bob", 0, "0-0");
  assert.deepEqual(claimed[1].map((e) => e[0]), ["2-1"]);
  const plain = await redis.xread("st", "2-1");
  assert.equal(plain[0][1][0][0], auto);
  assert.equal(await redis.xtrim("st", { strategy: "MAXLEN", threshold: 1 }), 0); // "~" by default: whole nodes only
  assert.equal(await redis.xtrim("st", { strategy: "MAXLEN", exactness: "=", threshold: 1 }), 2);
  assert.equal(await redis.xlen("st"), 1);
});

test("bitmaps and BITFIELD", async () => {
  assert.equal(await redis.setbit("bm", 7, 1), 0);
  assert.equal(await redis.getbit("bm", 7), 1);
  assert.equal(await redis.bitcount("bm"), 1);
  assert.equal(await redis.bitpos("bm", 1), 7);
  await redis.setbit("bm2", 0, 1);
  assert.equal(await redis.bitop("or", "bmor", "bm", "bm2"), 1);
  assert.equal(await redis.bitcount("bmor"), 2);
  assert.deepEqual(await redis.bitfield("bf").set("u8", 0, 200).incrby("u8", 0, 100).get("u8", 0).exec(), [0, 44, 44]);
  assert.deepEqual(await redis.bitfield("bf").overflow("fail").incrby("u8", 0, 250).exec(), [null]);
});

test("HyperLogLog", async () => {
  assert.equal(await redis.pfadd("h1", "a", "b", "c"), 1);
  assert.equal(await redis.pfadd("h1", "a"), 0);
  assert.equal(await redis.pfadd("h2", "c", "d"), 1);
  assert.equal(await redis.pfcount("h1"), 3);
  assert.equal(await redis.pfcount("h1", "h2"), 4);
  assert.equal(await redis.pfmerge("h3", "h1", "h2"), "OK");
  assert.equal(await redis.pfcount("h3"), 4);
});

test("geo", async () => {
  assert.equal(
    await redis.geoadd("geo", { longitude: 13.361389, latitude: 38.115556, member: "Palermo" },
      { longitude: 15.087269, latitude: 37.502669, member: "Catania" }),
    2,
  );
  const dist = await redis.geodist("geo", "Palermo", "Catania", "KM");
  assert.equal(Math.round(dist), 166);
  const [pos] = await redis.geopos("geo", "Palermo");
  assert.ok(Math.abs(pos.lng - 13.361389) < 1e-5 && Math.abs(pos.lat - 38.115556) < 1e-5, JSON.stringify(pos));
  const found = await redis.geosearch("geo", { type: "FROMLONLAT", coordinate: { lon: 15, lat: 37 } },
    { type: "BYRADIUS", radius: 200, radiusType: "KM" }, "ASC");
  assert.deepEqual(found.map((f) => f.member), ["Catania", "Palermo"]);
  assert.equal(await redis.geosearchstore("near", "geo", { type: "FROMMEMBER", member: "Palermo" },
    { type: "BYRADIUS", radius: 10, radiusType: "KM" }, "ASC"), 1);
});
