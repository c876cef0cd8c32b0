// Starts a Larder built from this tree on free loopback ports, for the SDK
// tests. Every process started here is killed by the returned stop().
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import https from "node:https";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const TOKEN = "sdk-standard-token";
export const RO_TOKEN = "sdk-readonly-token";

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// readyz answers the status of GET /readyz; over https it trusts ca.
function readyz(url, ca) {
  if (!ca) return fetch(`${url}/readyz`).then((res) => res.status);
  return new Promise((resolve, reject) => {
    https.get(`${url}/readyz`, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on("error", reject);
  });
}

async function waitReady(url, proc, ca) {
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`larder exited with ${proc.exitCode}`);
    try {
      if ((await readyz(url, ca)) === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("larder did not become ready");
}

// startLarder builds the binary into a temp dir and starts it; extra are
// more flags. With tls.ca (the CA's PEM) the REST API is served over https
// (extra must carry --rest-tls yes and the certificate files). It resolves
// to { url, tcpPort, pid, stop }.
export async function startLarder(extra = [], tls = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "larder-sdk-"));
  const bin = path.join(dir, "larder");
  execFileSync("go", ["build", "-o", bin, "./cmd/larder"], { cwd: root, stdio: "inherit" });
  const [tcpPort, restPort] = [await freePort(), await freePort()];
  const proc = spawn(bin, [
    "--port", String(tcpPort), "--bind", "127.0.0.1", "--dir", path.join(dir, "data"),
    "--rest-port", String(restPort), "--rest-token", TOKEN, "--rest-readonly-token", RO_TOKEN,
    "--loglevel", "warning", ...extra,
  ], { stdio: ["ignore", "ignore", "inherit"] });
  const url = `${tls.ca ? "https" : "http"}://127.0.0.1:${restPort}`;
  const stop = async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, proc, tls.ca);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, tcpPort, pid: proc.pid, stop };
}
