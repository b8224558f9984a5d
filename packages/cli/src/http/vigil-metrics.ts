import { performance } from "node:perf_hooks";
import type { EngineInput, EngineOutput, InstanceView, MasterView, SentinelEngine, SentinelEvent } from "@vigil/core";
import { linkDisconnected, refusedForMs, sentinelsSayingDown } from "@vigil/core";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { failoverStateAfter } from "../ops/failover-phases.js";

const FAILOVER_STATES = ["none", "wait_start", "select_slave", "send_slaveof_noone", "wait_promotion", "reconf_slaves", "update_config"] as const;
const MASTER_STATES = ["up", "sdown", "odown"] as const;
/** Switchover phases as the gauge labels them; `none` when no switchover is in progress. */
const SWITCHOVER_PHASES = ["none", "electing", "selecting", "handing-over", "reconfiguring"] as const;
/** Outcomes of `vigil_switchovers_total`: completed, or aborted with the `-switchover-abort` reason. */
const SWITCHOVER_OUTCOMES = ["completed", "not-elected", "no-good-slave", "handover-refused", "handover-timeout", "link-lost", "superseded"] as const;

/** Events that end a failover attempt, and the outcome label each one means. */
const FAILOVER_OUTCOMES: Readonly<Record<string, string>> = {
  "+failover-end": "success",
  "-failover-abort-not-elected": "abort_not_elected",
  "-failover-abort-no-good-slave": "abort_no_good_slave",
  "-failover-abort-slave-timeout": "abort_slave_timeout",
};

/** Counters the webhook sender reports into (kept here so every metric lives in one registry). */
export interface WebhookMetrics {
  delivered(): void;
  failed(): void;
  retried(): void;
  dropped(): void;
  queueLength(n: number): void;
}

/**
 * The Prometheus registry behind `/metrics`. State gauges are read from the engine at scrape time
 * (so they can never drift from it); counters and the failover phase histogram are fed by events
 * (one per transition, even when several happen in one step); ping latency is measured from the
 * runtime's steps.
 * Names are `vigil_*`; process and event-loop-lag metrics come from prom-client's defaults.
 */
export class VigilMetrics {
  readonly registry = new Registry();
  private readonly events: Counter<"type">;
  private readonly sdown: Counter<"master" | "kind">;
  private readonly crashSdown: Counter<"master" | "kind">;
  private readonly odown: Counter<"master">;
  private readonly elections: Counter<"master" | "outcome">;
  private readonly votes: Counter<"master">;
  private readonly failoversStarted: Counter<"master">;
  private readonly failovers: Counter<"master" | "outcome">;
  private readonly switchovers: Counter<"master" | "outcome">;
  private readonly tiltEntered: Counter;
  private readonly phaseDuration: Histogram<"master" | "phase">;
  private readonly pingLatency: Histogram<"peer">;
  private readonly lastPingLatency: Gauge<"address">;
  readonly webhook: WebhookMetrics;
  /** Unanswered PING per address: performance.now() of the first one sent. */
  private readonly pingSent = new Map<string, number>();
  private readonly pingPeer = new Map<string, "instance" | "sentinel">();
  /** When each master's failover machine entered its current state (performance.now()). */
  private readonly phaseSince = new Map<string, { state: string; since: number }>();
  /** Outcome suffix while a failover is ending after its reconfiguration timeout. */
  private readonly endedForTimeout = new Set<string>();

