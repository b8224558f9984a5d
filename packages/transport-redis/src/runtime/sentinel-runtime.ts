import type { EngineCommand, EngineInput, EngineOutput, PersistedState, SentinelEngine, SentinelEvent } from "@vigil/core";
import { LinkPool, type LinkPoolOptions } from "../links/link-pool.js";

/** Options for {@link SentinelRuntime}. */
export interface SentinelRuntimeOptions {
  readonly engine: SentinelEngine;
  /** Periodic tick (ms). Sentinel's timer runs every 50–100 ms; the fast profile wants ~20 ms. */
  readonly tickMs?: number;
  /** Wall clock; injectable for tests. */
  readonly now?: () => number;
  /**
   * Write state durably, synchronously (the engine's ordering obligation: nothing after a `persist`
   * may run before it is on disk). Return false on failure (the API turns it into Sentinel's error).
   */
  readonly persist: (state: PersistedState) => boolean;
  /** Every event (log it, publish it on the API's pub/sub). */
  readonly onEvent: (event: SentinelEvent) => void;
  /** Script runs to queue. */
  readonly onScript?: (cmd: Extract<EngineCommand, { kind: "run-script" }>) => void;
  /** `SENTINEL SIMULATE-FAILURE` says: exit now (status 99). */
  readonly onCrash?: (reason: string) => void;
  /**
   * How long a `deferrable` persist (discovered replicas and sentinels only) may wait so that a
   * burst of discoveries is written once (default 500 ms). A durable persist in between covers it.
   */
  readonly deferPersistMs?: number;
  /** Passed to the link pool (TLS etc.). */
  readonly links?: Partial<Omit<LinkPoolOptions, "deliver" | "now">>;
  /**
   * Called after each output was carried out, with the input that produced it (absent for outputs
   * of API calls such as SENTINEL FAILOVER). The engine steps its machines with pure `transition()`,
   * so observers (metrics, the XState inspector, the topology page) diff its state here.
   */
  readonly onStep?: (output: EngineOutput, cause: EngineInput | undefined) => void;
}

/**
 * Runs one engine against real Redis: a timer feeds ticks, the link pool feeds replies, and every
 * output is executed in order. The only place where engine time meets the wall clock.
 */
export class SentinelRuntime {
  readonly engine: SentinelEngine;
  readonly links: LinkPool;
  private timer: NodeJS.Timeout | undefined;
  private readonly wakes = new Set<NodeJS.Timeout>();
  private readonly now: () => number;
  private stopped = false;
  /** Set while a `deferrable` persist waits to be written (coalescing a burst of discoveries). */
  private deferredTimer: NodeJS.Timeout | undefined;
  /** Result of the last persist; the API layer reads it to answer FLUSHCONFIG & co. */
  lastPersistOk = true;

  constructor(private readonly options: SentinelRuntimeOptions) {
    this.engine = options.engine;
    this.now = options.now ?? Date.now;
    this.links = new LinkPool({ ...options.links, deliver: (i) => this.input(i), now: this.now });
  }

  /** Emit start-up events and begin ticking. */
  start(): void {
    this.apply(this.engine.start(this.now()));
    const every = this.options.tickMs ?? 100;
    this.timer = setInterval(() => this.input({ kind: "tick", now: this.now() }), every);
  }

  /** Stop timers and close every link. */
  stop(): void {
    this.flushDeferredPersist();
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.wakes) clearTimeout(w);
    this.wakes.clear();
    this.links.closeAll();
  }

  /** Feed one input to the engine and carry out its output. */
  input(input: EngineInput): void {
    if (this.stopped) return;
    this.apply(this.engine.step(input), input);
  }

  /** Current wall-clock time as the runtime sees it. */
  time(): number {
    return this.now();
  }

  /**
   * Execute an output in order. Returns false if a persist failed (later commands still run: the
   * engine already changed state; Sentinel likewise only logs a failed flush). `cause` is the input
   * that produced the output, passed on to `onStep`.
   */
  apply(out: EngineOutput, cause?: EngineInput): boolean {
    let ok = true;
    // One write per connection for the whole output (the link pool corks until flush). Delaying the
    // writes to the end never weakens the persist-before-send obligation.
    this.links.batch();
    try {
      for (const c of out.commands) {
        switch (c.kind) {
          case "persist":
            if (c.deferrable === true) this.deferPersist();
            else {
              this.cancelDeferredPersist(); // the durable write carries the newer whole state
              ok = this.options.persist(c.state) && ok;
              this.lastPersistOk = ok;
            }
            break;
          case "run-script":
            this.options.onScript?.(c);
            break;
          case "crash":
            this.links.flush(); // what was sent before the crash point leaves, as it did uncorked
            this.options.onCrash?.(c.reason);
            break;
          case "wake": {
            const t = setTimeout(() => {
              this.wakes.delete(t);
              this.input({ kind: "tick", now: this.now() });
            }, Math.max(0, c.at - this.now()));
            this.wakes.add(t);
            break;
          }
          default:
            this.links.execute(c);
        }
      }
    } finally {
      this.links.flush();
    }
    for (const e of out.events) this.options.onEvent(e);
    this.options.onStep?.(out, cause);
    return ok;
  }

  /**
   * Write a pending deferrable persist now (also on stop, so a clean shutdown loses nothing). It
   * writes the engine's current state: every durable change in it was already written by its own
   * step, so this adds only the discoveries.
   */
  flushDeferredPersist(): void {
    if (this.deferredTimer === undefined) return;
    this.cancelDeferredPersist();
    this.lastPersistOk = this.options.persist(this.engine.persistedState());
  }

  private deferPersist(): void {
    this.deferredTimer ??= setTimeout(() => this.flushDeferredPersist(), this.options.deferPersistMs ?? 500);
  }

  private cancelDeferredPersist(): void {
    if (this.deferredTimer === undefined) return;
    clearTimeout(this.deferredTimer);
    this.deferredTimer = undefined;
  }
}
