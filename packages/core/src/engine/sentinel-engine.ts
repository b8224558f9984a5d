import type { Emitter } from "mitt";
import type { GlobalSettings, GlobalSettingsInput } from "../settings/global-settings.js";
import type { MasterSettingsInput } from "../settings/master-settings.js";
import type { MasterOptionChange } from "../settings/options/master-options.js";
import type { Timing, TimingProfile } from "../settings/timing.js";
import type { SwitchoverRefusal } from "../switchover/switchover.js";
import type { Address } from "../util/address.js";
import { createEmitter } from "../util/emitter.js";
import type { Prng } from "../util/prng.js";
import { monitorMaster, removeMaster, resetMasters, setGlobalSettings, setMasterOption } from "./admin/master-admin.js";
import { announcedHost } from "./announced-address.js";
import { EngineContext } from "./context/engine-context.js";
import { onHello } from "./discovery/hello-gossip.js";
import { onInfoReply } from "./discovery/info-refresh.js";
import type { SentinelEvent } from "./events.js";
import { requestFailover } from "./failover/failover-start.js";
import { onHandoverReply } from "./failover/switchover-driver.js";
import { liftFences } from "./fencing/fence-upkeep.js";
import type { EngineInput } from "./inputs.js";
import { touch, touchAll } from "./links/link-registry.js";
import { onLinkDown, onLinkUp, onPingReply, onPublishReply, onReconfigureReply } from "./links/link-replies.js";
import type { EngineOutput } from "./output.js";
import type { KnownSentinel, PersistedState } from "./persisted-state.js";
import { requestWake, tick } from "./tick/tick-walk.js";
import { addMaster } from "./topology/topology-changes.js";
import { currentAddress, persistedState } from "./views/engine-views.js";
import { LiveEngineView } from "./views/live-views.js";
import type { EngineView } from "./views/view-types.js";
import { answerIsMasterDown, onAskReply } from "./votes/peer-votes.js";


/** A master to monitor at start-up, with what a previous run persisted about it. */
export interface MasterSeed {
  readonly settings: MasterSettingsInput;
  readonly configEpoch?: number;
  readonly leaderEpoch?: number;
  readonly knownReplicas?: readonly Address[];
  readonly knownSentinels?: readonly KnownSentinel[];
}

/** Options of {@link createSentinelEngine}. */
export interface SentinelEngineOptions {
  /** 40 hex characters; persisted as `sentinel myid`. */
  readonly myId: string;
  /** Creation time (ms). */
  readonly now: number;
  /** Seeded randomness (failover desync). */
  readonly prng: Prng;
  /** Periods: a profile name or explicit values. Default `"fast"`. */
  readonly timing?: Timing | TimingProfile;
  readonly global?: GlobalSettingsInput;
  readonly currentEpoch?: number;
  readonly masters?: readonly MasterSeed[];
  /**
   * Test-only hooks. `voteTwicePerEpoch` breaks a safety rule on purpose, so checkers can be shown to
   * catch it; `walkEveryTick` turns off the due-time skipping of the tick walk (`tick/tick-due.ts`), the
   * reference the simulator compares the skipping engine against.
   */
  readonly faults?: { readonly voteTwicePerEpoch?: boolean; readonly walkEveryTick?: boolean };
}

/** Result of a manual `SENTINEL FAILOVER` (§11.10). */
export type FailoverRequestResult = "ok" | "no-such-master" | "inprog" | SwitchoverRefusal;

/** Options of a coordinated `SENTINEL FAILOVER <name> COORDINATED` (a switchover). */
export interface SwitchoverOptions {
  /** The replica to hand over to; default: the ranking's best. */
  readonly to?: Address;
  /** `FAILOVER … TIMEOUT` (ms); default 5000, at most the master's `failover-timeout`. */
  readonly timeoutMs?: number;
}

/** Events an embedder can subscribe to. */
export type EngineEmitter = Emitter<{ event: SentinelEvent }>;

/**
 * One sentinel's brain. Feed it inputs stamped with `now`; it returns commands and events as data.
 * Deterministic: the same options and inputs give byte-identical outputs.
 *
 * A dispatcher: the state and the step in progress live in an {@link EngineContext}; each concern is
 * a module of functions over it (links/, discovery/, detection/, votes/, failover/, fencing/,
 * topology/, admin/, tick/, views/).
 */
