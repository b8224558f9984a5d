import {
  createPrng,
  createSentinelEngine,
  explainMaster,
  type FailoverPlan,
  type HostPort,
  type MasterExplanation,
  type MasterSettingsInput,
  type PersistedState,
  planFailover,
  type SentinelEngine,
  type SwitchoverOptions,
  type Timing,
  type TimingProfile,
  typedEvent,
} from "@vigil/core";
import { createSentinelApi, VIGIL_SENTINEL_SUBCOMMANDS } from "../api/sentinel-api.js";
import type { SentinelDialect } from "../dialect.js";
import type { LinkPoolOptions } from "../links/link-pool.js";
import { randomHex, randomSeed } from "../os/os-random.js";
import { type NetworkFactory, SentinelRuntime } from "../runtime/sentinel-runtime.js";
import { createRespServer, type RespServer } from "../server/index.js";
import { FailoverRefusedError, NoSuchMasterError, PersistError, SentinelOptionsError, SentinelStateError } from "./errors.js";
import { EventChannel } from "./event-channel.js";
import { fileStore, type SentinelStore } from "./state-store.js";

/** Options of {@link createSentinel}. */
export interface CreateSentinelOptions {
  /** Masters to monitor on first start: `{ name, host, port, quorum }` plus any of Sentinel's per-master settings. Later starts use the store's. */
  readonly masters: readonly MasterSettingsInput[];
  /** Durable state: a file path (JSON, replaced atomically) or your own {@link SentinelStore}. */
  readonly store: string | SentinelStore;
  /** `"fast"` (default: Vigil's event-driven periods) or `"sentinel"` (Sentinel's exact ones), or explicit values. */
  readonly timing?: Timing | TimingProfile;
  /** The port other sentinels reach this one on (announced in hellos). Default 26379. */
  readonly port?: number;
  /** Announce this IP instead of the local address of each link (`sentinel announce-ip`). */
  readonly announceIp?: string;
  /**
   * Serve the Sentinel API (RESP) on `port`, so peers can ask for votes and clients can use
   * `SENTINEL GET-MASTER-ADDR-BY-NAME`, `redis-cli`, `vigil explain -p`, answering as `dialect` (default
   * `redis-7.0`, see {@link SentinelDialect}). Default `{ hosts: ["127.0.0.1"] }`;
   * `false` only for a sentinel that is never counted by peers (tests, followers of a simulated fleet).
   */
  readonly serve?: false | { readonly hosts?: readonly string[]; readonly dialect?: SentinelDialect };
  /**
   * The network: options of the default one (real TCP/TLS links: TLS to instances and peers, source
   * address, connect timeout), or your own network transport (see docs/transports.md).
   */
  readonly transport?: Partial<Omit<LinkPoolOptions, "deliver" | "now">> | NetworkFactory;
  /** Tick period (ms). Default 100 (20 for the `fast` profile). */
  readonly tickMs?: number;
}

/** Options of {@link Sentinel.failover}. */
export interface FailoverOptions {
  /** Say what a failover would do (the checks `SENTINEL FAILOVER` makes, the replica it would promote) without starting one. */
  readonly dryRun?: boolean;
}

/**
 * An embedded Redis Sentinel: monitors its masters, takes part in the fleet's votes and failovers,
 * and tells you about every event. From {@link createSentinel}.
 */
export class Sentinel extends EventChannel {
  /** The engine itself (its `view()`, `persistedState()`, `getMasterAddrByName()`). */
  readonly engine: SentinelEngine;
  private readonly runtime: SentinelRuntime;
  private server: RespServer | undefined;
  private state: "new" | "started" | "closed" = "new";
  private closing: Promise<void> | undefined;
  private lastPersistError: PersistError | undefined;

  /** @internal Use {@link createSentinel}. */
  constructor(private readonly options: CreateSentinelOptions) {
    super();
    const store = typeof options.store === "string" ? fileStore(options.store) : options.store;
    const saved = loadState(store);
    const port = options.port ?? 26379;
    const timing = options.timing ?? "fast";
    try {
      this.engine = createSentinelEngine({
        myId: saved?.myId ?? randomHex(20),
        now: Date.now(),
        prng: createPrng(randomSeed()),
        timing,
        global: { ...saved?.global, port, ...(options.announceIp !== undefined ? { announceIp: options.announceIp } : {}) },
        currentEpoch: saved?.currentEpoch ?? 0,
        masters: saved ? saved.masters : options.masters.map((settings) => ({ settings })),
      });
    } catch (cause) {
      throw new SentinelOptionsError(`invalid sentinel options: ${(cause as Error).message}`, { cause });
    }
    this.runtime = new SentinelRuntime({
      engine: this.engine,
      tickMs: options.tickMs ?? (timing === "fast" ? 20 : 100),
      ...(typeof options.transport === "function" ? { network: options.transport } : { links: options.transport ?? {} }),
      persist: (state) => {
        try {
          store.save(state);
          return true;
        } catch (cause) {
          this.lastPersistError = new PersistError(`the sentinel state could not be written: ${(cause as Error).message}`, { cause });
          this.error(this.lastPersistError);
          return false;
        }
      },
      onEvent: (e) => {
        const typed = typedEvent(e);
        if (typed) this.emit(typed);
        if (e.level !== "debug") this.server?.publish(e.type, e.payload);
      },
    });
  }

