// An application that embeds a Vigil Sentinel instead of asking an external one where its Redis
// master is. The engine runs in this process (createSentinelEngine + SentinelRuntime from
// transport-redis), takes part in the Sentinel fleet like any redis-sentinel (its RESP port
// answers peers' IS-MASTER-DOWN-BY-ADDR and clients' SENTINEL commands), and the application
// re-points its Redis client the moment the engine emits +switch-master.
//
// Run it from a built workspace (`npx tsc -b`):
//   VIGIL_MASTER=127.0.0.1:6379 VIGIL_QUORUM=2 node examples/embedded-service/service.mjs
// Environment: VIGIL_MASTER (host:port, required), VIGIL_NAME (mymaster), VIGIL_QUORUM (2),
// VIGIL_PORT (RESP port for peers, 26390), VIGIL_ANNOUNCE_IP, HTTP_PORT (8080), STATE_FILE.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createPrng, createSentinelEngine } from "@vigil/core";
import { createRespServer, createSentinelApi, SentinelRuntime, VIGIL_SENTINEL_SUBCOMMANDS } from "@vigil/transport-redis";
import { Redis } from "ioredis";

const name = process.env.VIGIL_NAME ?? "mymaster";
const [masterHost, masterPort] = (process.env.VIGIL_MASTER ?? "").split(":");
if (!masterHost || !masterPort) {
  console.error("VIGIL_MASTER=host:port is required");
  process.exit(1);
}
const sentinelPort = Number(process.env.VIGIL_PORT ?? 26390);
const httpPort = Number(process.env.HTTP_PORT ?? 8080);
const stateFile = process.env.STATE_FILE ?? `./vigil-embedded-${sentinelPort}.json`;

// 1. Durable state: what a sentinel.conf would hold (myid, epochs, known replicas and peers).
//    Reusing it after a restart keeps the same identity and never votes twice in an epoch.
const saved = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, "utf8")) : undefined;
const persist = (state) => {
  // The engine requires a synchronous, durable write before it answers a vote: write, then rename.
  writeFileSync(`${stateFile}.tmp`, JSON.stringify(state));
  renameSync(`${stateFile}.tmp`, stateFile);
  return true;
};

// 2. The engine: pure, deterministic; time and randomness are handed in.
const engine = createSentinelEngine({
  myId: saved?.myId ?? randomBytes(20).toString("hex"),
  now: Date.now(),
  prng: createPrng(randomBytes(4).readUInt32LE(0)),
  timing: "fast",
  global: { port: sentinelPort, ...(process.env.VIGIL_ANNOUNCE_IP ? { announceIp: process.env.VIGIL_ANNOUNCE_IP } : {}) },
  currentEpoch: saved?.currentEpoch ?? 0,
  masters: saved?.masters ?? [
    { settings: { name, host: masterHost, port: Number(masterPort), quorum: Number(process.env.VIGIL_QUORUM ?? 2), downAfterMs: 1000, failoverTimeoutMs: 10000 } },
  ],
});

// 3. The runtime: ticks, real links to Redis and peers, commands executed in order.
const runtime = new SentinelRuntime({
  engine,
  tickMs: 20,
  persist,
  onEvent: (e) => {
    if (e.level === "warning") console.log(`[vigil] ${e.type} ${e.payload}`);
  },
});

// 4. The Sentinel API on a RESP port, so the other Sentinels can ask this one for its vote and
//    operators can use redis-cli (and `vigil explain -p <port>`) against it.
const api = createSentinelApi({
  runtime,
  process: { runId: randomBytes(20).toString("hex"), configFile: stateFile, tcpPort: sentinelPort, startedAt: Date.now(), version: "7.0.15", pid: process.pid, executable: process.argv[1] },
  stats: () => ({ connectedClients: 0, totalConnections: 0, totalCommands: 0 }),
  pendingScripts: () => [],
  runningScripts: () => 0,
  isExecutable: () => false,
  vigilExtensions: true,
});
const resp = createRespServer({ handlers: api, extraSentinelSubcommands: VIGIL_SENTINEL_SUBCOMMANDS, version: "7.0.15" });

// 5. The application: one Redis client, re-pointed on +switch-master.
let current = engine.getMasterAddrByName(name);
// Short timeouts: while the old master is gone, requests fail fast instead of queueing.
const connect = (addr) => new Redis({ host: addr.host, port: addr.port, maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 1000 });
let redis = connect(current);
let switches = 0;
engine.emitter.on("event", (e) => {
  if (e.type !== "+switch-master") return;
  // Payload: <name> <old-ip> <old-port> <new-ip> <new-port>
  const [master, , , ip, port] = e.payload.split(" ");
  if (master !== name) return;
  switches++;
  current = { host: ip, port: Number(port) };
  const old = redis;
  redis = connect(current);
  old.disconnect();
  console.log(`[app] master of ${name} is now ${ip}:${port}; Redis client re-pointed`);
});

const http = createServer(async (_req, res) => {
  try {
    const hits = await redis.incr("embedded-service:hits");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ master: `${current.host}:${current.port}`, switches, hits }));
  } catch (e) {
    res.writeHead(503, { "content-type": "application/json" });
    res.end(JSON.stringify({ master: `${current.host}:${current.port}`, switches, error: String(e.message ?? e) }));
  }
});

await resp.listen({ hosts: ["127.0.0.1"], port: sentinelPort });
runtime.start();
http.listen(httpPort, "127.0.0.1", () => console.log(`[app] listening on http://127.0.0.1:${httpPort}/ (sentinel port ${sentinelPort})`));

const shutdown = async () => {
  runtime.stop();
  redis.disconnect();
  http.close();
  await resp.close();
  process.exit(0);
};
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
