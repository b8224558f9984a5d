/**
 * Fault toolkit for the real-process scenarios (faults-*.test.ts). The process, address, iptables,
 * writer and lost-write machinery is in fault-kit.mjs (plain ESM, shared with
 * bench/lost-writes.mjs); this file adds what the tests check while a scenario runs:
 *
 *  - an {@link Observer} that subscribes to every sentinel's events and samples every sentinel's
 *    epochs (persisted file and `SENTINEL MASTER`) to prove that epochs never went backwards, that
 *    no epoch had two leaders or two promotions, and that one config epoch never named two masters;
 *  - the scenarios themselves ({@link SCENARIOS}), each a schedule of faults run identically against
 *    Vigil and redis-sentinel by {@link runScenario}, which heals, waits for a healed topology
 *    (exactly one master, every sentinel reports it with the same config epoch, every replica
 *    follows it) and counts acknowledged-but-lost writes.
 *
 * Every node has its own 127.90.<block>.x address; see fault-kit.mjs for the iptables layout.
 * `VIGIL_LONG_TESTS=1` enables the long variants (see docs/reliability.md).
 */
import { existsSync, readFileSync } from "node:fs";
import { Redis } from "ioredis";
import {
  call,
  currentMaster,
  type FaultCluster,
  type Kind,
  countLost as kitCountLost,
  type LostCounts,
  type Node,
  nodeAt,
  pairs,
  repair,
  restartAsReplica,
  sleep,
  startWriter,
  waitFor,
  waitHealed,
} from "./fault-kit.mjs";

export * from "./fault-kit.mjs";

/** `VIGIL_LONG_TESTS=1`: long and extra variants. */
export const LONG = process.env.VIGIL_LONG_TESTS === "1";

/** One published event of sentinel `s` (index into `cluster.sentinels`). */
export interface SentinelEventRecord {
  readonly s: number;
  readonly at: number;
  readonly type: string;
  readonly payload: string;
}

interface EpochSample {
  readonly s: number;
  readonly at: number;
  readonly source: "file" | "api";
  readonly currentEpoch?: number;
  readonly configEpoch?: number;
  readonly leaderEpoch?: number;
  readonly addr?: string;
  readonly flags?: string;
}

interface PerSentinel {
  lastNewEpoch?: number;
  selfVote?: number;
  failoverEpoch?: number;
}

/** A promotion (SLAVEOF NO ONE sent) by sentinel `s` in its failover epoch. */
export interface Promotion {
  readonly s: number;
  readonly epoch: number | undefined;
  readonly replica: string;
}

/** Parse the epochs Sentinel persists (`sentinel current-epoch`, `config-epoch`, `leader-epoch`). */
export function fileEpochs(text: string, name: string): { currentEpoch?: number; configEpoch?: number; leaderEpoch?: number } {
  const num = (re: RegExp) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : undefined;
  };
  return {
    currentEpoch: num(/^sentinel current-epoch (\d+)$/m),
    configEpoch: num(new RegExp(`^sentinel config-epoch ${name} (\\d+)$`, "m")),
    leaderEpoch: num(new RegExp(`^sentinel leader-epoch ${name} (\\d+)$`, "m")),
  };
}

/**
 * Watches a cluster's sentinels during a scenario: every event they publish, and every 150 ms each
 * sentinel's persisted epochs and `SENTINEL MASTER` (address, flags, config-epoch).
 */
export class Observer {
  readonly events: SentinelEventRecord[] = [];
  readonly samples: EpochSample[] = [];
  readonly promotions: Promotion[] = [];
  readonly leaders: { s: number; epoch: number | undefined }[] = [];
  private readonly subs: Redis[] = [];
  private readonly state: PerSentinel[];
  private readonly waiters = new Set<() => void>();
  private sampling = true;
  private sampler: Promise<void> | undefined;

  private constructor(
    readonly cluster: FaultCluster,
    readonly myIds: readonly string[],
  ) {
    this.state = cluster.sentinels.map(() => ({}));
  }

  static async start(cluster: FaultCluster): Promise<Observer> {
    const ids = await Promise.all(cluster.sentinels.map(async (s) => String(await call(s.host, s.port, ["SENTINEL", "MYID"]))));
    const o = new Observer(cluster, ids);
    await Promise.all(
      cluster.sentinels.map(async (s, i) => {
        // Default reconnects with auto-resubscribe: a sentinel killed and restarted is followed again.
        const sub = new Redis({ host: s.host, port: s.port, lazyConnect: true, maxRetriesPerRequest: null });
        sub.on("error", () => {});
        sub.on("pmessage", (_p: string, channel: string, payload: string) => o.onEvent(i, channel, payload));
        await sub.connect();
        await sub.psubscribe("*");
        o.subs.push(sub);
      }),
    );
    o.sampler = o.sampleLoop();
    return o;
  }

