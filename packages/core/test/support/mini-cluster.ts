// A tiny zero-latency cluster for engine scenario tests: fake Redis nodes that render real-format INFO,
// and sentinels wired to each other synchronously. The full simulator lives in @vigil/transport-memory;
// this one exists so the core's tests depend on nothing but the core.
//
// Besides real engines it can host "fake peers": sentinel addresses that accept connections and answer
// IS-MASTER-DOWN-BY-ADDR through a test-supplied handler, so a test can script exactly what the other
// sentinels say (votes, down_state, silence).
import { vi } from "vitest";
import {
  type Address,
  addressKey,
  createPrng,
  createSentinelEngine,
  type EngineCommand,
  type EngineInput,
  type EngineOutput,
  encodeHello,
  type MasterSettingsInput,
  type PersistedState,
  type SentinelEngine,
  type SentinelEngineOptions,
  type SentinelEvent,
  type Timing,
} from "../../src/index.js";
import { masterRecordOf, summary } from "./engine-records.js";

// Simulated time runs as fast as the CPU allows: a scenario that takes 0.5 s on an idle machine can take
// several seconds on a loaded CI runner. Every file that drives the mini cluster gets this timeout.
vi.setConfig({ testTimeout: 60_000 });

export interface FakeRedis {
  addr: Address;
  runId: string;
  role: "master" | "slave";
  master: Address | null;
  alive: boolean;
  priority: number;
  offset: number;
  reply: string; // what PING answers when alive
  /** PING gets no reply at all (the link stays up). */
  pingHangs: boolean;
  /** The host is gone: connection attempts time out (silence, not refusal). */
  connectTimesOut: boolean;
  /** INFO gets no reply at all. */
  infoHangs: boolean;
  /** The reconfiguration transaction is acknowledged but has no effect. */
  ignoresSlaveof: boolean;
  /** After a SLAVEOF, `master_link_status` stays down until this time (a slow initial sync). */
  syncedAt: number;
  /** How long the initial sync takes after a SLAVEOF <host> <port>. */
  syncDelayMs: number;
  /** Overrides `master_link_down_since_seconds` in INFO (a replica whose link has been down long). */
  linkDownSinceSeconds: number | null;
  /** `master_failover_state` in INFO (null: not reported, as before Redis 6.2). */
  failoverState: string | null;
}

/** One command or event, stamped with the cluster time it was produced at. */
export interface Stamped<T> {
  at: number;
  value: T;
}

export interface SentinelNode {
  addr: Address;
  engine: SentinelEngine;
  /** What the engine was created with (to build an identical twin, e.g. for replay: use a fresh prng). */
  options: SentinelEngineOptions;
  /** Seed of the engine's prng. */
  prngSeed: number;
  events: SentinelEvent[];
  /** Every event with its time. */
  timeline: Stamped<SentinelEvent>[];
  /** Every command with its time. */
  commands: Stamped<EngineCommand>[];
  /** Every output in order (for byte-for-byte comparisons). */
  outputs: EngineOutput[];
  persisted: PersistedState | null;
  alive: boolean;
}

/** A scripted sentinel: `onAsk` returns the IS-MASTER-DOWN-BY-ADDR reply, or undefined for silence. */
export interface FakePeer {
  addr: Address;
  runId: string;
  alive: boolean;
  onAsk: (args: readonly [string, string, string, string], from: number) => unknown;
}

export const hexId = (n: number): string => n.toString(16).padStart(40, "0").slice(-40);

export interface MiniClusterOptions {
  sentinels: number;
  master: number;
  replicas: number[];
  quorum: number;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  /** Extra per-master settings for every sentinel (parallelSyncs, masterRebootDownAfterMs, ...). */
  masterSettings?: Partial<MasterSettingsInput>;
  timing?: Timing | "fast" | "sentinel";
  seed?: number;
}

export class MiniCluster {
  now: number;
  readonly nodes = new Map<string, FakeRedis>();
  readonly sentinels: SentinelNode[] = [];
  readonly fakePeers = new Map<string, FakePeer>();
  /** Called after every engine step of sentinel `i` (invariant checks). */
  afterStep: ((i: number) => void) | undefined;
  private readonly queue: Array<() => void> = [];
  /** pubsub subscribers per redis node: sentinel index set */
  private readonly subs = new Map<string, Set<number>>();
  /** which (sentinel, node) cmd links are up */
  private readonly cmdLinks = new Set<string>();
  private seq = 1;
  private wakes: { i: number; at: number }[] = [];

