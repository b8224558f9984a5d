import type { EngineInput, EngineOutput, EventLevel, SentinelEngine, SentinelEvent } from "@vigil/core";
import { EventStream } from "../http/event-stream.js";
import type { OpsHttpServer } from "../http/ops-http-server.js";
import type { VigilMetrics } from "../http/vigil-metrics.js";
import type { InspectorRelay } from "../inspect/inspector-relay.js";
import type { MachineInspector } from "../inspect/machine-inspector.js";
import type { WebhookSender } from "../webhooks/webhook-sender.js";
import { EngineObserver } from "./engine-observer.js";
import { EventTimeline } from "./event-timeline.js";
import { type TopologySnapshot, topologySnapshot } from "./topology-snapshot.js";


/** The HTTP listener's modules (node:http and the page), imported only with `vigil-http`. */
async function importHttp() {
  const [server, assets] = await Promise.all([import("../http/ops-http-server.js"), import("../http/static-assets.js")]);
  return { parseHostPort: server.parseHostPort, startOpsHttpServer: server.startOpsHttpServer, loadStaticAssets: assets.loadStaticAssets };
}

/** The Stately inspector's modules (@statelyai/inspect, ws), imported only with `--inspect`. */
async function importInspector() {
  const [relay, inspector, redact] = await Promise.all([
    import("../inspect/inspector-relay.js"),
    import("../inspect/machine-inspector.js"),
    import("../inspect/redact.js"),
  ]);
  return { startInspectorRelay: relay.startInspectorRelay, createMachineInspector: inspector.createMachineInspector, createRedactor: redact.createRedactor };
}

/** Longest a context-only machine change waits before the observer sees it (ms). */
const OBSERVE_SWEEP_MS = 250;
/** After a step with events, diff every step for this long (a failover moves through silent states). */
const OBSERVE_HOT_MS = 3000;
/** What the daemon hands to {@link Operability}. */
export interface OperabilityOptions {
  readonly engine: SentinelEngine;
  /** `vigil-http` / `--http`: `<host>:<port>` of the HTTP listener; absent = no listener. */
  readonly http?: string;
  /** `--inspect[=port]`: port of the 127.0.0.1 inspector relay; absent = no inspector. */
  readonly inspectPort?: number;
  /** `vigil-webhook` and `vigil-webhook-secret`. */
  readonly webhook?: { readonly url: string; readonly secret?: string };
  /** The runtime's tick period (readiness tolerates 25 missed ticks, at least 2 s). */
  readonly tickMs: number;
  /** Timing profile name, for the page. */
  readonly timing: string;
  /** Secret values to scrub from everything sent to the inspector. */
  readonly secrets: readonly (string | undefined)[];
  readonly now: () => number;
  readonly log: (level: EventLevel, message: string) => void;
}

/**
 * Everything that makes a running Vigil visible, wired around the engine without touching it:
 * the engine's event emitter feeds metrics, the timeline, SSE and webhooks; the runtime's `onStep`
 * hook feeds the snapshot observer (machine changes → metrics, inspector, page) and PING timing.
 * Each part exists only when configured, so a plain `vigil sentinel.conf` pays for none of it: the
 * modules behind them (prom-client, the HTTP server, the Stately inspector, webhooks) are imported
 * in {@link start} only when asked for, which keeps them out of the daemon's start-up time and
 * memory (docs/performance.md, "Footprint").
 */
export class Operability {
  private readonly engine: SentinelEngine;
  private metrics: VigilMetrics | undefined;
  private readonly observer: EngineObserver | undefined;
  private readonly timeline = new EventTimeline();
  private readonly stream = new EventStream();
  private webhook: WebhookSender | undefined;
  private inspector: MachineInspector | undefined;
  private relay: InspectorRelay | undefined;
  private server: OpsHttpServer | undefined;
  private lastTickAt = 0;
  /** The Sentinel port is open (between start and stop). */
  private serving = false;
  private respPort = 0;
  private readonly startedAt: number;
  private stateTimer: NodeJS.Timeout | undefined;
  private readonly refresh: NodeJS.Timeout;
  private readonly onEngineEvent = (e: SentinelEvent) => this.onEvent(e);

  constructor(private readonly o: OperabilityOptions) {
    this.engine = o.engine;
    this.startedAt = o.now();
    if (o.http !== undefined || o.inspectPort !== undefined) this.observer = new EngineObserver(o.engine);
    o.engine.emitter.on("event", this.onEngineEvent);
    // Ages on the page ("last reply 120 ms ago") move even when nothing else does.
    this.refresh = setInterval(() => {
      if (this.stream.size() > 0) this.stream.send("state", this.snapshot(false));
    }, 1000);
    this.refresh.unref();
  }

  /** The HTTP listener's port once started (undefined without `vigil-http`). */
  get httpPort(): number | undefined {
    return this.server?.port;
  }

  /** The inspector page to open, once started (undefined without `--inspect`). */
  get inspectorUrl(): string | undefined {
    return this.relay?.url;
  }