export class SentinelEngine {
  readonly myId: string;
  /** Every event the engine produces, as it produces it. */
  readonly emitter: EngineEmitter = createEmitter();
  private readonly c: EngineContext;
  private readonly liveView: EngineView;

  constructor(options: SentinelEngineOptions) {
    this.myId = options.myId;
    this.c = new EngineContext(options);
    this.liveView = new LiveEngineView(this.c);
    contexts.set(this, this.c);
    for (const seed of options.masters ?? []) addMaster(this.c, seed, options.now);
  }

  /** Periods; mutable so `SENTINEL DEBUG` can change them at run time. */
  get timing(): Timing {
    return this.c.timing;
  }
  set timing(timing: Timing) {
    this.c.timing = timing;
  }

  get global(): GlobalSettings {
    return this.c.global;
  }
  set global(global: GlobalSettings) {
    this.c.global = global;
  }

  /** `SENTINEL SIMULATE-FAILURE` flags (1: crash after election, 2: crash after promotion). */
  get simulateFailureFlags(): number {
    return this.c.simulateFailureFlags;
  }
  set simulateFailureFlags(flags: number) {
    this.c.simulateFailureFlags = flags;
  }

  // ---------------------------------------------------------------- public surface

  /** Call once after construction: `+monitor` per master, and a first persist. */
  start(now: number): EngineOutput {
    return this.run(now, () => {
      const c = this.c;
      for (const m of c.masters.values()) c.emit("+monitor", "warning", `${c.details(m, m)} quorum ${m.settings.quorum}`, m);
      c.markDirty();
    });
  }

  /** Process one input. */
  step(input: EngineInput): EngineOutput {
    // Open and close by hand rather than through `run`: no closure per input, thousands a second.
    this.open(input.now);
    this.dispatch(input);
    return this.close(false);
  }

  /** The global current epoch. */
  currentEpoch(): number {
    return this.c.epoch;
  }

  /** True while in TILT. */
  inTilt(): boolean {
    return this.c.inTilt();
  }

  /** When TILT started (0 when not in TILT). */
  tiltSince(): number {
    return this.inTilt() ? this.c.tilt.context.tiltSince : 0;
  }

  /** `SENTINEL GET-MASTER-ADDR-BY-NAME`: the promoted replica from RECONF_SLAVES on (§11.5). */
  getMasterAddrByName(name: string): Address | null {
    const m = this.c.masters.get(name);
    if (!m) return null;
    const cur = currentAddress(m);
    return { host: announcedHost(m, cur, this.c.global.announceHostnames), port: cur.port };
  }

  /** Durable state, in the shape sentinel.conf stores it (§19.3). */
  persistedState(): PersistedState {
    return persistedState(this.c);
  }

  /**
   * The engine's state, read-only and live (views/view-types.ts): what the API, metrics, the ops page
   * and the simulator's checkers read. The same object every call; it reads the current state.
   */
  view(): EngineView {
    return this.liveView;
  }

  /**
   * Serve a peer's `SENTINEL IS-MASTER-DOWN-BY-ADDR ip port epoch runid` (§9.3). A new vote comes with
   * a `persist` command in `output`: write it before sending `reply`.
   */
  isMasterDownByAddr(now: number, ip: string, port: number, reqEpoch: number, runId: string): { reply: [number, string, number]; output: EngineOutput } {
    let reply: [number, string, number] = [0, "*", 0];
    const output = this.run(now, () => {
      reply = answerIsMasterDown(this.c, ip, port, reqEpoch, runId);
    });
    return { reply, output };
  }

  /** `SENTINEL FAILOVER <name>` (§11.10). */
  failover(now: number, name: string, coordinated?: SwitchoverOptions): { result: FailoverRequestResult; output: EngineOutput } {
    let result: FailoverRequestResult = "ok";
    const output = this.run(now, () => {
      result = requestFailover(this.c, name, coordinated);
    });
    return { result, output };
  }

  /** `SENTINEL RESET <pattern>`: reset every master whose name matches (§13.1). Returns the count. */
  reset(now: number, matches: (name: string) => boolean): { count: number; output: EngineOutput } {
    let count = 0;
    const output = this.run(now, () => {
      count = resetMasters(this.c, matches);
    });
    return { count, output };
  }

