// Test harness for the Sentinel command API: a real SentinelEngine inside a real SentinelRuntime
// (never started: no timers, no sockets), a persist stub the test controls, and a tiny fake network
// that answers the engine's PING / INFO / hello / IS-MASTER-DOWN commands for the nodes declared
// alive, with INFO texts in Redis 7.0's format.
import {
  type Address,
  addressKey,
  createPrng,
  createSentinelEngine,
  type EngineCommand,
  encodeHello,
  type MasterSeed,
  type PersistedState,
  type SentinelEngine,
  type SentinelEvent,
} from "@vigil/core";
import { expect } from "vitest";
import type { PendingScript, SentinelApiContext, SentinelDialect } from "../src/api/context.js";
import { createSentinelApi, type SentinelApi } from "../src/api/sentinel-api.js";
import { encodeReply } from "../src/resp/encoder.js";
import type { Reply } from "../src/resp/reply.js";
import { type RuntimeNetwork, SentinelRuntime } from "../src/runtime/sentinel-runtime.js";

export const MY_ID = "3ee087769725560a0d4b8ed2db3d1393b2a5d138";
export const PEER_ID = "8387d8bb216c66aa9c7cfea6807c498f0be5922a";
export const MASTER_RUN_ID = "a909b3a7c661f42e648ef9dde8393a0a42ba3eb8";
export const REPLICA_RUN_ID = "f55c813b5bd3de2a88c2bca147e946679da11f60";
export const START = 1_795_553_000_000;

export const MASTER: Address = { host: "127.0.0.1", port: 6379 };
export const REPLICA: Address = { host: "127.0.0.1", port: 6380 };
export const PEER: Address = { host: "127.0.0.1", port: 26380 };

/** A fake Redis node as the network answers for it. */
export interface FakeNode {
  role: "master" | "slave";
  runId: string;
  replicas: Address[];
  master?: Address;
  linkUp: boolean;
  priority: number;
  offset: number;
  announced: boolean;
  /** False: a Redis before 6.2, whose INFO has no `master_failover_state` (no FAILOVER command). */
  failoverCommand?: boolean;
}

/** INFO as Redis 7.0.15 prints it (abridged to the sections and fields around what Sentinel reads). */
export function infoText(port: number, n: FakeNode): string {
  const repl =
    n.role === "master"
      ? [
          "role:master",
          `connected_slaves:${n.replicas.length}`,
          ...n.replicas.map((r, i) => `slave${i}:ip=${r.host},port=${r.port},state=online,offset=${n.offset},lag=0`),
          ...(n.failoverCommand === false ? [] : ["master_failover_state:no-failover"]),
          "master_replid:af15e650cf2a032c57a1bb3232f6a3253c3cf6f0",
          "master_replid2:0000000000000000000000000000000000000000",
          `master_repl_offset:${n.offset}`,
          "second_repl_offset:-1",
          "repl_backlog_active:1",
          "repl_backlog_size:1048576",
        ]
      : [
          "role:slave",
          `master_host:${n.master?.host ?? "?"}`,
          `master_port:${n.master?.port ?? 0}`,
          `master_link_status:${n.linkUp ? "up" : "down"}`,
          "master_last_io_seconds_ago:1",
          "master_sync_in_progress:0",
          `slave_read_repl_offset:${n.offset}`,
          `slave_repl_offset:${n.offset}`,
          `slave_priority:${n.priority}`,
          "slave_read_only:1",
          `replica_announced:${n.announced ? 1 : 0}`,
          "connected_slaves:0",
          "master_failover_state:no-failover",
        ];
  const lines = [
    "# Server",
    "redis_version:7.0.15",
    "redis_git_sha1:00000000",
    "redis_mode:standalone",
    "os:Linux 6.1.0 x86_64",
    "process_id:20020",
    `run_id:${n.runId}`,
    `tcp_port:${port}`,
    "uptime_in_seconds:71",
    "",
    "# Clients",
    "connected_clients:4",
    "",
    "# Replication",
    ...repl,
    "",
    "# Keyspace",
  ];
  return `${lines.join("\r\n")}\r\n`;
}

/** Options of {@link apiFixture}. */
export interface FixtureOptions {
  readonly masters?: readonly MasterSeed[];
  readonly dialect?: SentinelDialect;
  readonly global?: Parameters<typeof createSentinelEngine>[0]["global"];
  readonly executable?: (path: string) => boolean;
  readonly resolveHost?: (host: string) => string | null;
}