  constructor(private readonly engine: SentinelEngine) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    const self = this;
    const perMaster = (name: string, help: string, read: (m: MasterView) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ["master"],
        registers,
        collect() {
          this.reset();
          for (const m of self.engine.view().masters) this.set({ master: m.name }, read(m));
        },
      });
    new Gauge({
      name: "vigil_master_state",
      help: "1 for the master's current state as this Sentinel sees it (up, sdown, odown).",
      labelNames: ["master", "state"],
      registers,
      collect() {
        this.reset();
        for (const m of self.engine.view().masters) {
          const state = m.odown.state === "odown" ? "odown" : m.health.state === "sdown" ? "sdown" : "up";
          for (const s of MASTER_STATES) this.set({ master: m.name, state: s }, s === state ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: "vigil_master_failover_state",
      help: "1 for the failover machine's current state of each master.",
      labelNames: ["master", "state"],
      registers,
      collect() {
        this.reset();
        for (const m of self.engine.view().masters) for (const s of FAILOVER_STATES) this.set({ master: m.name, state: s }, m.failover.state === s ? 1 : 0);
      },
    });
    new Gauge({
      name: "vigil_master_address_info",
      help: "1 for the address clients are given for each master (GET-MASTER-ADDR-BY-NAME).",
      labelNames: ["master", "address"],
      registers,
      collect() {
        this.reset();
        for (const m of self.engine.view().masters) {
          const a = m.currentAddr;
          this.set({ master: m.name, address: `${a.host}:${a.port}` }, 1);
        }
      },
    });
    new Gauge({
      name: "vigil_instance_reported_role",
      help: "1 for the role each instance last reported in INFO (master or slave).",
      labelNames: ["master", "address", "kind", "role"],
      registers,
      collect() {
        this.reset();
        for (const m of self.engine.view().masters) {
          for (const inst of [m, ...m.replicas.values()]) {
            if (inst.roleReported !== null) this.set({ master: m.name, address: key(inst), kind: kindOf(inst), role: inst.roleReported }, 1);
          }
        }
      },
    });
    new Gauge({
      name: "vigil_instance_sdown",
      help: "1 when this Sentinel sees the instance subjectively down.",
      labelNames: ["master", "address", "kind"],
      registers,
      collect() {
        this.reset();
        for (const m of self.engine.view().masters) {
          for (const inst of instances(m)) this.set({ master: m.name, address: key(inst), kind: kindOf(inst) }, inst.health.state === "sdown" ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: "vigil_instance_link_up",
      help: "1 when every connection this Sentinel needs to the instance is up.",
      labelNames: ["master", "address", "kind"],
      registers,
      collect() {
        this.reset();
        for (const m of self.engine.view().masters) {
          for (const inst of instances(m)) this.set({ master: m.name, address: key(inst), kind: kindOf(inst) }, linkDisconnected(inst.link) ? 0 : 1);
        }
      },
    });
    new Gauge({
      name: "vigil_instance_last_reply_age_seconds",
      help: "Seconds since the instance last gave an acceptable PING reply.",
      labelNames: ["master", "address", "kind"],
      registers,
      collect() {
        this.reset();
        const now = Date.now();
        for (const m of self.engine.view().masters) {
          for (const inst of instances(m)) this.set({ master: m.name, address: key(inst), kind: kindOf(inst) }, Math.max(0, now - inst.link.lastAvailTime) / 1000);
        }
      },
    });
    new Gauge({
      name: "vigil_switchover_phase",
      help: "1 for the phase of the coordinated switchover in progress (electing, selecting, handing-over, reconfiguring), or none.",
      labelNames: ["master", "phase"],
      registers,
      collect() {
        this.reset();
        for (const m of self.engine.view().masters) {
          const phase = m.switchover && m.switchover.outcome === null ? m.switchover.phase : "none";
          for (const p of SWITCHOVER_PHASES) this.set({ master: m.name, phase: p }, p === phase ? 1 : 0);
        }
      },
    });
    perMaster("vigil_master_known_replicas", "Replicas known for the master.", (m) => m.replicas.size);
    perMaster("vigil_master_known_sentinels", "Other Sentinels known for the master (this one not counted).", (m) => m.sentinels.size);
    perMaster("vigil_master_quorum", "Configured quorum of the master.", (m) => m.settings.quorum);
    perMaster("vigil_master_crash_down_after_seconds", "vigil-crash-down-after of the master (0 = crash detection off).", (m) => m.settings.crashDownAfterMs / 1000);
    perMaster("vigil_master_refused_seconds", "How long every connection attempt to the master has been actively refused (0 = not refused).", (m) => refusedForMs(m.link) / 1000);
    perMaster("vigil_master_config_epoch", "Config epoch of the master.", (m) => m.configEpoch);
    perMaster("vigil_master_usable_sentinels", "Sentinels (this one included) not SDOWN, as SENTINEL CKQUORUM counts them.", (m) => {
      let n = 1;
      for (const s of m.sentinels.values()) if (s.health.state !== "sdown") n++;
      return n;
    });
    perMaster(
      "vigil_master_sentinels_agreeing",
      "Sentinels currently saying the master is down (this one only while it sees it SDOWN).",
      (m) => sentinelsSayingDown(m).count,
    );
    new Gauge({
      name: "vigil_current_epoch",
      help: "This Sentinel's current epoch.",
      registers,
      collect() {
        this.set(self.engine.currentEpoch());
      },
    });
    new Gauge({
      name: "vigil_tilt",
      help: "1 while this Sentinel is in TILT mode.",
      registers,
      collect() {
        this.set(self.engine.inTilt() ? 1 : 0);
      },
    });
    this.lastPingLatency = new Gauge({ name: "vigil_link_ping_latency_seconds", help: "Round trip of the last answered PING per address.", labelNames: ["address"], registers });
    this.pingLatency = new Histogram({
      name: "vigil_link_ping_rtt_seconds",
      help: "PING round trips, by peer kind (Redis instance or Sentinel).",
      labelNames: ["peer"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.events = new Counter({ name: "vigil_events_total", help: "Sentinel events produced, by type.", labelNames: ["type"], registers });
    this.sdown = new Counter({ name: "vigil_sdown_total", help: "Instances entering SDOWN, by master and kind.", labelNames: ["master", "kind"], registers });
    this.crashSdown = new Counter({
      name: "vigil_crash_sdown_total",
      help: "Instances entering SDOWN through crash detection (every connection refused for vigil-crash-down-after), by master and kind.",
      labelNames: ["master", "kind"],
      registers,
    });
    this.odown = new Counter({ name: "vigil_odown_total", help: "Masters entering ODOWN.", labelNames: ["master"], registers });
    this.elections = new Counter({ name: "vigil_elections_total", help: "Leader elections this Sentinel ran, by outcome (won, lost).", labelNames: ["master", "outcome"], registers });
    this.votes = new Counter({ name: "vigil_votes_total", help: "Votes cast by this Sentinel.", labelNames: ["master"], registers });
    this.failoversStarted = new Counter({ name: "vigil_failovers_started_total", help: "Failover attempts started (+try-failover).", labelNames: ["master"], registers });
    this.failovers = new Counter({
      name: "vigil_failovers_total",
      help: "Failover attempts ended, by outcome (success, success_after_timeout, abort_not_elected, abort_no_good_slave, abort_slave_timeout).",
      labelNames: ["master", "outcome"],
      registers,
    });
    this.switchovers = new Counter({
      name: "vigil_switchovers_total",
      help: `Coordinated switchovers this Sentinel led to an end, by outcome (${SWITCHOVER_OUTCOMES.join(", ")}; all but completed are aborts, the master kept its role).`,
      labelNames: ["master", "outcome"],
      registers,
    });
    this.tiltEntered = new Counter({ name: "vigil_tilt_total", help: "Times TILT mode was entered.", registers });
    this.phaseDuration = new Histogram({
      name: "vigil_failover_phase_duration_seconds",
      help: "Time spent in each failover state (wait_start, select_slave, ...), by master.",
      labelNames: ["master", "phase"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180],
      registers,
    });
    const delivered = new Counter({ name: "vigil_webhook_deliveries_total", help: "Webhook POSTs by outcome (delivered, failed after all retries).", labelNames: ["outcome"], registers });
    const retries = new Counter({ name: "vigil_webhook_retries_total", help: "Webhook delivery retries.", registers });
    const drops = new Counter({ name: "vigil_webhook_dropped_total", help: "Webhook events dropped because the queue was full (oldest first).", registers });
    const queue = new Gauge({ name: "vigil_webhook_queue_length", help: "Webhook events waiting to be delivered.", registers });
    this.webhook = {
      delivered: () => delivered.inc({ outcome: "delivered" }),
      failed: () => delivered.inc({ outcome: "failed" }),
      retried: () => retries.inc(),
      dropped: () => drops.inc(),
      queueLength: (n) => queue.set(n),
    };
  }

  /** Count one engine event. */
  onEvent(e: SentinelEvent): void {
    this.events.inc({ type: e.type });
    const master = e.master;
    if (e.type === "+tilt") this.tiltEntered.inc();
    if (master === undefined) return;
    this.zeroFor(master);
    const phase = failoverStateAfter(e.type);
    if (phase !== undefined) this.enterPhase(master, phase);
    switch (e.type) {
      case "+sdown":
        this.sdown.inc({ master, kind: e.payload.split(" ", 1)[0] ?? "unknown" });
        return;
      case "+crash-sdown":
        this.crashSdown.inc({ master, kind: e.payload.split(" ", 1)[0] ?? "unknown" });
        return;
      case "+odown":
        this.odown.inc({ master });
        return;
      case "+elected-leader":
        this.elections.inc({ master, outcome: "won" });
        return;
      case "-failover-abort-not-elected":
        this.elections.inc({ master, outcome: "lost" });
        break;
      case "+vote-for-leader":
        this.votes.inc({ master });
        return;
      case "+try-failover":
        this.failoversStarted.inc({ master });
        return;
      case "+failover-end-for-timeout":
        this.endedForTimeout.add(master);
        return;
      case "+switchover-end":
        this.switchovers.inc({ master, outcome: "completed" });
        return;
      case "-switchover-abort":
        this.switchovers.inc({ master, outcome: / #([a-z-]+)/.exec(e.payload)?.[1] ?? "unknown" });
        return;
    }
    const outcome = FAILOVER_OUTCOMES[e.type];
    if (outcome !== undefined) {
      const late = e.type === "+failover-end" && this.endedForTimeout.delete(master);
      this.failovers.inc({ master, outcome: late ? "success_after_timeout" : outcome });
    }
  }

  /** Failover phase durations: leaving a state observes the time spent in it. */
  private enterPhase(master: string, state: string): void {
    const now = performance.now();
    const prev = this.phaseSince.get(master);
    if (prev?.state === state) return;
    if (prev && prev.state !== "none") this.phaseDuration.observe({ master, phase: prev.state }, (now - prev.since) / 1000);
    this.phaseSince.set(master, { state, since: now });
  }

  /** PING round trips, measured where the runtime sends PINGs and delivers replies. */
  onStep(output: EngineOutput, cause: EngineInput | undefined): void {
    const now = performance.now();
    if (cause?.kind === "ping-reply") {
      const k = `${cause.addr.host}:${cause.addr.port}`;
      const sent = this.pingSent.get(k);
      if (sent !== undefined) {
        this.pingSent.delete(k);
        const rtt = (now - sent) / 1000;
        this.lastPingLatency.set({ address: k }, rtt);
        this.pingLatency.observe({ peer: this.pingPeer.get(k) ?? "instance" }, rtt);
      }
    } else if (cause?.kind === "link-down") {
      this.pingSent.delete(`${cause.addr.host}:${cause.addr.port}`);
    }
    for (const c of output.commands) {
      if (c.kind !== "ping") continue;
      const k = `${c.addr.host}:${c.addr.port}`;
      // Keep the first unanswered PING: a re-sent one must not hide the time already waited.
      if (!this.pingSent.has(k)) this.pingSent.set(k, now);
    }
  }

  /** Remember which addresses are Sentinels, for the histogram's `peer` label. */
  notePeers(): void {
    for (const m of this.engine.view().masters) for (const s of m.sentinels.values()) this.pingPeer.set(key(s), "sentinel");
  }

  /** The Prometheus text exposition. */
  async text(): Promise<{ contentType: string; body: string }> {
    this.notePeers();
    for (const m of this.engine.view().masters) this.zeroFor(m.name);
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Alerting on `increase(...)` needs the series to exist before the first increment. */
  private zeroFor(master: string): void {
    this.odown.inc({ master }, 0);
    this.elections.inc({ master, outcome: "won" }, 0);
    this.elections.inc({ master, outcome: "lost" }, 0);
    this.failoversStarted.inc({ master }, 0);
    for (const outcome of SWITCHOVER_OUTCOMES) this.switchovers.inc({ master, outcome }, 0);
    for (const outcome of ["success", "success_after_timeout", ...Object.values(FAILOVER_OUTCOMES).filter((o) => o !== "success")]) this.failovers.inc({ master, outcome }, 0);
  }
}

function instances(m: MasterView): InstanceView[] {
  return [m, ...m.replicas.values(), ...m.sentinels.values()];
}

function kindOf(inst: InstanceView): string {
  return inst.kind;
}

function key(inst: InstanceView): string {
  return `${inst.addr.host}:${inst.addr.port}`;
}
