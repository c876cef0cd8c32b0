// The real @upstash/redis over https: Larder with --rest-tls yes and a
// certificate signed by a CA made here (openssl). Node reads
// NODE_EXTRA_CA_CERTS only at start-up, so the SDK runs in a child process.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startLarder, TOKEN } from "./larder.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
let larder;
let dir;

// makeCerts writes ca.crt and a server certificate for 127.0.0.1 into dir.
function makeCerts() {
  const ssl = (...args) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  ssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=larder-sdk-ca", "-days", "1");
  ssl("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(path.join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
  ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
    "-out", "server.crt", "-days", "1", "-extfile", "ext.cnf");
}

// sdk runs a few SDK calls in a child node; it resolves to their results,
// or rejects with the child's error output.
function sdk(env) {
  const script = `
    import { Redis } from "@upstash/redis";
    const r = new Redis({ url: process.env.URL, token: process.env.TOKEN, enableTelemetry: false, retry: false });
    await r.set("tls:k", { over: "https" });
    const out = [await r.get("tls:k"), await r.incr("tls:n"), await r.pipeline().incr("tls:n").get("tls:k").exec()];
    console.log(JSON.stringify(out));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", script],
      { cwd: here, env: { ...process.env, URL: larder.url, TOKEN, ...env }, timeout: 30000 },
      (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(JSON.parse(stdout))));
  });
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "larder-sdk-tls-"));
  makeCerts();
  larder = await startLarder(
    ["--rest-tls", "yes", "--tls-cert-file", path.join(dir, "server.crt"), "--tls-key-file", path.join(dir, "server.key")],
    { ca: readFileSync(path.join(dir, "ca.crt")) },
  );
});
after(async () => {
  await larder?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("@upstash/redis over https (rest-tls)", () => {
  test("the SDK works with the CA in NODE_EXTRA_CA_CERTS", async () => {
    assert.match(larder.url, /^https:\/\//);
    const out = await sdk({ NODE_EXTRA_CA_CERTS: path.join(dir, "ca.crt") });
    assert.deepEqual(out, [{ over: "https" }, 1, [2, { over: "https" }]]);
  });

  test("without the CA the SDK refuses the certificate", async () => {
    await assert.rejects(sdk({ NODE_EXTRA_CA_CERTS: "" }), /certificate|fetch failed/i);
  });
});