/** An API over a real engine and runtime, with a controllable clock, persist and network. */
export function apiFixture(options: FixtureOptions = {}) {
  let now = START;
  let persistOk = true;
  const persisted: PersistedState[] = [];
  const events: SentinelEvent[] = [];
  /** Every command the runtime handed to the link layer, in order. */
  const executed: EngineCommand[] = [];
  /** Persist calls and network commands in one sequence, to check ordering. */
  const trace: string[] = [];
  const queue: EngineCommand[] = [];
  const nodes = new Map<string, FakeNode>();
  const alive = new Set<string>();
  const sentinels = new Map<string, { masterDownFor: Set<string> }>();
  let pending: PendingScript[] = [];
  let running = 0;
  let loglevel: string | undefined;

  const engine: SentinelEngine = createSentinelEngine({
    myId: MY_ID,
    now,
    prng: createPrng(42),
    timing: "sentinel",
    global: { port: 26379, ...options.global },
    masters: options.masters ?? [{ settings: { name: "mymaster", host: MASTER.host, port: MASTER.port, quorum: 2, downAfterMs: 5000 } }],
  });
  const record = (c: EngineCommand) => {
    executed.push(c);
    trace.push(c.kind);
    queue.push(c);
  };
  const runtime = new SentinelRuntime({
    engine,
    now: () => now,
    persist: (state) => {
      persisted.push(state);
      trace.push("persist");
      return persistOk;
    },
    onEvent: (e) => events.push(e),
    // Network commands are recorded, not sent: the test plays the network.
    network: () => recordingNetwork(record),
  });

  const ctx: SentinelApiContext = {
    runtime,
    process: {
      runId: "bffd1abdb3b06c0738bef812487f2986683f0530",
      configFile: "/etc/vigil/sentinel.conf",
      tcpPort: 26379,
      startedAt: START - 77_000,
      pid: 4242,
      executable: "/usr/bin/vigil",
      os: "Linux 6.1.0 x86_64",
    },
    stats: () => ({ connectedClients: 3, totalConnections: 11, totalCommands: 108, pubsubChannels: 1, totalErrorReplies: 2 }),
    pendingScripts: () => pending,
    runningScripts: () => running,
    isExecutable: options.executable ?? (() => true),
    resolveHost: options.resolveHost,
    dialect: options.dialect,
    cpuUsage: () => ({ user: 193_942, system: 1_163_088 }),
    onLoglevel: (level) => {
      loglevel = level;
    },
  };
  const api: SentinelApi = createSentinelApi(ctx);
  // What the daemon's runtime.start() does first: +monitor per master and a first flush.
  runtime.apply(engine.start(now));

  const input = (i: Parameters<SentinelRuntime["input"]>[0]) => {
    runtime.input(i);
    drain();
  };

  /** Answer queued network commands for live nodes until nothing is left. */
  function drain(): void {
    for (let guard = 0; queue.length > 0 && guard < 10_000; guard++) {
      const c = queue.shift()!;
      if (!("addr" in c)) continue;
      const key = addressKey(c.addr);
      if (!alive.has(key)) continue;
      switch (c.kind) {
        case "connect":
          runtime.input({ kind: "link-up", now, addr: c.addr, link: c.link, localHost: "127.0.0.1" });
          break;
        case "ping":
          runtime.input({ kind: "ping-reply", now, addr: c.addr, reply: "PONG" });
          break;
        case "info": {
          const n = nodes.get(key);
          runtime.input({ kind: "info-reply", now, addr: c.addr, text: n ? infoText(c.addr.port, n) : null });
          break;
        }
        case "publish-hello":
          runtime.input({ kind: "publish-reply", now, addr: c.addr, ok: true });
          break;
        case "ask-master-down": {
          const down = sentinels.get(key)?.masterDownFor.has(c.master) ? 1 : 0;
          runtime.input({ kind: "ask-reply", now, addr: c.addr, master: c.master, reply: [down, "*", 0] });
          break;
        }
        case "reconfigure":
          runtime.input({ kind: "reconfigure-reply", now, addr: c.addr, ok: true });
          break;
        default:
          break;
      }
    }
  }

  const f = {
    engine,
    runtime,
    api,
    ctx,
    persisted,
    events,
    executed,
    trace,
    nodes,
    now: () => now,
    loglevel: () => loglevel,
    setPersistOk(ok: boolean) {
      persistOk = ok;
    },
    setScripts(jobs: PendingScript[], runningNow = 0) {
      pending = jobs;
      running = runningNow;
    },
    /** Declare a node alive (it answers) with its INFO contents. */
    node(addr: Address, n: Partial<FakeNode> & Pick<FakeNode, "role">) {
      nodes.set(addressKey(addr), { runId: MASTER_RUN_ID, replicas: [], linkUp: true, priority: 100, offset: 1997, announced: true, ...n });
      alive.add(addressKey(addr));
    },
    /** A peer sentinel that answers PINGs; `masterDown` lists masters it reports down. */
    peer(addr: Address, masterDown: string[] = []) {
      sentinels.set(addressKey(addr), { masterDownFor: new Set(masterDown) });
      alive.add(addressKey(addr));
    },
    kill(addr: Address) {
      alive.delete(addressKey(addr));
    },
    input,
    drain,
    /** Bring up the links of a node (as the transport would after `connect`). */
    connect(addr: Address, links: ("cmd" | "pubsub")[] = ["cmd", "pubsub"]) {
      for (const link of links) input({ kind: "link-up", now, addr, link, localHost: "127.0.0.1" });
    },
    /** A hello from `peerId` at `peerAddr`, received on the master's pub/sub link. */
    hello(peerId = PEER_ID, peerAddr: Address = PEER, epoch = 0, masterName = "mymaster", configEpoch = 0) {
      const payload = encodeHello({
        sentinelIp: peerAddr.host,
        sentinelPort: peerAddr.port,
        sentinelRunId: peerId,
        currentEpoch: epoch,
        masterName,
        masterIp: MASTER.host,
        masterPort: MASTER.port,
        masterConfigEpoch: configEpoch,
      });
      input({ kind: "hello", now, via: MASTER, payload });
    },
    /** Move the clock, ticking every `step` ms (below TILT's 2 s trigger) and answering the network. */
    advance(ms: number, step = 100) {
      const end = now + ms;
      while (now < end) {
        now = Math.min(end, now + step);
        input({ kind: "tick", now });
      }
    },
    /** Move the clock without ticking (only for "ms since" fields). */
    skip(ms: number) {
      now += ms;
    },
    sentinel(...args: string[]): Reply {
      return api.sentinel(["SENTINEL", ...args]);
    },
  };
  return f;
}

