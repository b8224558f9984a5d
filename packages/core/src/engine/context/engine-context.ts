import { initialTransition } from "xstate";
import type { HelloMemo } from "../../codecs/hello-codec.js";
import { tiltMachine } from "../../machines/tilt.machine.js";
import { type GlobalSettings, GlobalSettingsSchema } from "../../settings/global-settings.js";
import { engineTiming, type Timing, timingFor } from "../../settings/timing.js";
import type { Address } from "../../util/address.js";
import type { Prng } from "../../util/prng.js";
import { announcedHost } from "../announced-address.js";
import type { EngineCommand } from "../commands.js";
import type { EventLevel } from "../events.js";
import { instanceDetails } from "../instance-details.js";
import { LinkIndex } from "../links/link-index.js";
import { OutputBuilder } from "../output.js";
import type { InstanceRecord, Link, MasterRecord } from "../records.js";
import type { SentinelEngineOptions } from "../sentinel-engine.js";

/**
 * The step context: everything one sentinel's engine knows and the output of the step in progress.
 * Every concern of the engine (links, discovery, votes, fencing, the failover driver, …) is a set of
 * functions over this one object, as raft's step functions share `r`; `SentinelEngine` only opens a
 * step (`now`, a fresh `out`), dispatches, and closes it.
 */
export class EngineContext {
  readonly myId: string;
  /** Mutable so `SENTINEL DEBUG` can change periods at run time. */
  timing: Timing;
  global: GlobalSettings;
  /** `SENTINEL SIMULATE-FAILURE` flags (1: crash after election, 2: crash after promotion). */
  simulateFailureFlags = 0;
  /** The global current epoch. */
  epoch: number;
  readonly masters = new Map<string, MasterRecord>();
  readonly links = new Map<string, Link>();
  /**
   * Each link of `links` by its own `addr` object (links/link-registry.ts, `linkAt`): a transport
   * reports replies and hellos with the `addr` of the command that caused them, so the lookup for
   * each of the thousand inputs a second at 200 masters needs no key string built and hashed.
   */
  readonly linkByAddr = new WeakMap<Address, Link>();
  /** Link → every (record, master) bound to it; kept in step by `recordAdded` / `recordRemoved`. */
  readonly linkIndex = new LinkIndex();
  /**
   * Every master whose write fence (`fence`) is set, and perhaps some whose fence was cleared since:
   * a reconnected link forgets the fences at its address without a scan of every master.
   */
  readonly fenced = new Set<MasterRecord>();
  /** Hello payloads already decoded (codecs/hello-codec.ts, `decodeHelloOnce`). */
  readonly helloMemo: HelloMemo = new Map();
  /** Subtrees the tick walk has walked so far (tick/tick-walk.ts): what its cost tests count. */
  walks = 0;
  /** The periods the current due times were computed with (see `timingChanged`). */
  readonly timingSeen: Partial<Record<keyof Timing, Timing[keyof Timing]>> = {};
  tilt;
  /**
   * Time of the last tick. The TILT machine's `previousTime` is only brought up to date when the
   * machine is transitioned, which `tick()` skips while nothing can change (see `tickTilt`).
   */
  lastTickTime: number;
  readonly prng: Prng;
  readonly faults: NonNullable<SentinelEngineOptions["faults"]>;
  /** Output of the step in progress. */
  readonly out = new OutputBuilder();
  /** Time of the step in progress. */
  now: number;
  /** Index in the current output's commands where the first state change happened, or null. */
  persistAt: number | null = null;
  /** Discovered topology changed in this step; persisted `deferrable` unless a durable persist covers it. */
  discoveryDirty = false;
  /** Fast profile: earliest time this step wants another tick at (Infinity = none). */
  wantTickAt = Number.POSITIVE_INFINITY;
  /** Time of the last `wake` emitted and not yet reached (Infinity = none pending). */
  wakePending = Number.POSITIVE_INFINITY;

  constructor(options: SentinelEngineOptions) {
    this.myId = options.myId;
    this.now = options.now;
    this.prng = options.prng;
    this.faults = options.faults ?? {};
    this.timing = engineTiming(typeof options.timing === "object" ? options.timing : timingFor(options.timing ?? "fast"));
    this.global = GlobalSettingsSchema.parse(options.global ?? {});
    this.epoch = options.currentEpoch ?? 0;
    this.tilt = initialTransition(tiltMachine, { now: options.now })[0];
    this.lastTickTime = options.now;
  }

  /** True while in TILT. */
  inTilt(): boolean {
    return this.tilt.value === "tilt";
  }

  details(inst: InstanceRecord, m: MasterRecord): string {
    return instanceDetails(inst, m, announcedHost(m, m.addr, this.global.announceHostnames));
  }

  emit(type: string, level: EventLevel, payload: string, m?: MasterRecord): void {
    this.out.event(m ? { type, level, payload, master: m.name } : { type, level, payload });
    if (m && level === "warning" && m.settings.notificationScript) {
      this.cmd({ kind: "run-script", script: "notification", path: m.settings.notificationScript, args: [type, payload] });
    }
  }

  /** Durable state changed: a `persist` will be placed before any later command of this output. */
  markDirty(): void {
    if (this.persistAt === null) this.persistAt = this.out.commandCount;
  }

  /** Only discovered topology changed: a `deferrable` persist ends this output (see `commands.ts`). */
  markDiscovered(): void {
    this.discoveryDirty = true;
  }

  cmd(c: EngineCommand): void {
    this.out.command(c);
  }

  /**
   * Fast profile: ask for a tick at `at`. The runtime's periodic tick can then be slow (100 ms) in the
   * steady state while the deadlines that matter for failover latency are met on time: the moment an
   * instance's no-reply time exceeds down-after (checkSdown), and short steps while a master is in
   * trouble (act).
   */
  wakeBy(at: number): void {
    if (at < this.wantTickAt) this.wantTickAt = at;
  }

  /** Random failover desync (§11): added to start times so peers do not retry in lockstep. */
  desync(): number {
    return this.prng.int(this.timing.maxDesync);
  }
}
