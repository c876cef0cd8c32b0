// Every command family @upstash/redis exposes that Larder has, through the
// real SDK (issue 5). Expected values are Redis 7 semantics as the SDK
// deserializes them (UPSTASH-REST.md §5.4).
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

test("strings", async () => {
  assert.equal(await redis.set("s", "hello"), "OK");
  assert.equal(await redis.append("s", " world"), 11);
  assert.equal(await redis.strlen("s"), 11);
  assert.equal(await redis.getrange("s", 0, 4), "hello");
  assert.equal(await redis.setrange("s", 6, "there"), 11);
  assert.equal(await redis.getset("s", "new"), "hello there");
  assert.equal(await redis.getdel("s"), "new");
  assert.equal(await redis.incr("c"), 1);
  assert.equal(await redis.incrby("c", 10), 11);
  assert.equal(await redis.decr("c"), 10);
  assert.equal(await redis.decrby("c", 5), 5);
  assert.equal(await redis.incrbyfloat("c", 0.5), 5.5);
  assert.equal(await redis.mset({ m1: "a", m2: 2 }), "OK");
  assert.deepEqual(await redis.mget("m1", "m2", "m3"), ["a", 2, null]);
  assert.equal(await redis.msetnx({ m1: "x", m4: "y" }), 0);
  assert.equal(await redis.setnx("m1", "x"), 0);
  assert.equal(await redis.setex("ex", 100, "v"), "OK");
  assert.equal(await redis.psetex("pex", 100000, "v"), "OK");
  assert.equal(await redis.ttl("ex"), 100);
  assert.equal(await redis.getex("ex", { persist: true }), "v");
  assert.equal(await redis.ttl("ex"), -1);
  assert.equal(await redis.set("opt", "v", { nx: true, px: 10000 }), "OK");
  assert.equal(await redis.set("opt", "w", { nx: true }), null);
  assert.equal(await redis.set("opt", "w", { xx: true, get: true, keepTtl: true }), "v");
});

test("keys", async () => {
  await redis.mset({ k1: 1, k2: 2 });
  assert.equal(await redis.exists("k1", "k2", "nope"), 2);
  assert.equal(await redis.copy("k1", "k3"), "COPIED");
  assert.equal(await redis.type("k3"), "string");
  assert.equal(await redis.expire("k1", 100), 1);
  assert.equal(await redis.pexpire("k2", 100000), 1);
  assert.ok((await redis.pttl("k2")) > 90000);
  assert.equal(await redis.persist("k1"), 1);
  assert.equal(await redis.expireat("k3", Math.floor(Date.now() / 1000) + 100), 1);
  assert.equal(await redis.pexpireat("k3", Date.now() + 100000), 1);
  assert.equal(await redis.rename("k3", "k4"), "OK");
  assert.equal(await redis.renamenx("k4", "k1"), 0);
  assert.equal(await redis.touch("k1", "k4"), 2);
  assert.deepEqual((await redis.keys("k*")).sort(), ["k1", "k2", "k4"]);
  const seen = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, { match: "k*", count: 1000 });
    seen.push(...keys);
    cursor = String(next);
  } while (cursor !== "0");
  assert.deepEqual(seen.sort(), ["k1", "k2", "k4"]);
  assert.ok(typeof (await redis.randomkey()) === "string");
  assert.equal(await redis.unlink("k4"), 1);
  assert.equal(await redis.del("k1", "k2"), 2);
});

test("server and connection", async () => {
  assert.equal(await redis.ping(), "PONG");
  assert.equal(await redis.echo("hi"), "hi");
  const [secs, micros] = await redis.time();
  assert.ok(secs > 1_700_000_000 && micros >= 0);
  await redis.set("srv", 1);
  assert.ok((await redis.dbsize()) >= 1);
  assert.equal(await redis.flushdb(), "OK");
  assert.equal(await redis.dbsize(), 0);
  assert.equal(await redis.flushall(), "OK");
});