  private onEvent(s: number, type: string, payload: string): void {
    if (!type.startsWith("+") && !type.startsWith("-")) return;
    const at = Date.now();
    this.events.push({ s, at, type, payload });
    const st = this.state[s]!;
    const words = payload.split(" ");
    switch (type) {
      case "+new-epoch":
        st.lastNewEpoch = Number(words[0]);
        break;
      case "+vote-for-leader":
        if (words[0] === this.myIds[s]) st.selfVote = Number(words[1]);
        break;
      case "+try-failover":
        st.failoverEpoch = undefined;
        break;
      case "+elected-leader":
        st.failoverEpoch = st.selfVote ?? st.lastNewEpoch;
        this.leaders.push({ s, epoch: st.failoverEpoch });
        break;
      case "+failover-state-wait-promotion":
      case "+promoted-slave": {
        const replica = words[1] ?? "?";
        const epoch = st.failoverEpoch ?? st.selfVote;
        if (!this.promotions.some((p) => p.s === s && p.epoch === epoch && p.replica === replica)) this.promotions.push({ s, epoch, replica });
        break;
      }
    }
    for (const w of this.waiters) w();
  }

  private async sampleLoop(): Promise<void> {
    const c = this.cluster;
    while (this.sampling) {
      await Promise.all(
        c.sentinels.map(async (s, i) => {
          if (existsSync(s.conf)) {
            try {
              this.samples.push({ s: i, at: Date.now(), source: "file", ...fileEpochs(readFileSync(s.conf, "utf8"), c.name) });
            } catch {
              // being replaced: next round
            }
          }
          if (!s.running() || s.stopped) return;
          try {
            const m = pairs(await call(s.host, s.port, ["SENTINEL", "MASTER", c.name], 500));
            this.samples.push({ s: i, at: Date.now(), source: "api", configEpoch: Number(m["config-epoch"]), addr: `${m.ip}:${m.port}`, flags: m.flags });
          } catch {
            // stalled or restarting: skip
          }
        }),
      );
      await sleep(150);
    }
  }

  /**
   * Resolve with the first event matching `pred` that arrived at or after `since` (default: now).
   */
  waitEvent(pred: (e: SentinelEventRecord) => boolean, timeoutMs: number, since = Date.now()): Promise<SentinelEventRecord> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const e = this.events.find((x) => x.at >= since && pred(x));
        if (!e) return false;
        cleanup();
        resolve(e);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching sentinel event within ${timeoutMs} ms; events: ${this.describeEvents(since)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter = () => void check();
      this.waiters.add(waiter);
      check();
    });
  }

  /** The last event of sentinel `s` received before `t`. */
  lastEventBefore(s: number, t: number): SentinelEventRecord | undefined {
    return this.events.filter((e) => e.s === s && e.at <= t).at(-1);
  }

  describeEvents(since = 0): string {
    return this.events
      .filter((e) => e.at >= since)
      .map((e) => `S${e.s} ${e.type} ${e.payload}`)
      .join(" | ");
  }

  async stop(): Promise<void> {
    this.sampling = false;
    await this.sampler;
    for (const s of this.subs) s.disconnect();
  }

  /** Distinct epochs in which some sentinel sent SLAVEOF NO ONE. */
  failoverEpochs(): number[] {
    return [...new Set(this.promotions.map((p) => p.epoch).filter((e): e is number => e !== undefined))].sort((a, b) => a - b);
  }

  /** Every safety violation seen: epochs going backwards, two leaders/promotions in an epoch, one config epoch naming two masters. */
  problems(): string[] {
    const out: string[] = [];
    const fields = ["currentEpoch", "configEpoch", "leaderEpoch"] as const;
    for (let s = 0; s < this.cluster.sentinels.length; s++) {
      for (const source of ["file", "api"] as const) {
        for (const f of fields) {
          let prev: number | undefined;
          for (const x of this.samples) {
            const v = x.s === s && x.source === source ? x[f] : undefined;
            if (v === undefined || Number.isNaN(v)) continue;
            if (prev !== undefined && v < prev) out.push(`S${s} ${source} ${f} went backwards: ${prev} -> ${v}`);
            prev = v;
          }
        }
      }
    }
    const byEpoch = new Map<number, Set<string>>();
    for (const l of this.leaders) if (l.epoch !== undefined) byEpoch.set(l.epoch, new Set([...(byEpoch.get(l.epoch) ?? []), `S${l.s}`]));
    for (const [e, who] of byEpoch) if (who.size > 1) out.push(`epoch ${e} had ${who.size} leaders: ${[...who].join(", ")}`);
    const promoted = new Map<number, Set<string>>();
    for (const p of this.promotions) if (p.epoch !== undefined) promoted.set(p.epoch, new Set([...(promoted.get(p.epoch) ?? []), `S${p.s}->${p.replica}`]));
    for (const [e, what] of promoted) if (what.size > 1) out.push(`epoch ${e} had ${what.size} promotions: ${[...what].join(", ")}`);
    const named = new Map<number, Set<string>>();
    for (const x of this.samples) {
      if (x.source !== "api" || x.configEpoch === undefined || x.addr === undefined) continue;
      // The leader sets the config epoch when the promoted replica reports role:master, a moment before
      // +switch-master changes the address; the failover flags cover that window.
      if (/failover_in_progress|promoted/.test(x.flags ?? "")) continue;
      named.set(x.configEpoch, new Set([...(named.get(x.configEpoch) ?? []), x.addr]));
    }
    for (const [e, addrs] of named) if (addrs.size > 1) out.push(`config epoch ${e} named ${addrs.size} masters: ${[...addrs].join(", ")}`);
    return out;
  }
}