  constructor(opts: MiniClusterOptions) {
    this.now = 1_000_000;
    const m = this.addNode(opts.master, "master", null);
    for (const p of opts.replicas) this.addNode(p, "slave", m.addr);
    for (let i = 0; i < opts.sentinels; i++) {
      const addr = { host: "127.0.0.1", port: 26379 + i };
      const prngSeed = (opts.seed ?? 1) * 100 + i;
      const options: SentinelEngineOptions = {
        myId: hexId(0xabc000 + i),
        now: this.now,
        prng: createPrng(prngSeed),
        timing: opts.timing ?? "fast",
        global: { port: addr.port },
        masters: [
          {
            settings: {
              name: "mymaster",
              host: "127.0.0.1",
              port: opts.master,
              quorum: opts.quorum,
              downAfterMs: opts.downAfterMs ?? 1000,
              failoverTimeoutMs: opts.failoverTimeoutMs ?? 10000,
              ...opts.masterSettings,
            },
          },
        ],
      };
      const engine = createSentinelEngine(options);
      const node: SentinelNode = { addr, engine, options, prngSeed, events: [], timeline: [], commands: [], outputs: [], persisted: null, alive: true };
      this.sentinels.push(node);
      this.apply(i, engine.start(this.now));
    }
    this.drain();
  }

  /** Add a fake Redis node (a replica of `master`, or a master when `master` is null). */
  addNode(port: number, role: "master" | "slave", master: Address | null): FakeRedis {
    const n: FakeRedis = {
      addr: { host: "127.0.0.1", port },
      runId: hexId(this.seq++ * 7919),
      role,
      master,
      alive: true,
      priority: 100,
      offset: 1000,
      reply: "PONG",
      pingHangs: false,
      connectTimesOut: false,
      infoHangs: false,
      ignoresSlaveof: false,
      syncedAt: 0,
      syncDelayMs: 0,
      linkDownSinceSeconds: null,
      failoverState: null,
    };
    this.nodes.set(addressKey(n.addr), n);
    return n;
  }

  node(port: number): FakeRedis {
    return this.nodes.get(`127.0.0.1:${port}`)!;
  }

  engine(i = 0): SentinelEngine {
    return this.sentinels[i]!.engine;
  }

  /** Render INFO as Redis 7 does (the fields Sentinel reads). */
  info(n: FakeRedis): string {
    const lines = ["# Server", `run_id:${n.runId}`, "# Replication", `role:${n.role}`];
    if (n.role === "master") {
      let i = 0;
      for (const r of this.nodes.values()) {
        if (r.alive && r.role === "slave" && r.master && addressKey(r.master) === addressKey(n.addr)) {
          lines.push(`slave${i++}:ip=${r.addr.host},port=${r.addr.port},state=online,offset=${r.offset},lag=0`);
        }
      }
    } else if (n.master) {
      const m = this.nodes.get(addressKey(n.master));
      const up = m?.alive === true && m.role === "master" && this.now >= n.syncedAt;
      lines.push(`master_host:${n.master.host}`, `master_port:${n.master.port}`, `master_link_status:${up ? "up" : "down"}`);
      if (n.linkDownSinceSeconds !== null) lines.push(`master_link_down_since_seconds:${n.linkDownSinceSeconds}`);
      else if (!up) lines.push("master_link_down_since_seconds:1");
      lines.push(`slave_repl_offset:${n.offset}`, `slave_priority:${n.priority}`, "replica_announced:1");
    }
    if (n.failoverState !== null) lines.push(`master_failover_state:${n.failoverState}`);
    return `${lines.join("\r\n")}\r\n`;
  }

  /** Feed one input to sentinel `i` (stamped with the cluster clock) and deliver the consequences. */
  feed(i: number, input: EngineInput): EngineOutput {
    const out = this.input(i, input);
    this.drain();
    return out;
  }

  /** Call an API method of sentinel `i`'s engine and carry out its output. */
  call<T extends { output: EngineOutput }>(i: number, f: (e: SentinelEngine, now: number) => T): T {
    const r = f(this.sentinels[i]!.engine, this.now);
    this.apply(i, r.output);
    this.drain();
    return r;
  }

  /**
   * Make sentinel `i` learn a scripted peer: a hello published to its API (§17.3). The peer accepts
   * connections; `onAsk` scripts its IS-MASTER-DOWN-BY-ADDR replies.
   */
  addFakePeer(i: number, n: number, onAsk: FakePeer["onAsk"]): FakePeer {
    const peer: FakePeer = { addr: { host: "127.0.0.1", port: 27000 + n }, runId: hexId(0xfee000 + n), alive: true, onAsk };
    this.fakePeers.set(addressKey(peer.addr), peer);
    this.helloFrom(i, peer, 0, 0);
    return peer;
  }