  /**
   * Serve the API (unless `serve: false`), write the first state, connect to the masters and start
   * ticking. Rejects with {@link PersistError} (and closes) when the store cannot write.
   */
  async start(): Promise<void> {
    if (this.state !== "new") throw new SentinelStateError(`start() on a ${this.state} sentinel`);
    this.state = "started";
    if (this.options.serve !== false) {
      const port = this.options.port ?? 26379;
      const api = createSentinelApi({
        runtime: this.runtime,
        process: { runId: randomHex(20), configFile: "", tcpPort: port, startedAt: Date.now(), pid: process.pid, executable: process.argv[1] ?? "node" },
        stats: () => {
          const s = this.server!.stats();
          return { ...s, totalConnections: s.totalConnectionsReceived, totalCommands: s.totalCommandsProcessed };
        },
        pendingScripts: () => [],
        runningScripts: () => 0,
        isExecutable: () => false,
        dialect: this.options.serve?.dialect,
        vigilExtensions: true,
      });
      this.server = createRespServer({ handlers: api, dialect: this.options.serve?.dialect, extraSentinelSubcommands: VIGIL_SENTINEL_SUBCOMMANDS });
      await this.server.listen({ hosts: [...(this.options.serve?.hosts ?? ["127.0.0.1"])], port });
    }
    this.runtime.start();
    if (!this.runtime.lastPersistOk) {
      await this.close();
      throw this.lastPersistError ?? new PersistError("the sentinel state could not be written at start");
    }
  }

  /**
   * Stop: every fence this sentinel keeps is lifted (at most 2 s), every timer and socket is
   * released, iterators end. Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.state = "closed";
      await this.runtime.stopAndLiftFences();
      this.end();
      await this.server?.close();
    })();
    return this.closing;
  }

  /** The current master of `name` (what `SENTINEL GET-MASTER-ADDR-BY-NAME` answers); null for an unknown name. */
  master(name: string): HostPort | null {
    return this.engine.getMasterAddrByName(name);
  }

  /** Why `name` is (or is not) down, who agrees, the election, the replica that would be promoted. */
  explain(name: string): MasterExplanation {
    const explanation = explainMaster(this.engine, name, this.runtime.time());
    if (!explanation) throw new NoSuchMasterError(name);
    return explanation;
  }

  /**
   * `SENTINEL FAILOVER name`: fail over now, without asking the other sentinels. Rejects with
   * {@link FailoverRefusedError} (in progress, no good replica), {@link NoSuchMasterError}, or
   * {@link PersistError} (the new epoch could not be written; the failover still runs, as Sentinel's).
   * With `dryRun`, resolves to what it would do.
   */
  failover(name: string, options: { readonly dryRun: true }): Promise<FailoverPlan>;
  failover(name: string, options?: FailoverOptions): Promise<void>;
  // biome-ignore lint/suspicious/noConfusingVoidType: the overloads resolve to a plan or to nothing
  async failover(name: string, options: FailoverOptions = {}): Promise<FailoverPlan | void> {
    if (options.dryRun) {
      const plan = planFailover(this.engine, name, this.runtime.time());
      if (!plan) throw new NoSuchMasterError(name);
      return plan;
    }
    if (this.state !== "started") throw new SentinelStateError(`failover() on a ${this.state} sentinel`);
    const { result, output } = this.engine.failover(this.runtime.time(), name);
    if (result === "no-such-master") throw new NoSuchMasterError(name);
    if (result !== "ok") throw new FailoverRefusedError(name, result);
    if (!this.runtime.apply(output)) throw new PersistError(`the failover of ${name} started but its epoch could not be written`);
    return undefined;
  }

  /**
   * `SENTINEL FAILOVER name COORDINATED`: a planned switchover. The sentinels elect a leader in a new
   * epoch, the leader asks the live master to hand over (`FAILOVER TO <replica> TIMEOUT <ms>`), so no
   * acknowledged write is lost. Resolves once started; follow it through the `+switchover-*` events
   * (`-switchover-abort` says why it gave up; the master then keeps its role). Rejects with
   * {@link FailoverRefusedError} (`not-supported`, `master-down`, `no-such-replica`, `inprog`,
   * `nogoodslave`) before anything changes, or {@link NoSuchMasterError}.
   */
  async switchover(name: string, options: SwitchoverOptions = {}): Promise<void> {
    if (this.state !== "started") throw new SentinelStateError(`switchover() on a ${this.state} sentinel`);
    const { result, output } = this.engine.failover(this.runtime.time(), name, options);
    if (result === "no-such-master") throw new NoSuchMasterError(name);
    if (result !== "ok") throw new FailoverRefusedError(name, result);
    if (!this.runtime.apply(output)) throw new PersistError(`the switchover of ${name} started but its epoch could not be written`);
  }
}

/**
 * An embedded Redis Sentinel. It joins the fleet of your masters' sentinels (redis-sentinel, Valkey or
 * Vigil) like any other, and gives you the current master and every event without a network round trip.
 *
 * ```ts
 * const sentinel = createSentinel({ masters: [{ name: "mymaster", host: "10.0.0.1", port: 6379, quorum: 2 }], store: "./sentinel.json", port: 26379 });
 * sentinel.on("+switch-master", ({ master, to }) => console.log(`${master} is now at ${to.host}:${to.port}`));
 * await sentinel.start();
 * ```
 */
export function createSentinel(options: CreateSentinelOptions): Sentinel {
  return new Sentinel(options);
}

function loadState(store: SentinelStore): PersistedState | undefined {
  try {
    return store.load();
  } catch (cause) {
    throw new SentinelOptionsError(`the sentinel state could not be read: ${(cause as Error).message}`, { cause });
  }
}