/** What a scenario step can use. */
export interface ScenarioContext {
  readonly cluster: FaultCluster;
  readonly observer: Observer;
  /** Add a line to the scenario's notes (what happened, for the report). */
  note(line: string): void;
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  /** Apply the faults; leave healing to {@link runScenario} (it heals, resumes and restarts everything). */
  run(ctx: ScenarioContext): Promise<void>;
}

export interface ScenarioResult {
  readonly kind: Kind;
  readonly scenario: string;
  readonly variant: string;
  readonly lost: LostCounts;
  /** Epochs in which a promotion happened during the scenario. */
  readonly failoverEpochs: number[];
  /** Failover attempts (`+try-failover`, all sentinels) and aborts (`-failover-abort-*`, by reason). */
  readonly attempts: number;
  readonly aborts: Record<string, number>;
  /** Time from the first fault to the moment all running sentinels agreed on a new master (ms), if one. */
  readonly failoverMs: number | undefined;
  readonly oldMaster: string;
  readonly finalMaster: string;
  readonly healMs: number;
  readonly durationMs: number;
  readonly notes: string[];
  readonly problems: string[];
}

const others = (c: FaultCluster, n: Node) => [...c.sentinels, ...c.data].filter((x) => x !== n).map((x) => x.host);

/**
 * The fault schedules. Every one starts from a healed cluster with the writer running and ends with
 * every fault removed. Timings assume down-after 1000 ms, failover-timeout 3000 ms.
 */
export const SCENARIOS: Record<string, Scenario> = {
  jepsen: {
    name: "jepsen",
    title: "master cut off from every sentinel and replica for 6 s, still reachable by the writer",
    async run({ cluster: c, note }) {
      const m = await currentMaster(c);
      c.fw.cut(m.host, others(c, m));
      await sleep(6000);
      c.fw.heal();
      note(`cut ${m.addr} off for 6000 ms`);
    },
  },
  split: {
    name: "split",
    title: "1|2 sentinel split during the election (master killed; the first candidate is cut off from the other sentinels for 10 s)",
    async run({ cluster: c, observer: o, note }) {
      const m = await currentMaster(c);
      const since = Date.now();
      await m.kill9();
      const e = await o.waitEvent((x) => x.type === "+try-failover", 20000, since);
      const x = c.sentinels[e.s]!;
      c.fw.cut(
        x.host,
        c.sentinels.filter((s) => s !== x).map((s) => s.host),
      );
      note(`killed ${m.addr}; S${e.s} +try-failover at ${e.at - since} ms; split S${e.s} | others ${Date.now() - e.at} ms later`);
      await sleep(10000);
      c.fw.heal();
    },
  },
  flapping: {
    name: "flapping",
    title: "the master's links to every sentinel and replica cut and healed every 300 ms for 10 s",
    async run({ cluster: c, note }) {
      const m = await currentMaster(c);
      const peers = others(c, m);
      const end = Date.now() + 10000;
      let down = false;
      let flips = 0;
      while (Date.now() < end) {
        if (down) c.fw.heal(m.host, peers);
        else c.fw.cut(m.host, peers);
        down = !down;
        flips++;
        await sleep(300);
      }
      c.fw.heal();
      note(`${flips} flips of ${m.addr}'s links`);
    },
  },
  "stop-leader": {
    name: "stop-leader",
    title: "master killed; the elected leader SIGSTOPped mid-failover for 8 s (> 2 x failover-timeout)",
    async run({ cluster: c, observer: o, note }) {
      const m = await currentMaster(c);
      const since = Date.now();
      await m.kill9();
      const e = await o.waitEvent((x) => x.type === "+elected-leader", 20000, since);
      const leader = c.sentinels[e.s]!;
      leader.pause();
      const at = Date.now();
      note(`killed ${m.addr}; S${e.s} elected; SIGSTOP ${at - e.at} ms later, its last event seen: ${o.lastEventBefore(e.s, at)?.type}`);
      await sleep(8000);
      leader.resume();
    },
  },
  "kill-leader": {
    name: "kill-leader",
    title: "master killed; kill -9 of the leader right after +promoted-slave, restarted 8 s later",
    async run({ cluster: c, observer: o, note }) {
      const m = await currentMaster(c);
      const since = Date.now();
      await m.kill9();
      const e = await o.waitEvent((x) => x.type === "+promoted-slave", 20000, since);
      const leader = c.sentinels[e.s]!;
      await leader.kill9();
      note(`killed ${m.addr}; S${e.s} promoted ${e.payload.split(" ")[1]}; kill -9 S${e.s} ${Date.now() - e.at} ms later`);
      await sleep(8000);
      await leader.start();
    },
  },
  "old-master-returns": {
    name: "old-master-returns",
    title: "master SIGSTOPped; SIGCONT as soon as the leader reconfigures the replicas",
    async run({ cluster: c, observer: o, note }) {
      const m = await currentMaster(c);
      const since = Date.now();
      m.pause();
      const e = await o.waitEvent((x) => x.type === "+failover-state-reconf-slaves", 30000, since);
      m.resume();
      note(`SIGSTOP ${m.addr}; S${e.s} +failover-state-reconf-slaves after ${e.at - since} ms; SIGCONT ${Date.now() - e.at} ms later`);
    },
  },
  tilt: {
    name: "tilt",
    title: "one sentinel SIGSTOPped 3 s (> TILT trigger 2 s); then the master is killed",
    async run({ cluster: c, observer: o, note }) {
      const s = c.sentinels.length - 1;
      const stalled = c.sentinels[s]!;
      const since = Date.now();
      stalled.pause();
      await sleep(3000);
      stalled.resume();
      const t = await o.waitEvent((x) => x.s === s && x.type === "+tilt", 10000, since);
      const m = await currentMaster(c);
      await m.kill9();
      note(`S${s} stalled 3000 ms, +tilt ${t.at - since} ms after the stop; killed ${m.addr}`);
      // The other two fail over; the tilted one must follow their configuration.
      await waitFor(
        async () => {
          const views = await Promise.all(
            c.sentinels.slice(0, s).map(async (x) => pairs(await call(x.host, x.port, ["SENTINEL", "MASTER", c.name])).port),
          );
          return views.every((p) => p !== undefined && p !== String(m.port));
        },
        30000,
        100,
        "failover by the two healthy sentinels",
      );
    },
  },
};