  /** The runtime's `onStep` hook: tick liveness, PING timing, and the machine diff. */
  readonly onStep = (output: EngineOutput, cause: EngineInput | undefined): void => {
    if (cause?.kind === "tick") this.lastTickAt = this.o.now();
    try {
      this.metrics?.onStep(output, cause);
      if (!this.observer) return;
      // Diffing every machine costs O(instances); doing it on every reply made a sentinel watching
      // 200 masters spend its time here (docs/performance.md). Machines move on steps that emit
      // events (+sdown, +odown, +failover-state-*, +tilt, +slave ...) and shortly after them (a
      // failover passes through states without events), so diff every step while events are recent,
      // and otherwise sweep every OBSERVE_SWEEP_MS for context-only changes.
      const now = this.o.now();
      if (output.events.length > 0) this.hotUntil = now + OBSERVE_HOT_MS;
      if (cause !== undefined && now > this.hotUntil && now - this.lastSweepAt < OBSERVE_SWEEP_MS) return;
      this.lastSweepAt = now;
      const { changes, removals } = this.observer.observe(now, cause?.kind);
      if (changes.length === 0 && removals.length === 0) return;
      this.inspector?.publish(changes, removals);
      this.scheduleState();
    } catch (e) {
      // Observing must never break the runtime that called us: report and carry on.
      if (!this.observerFailed) this.o.log("warning", `internal error in the operability observer: ${String(e)}`);
      this.observerFailed = true;
    }
  };
  private observerFailed = false;
  private lastSweepAt = Number.NEGATIVE_INFINITY;
  private hotUntil = Number.NEGATIVE_INFINITY;

  /**
   * Import and create the configured parts (metrics, webhooks), before the daemon serves: a plain
   * `vigil sentinel.conf` imports none of their modules.
   */
  async load(): Promise<void> {
    if (this.o.http !== undefined && this.metrics === undefined) this.metrics = new (await import("../http/vigil-metrics.js")).VigilMetrics(this.engine);
    const webhook = this.o.webhook;
    if (webhook !== undefined && this.webhook === undefined) {
      this.webhook = new (await import("../webhooks/webhook-sender.js")).WebhookSender({
        url: webhook.url,
        sentinelId: this.engine.myId,
        observer: this.metrics?.webhook,
        onError: (m) => this.o.log("verbose", m),
        ...(webhook.secret === undefined ? {} : { secret: webhook.secret }),
      });
    }
    if (this.o.http !== undefined) this.httpModules = await importHttp();
    if (this.o.inspectPort !== undefined) this.inspectModules = await importInspector();
  }
  private httpModules: Awaited<ReturnType<typeof importHttp>> | undefined;
  private inspectModules: Awaited<ReturnType<typeof importInspector>> | undefined;

  /**
   * Open the listeners (after {@link load}), once the Sentinel port (`respPort`) is listening.
   * Returns an error message (the daemon exits 1 with it) when a listener cannot bind.
   */
  async start(respPort: number): Promise<string | undefined> {
    this.respPort = respPort;
    this.serving = true;
    if (this.o.inspectPort !== undefined) {
      const { startInspectorRelay, createMachineInspector, createRedactor } = this.inspectModules ?? (await importInspector());
      try {
        this.relay = await startInspectorRelay(this.o.inspectPort);
      } catch (e) {
        return `Could not start the inspector on 127.0.0.1:${this.o.inspectPort}: ${(e as Error).message}`;
      }
      this.inspector = createMachineInspector(`ws://127.0.0.1:${this.relay.port}`, createRedactor(this.o.secrets));
      this.o.log("warning", `Stately inspector: open ${this.relay.url} in a browser (127.0.0.1 only)`);
      // Register every machine that exists already.
      this.onStep({ commands: [], events: [] }, undefined);
    }
    if (this.o.http !== undefined && this.metrics !== undefined) {
      const { parseHostPort, startOpsHttpServer, loadStaticAssets } = this.httpModules ?? (await importHttp());
      const { host, port } = parseHostPort(this.o.http);
      try {
        this.server = await startOpsHttpServer(host, port, {
          metrics: () => this.metrics!.text(),
          readiness: {
            listening: () => this.serving,
            lastTickAt: () => this.lastTickAt,
            maxTickGapMs: Math.max(2000, 25 * this.o.tickMs),
            inTilt: () => this.engine.inTilt(),
            now: this.o.now,
          },
          state: () => this.snapshot(true),
          stream: this.stream,
          assets: loadStaticAssets(),
        });
      } catch (e) {
        return `Could not create the HTTP listener on ${this.o.http}: ${(e as Error).message}`;
      }
      this.o.log("notice", `HTTP metrics, health and topology page on http://${this.o.http.replace(/:\d+$/, "")}:${this.server.port}/`);
    }
    return undefined;
  }

  /** Close listeners, stop the inspector and the webhook queue, unsubscribe. */
  async stop(): Promise<void> {
    this.serving = false;
    this.o.engine.emitter.off("event", this.onEngineEvent);
    clearInterval(this.refresh);
    if (this.stateTimer) clearTimeout(this.stateTimer);
    this.webhook?.stop();
    this.inspector?.stop();
    this.stream.close();
    await Promise.all([this.server?.close(), this.relay?.close()]);
  }

  /** The JSON view behind `/api/state` and the page. */
  snapshot(withEvents: boolean): TopologySnapshot {
    return topologySnapshot(this.engine, this.o.now(), { port: this.respPort, startedAt: this.startedAt, timing: this.o.timing }, withEvents ? this.timeline.list() : []);
  }

  private onEvent(e: SentinelEvent): void {
    this.metrics?.onEvent(e);
    this.inspector?.onSentinelEvent(e);
    // Debug events (link reconnection attempts, ...) are never published by Sentinel and would
    // flood the timeline while an instance is down; the page and webhooks follow the same rule.
    if (e.level === "debug") return;
    const timed = this.timeline.push(e, this.o.now());
    this.webhook?.enqueue(e, timed.at);
    this.stream.send("event", timed);
    this.scheduleState();
  }

  /** Coalesce bursts (a failover emits a dozen events in one step) into one state message. */
  private scheduleState(): void {
    if (this.stateTimer !== undefined || this.stream.size() === 0) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      this.stream.send("state", this.snapshot(false));
    }, 50);
    this.stateTimer.unref();
  }
}