/** The standard healthy topology: master 6379 with replica 6380, one peer sentinel; all links up. */
export function healthyFixture(options: FixtureOptions = {}) {
  const f = apiFixture(options);
  f.node(MASTER, { role: "master", runId: MASTER_RUN_ID, replicas: [REPLICA] });
  f.node(REPLICA, { role: "slave", runId: REPLICA_RUN_ID, master: MASTER });
  f.peer(PEER);
  f.advance(200);
  f.hello();
  f.advance(1500);
  return f;
}

/** RESP2 text of a reply (CRLF shown as `\r\n`), for exact wire assertions. */
export function resp2(r: Reply): string {
  return encodeReply(r, 2).toString("utf8");
}

/** RESP3 text of a reply. */
export function resp3(r: Reply): string {
  return encodeReply(r, 3).toString("utf8");
}

/** A map reply's entries as `[key, value]` strings (keys/values must be bulk strings). */
export function pairs(r: Reply): [string, string][] {
  expect(r.kind).toBe("map");
  if (r.kind !== "map") return [];
  return r.entries.map(([k, v]) => [text(k), text(v)]);
}

/** The flat RESP2 view of a map of bulk strings. */
export function flat(r: Reply): string[] {
  return pairs(r).flat();
}

/** The text of a simple, error or bulk reply. */
export function text(r: Reply): string {
  if (r.kind === "simple" || r.kind === "error" || r.kind === "bulk") return String(r.value);
  throw new Error(`not a text reply: ${r.kind}`);
}

/** The items of an array reply. */
export function items(r: Reply): readonly Reply[] {
  if (r.kind !== "array") throw new Error(`not an array reply: ${r.kind}`);
  return r.items;
}

/** A network half that records every command and sends nothing; `answers` replace the ones a test plays. */
export function recordingNetwork(record: (c: EngineCommand) => void, answers: Partial<RuntimeNetwork> = {}): RuntimeNetwork {
  return {
    connect: record,
    disconnect: record,
    ping: record,
    info: record,
    publishHello: record,
    askMasterDown: record,
    reconfigure: record,
    fenceWrites: record,
    unfenceWrites: record,
    fenceStaleMaster: record,
    unfenceStaleMaster: record,
    scriptKill: record,
    ...answers,
  };
}