/** Long and extra variants (VIGIL_LONG_TESTS=1). */
export const EXTRA_SCENARIOS: Record<string, Scenario> = {
  "jepsen-30s": {
    name: "jepsen-30s",
    title: "the Jepsen case with a 30 s cut",
    async run({ cluster: c, note }) {
      const m = await currentMaster(c);
      c.fw.cut(m.host, others(c, m));
      await sleep(30000);
      c.fw.heal();
      note(`cut ${m.addr} off for 30000 ms`);
    },
  },
  "isolated-candidate": {
    name: "isolated-candidate",
    title: "master killed; the first candidate is cut off from every other node (sentinels and data) for 10 s",
    async run({ cluster: c, observer: o, note }) {
      const m = await currentMaster(c);
      const since = Date.now();
      await m.kill9();
      const e = await o.waitEvent((x) => x.type === "+try-failover", 20000, since);
      const x = c.sentinels[e.s]!;
      c.fw.cut(x.host, others(c, x));
      note(`killed ${m.addr}; isolated S${e.s} ${Date.now() - e.at} ms after its +try-failover`);
      await sleep(10000);
      c.fw.heal();
    },
  },
  "flapping-sentinels": {
    name: "flapping-sentinels",
    title: "one sentinel's links to the other sentinels flap every 300 ms for 10 s; the master is killed 2 s in",
    async run({ cluster: c, note }) {
      const x = c.sentinels[0]!;
      const rest = c.sentinels.slice(1).map((s) => s.host);
      const end = Date.now() + 10000;
      const killAt = Date.now() + 2000;
      let down = false;
      let killed = "";
      while (Date.now() < end) {
        if (down) c.fw.heal(x.host, rest);
        else c.fw.cut(x.host, rest);
        down = !down;
        if (!killed && Date.now() >= killAt) {
          const m = await currentMaster(c).catch(() => undefined);
          if (m) {
            killed = m.addr;
            await m.kill9();
          }
        }
        await sleep(300);
      }
      c.fw.heal();
      note(`S0 flapping against S1, S2; killed ${killed || "nothing (no agreed master)"}`);
    },
  },
  "stop-leader-short": {
    name: "stop-leader-short",
    title: "master killed; the elected leader SIGSTOPped for 1 s (< failover-timeout) and resumed",
    async run({ cluster: c, observer: o, note }) {
      const m = await currentMaster(c);
      const since = Date.now();
      await m.kill9();
      const e = await o.waitEvent((x) => x.type === "+elected-leader", 20000, since);
      const leader = c.sentinels[e.s]!;
      leader.pause();
      note(`killed ${m.addr}; S${e.s} elected; SIGSTOP 1000 ms`);
      await sleep(1000);
      leader.resume();
    },
  },
  "crash-after-promotion": {
    name: "crash-after-promotion",
    title: "SENTINEL SIMULATE-FAILURE crash-after-promotion on every sentinel; master killed; the leader exits at +promoted-slave",
    async run({ cluster: c, observer: o, note }) {
      await Promise.all(c.sentinels.map((s) => call(s.host, s.port, ["SENTINEL", "SIMULATE-FAILURE", "crash-after-promotion"])));
      const m = await currentMaster(c);
      const since = Date.now();
      await m.kill9();
      // The flag must not crash the next leader too: clear it everywhere but on the elected one.
      const e = await o.waitEvent((x) => x.type === "+elected-leader", 20000, since);
      const leader = c.sentinels[e.s]!;
      await Promise.all(c.sentinels.filter((s) => s !== leader).map((s) => call(s.host, s.port, ["SENTINEL", "SIMULATE-FAILURE", "help"]).catch(() => {})));
      // Its +promoted-slave may die in its output buffer: wait for the exit itself.
      await waitFor(() => !leader.running(), 20000, 20, "the leader's simulated crash after promotion");
      note(`killed ${m.addr}; S${e.s} elected and exited at its promotion (status ${leader.child?.exitCode})`);
      await sleep(8000);
      await leader.start();
    },
  },
};
Object.assign(SCENARIOS, EXTRA_SCENARIOS);

