import type { Address, EngineInput, EngineOutput, EngineView, FailoverStateName, FailoverView, MasterView, PersistedState, RankingView, SentinelEvent } from "@vigil/core";
import type { OutputOrigin, SentinelObservation, SentinelRef } from "../src/cluster/observer.js";
import type { EngineLike } from "../src/sentinel/engine-like.js";

/** What a test sets on a fake master (the rest gets neutral defaults). */
export interface FakeMaster {
  readonly name: string;
  readonly addr?: Address;
  readonly currentAddr?: Address;
  readonly configEpoch?: number;
  readonly failoverState?: FailoverStateName;
  readonly failoverEpoch?: number;
  readonly odown?: boolean;
  readonly promoted?: string | null;
  /** What replica selection sees; without it the view offers no ranking (the ranking checker skips). */
  readonly ranking?: RankingView;
}

const idleMachine = { ref: {}, value: "none", context: {} };

/** A master view with neutral defaults. */
export function masterView(m: FakeMaster): MasterView {
  const addr = m.addr ?? { host: "10.0.1.1", port: 6379 };
  const times = { epoch: m.failoverEpoch ?? 0, startTime: 0, stateChangeTime: 0 };
  const state = m.failoverState ?? "none";
  const failover: FailoverView = state === "none" ? { state, ...times } : { state, ...times, forced: false, coordinated: false, promoted: m.promoted ?? null };
  return {
    kind: "master",
    name: m.name,
    addr,
    currentAddr: m.currentAddr ?? addr,
    runId: null,
    link: { addr, peer: "instance", cmd: "up", pubsub: "up", refcount: 1, pending: 0, actPingTime: 0, lastPingTime: 0, lastPongTime: 0, lastAvailTime: 0, refusedSince: 0, lastRefused: 0 },
    health: { state: "up" },
    healthMachine: idleMachine,
    roleReported: "master",
    roleReportedTime: 0,
    infoRefresh: 0,
    info: null,
    scriptKillSent: false,
    settings: {} as MasterView["settings"],
    configEpoch: m.configEpoch ?? 0,
    leader: null,
    leaderEpoch: 0,
    odown: m.odown ? { state: "odown", since: 0 } : { state: "clear" },
    failover,
    odownMachine: idleMachine,
    failoverMachine: idleMachine,
    reboot: false,
    switchover: null,
    replicas: new Map(),
    sentinels: new Map(),
    ranking: (m.ranking ? () => m.ranking : undefined) as MasterView["ranking"],
  };
}

/** An engine view over a list of master views. */
export function engineView(myId: string, epoch: number, masters: readonly MasterView[]): EngineView {
  return { myId, currentEpoch: epoch, tilt: false, tiltSince: 0, masters, master: (name) => masters.find((m) => m.name === name) };
}

/** An engine stub whose view, epoch and reported master are whatever the test sets. */
export class StubEngine implements EngineLike {
  epoch = 0;
  masters: MasterView[] = [];
  constructor(readonly myId: string) {}
  start(): EngineOutput {
    return { commands: [], events: [] };
  }
  step(_input: EngineInput): EngineOutput {
    return { commands: [], events: [] };
  }
  isMasterDownByAddr(): { reply: [number, string, number]; output: EngineOutput } {
    return { reply: [0, "*", 0], output: { commands: [], events: [] } };
  }
  failover(): { result: string; output: EngineOutput } {
    return { result: "ok", output: { commands: [], events: [] } };
  }
  getMasterAddrByName(name: string): Address | null {
    return this.masters.find((m) => m.name === name)?.currentAddr ?? null;
  }
  currentEpoch(): number {
    return this.epoch;
  }
  persistedState(): PersistedState {
    return { myId: this.myId, currentEpoch: this.epoch, global: {} as PersistedState["global"], masters: [] };
  }
  view(): EngineView {
    return engineView(this.myId, this.epoch, this.masters);
  }
}

/** 40-hex id made from a letter, for readable tests. */
export function id(c: string): string {
  return c.repeat(40);
}

/** A sentinel reference. */
export function sentinel(name: string, c: string): SentinelRef {
  return { name, myId: id(c) };
}

/** An observation of one engine call producing `events`. */
export function observe(
  s: SentinelRef,
  engine: EngineLike,
  events: readonly (Omit<SentinelEvent, "level"> & { level?: SentinelEvent["level"] })[],
  extra: { time?: number; origin?: OutputOrigin; result?: string } = {},
): SentinelObservation {
  return {
    time: extra.time ?? 0,
    localTime: extra.time ?? 0,
    sentinel: s,
    origin: extra.origin ?? "step",
    result: extra.result,
    output: { commands: [], events: events.map((e) => ({ level: "warning", ...e })) },
    engine,
  };
}
