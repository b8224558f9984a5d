import { performance } from "node:perf_hooks";
import type { EngineInput, EngineOutput, SentinelEngine, SentinelEvent } from "@vigil/core";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { failoverStateAfter } from "../ops/failover-phases.js";
import { instanceKey, registerEngineGauges } from "./engine-gauges.js";

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
    registerEngineGauges(engine, registers);
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
    for (const m of this.engine.view().masters) for (const s of m.sentinels.values()) this.pingPeer.set(instanceKey(s), "sentinel");
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