/** Scenarios in the default (fast) set, in run order. */
export const FAST_SCENARIOS = ["jepsen", "split", "flapping", "stop-leader", "kill-leader", "old-master-returns", "tilt"] as const;

/**
 * Run one scenario on a (reused) cluster: repair it, start the observer and the writer, apply the
 * faults, heal everything (resume, restart dead sentinels, restart a dead master as a replica of the
 * agreed master), wait for a healed topology, let the writer write to the new master, and count.
 */
export interface RunOptions {
  /** Short name of the configuration, for the report (e.g. "min-replicas 1/2", "fenced"). */
  readonly variant?: string;
  readonly dataExtra?: readonly string[];
  readonly healTimeoutMs?: number;
  /** The writer follows `+switch-master` (ioredis `failoverDetector`). */
  readonly followSwitch?: boolean;
  /** Called on the healed cluster before the writer starts (e.g. wait for Vigil's write fence). */
  readonly beforeFault?: (cluster: FaultCluster) => Promise<void>;
}

export async function runScenario(cluster: FaultCluster, scenario: Scenario, opts: RunOptions = {}): Promise<ScenarioResult> {
  await repair(cluster);
  await opts.beforeFault?.(cluster);
  const observer = await Observer.start(cluster);
  const notes: string[] = [];
  const oldMaster = (await currentMaster(cluster)).addr;
  const writer = startWriter(cluster, { key: `writes:${scenario.name}:${Date.now()}`, followSwitch: opts.followSwitch });
  const t0 = Date.now();
  let healMs = 0;
  let faultAt: number | undefined;
  let finalMaster = "";
  let lost: LostCounts | undefined;
  const problems: string[] = [];
  try {
    await waitFor(() => writer.ackedCount() > 20, 15000, 20, "writer acknowledged writes");
    faultAt = Date.now();
    await scenario.run({ cluster, observer, note: (l) => notes.push(l) });
    // Heal whatever the schedule left: rules, stopped processes, dead sentinels.
    cluster.fw.heal();
    for (const n of [...cluster.data, ...cluster.sentinels]) if (n.stopped) n.resume();
    await Promise.all(cluster.sentinels.filter((s) => !s.running()).map((s) => s.start()));
    const healedAt = Date.now();
    finalMaster = await waitHealed(cluster, opts.healTimeoutMs ?? 60000);
    const dead = cluster.data.filter((n) => !n.running());
    if (dead.length > 0) {
      const m = nodeAt(cluster, finalMaster);
      await Promise.all(dead.map((n) => restartAsReplica(n, m)));
      notes.push(`restarted ${dead.map((n) => n.addr).join(", ")} as replica(s)`);
      finalMaster = await waitHealed(cluster, opts.healTimeoutMs ?? 60000);
    }
    healMs = Date.now() - healedAt;
    const before = writer.ackedCount();
    await waitFor(() => writer.ackedCount() > before + 100, 30000, 20, "writer writing to the new master");
  } finally {
    const result = await writer.stop();
    await observer.stop();
    if (finalMaster !== "") lost = await kitCountLost(nodeAt(cluster, finalMaster), result, faultAt);
  }
  if (process.env.VIGIL_FAULT_LOGS === "1") {
    console.log(
      observer.events
        .filter((e) => e.at >= t0 && !/^[+-](sdown|odown)$/.test(e.type) === true)
        .map((e) => `${String(e.at - t0).padStart(6)} S${e.s} ${e.type} ${e.payload}`)
        .join("\n"),
    );
  }
  problems.push(...observer.problems());
  const epochs = observer.failoverEpochs();
  const aborts: Record<string, number> = {};
  for (const e of observer.events) if (e.type.startsWith("-failover-abort")) aborts[e.type.slice(16)] = (aborts[e.type.slice(16)] ?? 0) + 1;
  const switched = observer.events.find((e) => e.type === "+switch-master" && e.at >= t0);
  return {
    attempts: observer.events.filter((e) => e.type === "+try-failover").length,
    aborts,
    failoverMs: switched ? switched.at - (faultAt ?? t0) : undefined,
    kind: cluster.kind,
    scenario: scenario.name,
    variant: opts.variant ?? (opts.dataExtra?.length ? "min-replicas 1/2" : "-"),
    lost: lost!,
    failoverEpochs: epochs,
    oldMaster,
    finalMaster,
    healMs,
    durationMs: Date.now() - t0,
    notes,
    problems,
  };
}