  /** Deliver a hello from `peer` about mymaster to sentinel `i`. */
  helloFrom(i: number, peer: { addr: Address; runId: string }, currentEpoch: number, configEpoch: number, masterAddr?: Address): void {
    const m = masterAddr ?? masterRecordOf(this.engine(i), "mymaster")!.addr;
    const payload = encodeHello({
      sentinelIp: peer.addr.host,
      sentinelPort: peer.addr.port,
      sentinelRunId: peer.runId,
      currentEpoch,
      masterName: "mymaster",
      masterIp: m.host,
      masterPort: m.port,
      masterConfigEpoch: configEpoch,
    });
    this.feed(i, { kind: "hello", now: this.now, via: null, payload });
  }

  private input(i: number, input: EngineInput): EngineOutput {
    const s = this.sentinels[i]!;
    if (!s.alive) return { commands: [], events: [] };
    const out = s.engine.step(input);
    this.apply(i, out);
    return out;
  }

  private apply(i: number, out: EngineOutput): void {
    const s = this.sentinels[i]!;
    s.outputs.push(out);
    s.events.push(...out.events);
    for (const e of out.events) s.timeline.push({ at: this.now, value: e });
    for (const c of out.commands) {
      s.commands.push({ at: this.now, value: c });
      this.exec(i, c);
    }
    this.afterStep?.(i);
  }

  private exec(i: number, c: EngineCommand): void {
    const s = this.sentinels[i]!;
    const later = (f: () => void) => this.queue.push(f);
    switch (c.kind) {
      case "persist":
        s.persisted = c.deferrable === true ? s.engine.persistedState() : c.state;
        return;
      case "connect": {
        const key = addressKey(c.addr);
        const node = this.nodes.get(key);
        const peer = this.sentinels.find((x) => addressKey(x.addr) === key);
        const fake = this.fakePeers.get(key);
        const ok = node ? node.alive : peer ? peer.alive : fake ? fake.alive : false;
        later(() => {
          if (node?.connectTimesOut) return void this.input(i, { kind: "link-down", now: this.now, addr: c.addr, link: c.link, error: "connect ETIMEDOUT", failure: "timeout" });
          if (!ok) return void this.input(i, { kind: "link-down", now: this.now, addr: c.addr, link: c.link, error: "Connection refused", failure: "refused" });
          if (c.link === "pubsub") {
            if (!this.subs.has(key)) this.subs.set(key, new Set());
            this.subs.get(key)!.add(i);
          } else this.cmdLinks.add(`${i}/${key}`);
          this.input(i, { kind: "link-up", now: this.now, addr: c.addr, link: c.link, localHost: s.addr.host });
        });
        return;
      }
      case "disconnect": {
        const key = addressKey(c.addr);
        if (c.link === "pubsub") this.subs.get(key)?.delete(i);
        else this.cmdLinks.delete(`${i}/${key}`);
        return;
      }
      case "ping": {
        const n = this.nodes.get(addressKey(c.addr));
        if (n && (!n.alive || n.pingHangs)) return; // no reply: the link drop was reported at kill time
        const fake = this.fakePeers.get(addressKey(c.addr));
        if (fake && !fake.alive) return;
        const peer = this.sentinels.find((x) => addressKey(x.addr) === addressKey(c.addr));
        if (peer && !peer.alive) return;
        later(() => this.input(i, { kind: "ping-reply", now: this.now, addr: c.addr, reply: n ? n.reply : "PONG" }));
        return;
      }
      case "info": {
        const n = this.nodes.get(addressKey(c.addr));
        if (!n?.alive || n.infoHangs) return;
        later(() => this.input(i, { kind: "info-reply", now: this.now, addr: c.addr, text: this.info(n) }));
        return;
      }
      case "publish-hello": {
        const key = addressKey(c.addr);
        const n = this.nodes.get(key);
        if (n) {
          if (!n.alive) return;
          for (const j of this.subs.get(key) ?? []) later(() => this.input(j, { kind: "hello", now: this.now, via: c.addr, payload: c.payload }));
        } else {
          const j = this.sentinels.findIndex((x) => addressKey(x.addr) === key);
          if (j >= 0) later(() => this.input(j, { kind: "hello", now: this.now, via: null, payload: c.payload }));
        }
        later(() => this.input(i, { kind: "publish-reply", now: this.now, addr: c.addr, ok: true }));
        return;
      }
      case "ask-master-down": {
        const fake = this.fakePeers.get(addressKey(c.addr));
        if (fake) {
          if (!fake.alive) return;
          later(() => {
            const reply = fake.onAsk(c.args, i);
            if (reply !== undefined) this.input(i, { kind: "ask-reply", now: this.now, addr: c.addr, master: c.master, reply });
          });
          return;
        }
        const j = this.sentinels.findIndex((x) => addressKey(x.addr) === addressKey(c.addr));
        if (j < 0 || !this.sentinels[j]!.alive) return;
        later(() => {
          const [ip, port, epoch, runId] = c.args;
          const { reply, output } = this.sentinels[j]!.engine.isMasterDownByAddr(this.now, ip, Number(port), Number(epoch), runId);
          this.apply(j, output);
          this.input(i, { kind: "ask-reply", now: this.now, addr: c.addr, master: c.master, reply });
        });
        return;
      }
      case "reconfigure": {
        const key = addressKey(c.addr);
        const n = this.nodes.get(key);
        if (!n?.alive) return;
        later(() => {
          if (!n.ignoresSlaveof) {
            n.role = c.target ? "slave" : "master";
            n.master = c.target;
            n.syncedAt = this.now + (c.target ? n.syncDelayMs : 0);
            // CLIENT KILL TYPE pubsub: every sentinel's pubsub link to n drops.
            for (const j of [...(this.subs.get(key) ?? [])]) {
              this.subs.get(key)!.delete(j);
              this.input(j, { kind: "link-down", now: this.now, addr: c.addr, link: "pubsub", error: "killed", failure: "closed" });
            }
          }
          this.input(i, { kind: "reconfigure-reply", now: this.now, addr: c.addr, ok: true });
        });
        return;
      }
      case "wake":
        this.wakes.push({ i, at: c.at });
        return;
      default:
        return;
    }
  }