test("hashes", async () => {
  assert.equal(await redis.hset("h", { a: 1, b: "x", c: { d: 1 } }), 3);
  assert.equal(await redis.hget("h", "a"), 1);
  assert.deepEqual(await redis.hgetall("h"), { a: 1, b: "x", c: { d: 1 } });
  assert.deepEqual(await redis.hmget("h", "a", "b"), { a: 1, b: "x" });
  assert.equal(await redis.hexists("h", "a"), 1);
  assert.equal(await redis.hlen("h"), 3);
  assert.deepEqual((await redis.hkeys("h")).sort(), ["a", "b", "c"]);
  assert.equal((await redis.hvals("h")).length, 3);
  assert.equal(await redis.hincrby("h", "a", 2), 3);
  assert.equal(await redis.hincrbyfloat("h", "a", 0.5), 3.5);
  assert.equal(await redis.hsetnx("h", "a", 9), 0);
  assert.equal(await redis.hstrlen("h", "b"), 1);
  assert.equal(await redis.hmset("h", { e: 5 }), "OK");
  assert.ok(["a", "b", "c", "e"].includes(await redis.hrandfield("h")));
  const [cursor, fields] = await redis.hscan("h", 0, { count: 100 });
  assert.equal(String(cursor), "0");
  assert.equal(fields.length, 8);
  assert.deepEqual(await redis.hexpire("h", "e", 100), [1]);
  assert.deepEqual(await redis.httl("h", "e"), [100]);
  assert.deepEqual(await redis.hpersist("h", "e"), [1]);
  assert.equal(await redis.hdel("h", "a", "b"), 2);
  assert.deepEqual(await redis.hgetall("missing"), null);
});

test("lists", async () => {
  assert.equal(await redis.rpush("l", "a", "b", "c"), 3);
  assert.equal(await redis.lpush("l", "z"), 4);
  assert.deepEqual(await redis.lrange("l", 0, -1), ["z", "a", "b", "c"]);
  assert.equal(await redis.llen("l"), 4);
  assert.equal(await redis.lindex("l", 1), "a");
  assert.equal(await redis.linsert("l", "before", "b", "ab"), 5);
  assert.equal(await redis.lpos("l", "b"), 3);
  assert.equal(await redis.lset("l", 0, "y"), "OK");
  assert.equal(await redis.lrem("l", 1, "ab"), 1);
  assert.equal(await redis.ltrim("l", 0, 2), "OK");
  assert.equal(await redis.lpop("l"), "y");
  assert.equal(await redis.rpop("l"), "b");
  assert.equal(await redis.lpushx("l", "p"), 2);
  assert.equal(await redis.rpushx("nol", "p"), 0);
  assert.equal(await redis.lmove("l", "l2", "left", "right"), "p");
  assert.deepEqual(await redis.lmpop(2, ["nol", "l"], "LEFT"), ["l", ["a"]]);
});

test("sets", async () => {
  assert.equal(await redis.sadd("s1", "a", "b", "c"), 3);
  await redis.sadd("s2", "b", "c", "d");
  assert.equal(await redis.scard("s1"), 3);
  assert.equal(await redis.sismember("s1", "a"), 1);
  assert.deepEqual(await redis.smismember("s1", ["a", "d"]), [1, 0]);
  assert.deepEqual((await redis.smembers("s1")).sort(), ["a", "b", "c"]);
  assert.deepEqual((await redis.sinter("s1", "s2")).sort(), ["b", "c"]);
  assert.deepEqual((await redis.sunion("s1", "s2")).sort(), ["a", "b", "c", "d"]);
  assert.deepEqual(await redis.sdiff("s1", "s2"), ["a"]);
  assert.equal(await redis.sinterstore("si", "s1", "s2"), 2);
  assert.equal(await redis.sunionstore("su", "s1", "s2"), 4);
  assert.equal(await redis.sdiffstore("sd", "s1", "s2"), 1);
  assert.equal(await redis.sintercard(["s1", "s2"]), 2);
  assert.equal(await redis.smove("s1", "s2", "a"), 1);
  assert.equal(await redis.srem("s2", "a"), 1);
  assert.ok(["b", "c"].includes(await redis.srandmember("s1")));
  assert.ok(["b", "c"].includes(await redis.spop("s1")));
  const [cursor, members] = await redis.sscan("s2", 0);
  assert.equal(String(cursor), "0");
  assert.deepEqual(members.sort(), ["b", "c", "d"]);
});

