#!/usr/bin/env node
// The start-up bundle's code cache (bundle-cli.mjs runs this in a fresh process of the same Node):
// compile and evaluate the bundle exactly as bin.cjs does, then start the daemon once — a throwaway
// config in a temporary directory, one master that refuses connections — and answer one PING, so the
// cache holds every function a start-up compiles, not only the bundle's top level. V8 writes into a
// code cache the bytecode of every function compiled so far; the ones left out are compiled from
// source at each start (docs/performance.md, "Start-up"). Should the start fail here (no loopback,
// say), the cache holds what was compiled until then — at least the top level — and this says so.
//
// usage: node scripts/warm-code-cache.mjs DIST/daemon-bundle.cjs DIST/bundle CACHE_FILE
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [daemonBundle, bundleDir, cacheFile] = process.argv.slice(2);
const { evaluateBundle } = await import(pathToFileURL(daemonBundle).href);
const { exports, script } = evaluateBundle(bundleDir);

/** A loopback port nothing listens on (free at the time of asking). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Send PING and wait for +PONG. */
function ping(port) {
  return new Promise((resolve, reject) => {
    const c = createConnection({ host: "127.0.0.1", port }, () => c.write("PING\r\n"));
    c.once("error", reject).once("data", (d) => {
      c.destroy();
      if (d.toString() === "+PONG\r\n") resolve();
      else reject(new Error(`PING answered ${JSON.stringify(d.toString())}`));
    });
  });
}

/** Save what V8 compiled so far and exit; `failure` is said, but the build goes on with this cache. */
function saveCache(failure) {
  if (failure !== undefined) process.stderr.write(`warm-code-cache: ${failure}; caching what was compiled until then\n`);
  writeFileSync(cacheFile, script.createCachedData());
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "vigil-code-cache-"));
setTimeout(() => saveCache("the daemon did not answer PING within 20 s"), 20_000);
try {
  const [port, masterPort] = [await freePort(), await freePort()];
  const config = join(dir, "sentinel.conf");
  writeFileSync(config, `port ${port}\nbind 127.0.0.1\nlogfile ${join(dir, "sentinel.log")}\nsentinel monitor warm-up 127.0.0.1 ${masterPort} 1\n`);
  const code = await exports.runDaemon(config, []);
  if (code !== -1) throw new Error(`the daemon exited with ${code}`);
  await ping(port);
  saveCache();
} catch (e) {
  saveCache(e.message);
}
