// A tiny zero-latency cluster for engine scenario tests: fake Redis nodes that render real-format INFO,
// and sentinels wired to each other synchronously. The full simulator lives in @vigil/transport-memory;
// this one exists so the core's tests depend on nothing but the core.
import {
  type Address,
  addressKey,
  createPrng,
  createSentinelEngine,
  type EngineCommand,
  type EngineInput,
  type EngineOutput,
  type PersistedState,
  type SentinelEngine,
  type SentinelEvent,
  type Timing,
} from "../../src/index.js";

export interface FakeRedis {
  addr: Address;
  runId: string;
  role: "master" | "slave";
  master: Address | null;
  alive: boolean;
  priority: number;
  offset: number;
  reply: string; // what PING answers when alive
}

export interface SentinelNode {
  addr: Address;
  engine: SentinelEngine;
  events: SentinelEvent[];
  persisted: PersistedState | null;
  alive: boolean;
}

const hex = (n: number) => n.toString(16).padStart(40, "0").slice(-40);

export class MiniCluster {
  now = 1_000_000;
  readonly nodes = new Map<string, FakeRedis>();
  readonly sentinels: SentinelNode[] = [];
  private readonly queue: Array<() => void> = [];
  /** pubsub subscribers per redis node: sentinel index set */
  private readonly subs = new Map<string, Set<number>>();
  /** which (sentinel, node) cmd links are up */
  private readonly cmdLinks = new Set<string>();
  private seq = 1;
  private wakes: { i: number; at: number }[] = [];

  constructor(
    opts: {
      sentinels: number;
      master: number;
      replicas: number[];
      quorum: number;
      downAfterMs?: number;
      failoverTimeoutMs?: number;
      timing?: Timing | "fast" | "sentinel";
      seed?: number;
    },
  ) {
    const mk = (port: number, role: "master" | "slave", master: Address | null): FakeRedis => ({
      addr: { host: "127.0.0.1", port },
      runId: hex(this.seq++ * 7919),
      role,
      master,
      alive: true,
      priority: 100,
      offset: 1000,
      reply: "PONG",
    });
    const m = mk(opts.master, "master", null);
    this.nodes.set(addressKey(m.addr), m);
    for (const p of opts.replicas) {
      const r = mk(p, "slave", m.addr);
      this.nodes.set(addressKey(r.addr), r);
    }
    for (let i = 0; i < opts.sentinels; i++) {
      const addr = { host: "127.0.0.1", port: 26379 + i };
      const engine = createSentinelEngine({
        myId: hex(0xabc000 + i),
        now: this.now,
        prng: createPrng((opts.seed ?? 1) * 100 + i),
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
            },
          },
        ],
      });
      const node: SentinelNode = { addr, engine, events: [], persisted: null, alive: true };
      this.sentinels.push(node);
      this.apply(i, engine.start(this.now));
    }
    this.drain();
  }

  node(port: number): FakeRedis {
    return this.nodes.get(`127.0.0.1:${port}`)!;
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
      const up = this.nodes.get(addressKey(n.master))?.alive && this.nodes.get(addressKey(n.master))?.role === "master";
      lines.push(`master_host:${n.master.host}`, `master_port:${n.master.port}`, `master_link_status:${up ? "up" : "down"}`);
      if (!up) lines.push("master_link_down_since_seconds:1");
      lines.push(`slave_repl_offset:${n.offset}`, `slave_priority:${n.priority}`, "replica_announced:1");
    }
    return `${lines.join("\r\n")}\r\n`;
  }

  private input(i: number, input: EngineInput): void {
    const s = this.sentinels[i]!;
    if (!s.alive) return;
    this.apply(i, s.engine.step(input));
  }

  private apply(i: number, out: EngineOutput): void {
    const s = this.sentinels[i]!;
    s.events.push(...out.events);
    for (const c of out.commands) this.exec(i, c);
  }

  private exec(i: number, c: EngineCommand): void {
    const s = this.sentinels[i]!;
    const later = (f: () => void) => this.queue.push(f);
    switch (c.kind) {
      case "persist":
        s.persisted = c.state;
        return;
      case "connect": {
        const key = addressKey(c.addr);
        const node = this.nodes.get(key);
        const peer = this.sentinels.find((x) => addressKey(x.addr) === key);
        const ok = node ? node.alive : peer ? peer.alive : false;
        later(() => {
          if (!ok) return this.input(i, { kind: "link-down", now: this.now, addr: c.addr, link: c.link, error: "Connection refused" });
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
        if (n && !n.alive) return; // no reply: the link drop was reported at kill time
        later(() => this.input(i, { kind: "ping-reply", now: this.now, addr: c.addr, reply: n ? n.reply : "PONG" }));
        return;
      }
      case "info": {
        const n = this.nodes.get(addressKey(c.addr));
        if (!n || !n.alive) return;
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
        if (!n || !n.alive) return;
        later(() => {
          n.role = c.target ? "slave" : "master";
          n.master = c.target;
          // CLIENT KILL TYPE pubsub: every sentinel's pubsub link to n drops.
          for (const j of [...(this.subs.get(key) ?? [])]) {
            this.subs.get(key)!.delete(j);
            this.input(j, { kind: "link-down", now: this.now, addr: c.addr, link: "pubsub", error: "killed" });
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
    this.sentinels.forEach((s, i) => {
      if (this.cmdLinks.delete(`${i}/${key}`)) this.input(i, { kind: "link-down", now: this.now, addr: n.addr, link: "cmd", error: "reset" });
      if (this.subs.get(key)?.delete(i)) this.input(i, { kind: "link-down", now: this.now, addr: n.addr, link: "pubsub", error: "reset" });
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
}