  /**
   * Clean shutdown: lift every fence this sentinel keeps (engine/fencing/fence-lifting.ts). The engine is
   * not stepped after this; the transport carries out the `lift-fences` commands before exiting.
   */
  liftAllFences(now: number): EngineOutput {
    return this.run(now, () => {
      for (const m of this.c.masters.values()) liftFences(this.c, m, { staleMaster: true, writes: "all" });
    });
  }

  /** `SENTINEL MONITOR` (validation is the API layer's job). Emits `+monitor` and persists. */
  monitor(now: number, settings: MasterSettingsInput): EngineOutput {
    return this.run(now, () => monitorMaster(this.c, settings));
  }

  /** `SENTINEL REMOVE <name>`: `-monitor`, forget the master, persist. */
  remove(now: number, name: string): EngineOutput {
    return this.run(now, () => removeMaster(this.c, name));
  }

  /**
   * Apply one `SENTINEL SET` option (§17.1.1), parsed and checked by the option registry
   * (`parseSetOption`). Emits `+set`.
   */
  setOption(now: number, name: string, change: MasterOptionChange): EngineOutput {
    return this.run(now, () => setMasterOption(this.c, name, change));
  }

  /** Apply validated global settings (`SENTINEL CONFIG SET`) and persist. */
  setGlobal(now: number, patch: Partial<GlobalSettings>): EngineOutput {
    return this.run(now, () => setGlobalSettings(this.c, patch));
  }

  /** `SENTINEL FLUSHCONFIG`: just persist. */
  flushConfig(now: number): EngineOutput {
    return this.run(now, () => this.c.markDirty());
  }

  // ---------------------------------------------------------------- the step

  /**
   * Open a step at `now`, run `body`, close it: the persist command placed, the wake requested, the
   * events published. `touchesAll`: the body may change anything (API calls), so every subtree is
   * walked on the next tick; inputs (`step`) mark only the subtrees they touch.
   */
  private run(now: number, body: () => void, touchesAll = true): EngineOutput {
    this.open(now);
    body();
    return this.close(touchesAll);
  }

  private open(now: number): void {
    const c = this.c;
    c.out.reset();
    c.now = now;
    c.persistAt = null;
    c.discoveryDirty = false;
  }

  private close(touchesAll: boolean): EngineOutput {
    const c = this.c;
    if (touchesAll) touchAll(c);
    if (c.persistAt !== null) {
      // Persist the final state *before* any command that followed the first change (§10.2).
      c.out.insertCommand(c.persistAt, { kind: "persist", state: persistedState(c) });
      c.persistAt = null;
    } else if (c.discoveryDirty) {
      c.out.command({ kind: "persist", deferrable: true });
    }
    c.discoveryDirty = false;
    requestWake(c);
    const out = c.out.take();
    for (let i = 0; i < out.events.length; i++) this.emitter.emit("event", out.events[i]!);
    return out;
  }

  private dispatch(input: EngineInput): void {
    const c = this.c;
    switch (input.kind) {
      case "tick":
        return tick(c);
      case "link-up":
        return onLinkUp(c, input.addr, input.link, input.localHost);
      case "link-down":
        return onLinkDown(c, input.addr, input.link, input.error, input.failure);
      case "ping-reply":
        return onPingReply(c, input.addr, input.reply);
      case "info-reply":
        return onInfoReply(c, input.addr, input.text);
      case "publish-reply":
        return onPublishReply(c, input.addr, input.ok);
      case "hello":
        return onHello(c, input.via, input.payload);
      case "ask-reply":
        touch(c, input.addr);
        return onAskReply(c, input.addr, input.master, input.reply);
      case "reconfigure-reply":
        return onReconfigureReply(c, input.addr);
      case "handover-reply":
        return onHandoverReply(c, input.addr, input.error);
    }
  }
}

/** Each engine's context, for core's own read-outs (explain, plans); not exported from the package. */
const contexts = new WeakMap<SentinelEngine, EngineContext>();

/** The context behind `engine` (core-internal: everything outside core reads {@link SentinelEngine.view}). */
export function contextOf(engine: SentinelEngine): EngineContext {
  return contexts.get(engine)!;
}

/** Create a sentinel engine (see {@link SentinelEngine}). */
export function createSentinelEngine(options: SentinelEngineOptions): SentinelEngine {
  return new SentinelEngine(options);
}