/** A plain-text table of results, for the test output and docs/reliability.md. */
export function formatResults(results: readonly ScenarioResult[]): string {
  const head = ["scenario", "daemon", "variant", "failovers", "attempts/aborts", "switch ms", "acked", "lost", "loss window ms", "refused", "durable gap ms", "heal ms", "notes"];
  const rows = results.map((r) => [
    r.scenario,
    r.kind === "vigil" ? "Vigil" : "redis-sentinel",
    r.variant,
    String(r.failoverEpochs.length),
    `${r.attempts}/${
      Object.entries(r.aborts)
        .map(([k, v]) => `${v} ${k}`)
        .join(",") || 0
    }`,
    String(r.failoverMs ?? "-"),
    String(r.lost?.acked ?? "-"),
    String(r.lost?.lost ?? "-"),
    String(r.lost?.lossWindowMs ?? "-"),
    String(r.lost?.refused ?? "-"),
    String(r.lost?.durableGapMs ?? "-"),
    String(r.healMs),
    r.notes.join("; "),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join(" | ");
  return [line(head), ...rows.map(line)].join("\n");
}

/** Everything a failed scenario needs for diagnosis: the tail of every process's log. */
export function clusterLogs(cluster: FaultCluster, lines = 60): string {
  return [...cluster.data, ...cluster.sentinels]
    .map((n) => `----- ${n.label} -----\n${n.log().split("\n").slice(-lines).join("\n")}`)
    .join("\n");
}

/** Wait until Vigil applied its write fence (`min-replicas-to-write 1`) on the current master. */
export async function waitFenced(c: FaultCluster): Promise<void> {
  await waitFor(
    async () => {
      const m = await currentMaster(c);
      return ((await call(m.host, m.port, ["CONFIG", "GET", "min-replicas-to-write"])) as string[])[1] === "1";
    },
    20000,
    100,
    "Vigil's write fence on the master",
  );
}

/**
 * What fencing can guarantee for a master cut off from everything. Redis counts a replica as good while
 * `unixtime - last_ack_unixtime <= min-replicas-max-lag` (1 s), in whole seconds, and refreshes that
 * count only in its once-a-second replication cron once ACKs stop arriving. With the cut at second
 * fraction f and the cron at phase p, the master stops acknowledging after (1 or 2) - f + p seconds:
 * anywhere in (0, 3) s, 1.5 s on average. Plus 0.5 s for scheduling on a loaded machine.
 */
export const FENCED_LOSS_BOUND_MS = 3500;

/**
 * The count ratio a single Jepsen run can be held to. The issue's target is 10% of Sentinel's count;
 * Sentinel loses fault + ~10 s (16–17 s in this scenario), fencing 1.5 s on average, so the target
 * holds on average but not in every run (up to 3 s / 16 s ≈ 19%): the test enforces the physical
 * bound and prints the ratio against the target (docs/reliability.md).
 */
export const FENCED_JEPSEN_MAX_RATIO = 0.25;

/**
 * Fenced Vigil against plain redis-sentinel in the same scenario. The Jepsen case: the loss window
 * within {@link FENCED_LOSS_BOUND_MS} and the count within {@link FENCED_JEPSEN_MAX_RATIO} of
 * Sentinel's. Elsewhere: never a longer loss window than Sentinel's (+1 s of INFO-period phase).
 */
export async function fencedAgainstSentinel(f: ScenarioResult, s: ScenarioResult): Promise<void> {
  const { expect } = await import("vitest");
  const pct = (a: number, b: number) => (b === 0 ? "-" : `${((100 * a) / b).toFixed(1)}%`);
  console.log(
    `${f.scenario}: fenced Vigil lost ${f.lost.lost} of ${f.lost.acked} acknowledged (window ${f.lost.lossWindowMs} ms); redis-sentinel lost ${s.lost.lost} of ${s.lost.acked} (window ${s.lost.lossWindowMs} ms); ratio ${pct(f.lost.lost, s.lost.lost)} of the count (target 10%), ${pct(f.lost.lossWindowMs, s.lost.lossWindowMs)} of the window`,
  );
  if (f.scenario === "jepsen") {
    expect(s.failoverEpochs.length, "Sentinel failed over (otherwise there is nothing to compare)").toBeGreaterThan(0);
    expect.soft(f.lost.lossWindowMs, "jepsen: fenced Vigil's loss window within the fencing bound").toBeLessThanOrEqual(FENCED_LOSS_BOUND_MS);
    expect.soft(f.lost.lost, "jepsen: fenced Vigil's lost writes within the fencing bound's share of Sentinel's").toBeLessThanOrEqual(
      FENCED_JEPSEN_MAX_RATIO * s.lost.lost,
    );
  } else {
    expect.soft(f.lost.lossWindowMs, `${f.scenario}: fenced Vigil vs Sentinel`).toBeLessThanOrEqual(Math.max(s.lost.lossWindowMs + 1000, FENCED_LOSS_BOUND_MS));
  }
}

/** Options of {@link defineFaultSuite}. */
export interface FaultSuiteOptions {
  /** Scenario names, run in this order on one cluster per daemon kind. */
  readonly scenarios: readonly string[];
  /** Lines for every data node's redis.conf (e.g. `min-replicas-to-write 1`). */
  readonly dataExtra?: readonly string[];
  /** Per daemon kind, instead of `dataExtra`. */
  readonly dataExtraFor?: Partial<Record<Kind, readonly string[]>>;
  /** Lines for every sentinel.conf, per daemon kind (`%NAME%` is the master name). */
  readonly sentinelExtra?: Partial<Record<Kind, readonly string[]>>;
  /** Label for the describe blocks. */
  readonly label?: string;
  /** Per daemon kind: the variant name in the report (default: "-" or "min-replicas 1/2"). */
  readonly variantFor?: Partial<Record<Kind, string>>;
  /** Per daemon kind: called on the healed cluster before each scenario's writer starts. */
  readonly beforeFault?: Partial<Record<Kind, (cluster: FaultCluster) => Promise<void>>>;
  readonly followSwitch?: boolean;
  /**
   * Scenarios run once more on the Vigil cluster with write fencing switched on at run time
   * (`SENTINEL SET <master> vigil-fence-writes yes`), then compared with redis-sentinel's plain run
   * of the same scenario by {@link fencedAgainstSentinel}.
   */
  readonly fenced?: readonly string[];
  /**
   * The cross-daemon assertion for one scenario (default {@link notMoreThanSentinel}). Called with
   * the worst Vigil run and the worst redis-sentinel run of the scenario.
   */
  readonly compare?: (vigil: ScenarioResult, sentinel: ScenarioResult) => void | Promise<void>;
}

/**
 * Upper bound of the loss window whatever the daemon, when the failover outcome itself is a matter of
 * timing (one daemon failed over, the other did not): everything the old master acknowledged from the
 * fault until its demotion, i.e. the fault plus Sentinel's 8 s (4 × publish period) wait before
 * converting a returning master, plus one INFO period.
 */
export const LOSS_BOUND_MS: Record<string, number> = {
  jepsen: 6000 + 8000 + 10000,
  flapping: 10000 + 8000 + 10000,
  "flapping-sentinels": 10000 + 8000 + 10000,
  "old-master-returns": 8000 + 10000 + 5000,
};

/**
 * Vigil's own bound with its stale-master fence (on by default): a live old master stops acknowledging
 * writes as soon as one sentinel reaches it after the failover, so the loss window is the time the
 * old master is unreachable plus one reconnection (a SYN retransmitted after 1 s at worst), an INFO
 * and the two-command fence: fault + 3 s. Sentinel's conversion wait (8 s) and INFO phase (≤ 10 s) are
 * gone from it (docs/reliability.md).
 */
export const VIGIL_LOSS_BOUND_MS: Record<string, number> = {
  jepsen: 6000 + 3000,
  flapping: 10000 + 3000,
  "flapping-sentinels": 10000 + 3000,
  "old-master-returns": 3000,
  "jepsen-30s": 30000 + 3000,
};

/**
 * Scenarios whose outcome (whether anyone fails over, and when) is decided by TCP retransmission
 * timing against the fault's rhythm, not by the algorithm: compared against {@link LOSS_BOUND_MS},
 * with the difference printed (docs/reliability.md explains why Vigil loses more there without fencing).
 */
export const TIMING_DEPENDENT = new Set(["flapping", "flapping-sentinels"]);

/**
 * Default comparison. Same number of failovers: Vigil's loss window (first to last lost write; unlike
 * the count it does not depend on how fast a loaded machine wrote) is at most Sentinel's plus 1 s (the
 * phase of the 10 s INFO period decides when a returning master is demoted, by either daemon). When the
 * number of failovers differs, or the scenario is {@link TIMING_DEPENDENT}, Vigil's window must stay
 * within the scenario's {@link LOSS_BOUND_MS}, and the comparison is printed.
 */
export async function notMoreThanSentinel(v: ScenarioResult, s: ScenarioResult): Promise<void> {
  const { expect } = await import("vitest");
  const own = VIGIL_LOSS_BOUND_MS[v.scenario];
  if (own !== undefined && v.variant === "-") {
    expect.soft(v.lost.lossWindowMs, `${v.scenario}: Vigil's loss window within its stale-master-fence bound`).toBeLessThanOrEqual(own);
  }
  if (v.failoverEpochs.length === s.failoverEpochs.length && !TIMING_DEPENDENT.has(v.scenario)) {
    expect.soft(v.lost.lossWindowMs, `${v.scenario}: Vigil's loss window vs Sentinel's`).toBeLessThanOrEqual(s.lost.lossWindowMs + 1000);
    return;
  }
  console.warn(
    `${v.scenario}: Vigil ${v.failoverEpochs.length} failover(s), loss window ${v.lost.lossWindowMs} ms (${v.lost.lost} lost); redis-sentinel ${s.failoverEpochs.length} failover(s), ${s.lost.lossWindowMs} ms (${s.lost.lost} lost)`,
  );
  expect.soft(v.lost.lossWindowMs, `${v.scenario}: Vigil's loss window vs the scenario's bound`).toBeLessThanOrEqual(
    Math.max(s.lost.lossWindowMs + 1000, LOSS_BOUND_MS[v.scenario] ?? 1000),
  );
}

/**
 * Declare the vitest suite for a set of scenarios: for Vigil, then for redis-sentinel, one cluster
 * each (started in beforeAll, removed in afterAll), one test per scenario asserting a healed
 * topology and no safety violation; then one test comparing lost writes (Vigil never loses more
 * than Sentinel in the same scenario). Results are printed, and appended as JSON lines to
 * `$VIGIL_FAULT_REPORT` when set.
 */
export async function defineFaultSuite(opts: FaultSuiteOptions): Promise<void> {
  const { afterAll, beforeAll, describe, expect, it } = await import("vitest");
  const { appendFileSync } = await import("node:fs");
  const kit = await import("./fault-kit.mjs");
  const results: ScenarioResult[] = [];
  /** Runs of `opts.fenced` (fencing switched on at run time on the Vigil cluster). */
  const fencedResults: ScenarioResult[] = [];
  // Debug filters (docs/reliability.md): VIGIL_FAULT_ONLY=jepsen,split  VIGIL_FAULT_DAEMONS=vigil  VIGIL_FAULT_REPEAT=3
  const only = process.env.VIGIL_FAULT_ONLY?.split(",").filter(Boolean);
  const scenarios = opts.scenarios.filter((n) => !only || only.includes(n)).flatMap((n) => Array.from({ length: Number(process.env.VIGIL_FAULT_REPEAT ?? 1) }, () => n));
  const daemons = (process.env.VIGIL_FAULT_DAEMONS?.split(",") ?? ["vigil", "redis"]).filter((d): d is Kind => d === "vigil" || d === "redis");
  const fenced = (opts.fenced ?? []).filter((n) => scenarios.includes(n));
  const label = opts.label ?? (opts.dataExtra?.length ? "min-replicas-to-write 1" : "no min-replicas");

  for (const kind of daemons) {
    describe(`${kind === "vigil" ? "Vigil" : "redis-sentinel"} (${label})`, () => {
      let c: FaultCluster | undefined;
      beforeAll(async () => {
        kit.requireTool("iptables");
        c = await kit.startFaultCluster({ kind, dataExtra: opts.dataExtraFor?.[kind] ?? opts.dataExtra, sentinelExtra: opts.sentinelExtra?.[kind], downAfter: 1000, failoverTimeout: 3000 });
      }, 120000);
      afterAll(async () => {
        if (c) await kit.stopFaultCluster(c);
      });
      for (const name of scenarios) {
        const scenario = SCENARIOS[name];
        if (!scenario) throw new Error(`unknown scenario ${name}`);
        it(`${name}: ${scenario.title}`, async ({ onTestFailed }) => {
          onTestFailed(() => console.error(c ? clusterLogs(c) : "no cluster"));
          const r = await runScenario(c!, scenario, {
            variant: opts.variantFor?.[kind] ?? (opts.dataExtra?.length ? "min-replicas 1/2" : "-"),
            dataExtra: opts.dataExtraFor?.[kind] ?? opts.dataExtra,
            followSwitch: opts.followSwitch,
            beforeFault: opts.beforeFault?.[kind],
          });
          results.push(r);
          console.log(formatResults([r]));
          if (process.env.VIGIL_FAULT_LOGS === "1") console.log(clusterLogs(c!, 200));
          if (process.env.VIGIL_FAULT_REPORT) appendFileSync(process.env.VIGIL_FAULT_REPORT, `${JSON.stringify({ ...r, label })}\n`);
          expect(r.problems).toEqual([]);
          expect(r.lost).toBeDefined();
        }, 240000);
      }
      if (kind !== "vigil") return;
      for (const name of fenced) {
        const scenario = SCENARIOS[name]!;
        it(`${name}, Vigil with write fencing: ${scenario.title}`, async ({ onTestFailed }) => {
          onTestFailed(() => console.error(c ? clusterLogs(c) : "no cluster"));
          const setFence = (on: string) => Promise.all(c!.sentinels.map((x) => call(x.host, x.port, ["SENTINEL", "SET", c!.name, "vigil-fence-writes", on])));
          try {
            const r = await runScenario(c!, scenario, {
              variant: "fenced",
              followSwitch: opts.followSwitch,
              beforeFault: async (cl) => {
                await setFence("yes");
                await waitFenced(cl);
              },
            });
            fencedResults.push(r);
            console.log(formatResults([r]));
            if (process.env.VIGIL_FAULT_REPORT) appendFileSync(process.env.VIGIL_FAULT_REPORT, `${JSON.stringify({ ...r, label })}\n`);
            expect(r.problems).toEqual([]);
            expect(r.lost).toBeDefined();
          } finally {
            await setFence("no").catch(() => {});
          }
        }, 240000);
      }
    });
  }

  describe(`lost writes, Vigil vs redis-sentinel (${label})`, () => {
    it(opts.compare ? "Vigil against redis-sentinel" : "Vigil never loses more than redis-sentinel in the same scenario", async () => {
      console.log(formatResults([...results, ...fencedResults]));
      if (daemons.length < 2) return;
      for (const name of new Set(scenarios)) {
        // With repeats, compare the worst run of each.
        const worst = (kind: Kind) =>
          results.filter((r) => r.kind === kind && r.scenario === name).sort((a, b) => b.lost.lossWindowMs - a.lost.lossWindowMs)[0];
        const v = worst("vigil");
        const s = worst("redis");
        if (!v || !s) throw new Error(`scenario ${name} did not complete for both daemons`);
        await (opts.compare ?? notMoreThanSentinel)(v, s);
        const f = fencedResults.find((r) => r.scenario === name);
        if (fenced.includes(name)) {
          if (!f) throw new Error(`fenced run of ${name} did not complete`);
          await fencedAgainstSentinel(f, s);
        }
      }
    });
  });
}
