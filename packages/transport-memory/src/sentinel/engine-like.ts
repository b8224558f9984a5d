import type {
  Address,
  EngineInput,
  EngineOutput,
  EngineView,
  PersistedState,
  RankingContext,
  RankingReplica,
  SentinelEngineOptions,SwitchoverOptions,
} from "@vigil/core";

/**
 * The part of `@vigil/core`'s `SentinelEngine` the simulator drives. Any object with this shape can
 * be plugged in (a fake in tests, a wrapped or instrumented engine in an embedder's test).
 */
export interface EngineLike {
  readonly myId: string;
  /** Call once after creation. */
  start(now: number): EngineOutput;
  /** Every input, including `{ kind: "tick" }`. */
  step(input: EngineInput): EngineOutput;
  /** Serve a peer's `SENTINEL IS-MASTER-DOWN-BY-ADDR`; execute `output` (persist first) before replying. */
  isMasterDownByAddr(now: number, ip: string, port: number, epoch: number, runId: string): { reply: [number, string, number]; output: EngineOutput };
  /** `SENTINEL FAILOVER <name>`. */
  failover(now: number, name: string, coordinated?: SwitchoverOptions): { result: string; output: EngineOutput };
  /** `SENTINEL GET-MASTER-ADDR-BY-NAME`. */
  getMasterAddrByName(name: string): Address | null;
  currentEpoch(): number;
  persistedState(): PersistedState;
  view(): EngineView;
}

/** Creates an engine; the default is `createSentinelEngine` from `@vigil/core`. */
export type EngineFactory = (options: SentinelEngineOptions) => EngineLike;

/** What replica selection saw for one master at one instant (for the ranking checker). */
export interface RankingSnapshot {
  readonly replicas: readonly RankingReplica[];
  readonly ctx: RankingContext;
}

/**
 * The ranking facts of `master` as the engine holds them at `now` (its view's `ranking`), or
 * `undefined` when the engine does not monitor it or its view does not offer them (then the ranking
 * checker has nothing to check).
 */
export function rankingSnapshot(engine: EngineLike, master: string, now: number): RankingSnapshot | undefined {
  const m = engine.view().master(master);
  return typeof m?.ranking === "function" ? m.ranking(now) : undefined;
}
