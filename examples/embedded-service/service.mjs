// An application that embeds a Redis Sentinel instead of asking an external one where its master is.
// The sentinel runs in this process, takes part in the fleet like any redis-sentinel (peers ask it
// for votes on its RESP port), and the application's ioredis client follows the master with no
// Sentinel round trip.
//
// Run it from a built workspace (`npm run build`):
//   VIGIL_MASTER=127.0.0.1:6379 VIGIL_QUORUM=2 node examples/embedded-service/service.mjs
// Environment: VIGIL_MASTER (host:port, required), VIGIL_NAME (mymaster), VIGIL_QUORUM (2),
// VIGIL_PORT (RESP port for peers, 26390), HTTP_PORT (8080), STATE_FILE.
import { createServer } from "node:http";
import { createSentinel, followMaster } from "@vigil/transport-redis";

const name = process.env.VIGIL_NAME ?? "mymaster";
const [host, port] = (process.env.VIGIL_MASTER ?? "").split(":");
if (!host || !port) {
  console.error("VIGIL_MASTER=host:port is required");
  process.exit(1);
}
const sentinelPort = Number(process.env.VIGIL_PORT ?? 26390);
const httpPort = Number(process.env.HTTP_PORT ?? 8080);
const quorum = Number(process.env.VIGIL_QUORUM ?? 2);

// The embedded sentinel: its masters, where it keeps its votes, the port peers reach it on.
const sentinel = createSentinel({
  masters: [{ name, host, port: Number(port), quorum, downAfterMs: 1000, failoverTimeoutMs: 10000 }],
  store: process.env.STATE_FILE ?? `./vigil-embedded-${sentinelPort}.json`,
  port: sentinelPort,
});
let switches = 0;
// Typed events: `from` and `to` are { host, port }; a misspelt event name does not compile in TypeScript.
sentinel.on("+switch-master", ({ master, from, to }) => {
  switches++;
  console.log(`[app] master of ${master} moved from ${from.host}:${from.port} to ${to.host}:${to.port}`);
});
sentinel.on("error", (e) => console.error(`[vigil] ${e.name}: ${e.message}`));
await sentinel.start();

// The same events as an async iterator, until shutdown.
const stop = new AbortController();
(async () => {
  for await (const e of sentinel.events({ signal: stop.signal })) if (e.level === "warning") console.log(`[vigil] ${e.type} ${e.payload}`);
})();

// The application's Redis client, always on the current master. Short timeouts: while the old
// master is gone, requests fail fast instead of queueing.
const redis = followMaster(sentinel, name, { maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 1000 });
redis.on("error", (e) => console.log(`[app] redis: ${e.message}`));

const http = createServer(async (_req, res) => {
  const at = sentinel.master(name);
  const body = { master: `${at.host}:${at.port}`, switches };
  try {
    body.hits = await redis.incr("embedded-service:hits");
    res.writeHead(200, { "content-type": "application/json" });
  } catch (e) {
    body.error = String(e.message ?? e);
    res.writeHead(503, { "content-type": "application/json" });
  }
  res.end(JSON.stringify(body));
});
http.listen(httpPort, "127.0.0.1", () => console.log(`[app] listening on http://127.0.0.1:${httpPort}/ (sentinel port ${sentinelPort})`));

const shutdown = async () => {
  stop.abort();
  redis.disconnect();
  http.close();
  await sentinel.close();
};
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
