import type { Address, EngineInput, EngineOutput, EngineView, MasterView, PersistedState, SentinelEvent } from "@vigil/core";
import type { OutputOrigin, SentinelObservation, SentinelRef } from "../src/cluster/observer.js";
import type { EngineLike } from "../src/sentinel/engine-like.js";

/** A master view with neutral defaults. */
export function masterView(partial: Partial<MasterView> & { name: string }): MasterView {
  const addr = partial.addr ?? { host: "10.0.1.1", port: 6379 };
  return {
    addr,
    currentAddr: addr,
    configEpoch: 0,
    failoverState: "none",
    failoverEpoch: 0,
    leader: null,
    leaderEpoch: 0,
    sdown: false,
    odown: false,
    promoted: null,
    replicas: [],
    sentinels: [],
    ...partial,
  };
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
    return { myId: this.myId, currentEpoch: this.epoch, tilt: false, masters: this.masters };
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