test("sorted sets", async () => {
  assert.equal(await redis.zadd("z", { score: 1, member: "a" }, { score: 2, member: "b" }, { score: 3, member: "c" }), 3);
  assert.equal(await redis.zadd("z", { gt: true, ch: true }, { score: 5, member: "a" }), 1);
  assert.equal(await redis.zadd("z", { incr: true }, { score: 1, member: "b" }), 3);
  assert.equal(await redis.zcard("z"), 3);
  assert.equal(await redis.zcount("z", 3, 5), 3);
  assert.equal(await redis.zscore("z", "a"), 5);
  assert.deepEqual(await redis.zmscore("z", ["a", "nope"]), [5, null]);
  assert.deepEqual(await redis.zrange("z", 0, -1), ["b", "c", "a"]);
  assert.deepEqual(await redis.zrange("z", 0, -1, { withScores: true }), ["b", 3, "c", 3, "a", 5]);
  assert.deepEqual(await redis.zrange("z", 4, 10, { byScore: true }), ["a"]);
  assert.deepEqual(await redis.zrange("z", "+inf", "-inf", { byScore: true, rev: true, offset: 0, count: 1 }), ["a"]);
  assert.equal(await redis.zrank("z", "a"), 2);
  assert.equal(await redis.zrevrank("z", "a"), 0);
  assert.equal(await redis.zincrby("z", 2, "c"), 5);
  await redis.zadd("lex", { score: 0, member: "a" }, { score: 0, member: "b" }, { score: 0, member: "c" });
  assert.equal(await redis.zlexcount("lex", "[a", "[b"), 2);
  assert.equal(await redis.zremrangebylex("lex", "[a", "[a"), 1);
  assert.equal(await redis.zunionstore("zu", 2, ["z", "lex"]), 3);
  assert.equal(await redis.zinterstore("zi", 2, ["z", "zu"]), 3);
  assert.equal(await redis.zdiffstore("zd", 2, "zu", "z"), 0);
  assert.deepEqual(await redis.zunion(2, ["z", "lex"], { withScores: true }), ["b", 3, "a", 5, "c", 5]);
  assert.deepEqual(await redis.zpopmin("lex"), ["b", 0]);
  assert.deepEqual(await redis.zpopmax("z"), ["c", 5]);
  assert.equal(await redis.zrem("z", "b"), 1);
  assert.equal(await redis.zremrangebyrank("zu", 0, 0), 1);
  assert.equal(await redis.zremrangebyscore("zu", 5, 5), 2);
  const [cursor, members] = await redis.zscan("z", 0);
  assert.equal(String(cursor), "0");
  assert.deepEqual(members, ["a", 5]);
});

test("pub/sub publish and the escape hatch", async () => {
  assert.equal(await redis.publish("nobody", "x"), 0);
  assert.equal(await redis.exec(["SET", "raw", "1"]), "OK");
  assert.equal(await redis.exec(["GET", "raw"]), 1);
  await assert.rejects(redis.exec(["NOSUCH"]), /ERR unknown command 'NOSUCH'/);
});

test("Upstash dialect (UPSTASH-REST.md §15)", async () => {
  await redis.set("dia:k", "v");
  await redis.lpush("dia:l", "x");
  assert.equal(await redis.copy("dia:k", "dia:k"), "NOT_COPIED"); // Redis: ERR source and destination objects are the same
  const [cursor, keys] = await redis.scan(0, { match: "dia:*", count: 1000, withType: true });
  assert.equal(String(cursor), "0");
  assert.deepEqual(keys.sort((a, b) => a.key.localeCompare(b.key)), [{ key: "dia:k", type: "string" }, { key: "dia:l", type: "list" }]);
  assert.equal(await redis.exec(["BLPOP", "dia:empty", "0"]), null); // blocking commands answer at once over REST
  // FCALL_RO of a function without no-writes: runs while it reads, fails at a write.
  const lib = "#!lua name=dialib\n" +
    "redis.register_function('dia_rd', function(keys) return redis.call('get', keys[1]) end)\n" +
    "redis.register_function('dia_wr', function(keys) return redis.call('set', keys[1], 'x') end)";
  assert.equal(await redis.exec(["FUNCTION", "LOAD", "REPLACE", lib]), "dialib");
  assert.equal(await redis.exec(["FCALL_RO", "dia_rd", "1", "dia:k"]), "v");
  await assert.rejects(redis.exec(["FCALL_RO", "dia_wr", "1", "dia:k"]), /READONLY Write commands are not allowed from read-only scripts/);
  assert.equal(await redis.get("dia:k"), "v");
  assert.equal(await redis.unlink(), 0); // Redis: wrong number of arguments
  await redis.zadd("dia:z", { score: 1, member: "a" }, { score: 2, member: "b" }, { score: 3, member: "c" });
  assert.deepEqual(await redis.exec(["ZRANGE", "dia:z", "0", "-1", "LIMIT", "1", "1"]), ["b"]); // Redis: syntax error
  assert.equal(await redis.exec(["ACL", "RESTTOKEN", "default", TOKEN]), TOKEN); // Upstash extension (§3)
  await assert.rejects(redis.exec(["ACL", "RESTTOKEN", "default", "nope"]), /ERR Wrong password or user "default" does not exist/);
});
