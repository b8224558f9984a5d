import {
  type CommandOf,
  composeTransport,
  type EngineCommand,
  type EngineInput,
  type EngineOutput,
  executeCommands,
  type HostTransport,
  type NetworkTransport,
  type PersistedState,
  type SentinelEngine,
  type SentinelEvent,
  type Transport,
} from "@vigil/core";
import { LinkPool, type LinkPoolOptions } from "../links/link-pool.js";

/** A network transport the runtime can drive: the engine's network commands, plus optional batching and shutdown. */
export interface RuntimeNetwork extends NetworkTransport {
  /** An output starts: writes may be held until {@link RuntimeNetwork.flush}. */
  batch?(): void;
  /** An output ends (or a crash point is reached): send what is held. */
  flush?(): void;
  /** Shutdown: close every connection. */
  closeAll?(): void;
  /** Resolves once every fence lift started so far is done, or after `timeoutMs` (clean shutdown). */
  liftsSettled?(timeoutMs: number): Promise<void>;
}

/** Builds the runtime's network half: report replies through `deliver`, stamped with `now()`. */
export type NetworkFactory = (io: { readonly deliver: (input: EngineInput) => void; readonly now: () => number }) => RuntimeNetwork;

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
   * The network half of the transport; default a {@link LinkPool} (real TCP/TLS links). A custom one
   * gets `deliver` for the replies it reports and the runtime's clock.
   */
  readonly network?: NetworkFactory;
  /**
   * Called after each output was carried out, with the input that produced it (absent for outputs
   * of API calls such as SENTINEL FAILOVER). The engine steps its machines with pure `transition()`,
   * so observers (metrics, the XState inspector, the topology page) diff its state here.
   */
  readonly onStep?: (output: EngineOutput, cause: EngineInput | undefined) => void;
}

/**
 * Runs one engine against real Redis: a timer feeds ticks, the link pool feeds replies, and every
 * output is executed in order through core's `executeCommands`. It is the daemon's {@link Transport}:
 * network commands go to the {@link LinkPool}, `persist` to the store, `wake` to a timer. The only place
 * where engine time meets the wall clock.
 */
export class SentinelRuntime implements HostTransport {
  readonly engine: SentinelEngine;
  /** The network half of the transport (a {@link LinkPool} unless `network` was given). */
  readonly links: RuntimeNetwork;
  /**
   * Engine outputs applied so far ({@link SentinelRuntime.apply}). Every change of the engine's
   * state comes with an output, so a reader that saw the same count saw the same state.
   */
  outputsApplied = 0;
  /** The daemon's command path: the link pool for the network, this runtime for the rest. */
  private readonly transport: Transport;
  private timer: NodeJS.Timeout | undefined;
  private readonly wakes = new Set<NodeJS.Timeout>();
  private readonly now: () => number;
  private stopped = false;
  /** Set while a `deferrable` persist waits to be written (coalescing a burst of discoveries). */
  private deferredTimer: NodeJS.Timeout | undefined;
  /** Result of the last persist; the API layer reads it to answer FLUSHCONFIG & co. */
  lastPersistOk = true;
  /** False once a persist of the output being applied failed. */
  private persistOk = true;

  constructor(private readonly options: SentinelRuntimeOptions) {
    this.engine = options.engine;
    this.now = options.now ?? Date.now;
    const io = { deliver: (i: EngineInput) => this.input(i), now: this.now };
    this.links = options.network ? options.network(io) : new LinkPool({ ...options.links, ...io });
    this.transport = composeTransport(this.links, this);
  }

  /** Emit start-up events and begin ticking. */
  start(): void {
    this.apply(this.engine.start(this.now()));
    const every = this.options.tickMs ?? 100;
    this.timer = setInterval(() => this.tickAfterIo(), every);
  }

  /** Stop timers and close every link. */
  stop(): void {
    this.flushDeferredPersist();
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.wakes) clearTimeout(w);
    this.wakes.clear();
    this.links.closeAll?.();
  }

  /**
   * Clean shutdown: {@link stop}, then lift every fence the engine keeps (nothing Vigil sets on an
   * instance may outlive its watch) and wait for the lifts, at most `timeoutMs`.
   */
  async stopAndLiftFences(timeoutMs = 2000): Promise<void> {
    this.stop();
    this.apply(this.engine.liftAllFences(this.now()));
    await this.links.liftsSettled?.(timeoutMs);
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
    this.outputsApplied++;
    let ok: boolean;
    // One write per connection for the whole output (the link pool corks until flush). Delaying the
    // writes to the end never weakens the persist-before-send obligation.
    this.links.batch?.();
    try {
      this.persistOk = true;
      executeCommands(this.transport, out);
      ok = this.persistOk;
    } finally {
      this.links.flush?.();
    }
    for (let i = 0; i < out.events.length; i++) this.options.onEvent(out.events[i]!);
    this.options.onStep?.(out, cause);
    return ok;
  }

  // ------------------------------------------------------------------ HostTransport (the network half is the LinkPool)


  /** Durable persists are written now; a `deferrable` one waits to coalesce a burst of discoveries. */
  persist(c: CommandOf<"persist">): void {
    if (c.deferrable === true) return this.deferPersist(); // written from the engine's state when due
    this.cancelDeferredPersist(); // the durable write carries the newer whole state
    const ok = this.options.persist(c.state);
    this.persistOk &&= ok;
    this.lastPersistOk = this.persistOk;
  }

  /** A tick at `at` (the engine has a deadline before the next periodic tick). */
  wake(c: CommandOf<"wake">): void {
    const t = setTimeout(
      () => {
        this.wakes.delete(t);
        this.tickAfterIo();
      },
      Math.max(0, c.at - this.now()),
    );
    this.wakes.add(t);
  }

  /**
   * Tick in the check phase of this loop turn, after the poll phase has read what is waiting on the
   * sockets. A process that was starved of CPU finds a due timer and, say, a peer's vote request
   * ready together; Node runs timers first, so a tick straight from the timer would start our own
   * campaign before the request that would have taken our vote was even read.
   */
  private tickAfterIo(): void {
    setImmediate(() => this.input({ kind: "tick", now: this.now() }));
  }

  exitProcess(c: CommandOf<"crash">): void {
    this.links.flush?.(); // what was sent before the crash point leaves, as it did uncorked
    this.options.onCrash?.(c.reason);
  }

  runScript(c: CommandOf<"run-script">): void {
    this.options.onScript?.(c);
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