  drain(): void {
    for (let n = 0; this.queue.length > 0 && n < 100000; n++) this.queue.shift()!();
  }

  /** Advance time by `ms`, ticking every sentinel every `tickMs`. */
  run(ms: number, tickMs = 100): void {
    const end = this.now + ms;
    while (this.now < end) {
      const nextTick = this.now + tickMs;
      this.wakes.sort((a, b) => a.at - b.at || a.i - b.i);
      const due = this.wakes[0];
      if (due && due.at < nextTick) {
        this.wakes.shift();
        this.now = Math.max(this.now, due.at);
        this.input(due.i, { kind: "tick", now: this.now });
        this.drain();
        continue;
      }
      this.now = nextTick;
      this.sentinels.forEach((s, i) => s.alive && this.input(i, { kind: "tick", now: this.now }));
      this.drain();
    }
  }

  /** Run until `cond` holds or `maxMs` passes; returns elapsed ms or -1. */
  runUntil(cond: () => boolean, maxMs: number, tickMs = 100): number {
    const start = this.now;
    while (this.now - start < maxMs) {
      if (cond()) return this.now - start;
      this.run(tickMs, tickMs);
    }
    return cond() ? this.now - start : -1;
  }

  kill(port: number): void {
    const n = this.node(port);
    n.alive = false;
    const key = addressKey(n.addr);
    this.sentinels.forEach((_s, i) => {
      if (this.cmdLinks.delete(`${i}/${key}`)) this.input(i, { kind: "link-down", now: this.now, addr: n.addr, link: "cmd", error: "reset", failure: "reset" });
      if (this.subs.get(key)?.delete(i)) this.input(i, { kind: "link-down", now: this.now, addr: n.addr, link: "pubsub", error: "reset", failure: "reset" });
    });
    this.drain();
  }

  restart(port: number): void {
    this.node(port).alive = true;
  }

  masterAddrs(): (string | null)[] {
    return this.sentinels.map((s) => {
      const a = s.engine.getMasterAddrByName("mymaster");
      return a ? addressKey(a) : null;
    });
  }

  eventTypes(i: number): string[] {
    return this.sentinels[i]!.events.map((e) => e.type);
  }

  /** Events of sentinel `i` with this type. */
  eventsOf(i: number, type: string): Stamped<SentinelEvent>[] {
    return this.sentinels[i]!.timeline.filter((e) => e.value.type === type);
  }

  /** Time of the first event of this type at sentinel `i`, or -1. */
  firstAt(i: number, type: string): number {
    return this.eventsOf(i, type)[0]?.at ?? -1;
  }

  /** Commands of sentinel `i` with this kind. */
  commandsOf<K extends EngineCommand["kind"]>(i: number, kind: K): Stamped<Extract<EngineCommand, { kind: K }>>[] {
    return this.sentinels[i]!.commands.filter((c): c is Stamped<Extract<EngineCommand, { kind: K }>> => c.value.kind === kind);
  }

  /** Has sentinel `i` produced an event of this type? */
  saw(i: number, type: string): boolean {
    return this.sentinels[i]!.events.some((e) => e.type === type);
  }

  /** The failover state of mymaster at sentinel `i`. */
  state(i = 0): string {
    return summary(this.engine(i)).masters[0]!.failoverState;
  }
}
