import type { Emitter } from "mitt";
import { initialTransition, transition } from "xstate";
import { decodeHello, encodeHello, isHelloRejection } from "../codecs/hello-codec.js";
import { isInfoRejection, parseInfo } from "../codecs/info-parser.js";
import type { InfoReport } from "../codecs/info-report.js";
import { candidateRank, staggerSlot, startRank } from "../election/campaign-stagger.js";
import { electedLeader, leadingCandidate, tallyVotes } from "../election/leader-tally.js";
import { epochCannotElect, splitVoteBackoff } from "../election/split-vote.js";
import { castVote } from "../election/vote.js";
import { type FenceLiftScope, takeFenceLifts } from "../fencing/fence-lifting.js";
import { crashRetryAt, crashRuleHolds, endRefusalRun, type LinkFailure, nextReconnectAt, noteLinkFailure, refusedForMs } from "../health/crash-detection.js";
import { type FailoverEvent, type FailoverFacts, type FailoverStateName, failoverMachine, type Subject } from "../machines/failover.machine.js";
import { type HealthFacts, instanceHealthMachine, sdownCause } from "../machines/instance-health.machine.js";
import { isObjectivelyDown, odownMachine } from "../machines/odown.machine.js";
import { tiltMachine } from "../machines/tilt.machine.js";
import { type RankingContext, type RankingReplica, rankReplicas, selectReplica } from "../ranking/replica-ranking.js";
import { type GlobalSettings, type GlobalSettingsInput, GlobalSettingsSchema } from "../settings/global-settings.js";
import { type MasterSettingsInput, MasterSettingsSchema } from "../settings/master-settings.js";
import { renamesByLowerName, setRenamedCommand } from "../settings/renamed-commands.js";
import { engineTiming, FAST_TIMING, pingInterval, type Timing, type TimingProfile, timingFor } from "../settings/timing.js";
import {
  abortReasonOf,
  DEFAULT_HANDOVER_TIMEOUT_MS,
  finishSwitchover,
  HANDOVER_GRACE_MS,
  handoverExpired,
  type SwitchoverAbortReason,
  type SwitchoverRefusal,
  startSwitchover,
  stuckInFailover,
  switchoverRefusal,
} from "../switchover/switchover.js";
import { type Address, addressKey, sameAddress } from "../util/address.js";
import { createEmitter } from "../util/emitter.js";
import { isIpLiteral } from "../util/ip-literal.js";
import type { Prng } from "../util/prng.js";
import { announcedHost } from "./announced-address.js";
import type { EngineCommand, LinkAuth } from "./commands.js";
import type { EventLevel, SentinelEvent } from "./events.js";
import type { EngineInput } from "./inputs.js";
import { instanceDetails } from "./instance-details.js";
import { type EngineOutput, emptyOutput } from "./output.js";
import type { KnownSentinel, PersistedMaster, PersistedState } from "./persisted-state.js";
import {
  freshHealth,
  type InstanceRecord,
  type Link,
  linkDisconnected,
  linkSaturated,
  type MasterRecord,
  newLink,
  newMaster,
  newReplica,
  newSentinel,
  type ReplicaRecord,
  type SentinelRecord,
  silentSince,
} from "./records.js";
import { infoPeriodFor, subtreeDueAt, WAKE_HORIZON_MS } from "./tick-due.js";
import { desiredFence } from "./write-fence.js";

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
   * catch it; `walkEveryTick` turns off the due-time skipping of the tick walk (`tick-due.ts`), the
   * reference the simulator compares the skipping engine against.
   */
  readonly faults?: { readonly voteTwicePerEpoch?: boolean; readonly walkEveryTick?: boolean };
}

/** Read-only summary of one master, for simulators, checkers and `vigil explain`. */
export interface MasterView {
  readonly name: string;
  readonly addr: Address;
  /** What GET-MASTER-ADDR-BY-NAME answers (the promoted replica from RECONF_SLAVES on). */
  readonly currentAddr: Address;
  readonly configEpoch: number;
  readonly failoverState: FailoverStateName;
  readonly failoverEpoch: number;
  readonly leader: string | null;
  readonly leaderEpoch: number;
  readonly sdown: boolean;
  readonly odown: boolean;
  readonly promoted: string | null;
  readonly replicas: readonly { readonly key: string; readonly addr: Address; readonly sdown: boolean; readonly reconf: string }[];
  readonly sentinels: readonly { readonly runId: string; readonly addr: Address; readonly masterDown: boolean; readonly leader: string | null; readonly leaderEpoch: number }[];
}

/** Read-only summary of the whole engine. */
export interface EngineView {
  readonly myId: string;
  readonly currentEpoch: number;
  readonly tilt: boolean;
  readonly masters: readonly MasterView[];
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

const HELLO_CHANNEL_IGNORE_OWN = true;

/**
 * One sentinel's brain. Feed it inputs stamped with `now`; it returns commands and events as data.
 * Deterministic: the same options and inputs give byte-identical outputs.
 */
export class SentinelEngine {
  readonly myId: string;
  /** Every event the engine produces, as it produces it. */
  readonly emitter: EngineEmitter = createEmitter();
  /** Mutable so `SENTINEL DEBUG` can change periods at run time. */
  timing: Timing;
  global: GlobalSettings;
  simulateFailureFlags = 0;
  private epoch: number;
  private readonly masters = new Map<string, MasterRecord>();
  private readonly links = new Map<string, Link>();
  /**
   * Link → every (record, master) bound to it, in the order of a scan of `masters` (master, its
   * replicas, its sentinels). Built lazily; dropped (null) whenever a record is added, removed or
   * rebound to another link (`recordsChanged`). Arrays handed out are never mutated afterwards.
   */
  private linkIndex: Map<Link, readonly (readonly [InstanceRecord, MasterRecord])[]> | null = null;
  /** The periods the current due times were computed with (see `timingChanged`). */
  private readonly timingSeen: Partial<Record<TimingKey, Timing[TimingKey]>> = {};
  private tilt;
  /**
   * Time of the last tick. The TILT machine's `previousTime` is only brought up to date when the
   * machine is transitioned, which `tick()` skips while nothing can change (see there).
   */
  private lastTickTime: number;
  private readonly prng: Prng;
  private readonly faults: NonNullable<SentinelEngineOptions["faults"]>;
  private out: EngineOutput = emptyOutput();
  private now: number;
  /** Index in the current output's commands where the first state change happened, or null. */
  private persistAt: number | null = null;
  /** Discovered topology changed in this step; persisted `deferrable` unless a durable persist covers it. */
  private discoveryDirty = false;
  /** Fast profile: earliest time this step wants another tick at (Infinity = none). */
  private wantTickAt = Number.POSITIVE_INFINITY;
  /** Time of the last `wake` emitted and not yet reached (Infinity = none pending). */
  private wakePending = Number.POSITIVE_INFINITY;

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
    for (const seed of options.masters ?? []) this.addMaster(seed, options.now);
  }

  // ---------------------------------------------------------------- public surface

  /** Call once after construction: `+monitor` per master, and a first persist. */
  start(now: number): EngineOutput {
    return this.run(now, () => {
      for (const m of this.masters.values()) this.emit("+monitor", "warning", `${this.details(m, m)} quorum ${m.settings.quorum}`, m);
      this.markDirty();
    });
  }

  /** Process one input. */
  step(input: EngineInput): EngineOutput {
    return this.run(input.now, () => this.dispatch(input), false);
  }

  /** The global current epoch. */
  currentEpoch(): number {
    return this.epoch;
  }

  /** True while in TILT. */
  inTilt(): boolean {
    return this.tilt.value === "tilt";
  }

  /** When TILT started (0 when not in TILT). */
  tiltSince(): number {
    return this.inTilt() ? this.tilt.context.tiltSince : 0;
  }

  /** `SENTINEL GET-MASTER-ADDR-BY-NAME`: the promoted replica from RECONF_SLAVES on (§11.5). */
  getMasterAddrByName(name: string): Address | null {
    const m = this.masters.get(name);
    if (!m) return null;
    const cur = this.currentAddress(m);
    return { host: announcedHost(m, cur, this.global.announceHostnames), port: cur.port };
  }

  /** Master records in insertion order (for the API layer). */
  masterRecords(): readonly MasterRecord[] {
    return [...this.masters.values()];
  }

  /** One master record by name. */
  masterRecord(name: string): MasterRecord | undefined {
    return this.masters.get(name);
  }

  /** Durable state, in the shape sentinel.conf stores it (§19.3). */
  persistedState(): PersistedState {
    const masters: PersistedMaster[] = [];
    for (const m of this.masters.values()) {
      const cur = this.currentAddress(m);
      const knownReplicas: Address[] = [];
      for (const r of m.replicas.values()) knownReplicas.push(sameAddress(r.addr, cur) ? m.addr : r.addr);
      const knownSentinels: KnownSentinel[] = [];
      for (const s of m.sentinels.values()) knownSentinels.push({ host: s.addr.host, port: s.addr.port, runId: s.runId });
      masters.push({
        settings: { ...m.settings, host: cur.host, port: cur.port, renamedCommands: { ...m.settings.renamedCommands } },
        configEpoch: m.configEpoch,
        leaderEpoch: m.leaderEpoch,
        knownReplicas,
        knownSentinels,
      });
    }
    return { myId: this.myId, currentEpoch: this.epoch, global: { ...this.global }, masters };
  }

  /** Summary for simulators, checkers and explain. */
  view(): EngineView {
    const masters: MasterView[] = [];
    for (const m of this.masters.values()) {
      masters.push({
        name: m.name,
        addr: m.addr,
        currentAddr: this.currentAddress(m),
        configEpoch: m.configEpoch,
        failoverState: m.failover.value as FailoverStateName,
        failoverEpoch: m.failover.context.failoverEpoch,
        leader: m.leader,
        leaderEpoch: m.leaderEpoch,
        sdown: m.health.value === "sdown",
        odown: m.odown.value === "odown",
        promoted: m.failover.context.promoted,
        replicas: [...m.replicas.values()].map((r) => ({ key: r.name, addr: r.addr, sdown: r.health.value === "sdown", reconf: r.reconf })),
        sentinels: [...m.sentinels.values()].map((s) => ({
          runId: s.runId,
          addr: s.addr,
          masterDown: s.masterDown,
          leader: s.leader,
          leaderEpoch: s.leaderEpoch,
        })),
      });
    }
    return { myId: this.myId, currentEpoch: this.epoch, tilt: this.inTilt(), masters };
  }

  /** The ranking inputs for a master's replicas at `now` (used by selection, FAILOVER's pre-check and explain). */
  rankingInputs(m: MasterRecord, now: number): { replicas: (RankingReplica & { record: ReplicaRecord })[]; ctx: RankingContext } {
    const replicas = [...m.replicas.values()].map((r) => ({
      key: r.name,
      runId: r.runId,
      sdown: r.health.value === "sdown",
      odown: false,
      disconnected: linkDisconnected(r.link),
      lastAvailTime: r.link.lastAvailTime,
      slavePriority: r.slavePriority,
      infoRefresh: r.infoRefresh,
      masterLinkDownTimeMs: r.masterLinkDownTime,
      replOffset: r.replOffset,
      reportsMaster: r.roleReported === "master",
      record: r,
    }));
    const ctx: RankingContext = {
      now,
      // Sentinel's 5 × ping-period rules, with the period the replicas are actually pinged at when the
      // adaptive cadence is slower than the profile's (never below the profile's: Sentinel's exact rule).
      pingPeriod: Math.max(this.timing.pingPeriod, pingInterval(this.timing, m.settings.downAfterMs)),
      infoPeriod: this.timing.infoPeriod,
      masterDownAfterMs: m.settings.downAfterMs,
      masterSdownSince: m.health.value === "sdown" ? m.health.context.sdownSince : null,
    };
    return { replicas, ctx };
  }

  /**
   * Serve a peer's `SENTINEL IS-MASTER-DOWN-BY-ADDR ip port epoch runid` (§9.3). A new vote comes with
   * a `persist` command in `output`: write it before sending `reply`.
   */
  isMasterDownByAddr(now: number, ip: string, port: number, reqEpoch: number, runId: string): { reply: [number, string, number]; output: EngineOutput } {
    let reply: [number, string, number] = [0, "*", 0];
    const output = this.run(now, () => {
      const m = [...this.masters.values()].find((x) => sameAddress(x.addr, { host: ip, port }));
      if (!m) return;
      const down = !this.inTilt() && m.health.value === "sdown" ? 1 : 0;
      if (runId === "*") {
        if (down === 1) m.lastPeerProbe = now;
        reply = [down, "*", 0];
        return;
      }
      this.vote(m, reqEpoch, runId);
      reply = [down, m.leader ?? "*", m.leaderEpoch];
    });
    return { reply, output };
  }

  /** `SENTINEL FAILOVER <name>` (§11.10). */
  failover(now: number, name: string, coordinated?: SwitchoverOptions): { result: FailoverRequestResult; output: EngineOutput } {
    let result: FailoverRequestResult = "ok";
    const output = this.run(now, () => {
      const m = this.masters.get(name);
      if (!m) return void (result = "no-such-master");
      if (m.failover.value !== "none") return void (result = "inprog");
      const { replicas, ctx } = this.rankingInputs(m, now);
      if (coordinated) {
        const refusal = this.switchoverRefusal(m, coordinated.to ?? null);
        if (refusal !== null) return void (result = refusal);
        this.startFailover(m, false, true);
        // The failover machine's own wait_promotion timeout must not cut the hand-over's grace.
        const timeoutMs = Math.max(1, Math.min(coordinated.timeoutMs ?? DEFAULT_HANDOVER_TIMEOUT_MS, m.settings.failoverTimeoutMs - HANDOVER_GRACE_MS));
        m.switchover = startSwitchover(m.failover.context.failoverEpoch, now, coordinated.to ?? null, timeoutMs);
        this.emit("+switchover-start", "warning", `${this.details(m, m)} #to ${coordinated.to ? addressKey(coordinated.to) : "best"} timeout ${timeoutMs}`, m);
        // Unlike a forced failover, a switchover is elected: no two sentinels hand over at once.
        this.askPeers(m, true);
        if (this.timing.eager && !this.inTilt()) this.driveFailover(m);
        return;
      }
      if (!selectReplica(replicas, ctx)) return void (result = "nogoodslave");
      this.startFailover(m, true);
      // The state machine only steps in the acting half, which TILT suspends (§14).
      if (this.timing.eager && !this.inTilt()) this.driveFailover(m);
    });
    return { result, output };
  }

  /** The preconditions of a switchover of `m`, checked before anything changes. */
  private switchoverRefusal(m: MasterRecord, to: Address | null): SwitchoverRefusal | null {
    const { replicas, ctx } = this.rankingInputs(m, this.now);
    const requested = to ? addressKey(to) : null;
    return switchoverRefusal({
      masterUsable: !linkDisconnected(m.link) && m.health.value !== "sdown" && m.roleReported === "master" && m.infoRefresh !== 0,
      masterFailoverState: m.failoverState,
      eligible: rankReplicas(replicas, ctx).ranked.map((r) => r.key),
      requested,
      requestedKnown: requested !== null && m.replicas.has(requested),
    });
  }

  /** `SENTINEL RESET <pattern>`: reset every master whose name matches (§13.1). Returns the count. */
  reset(now: number, matches: (name: string) => boolean): { count: number; output: EngineOutput } {
    let count = 0;
    const output = this.run(now, () => {
      for (const m of this.masters.values()) {
        if (!matches(m.name)) continue;
        // The master stays watched (its write fence is kept in step); the forgotten instances are not.
        this.liftFences(m, { staleMaster: true, writes: "replicas" });
        this.resetMaster(m, false);
        this.emit("+reset-master", "warning", this.details(m, m), m);
        count++;
      }
    });
    return { count, output };
  }

  /**
   * Clean shutdown: lift every fence this sentinel keeps (fencing/fence-lifting.ts). The engine is
   * not stepped after this; the transport carries out the `lift-fences` commands before exiting.
   */
  liftAllFences(now: number): EngineOutput {
    return this.run(now, () => {
      for (const m of this.masters.values()) this.liftFences(m, { staleMaster: true, writes: "all" });
    });
  }

  /** `SENTINEL MONITOR` (validation is the API layer's job). Emits `+monitor` and persists. */
  monitor(now: number, settings: MasterSettingsInput): EngineOutput {
    return this.run(now, () => {
      const m = this.addMaster({ settings: { downAfterMs: this.timing.defaultDownAfter, failoverTimeoutMs: this.timing.defaultFailoverTimeout, ...settings } }, now);
      this.markDirty();
      this.emit("+monitor", "warning", `${this.details(m, m)} quorum ${m.settings.quorum}`, m);
    });
  }

  /** `SENTINEL REMOVE <name>`: `-monitor`, forget the master, persist. */
  remove(now: number, name: string): EngineOutput {
    return this.run(now, () => {
      const m = this.masters.get(name);
      if (!m) return;
      this.emit("-monitor", "warning", this.details(m, m), m);
      this.liftFences(m, { staleMaster: true, writes: "all" });
      for (const r of m.replicas.values()) this.release(r.link);
      for (const s of m.sentinels.values()) this.release(s.link);
      this.release(m.link);
      this.masters.delete(name);
      this.recordsChanged();
      this.markDirty();
    });
  }

  /**
   * Apply one `SENTINEL SET` option that the API layer already validated (§17.1.1). Emits `+set`.
   * `value` is the raw text; rename-command passes `[command, renamed]`.
   */
  setOption(now: number, name: string, option: string, value: string | readonly [string, string]): EngineOutput {
    return this.run(now, () => {
      const m = this.masters.get(name);
      if (!m) return;
      const s = m.settings;
      let shown = typeof value === "string" ? value : `${value[0]} ${value[1]}`;
      switch (option) {
        case "down-after-milliseconds":
          s.downAfterMs = Number(value);
          break;
        case "failover-timeout":
          s.failoverTimeoutMs = Number(value);
          break;
        case "parallel-syncs":
          s.parallelSyncs = Number(value);
          break;
        case "quorum":
          s.quorum = Number(value);
          break;
        case "master-reboot-down-after-period":
        case "primary-reboot-down-after-period": // Valkey's spelling
          s.masterRebootDownAfterMs = Number(value);
          break;
        case "vigil-crash-down-after":
          s.crashDownAfterMs = Number(value);
          break;
        case "notification-script":
          s.notificationScript = value === "" ? undefined : (value as string);
          break;
        case "client-reconfig-script":
          s.clientReconfigScript = value === "" ? undefined : (value as string);
          break;
        case "vigil-fence-writes": {
          const on = String(value).toLowerCase() === "yes";
          if (!on) this.liftFences(m, { staleMaster: false, writes: "all" });
          s.fenceWrites = on;
          m.fence = null;
          break;
        }
        case "vigil-fence-stale-master":
          s.fenceStaleMaster = String(value).toLowerCase() === "yes";
          if (!s.fenceStaleMaster) this.liftFences(m, { staleMaster: true, writes: "none" });
          break;
        case "vigil-fence-max-lag":
          s.fenceMaxLagS = Number(value);
          m.fence = null;
          break;
        case "auth-pass":
        case "auth-user":
          if (option === "auth-pass") {
            s.authPass = value === "" ? undefined : (value as string);
            shown = "******";
          } else s.authUser = value === "" ? undefined : (value as string);
          this.dropDataLinks(m);
          break;
        case "rename-command": {
          const [cmd, renamed] = value as readonly [string, string];
          setRenamedCommand(s.renamedCommands, cmd, renamed);
          shown = `rename-command ${cmd} ${renamed}`;
          this.emit("+set", "warning", `${this.details(m, m)} ${shown}`, m);
          this.markDirty();
          return;
        }
        default:
          return;
      }
      this.emit("+set", "warning", `${this.details(m, m)} ${option} ${shown}`, m);
      this.markDirty();
    });
  }

  /** Apply validated global settings (`SENTINEL CONFIG SET`) and persist. */
  setGlobal(now: number, patch: Partial<GlobalSettings>): EngineOutput {
    return this.run(now, () => {
      const peerCredsChanged = ("sentinelUser" in patch && patch.sentinelUser !== this.global.sentinelUser) || ("sentinelPass" in patch && patch.sentinelPass !== this.global.sentinelPass);
      this.global = { ...this.global, ...patch };
      if (peerCredsChanged) {
        for (const l of this.links.values()) if (l.peer === "sentinel") this.closeLink(l);
      }
      this.markDirty();
    });
  }

  /** `SENTINEL FLUSHCONFIG`: just persist. */
  flushConfig(now: number): EngineOutput {
    return this.run(now, () => {
      this.markDirty();
    });
  }

  // ---------------------------------------------------------------- the step loop

  /**
   * `touchesAll`: the body may change anything (API calls), so every subtree is walked on the next
   * tick. Inputs (`step`) mark only the subtrees they touch (see `touch`).
   */
  private run(now: number, body: () => void, touchesAll = true): EngineOutput {
    this.out = emptyOutput();
    this.now = now;
    this.persistAt = null;
    this.discoveryDirty = false;
    body();
    if (touchesAll) this.touchAll();
    if (this.persistAt !== null) {
      // Persist the final state *before* any command that followed the first change (§10.2).
      this.out.commands.splice(this.persistAt, 0, { kind: "persist", state: this.persistedState() });
      this.persistAt = null;
    } else if (this.discoveryDirty) {
      this.out.commands.push({ kind: "persist", deferrable: true });
    }
    this.discoveryDirty = false;
    this.requestWake();
    const out = this.out;
    for (const e of out.events) this.emitter.emit("event", e);
    return out;
  }

  private dispatch(input: EngineInput): void {
    switch (input.kind) {
      case "tick":
        return this.tick();
      case "link-up":
        return this.onLinkUp(input.addr, input.link, input.localHost);
      case "link-down":
        return this.onLinkDown(input.addr, input.link, input.error, input.failure);
      case "ping-reply":
        return this.onPingReply(input.addr, input.reply);
      case "info-reply":
        return this.onInfoReply(input.addr, input.text);
      case "publish-reply":
        return this.onPublishReply(input.addr, input.ok);
      case "hello":
        return this.onHello(input.via, input.payload);
      case "ask-reply":
        this.touch(input.addr);
        return this.onAskReply(input.addr, input.master, input.reply);
      case "reconfigure-reply":
        return this.onReconfigureReply(input.addr);
      case "handover-reply":
        return this.onHandoverReply(input.addr, input.error);
    }
  }

  /** §3: TILT check, then every master's subtree, then the pending switch. */
  private tick(): void {
    const tiltBefore = this.inTilt();
    this.tickTilt();
    const tilt = this.inTilt();
    if (tilt !== tiltBefore || this.timingChanged()) this.touchAll();
    // No copies of the maps: neither the monitoring nor the acting half adds or removes records (that
    // happens on replies, hellos, API calls and in finishSwitch, which runs after the walk).
    let switching: MasterRecord[] | null = null;
    for (const m of this.masters.values()) {
      // Skip subtrees with nothing due (tick-due.ts): most of them, on most ticks.
      if (m.dueAt > this.now && this.faults.walkEveryTick !== true) continue;
      this.monitor1(m, m);
      for (const r of m.replicas.values()) this.monitor1(r, m);
      for (const s of m.sentinels.values()) this.monitor1(s, m);
      if (!tilt) {
        this.act(m);
        if (m.failover.value === "update_config") (switching ??= []).push(m);
      }
      m.dueAt = subtreeDueAt(m, this.timing, this.now);
    }
    if (switching !== null) for (const m of switching) this.finishSwitch(m);
  }

  /**
   * §14. `transition()` is costly and, on nearly every tick, would only remember the time: the machine
   * changes state only when the clock jumped (delta outside [0, tiltTrigger]: the `clockJumped` guard)
   * or, in TILT, when the TILT period expired (`tiltExpired`). Only then is it transitioned, from its
   * snapshot with `previousTime` set to the last tick, exactly as if it had seen every tick.
   */
  private tickTilt(): void {
    const previous = this.lastTickTime;
    this.lastTickTime = this.now;
    const delta = this.now - previous;
    const jumped = delta < 0 || delta > this.timing.tiltTrigger;
    const expired = this.inTilt() && this.now - this.tilt.context.tiltSince > this.timing.tiltPeriod;
    if (!jumped && !expired) return;
    const from = tiltMachine.resolveState({ value: this.tilt.value, context: { ...this.tilt.context, previousTime: previous } });
    const [tilt, actions] = transition(tiltMachine, from, {
      type: "TICK",
      now: this.now,
      tiltTrigger: this.timing.tiltTrigger,
      tiltPeriod: this.timing.tiltPeriod,
    });
    this.tilt = tilt;
    for (const a of actions) {
      if (a.type === "announce") {
        const type = (a.params as { type: string }).type;
        this.emit(type, "warning", type === "+tilt" ? "#tilt mode entered" : "#tilt mode exited");
      }
    }
  }

  /**
   * Fast profile: ask for a tick at `at`. The runtime's periodic tick can then be slow (100 ms) in the
   * steady state while the deadlines that matter for failover latency are met on time: the moment an
   * instance's no-reply time exceeds down-after (checkSdown), and short steps while a master is in
   * trouble (act).
   */
  private wakeBy(at: number): void {
    if (at < this.wantTickAt) this.wantTickAt = at;
  }

  /** Emit one `wake` for the earliest wanted tick unless an earlier one is already pending. */
  private requestWake(): void {
    const at = this.wantTickAt;
    if (at === Number.POSITIVE_INFINITY) return;
    this.wantTickAt = Number.POSITIVE_INFINITY;
    // Reached (timers may fire a millisecond early against the wall clock): no longer pending.
    if (this.wakePending <= this.now + WAKE_SLACK_MS) this.wakePending = Number.POSITIVE_INFINITY;
    if (at >= this.wakePending) return;
    this.wakePending = at;
    this.cmd({ kind: "wake", at });
  }

  /** Acting half for one master subtree (§3): SDOWN everywhere, ODOWN, failover, asking peers. */
  private act(m: MasterRecord): void {
    for (const r of m.replicas.values()) this.checkSdown(r, m);
    for (const s of m.sentinels.values()) this.checkSdown(s, m);
    this.checkSdown(m, m);
    this.checkOdown(m);
    if (this.maybeStartFailover(m)) this.askPeers(m, true);
    this.driveFailover(m);
    this.superviseHandover(m);
    this.askPeers(m, false);
    this.applyFence(m);
    // Fast profile: while a master is in trouble, step every EAGER_STEP_MS as the daemon's old 20 ms
    // tick did (asking peers, fast INFO, the election and failover progress all ride on ticks too).
    if (this.timing.eager && (m.health.value === "sdown" || m.odown.value === "odown" || m.failover.value !== "none" || m.startAt !== null)) {
      this.wakeBy(this.now + EAGER_STEP_MS);
    }
  }

  private liftFences(m: MasterRecord, scope: FenceLiftScope): void {
    for (const lift of takeFenceLifts(m, scope)) this.cmd({ kind: "lift-fences", ...lift });
  }

  /** Write fencing (Vigil extension): keep the current master's `min-replicas-to-write` in step. */
  private applyFence(m: MasterRecord): void {
    if (!m.settings.fenceWrites) return;
    const cur = this.currentAddress(m);
    const link = this.links.get(addressKey(cur));
    if (!link || link.cmd !== "up") return;
    const want = desiredFence(m, cur);
    if (m.fence && m.fence.key === want.key && m.fence.minReplicas === want.minReplicas) return;
    m.fence = want;
    this.cmd({ kind: "fence-writes", addr: cur, minReplicas: want.minReplicas, maxLagS: m.settings.fenceMaxLagS });
  }

  /** Eager mode: react to an input at once instead of at the next tick. */
  private actNow(m: MasterRecord): void {
    m.dueAt = 0;
    if (!this.timing.eager || this.inTilt()) return;
    this.act(m);
    if (m.failover.value === "update_config") this.finishSwitch(m);
  }

  // ---------------------------------------------------------------- links and periodic traffic

  private monitor1(inst: InstanceRecord, m: MasterRecord): void {
    this.reconnect(inst, m);
    this.sendPeriodic(inst, m);
  }

  private linkFor(addr: Address, peer: Link["peer"]): Link {
    const key = addressKey(addr);
    let l = this.links.get(key);
    if (!l) {
      l = newLink(addr, peer, this.now);
      this.links.set(key, l);
    }
    l.refcount++;
    return l;
  }

  private release(l: Link): void {
    l.refcount--;
    if (l.refcount <= 0) {
      this.closeLink(l);
      this.links.delete(l.key);
    }
  }

  private closeLink(l: Link): void {
    if (l.cmd !== "down") this.cmd({ kind: "disconnect", addr: l.addr, link: "cmd" });
    if (l.pubsub !== "down") this.cmd({ kind: "disconnect", addr: l.addr, link: "pubsub" });
    l.cmd = "down";
    l.pubsub = "down";
    l.pending = 0;
    l.infoInFlight = false;
    l.staleInfoReplies = 0;
  }

  private authFor(inst: InstanceRecord, m: MasterRecord): LinkAuth | undefined {
    if (inst.kind === "sentinel") {
      if (this.global.sentinelPass !== undefined) return { user: this.global.sentinelUser, pass: this.global.sentinelPass };
      return this.global.requirePass !== undefined ? { pass: this.global.requirePass } : undefined;
    }
    return m.settings.authPass !== undefined ? { user: m.settings.authUser, pass: m.settings.authPass } : undefined;
  }

  /** §2/§4: (re)connect at most once per ping period; drop idle links. */
  private reconnect(inst: InstanceRecord, m: MasterRecord): void {
    const l = inst.link;
    if (inst.addr.port === 0) return;
    this.dropIdle(l, m);
    const needPubsub = l.peer === "instance";
    if (l.cmd !== "down" && (!needPubsub || l.pubsub !== "down")) return;
    if (this.now < nextReconnectAt(l, l.lastReconnTime, m.settings.crashDownAfterMs, this.timing.pingPeriod)) return;
    l.lastReconnTime = this.now;
    const base = { addr: l.addr, peer: l.peer, auth: this.authFor(inst, m), renames: renamesByLowerName(m.settings.renamedCommands) } as const;
    const id8 = this.myId.slice(0, 8);
    if (l.cmd === "down") {
      l.cmd = "connecting";
      // Sentinel queues a PING with every reconnection ("send a PING ASAP when reconnecting"), so a
      // dead instance's silence counts from the first reconnection attempt, not from its last reply:
      // SDOWN comes down-after after the failure was noticed, never earlier, whatever the PING period.
      if (l.actPingTime === 0) l.actPingTime = this.now;
      this.cmd({ kind: "connect", link: "cmd", clientName: `sentinel-${id8}-cmd`, ...base });
    }
    if (needPubsub && l.pubsub === "down") {
      l.pubsub = "connecting";
      this.cmd({ kind: "connect", link: "pubsub", clientName: `sentinel-${id8}-pubsub`, ...base });
    }
  }

  private dropIdle(l: Link, m: MasterRecord): void {
    const minAge = this.timing.minLinkReconnectPeriod;
    const half = m.settings.downAfterMs / 2;
    if (l.cmd === "up" && this.now - l.cmdConnTime > minAge && l.actPingTime !== 0 && this.now - l.actPingTime > half && this.now - l.lastPongTime > half) {
      this.cmd({ kind: "disconnect", addr: l.addr, link: "cmd" });
      l.cmd = "down";
      l.pending = 0;
      l.infoInFlight = false;
      l.staleInfoReplies = 0;
    }
    if (l.pubsub === "up" && this.now - l.pcConnTime > minAge && this.now - l.pcLastActivity > 3 * this.timing.publishPeriod) {
      this.cmd({ kind: "disconnect", addr: l.addr, link: "pubsub" });
      l.pubsub = "down";
    }
  }

  /** §5: INFO, PING and hello, each on its own cadence; nothing while the link is down or saturated. */
  private sendPeriodic(inst: InstanceRecord, m: MasterRecord): void {
    const l = inst.link;
    if (linkDisconnected(l) || linkSaturated(l)) return;
    if (inst.kind !== "sentinel" && !l.infoInFlight) {
      // Eager mode also polls fast from SDOWN: the election completes within milliseconds of ODOWN,
      // and replica selection needs INFO younger than 5 × ping-period by then.
      const masterTrouble = m.odown.value === "odown" || m.failover.value !== "none" || (this.timing.eager && m.health.value === "sdown");
      if (inst.infoRefresh === 0 || this.now - inst.infoRefresh > infoPeriodFor(inst, masterTrouble, this.timing)) this.sendInfo(l);
    }
    const interval = pingInterval(this.timing, m.settings.downAfterMs);
    if (this.now - l.lastPongTime > interval && this.now - l.lastPingTime > interval / 2) this.sendPing(l);
    if (this.now - inst.lastPubTime > this.timing.publishPeriod) this.sendHello(inst, m);
  }

  private sendInfo(l: Link): void {
    l.pending++;
    l.infoInFlight = true;
    this.cmd({ kind: "info", addr: l.addr });
  }

  private sendPing(l: Link): void {
    l.pending++;
    l.lastPingTime = this.now;
    if (l.actPingTime === 0) l.actPingTime = this.now;
    this.cmd({ kind: "ping", addr: l.addr });
  }

  /** §7.1: one hello per destination per publish period. */
  private sendHello(inst: InstanceRecord, m: MasterRecord): void {
    const ip = this.global.announceIp ?? inst.link.localHost;
    if (ip === undefined || inst.link.cmd !== "up") return;
    const cur = this.currentAddress(m);
    const payload = encodeHello({
      sentinelIp: ip,
      sentinelPort: this.global.announcePort || this.global.port,
      sentinelRunId: this.myId,
      currentEpoch: this.epoch,
      masterName: m.name,
      masterIp: announcedHost(m, cur, this.global.announceHostnames),
      masterPort: cur.port,
      masterConfigEpoch: m.configEpoch,
    });
    inst.lastPubTime = this.now;
    inst.link.pending++;
    this.cmd({ kind: "publish-hello", addr: inst.link.addr, payload });
  }

  private onLinkUp(addr: Address, kind: "cmd" | "pubsub", localHost: string | undefined): void {
    const l = this.links.get(addressKey(addr));
    if (!l) return;
    this.touchLink(l);
    endRefusalRun(l); // it accepts connections: whatever happens next is not a crash in progress
    if (kind === "cmd") {
      l.cmd = "up";
      l.cmdConnTime = this.now;
      l.pending = 0;
      l.infoInFlight = false;
      l.staleInfoReplies = 0;
      if (localHost !== undefined) l.localHost = localHost;
      for (const m of this.masters.values()) if (m.fence?.key === l.key) m.fence = null;
      this.sendPing(l); // §4: PING right after connecting
    } else {
      l.pubsub = "up";
      l.pcConnTime = this.now;
      l.pcLastActivity = this.now;
    }
  }

  private onLinkDown(addr: Address, kind: "cmd" | "pubsub", error: string, failure: LinkFailure): void {
    const l = this.links.get(addressKey(addr));
    if (!l) return;
    this.touchLink(l);
    noteLinkFailure(l, failure, this.now);
    // Crash rule on: be awake for the next (faster) reconnection attempt.
    for (const [, m] of this.recordsAt(l)) this.wakeBy(crashRetryAt(l, l.lastReconnTime, m.settings.crashDownAfterMs, this.timing.pingPeriod, this.now));
    const wasConnecting = (kind === "cmd" ? l.cmd : l.pubsub) === "connecting";
    if (kind === "cmd") {
      l.cmd = "down";
      l.pending = 0;
      l.infoInFlight = false;
      l.staleInfoReplies = 0;
      // Eager mode reacts to the drop itself instead of the next timer: the silence counts from now,
      // as from the reconnection attempt Sentinel makes on its next tick (see reconnect()). Every
      // sentinel then sees a crash at the same moment, so their SDOWNs do not spread over a tick.
      if (this.timing.eager && l.actPingTime === 0) l.actPingTime = this.now;
    } else l.pubsub = "down";
    if (wasConnecting) {
      for (const [inst, m] of this.recordsAt(l)) {
        this.emit(kind === "cmd" ? "-cmd-link-reconnection" : "-pubsub-link-reconnection", "debug", `${this.details(inst, m)} #${error}`, m);
      }
    }
    for (const m of this.mastersAt(l)) this.actNow(m);
  }

  private onPingReply(addr: Address, reply: string): void {
    const l = this.links.get(addressKey(addr));
    if (!l) return;
    const acceptable = reply.startsWith("PONG") || reply.startsWith("LOADING") || reply.startsWith("MASTERDOWN");
    // A good reply only moves due times later; an error or a saturated link needs the next walk.
    if (!acceptable || linkSaturated(l)) this.touchLink(l);
    if (l.pending > 0) l.pending--;
    l.lastPongTime = this.now;
    if (acceptable) {
      l.lastAvailTime = this.now;
      l.actPingTime = 0;
    }
    for (const [inst, m] of this.recordsAt(l)) {
      if (inst.kind === "master" && inst.reboot && reply.startsWith("PONG")) inst.reboot = false;
      if (!acceptable && reply.startsWith("BUSY") && inst.health.value === "sdown" && !inst.scriptKillSent) {
        inst.scriptKillSent = true;
        this.cmd({ kind: "script-kill", addr: l.addr });
      }
      void m;
    }
  }

  private onPublishReply(addr: Address, ok: boolean): void {
    const l = this.links.get(addressKey(addr));
    if (!l) return;
    if (!ok || linkSaturated(l)) this.touchLink(l);
    if (l.pending > 0) l.pending--;
    if (!ok) for (const [inst] of this.recordsAt(l)) inst.lastPubTime = 0; // retry on the next tick (§5.2)
  }

  /** The master refused `FAILOVER TO` (no such replica, not in sync, no such command): nothing changed. */
  private onHandoverReply(addr: Address, error: string | null): void {
    const l = this.links.get(addressKey(addr));
    if (l && l.pending > 0) l.pending--;
    const m = [...this.masters.values()].find((x) => sameAddress(x.addr, addr));
    if (!m || error === null || m.switchover?.phase !== "handing-over") return;
    this.abandonSwitchover(m, "handover-refused", error);
  }

  /** End a switchover that changed nothing: the master keeps its role, the failover machine stops. */
  private abandonSwitchover(m: MasterRecord, reason: SwitchoverAbortReason, detail: string | null = null): void {
    const s = m.switchover;
    if (!s || s.outcome !== null) return;
    finishSwitchover(s, this.now, "aborted", reason, detail);
    this.emit("-switchover-abort", "warning", `${this.details(m, m)} #${reason}${detail ? ` ${detail}` : ""}`, m);
    if (m.failover.context.coordinated) this.applyFailover(m, { type: "ABANDON", now: this.now });
  }

  /**
   * Coordinated hand-over glue: give up (with `FAILOVER ABORT`) past its timeout, and recover a master
   * left in a `FAILOVER` hand-over nobody finishes (switchover.ts, `stuckInFailover`).
   */
  private superviseHandover(m: MasterRecord): void {
    const s = m.switchover;
    if (s && s.outcome === null && handoverExpired(s, this.now)) {
      this.cmd({ kind: "abort-handover", addr: m.addr });
      this.abandonSwitchover(m, "handover-timeout");
      return;
    }
    const ours = s !== null && s.outcome === null && s.phase === "handing-over";
    if (ours || linkDisconnected(m.link) || !stuckInFailover(m.failoverState, m.failoverStateSince, this.now, m.settings.downAfterMs, m.settings.failoverTimeoutMs)) return;
    if (this.now - m.stuckAbortSent < m.settings.downAfterMs / 2) return;
    m.stuckAbortSent = this.now;
    this.emit("+abort-stuck-failover", "warning", `${this.details(m, m)} #${m.failoverState}`, m);
    this.cmd({ kind: "abort-handover", addr: m.addr });
  }

  private onReconfigureReply(addr: Address): void {
    const l = this.links.get(addressKey(addr));
    if (!l) return;
    this.touchLink(l);
    if (l.pending > 0) l.pending--;
    // Eager: confirm a promotion from INFO right after SLAVEOF NO ONE, not on the next INFO period.
    if (!this.timing.eager || l.infoInFlight || l.cmd !== "up") return;
    for (const [inst, m] of this.recordsAt(l)) {
      if (inst.kind === "replica" && (inst.promoted || inst.reconf !== "none") && m.failover.value !== "none") {
        this.sendInfo(l);
        return;
      }
    }
  }

  /**
   * Every (record, master) pair bound to a link, in `masters` order. From the link index: this runs
   * for every PING, INFO and PUBLISH reply, and a scan of all records here made the engine quadratic.
   */
  private recordsAt(l: Link): readonly (readonly [InstanceRecord, MasterRecord])[] {
    let index = this.linkIndex;
    if (index === null) {
      const built = new Map<Link, (readonly [InstanceRecord, MasterRecord])[]>();
      const add = (inst: InstanceRecord, m: MasterRecord) => {
        const list = built.get(inst.link);
        if (list) list.push([inst, m]);
        else built.set(inst.link, [[inst, m]]);
      };
      for (const m of this.masters.values()) {
        add(m, m);
        for (const r of m.replicas.values()) add(r, m);
        for (const s of m.sentinels.values()) add(s, m);
      }
      index = built;
      this.linkIndex = index;
    }
    return index.get(l) ?? NO_RECORDS;
  }

  /** A record was added, removed or bound to another link: rebuild the link index on next use. */
  private recordsChanged(): void {
    this.linkIndex = null;
    this.touchAll();
  }

  /** Walk the subtrees bound to the link at `addr` on the next tick (an input changed them). */
  private touch(addr: Address): void {
    const l = this.links.get(addressKey(addr));
    if (l) this.touchLink(l);
  }

  private touchLink(l: Link): void {
    for (const [, m] of this.recordsAt(l)) m.dueAt = 0;
  }

  /** Walk every subtree on the next tick. */
  private touchAll(): void {
    for (const m of this.masters.values()) m.dueAt = 0;
  }

  /** SENTINEL DEBUG assigns periods directly: due times computed with the old ones may be late. */
  private timingChanged(): boolean {
    const t = this.timing;
    const seen = this.timingSeen;
    let changed = false;
    for (const key of TIMING_KEYS) {
      if (seen[key] !== t[key]) {
        seen[key] = t[key];
        changed = true;
      }
    }
    return changed;
  }

  private mastersAt(l: Link): MasterRecord[] {
    return [...new Set(this.recordsAt(l).map(([, m]) => m))];
  }

  // ---------------------------------------------------------------- INFO (§6)

  private onInfoReply(addr: Address, text: string | null): void {
    const l = this.links.get(addressKey(addr));
    if (!l) return;
    this.touchLink(l);
    if (l.pending > 0) l.pending--;
    l.infoInFlight = false;
    const stale = l.staleInfoReplies > 0;
    if (stale) l.staleInfoReplies--;
    if (text === null) return;
    const report = parseInfo(text);
    if (isInfoRejection(report)) {
      this.emit("-info-rejected", "debug", `${addressKey(addr)} #${report.reason}`);
      return;
    }
    for (const [inst, m] of this.recordsAt(l)) {
      if (inst.kind === "sentinel") continue;
      inst.info = text;
      this.refreshFromInfo(inst, m, report, stale);
    }
  }

  private refreshFromInfo(inst: MasterRecord | ReplicaRecord, m: MasterRecord, info: InfoReport, predatesReconfigure = false): void {
    if (inst.kind === "replica") inst.masterLinkDownTime = 0;
    if (info.runId !== undefined) {
      if (inst.runId !== null && inst.runId !== info.runId) {
        this.emit("+reboot", "notice", this.details(inst, m), m);
        if (inst.kind === "master" && m.settings.masterRebootDownAfterMs !== 0) {
          inst.reboot = true;
          inst.rebootSince = this.now;
        }
      }
      inst.runId = info.runId;
    }
    if (inst.kind === "master") {
      for (const line of info.replicas) {
        const key = addressKey(line);
        if (!m.replicas.has(key) && !sameAddress(line, m.addr)) {
          const r = this.addReplica(m, line);
          this.emit("+slave", "notice", this.details(r, m), m);
          this.markDiscovered();
        }
      }
    }
    if (inst.kind === "replica") {
      if (info.masterLinkDownTimeMs !== 0) inst.masterLinkDownTime = info.masterLinkDownTimeMs;
      if (info.role === "slave") {
        if (info.masterHost !== undefined && info.masterHost.toLowerCase() !== (inst.slaveMasterHost ?? "").toLowerCase()) {
          inst.slaveMasterHost = info.masterHost;
          inst.slaveConfChangeTime = this.now;
        }
        if (info.masterPort !== undefined && info.masterPort !== inst.slaveMasterPort) {
          inst.slaveMasterPort = info.masterPort;
          inst.slaveConfChangeTime = this.now;
        }
        if (info.masterLinkUp !== undefined) inst.masterLinkUp = info.masterLinkUp;
        if (info.slavePriority !== undefined) inst.slavePriority = info.slavePriority;
        if (info.slaveReplOffset !== undefined) inst.replOffset = info.slaveReplOffset;
        if (info.replicaAnnounced !== undefined) inst.replicaAnnounced = info.replicaAnnounced;
      }
    }
    const firstInfo = inst.infoRefresh === 0;
    inst.infoRefresh = this.now;
    const failoverState = info.failoverState ?? null;
    if (failoverState !== inst.failoverState) {
      inst.failoverState = failoverState;
      inst.failoverStateSince = this.now;
    }

    // 1. Role bookkeeping, even in TILT.
    const role = info.role ?? "slave";
    this.releaseStaleFence(inst, m, role, firstInfo);
    if (role !== inst.roleReported) {
      inst.roleReported = role;
      inst.roleReportedTime = this.now;
      if (inst.kind === "replica" && role === "slave") inst.slaveConfChangeTime = this.now;
      const matches = (role === "master") === (inst.kind === "master");
      this.emit(matches ? "+role-change" : "-role-change", "verbose", `${this.details(inst, m)} new reported role is ${role}`, m);
    }
    // 2. Stop here in TILT.
    if (this.inTilt() || inst.kind !== "replica") return;
    const r = inst;
    // 4. A replica reporting role:master.
    if (role === "master") {
      // Only an INFO requested after SLAVEOF NO ONE proves the promotion (simulator finding 1).
      if (r.promoted && m.failover.value === "wait_promotion" && !predatesReconfigure) {
        this.onPromotionObserved(m);
        return;
      }
      const quiet = 4 * this.timing.publishPeriod;
      if (!r.promoted && this.masterLooksSane(m)) this.fenceStaleMaster(r, m, firstInfo);
      if (!r.promoted && this.masterLooksSane(m) && this.now - r.health.context.sdownSince > quiet && this.now - r.roleReportedTime > quiet) {
        this.sendReconfigure(r.link, m.addr);
        this.emit("+convert-to-slave", "notice", this.details(r, m), m);
      }
      return;
    }
    // 5. A replica following the wrong master.
    const ft = m.settings.failoverTimeoutMs;
    if (
      r.slaveMasterPort !== 0 &&
      (r.slaveMasterPort !== m.addr.port || (r.slaveMasterHost ?? "").toLowerCase() !== m.addr.host.toLowerCase()) &&
      m.failover.value === "none" &&
      this.masterLooksSane(m) &&
      this.now - r.health.context.sdownSince > ft &&
      this.now - r.slaveConfChangeTime > ft
    ) {
      this.sendReconfigure(r.link, m.addr);
      this.emit("+fix-slave-config", "notice", this.details(r, m), m);
    }
    // 6. Reconfiguration progress.
    const promoted = this.promotedReplica(m);
    if (promoted && r.reconf === "sent" && sameAddress({ host: r.slaveMasterHost ?? "", port: r.slaveMasterPort }, promoted.addr)) {
      r.reconf = "inprog";
      this.emit("+slave-reconf-inprog", "notice", this.details(r, m), m);
    }
    if (r.reconf === "inprog" && r.masterLinkUp) {
      r.reconf = "done";
      this.emit("+slave-reconf-done", "notice", this.details(r, m), m);
    }
    this.actNow(m);
  }

  /**
   * A replica of ours claims master while our master is sane: fence it (stale-master-fence.ts). At
   * once when it is returning (first INFO of its record, or down recently): a partitioned or restarted
   * old master. Otherwise only after a publish period of stable claims, in which the hello of a newer
   * failover that legitimately promoted it would have reached us. Re-sent with every such INFO: the
   * transport's fence is idempotent and a flapping link may have lost the last one.
   */
  private fenceStaleMaster(r: ReplicaRecord, m: MasterRecord, firstInfo: boolean): void {
    if (!m.settings.fenceStaleMaster) return;
    const since = r.health.context.sdownSince;
    const returning = firstInfo || r.health.value === "sdown" || (since !== 0 && this.now - since <= 4 * this.timing.publishPeriod + m.settings.downAfterMs);
    if (!returning && this.now - r.roleReportedTime < this.timing.publishPeriod) return;
    const key = addressKey(r.addr);
    if (!m.staleFenced.has(key)) {
      m.staleFenced.add(key);
      this.emit("+fence-stale-master", "notice", this.details(r, m), m);
    }
    this.cmd({ kind: "fence-stale-master", addr: r.addr });
  }

  /**
   * Lift our stale-master fence once the instance reports the role our config gives it, and check the
   * current master on its first INFO for a fence left by a sentinel that restarted or changed its mind.
   */
  private releaseStaleFence(inst: MasterRecord | ReplicaRecord, m: MasterRecord, role: "master" | "slave", firstInfo: boolean): void {
    const key = addressKey(inst.addr);
    // From the promotion on, our record's "master" is the one being replaced: its role is not its due.
    const replaced = inst.kind === "master" && (m.failover.value === "reconf_slaves" || m.failover.value === "update_config");
    const inRole = (role === "master") === (inst.kind === "master") && !replaced;
    if (inRole && m.staleFenced.delete(key)) {
      this.emit("-fence-stale-master", "notice", this.details(inst, m), m);
      this.cmd({ kind: "unfence-stale-master", addr: inst.addr });
    } else if (firstInfo && inst.kind === "master" && role === "master") {
      this.cmd({ kind: "unfence-stale-master", addr: inst.addr });
    }
  }

  /** §6: entry is a master, reports master, not down, INFO younger than 2 × info period. */
  private masterLooksSane(m: MasterRecord): boolean {
    return m.roleReported === "master" && m.health.value !== "sdown" && m.odown.value !== "odown" && m.infoRefresh !== 0 && this.now - m.infoRefresh < 2 * this.timing.infoPeriod;
  }

  // ---------------------------------------------------------------- hello (§7.2)

  private onHello(via: Address | null, payload: string): void {
    if (via !== null) {
      const l = this.links.get(addressKey(via));
      // Only moves the idle-link deadline later: no touch. A hello that changes records or the
      // master's address reaches the walk through recordsChanged.
      if (l) l.pcLastActivity = this.now;
      if (HELLO_CHANNEL_IGNORE_OWN && payload.includes(this.myId)) return;
    }
    const hello = decodeHello(payload);
    if (isHelloRejection(hello)) {
      this.emit("-hello-rejected", "debug", `#${hello.reason}`);
      return;
    }
    // Sentinel stores only addresses it could resolve without DNS unless resolve-hostnames is on; a
    // name here (a hostile PUBLISH, a peer announcing hostnames) would be persisted and break the
    // next start, whose config loader refuses it.
    if (!this.global.resolveHostnames) {
      const bad = !isIpLiteral(hello.sentinelIp) ? ["sentinel", hello.sentinelIp] : !isIpLiteral(hello.masterIp) ? ["master", hello.masterIp] : null;
      if (bad) {
        const shown = JSON.stringify(bad[1]!.length > 32 ? `${bad[1]!.slice(0, 32)}…` : bad[1]);
        this.emit("-hello-rejected", "debug", `#${bad[0]} address ${shown} is not an IP address`);
        return;
      }
    }
    if (hello.sentinelRunId === this.myId) return;
    const m = this.masters.get(hello.masterName);
    if (!m) return;
    const addr = { host: hello.sentinelIp, port: hello.sentinelPort };
    let peer = m.sentinels.get(hello.sentinelRunId);
    if (peer && !sameAddress(peer.addr, addr)) {
      // Known runid at a new address (§7.2 step 3, address switch).
      this.removeSentinel(m, peer);
      peer = undefined;
      const created = this.addSentinel(m, addr, hello.sentinelRunId);
      this.emit("+sentinel-address-switch", "notice", `${this.details(m, m)} ip ${addr.host} port ${addr.port} for ${hello.sentinelRunId}`, m);
      let updated = 0;
      for (const other of this.masters.values()) {
        const rec = other.sentinels.get(hello.sentinelRunId);
        if (other === m || !rec || sameAddress(rec.addr, addr)) continue;
        this.removeSentinel(other, rec);
        this.addSentinel(other, addr, hello.sentinelRunId);
        updated++;
      }
      if (updated > 0) this.emit("+sentinel-address-update", "notice", `${this.details(created, m)} ${updated} additional matching instances`, m);
      this.markDiscovered();
      peer = created;
    } else if (!peer) {
      for (const other of this.masters.values()) {
        for (const rec of [...other.sentinels.values()]) {
          if (sameAddress(rec.addr, addr) && rec.runId !== hello.sentinelRunId) {
            this.emit("+sentinel-invalid-addr", "notice", this.details(rec, other), other);
            this.removeSentinel(other, rec);
          }
        }
      }
      peer = this.addSentinel(m, addr, hello.sentinelRunId);
      this.emit("+sentinel", "notice", this.details(peer, m), m);
      this.markDiscovered();
    }
    if (hello.currentEpoch > this.epoch) {
      this.epoch = hello.currentEpoch;
      this.markDirty();
      this.emit("+new-epoch", "warning", `${this.epoch}`);
    }
    if (hello.masterConfigEpoch > m.configEpoch) {
      m.configEpoch = hello.masterConfigEpoch;
      const advertised = { host: hello.masterIp, port: hello.masterPort };
      // Compare with the address we *report* (the promoted replica mid-failover), not m.addr: a newer
      // config epoch naming another node supersedes a failover of ours still in progress.
      const cur = this.currentAddress(m);
      if (!sameAddress(advertised, cur)) {
        this.emit("+config-update-from", "warning", this.details(peer, m), m);
        this.emit("+switch-master", "warning", `${m.name} ${cur.host} ${cur.port} ${advertised.host} ${advertised.port}`, m);
        this.resetAndChangeAddress(m, advertised);
        this.clientReconfig(m, "observer", cur, advertised);
      }
    }
    peer.lastHelloTime = this.now;
  }

  private addSentinel(m: MasterRecord, addr: Address, runId: string): SentinelRecord {
    const s = newSentinel(addr, runId, this.linkFor(addr, "sentinel"), this.now);
    s.health = freshHealth();
    m.sentinels.set(runId, s);
    this.recordsChanged();
    return s;
  }

  private removeSentinel(m: MasterRecord, s: SentinelRecord): void {
    m.sentinels.delete(s.runId);
    this.recordsChanged();
    this.release(s.link);
  }

  // ---------------------------------------------------------------- SDOWN / ODOWN (§8, §9)

  private checkSdown(inst: InstanceRecord, m: MasterRecord): void {
    const since = silentSince(inst.link);
    const elapsed = since === null ? 0 : this.now - since;
    const refusedMs = refusedForMs(inst.link);
    // Fast path for the common case, without building the facts: up, and none of §8's rules can hold
    // (no-reply needs elapsed > down-after; the other two only apply to a master entry reporting
    // role:slave or rebooted) — exactly what sdownCause would conclude.
    const quiet = elapsed <= m.settings.downAfterMs && !crashRuleHolds(refusedMs, m.settings.crashDownAfterMs);
    if (inst.health.value !== "sdown" && quiet && (inst.kind !== "master" || (inst.roleReported !== "slave" && !inst.reboot))) {
      // Fast profile: be awake when the no-reply rule starts to hold, not up to a tick later. Only
      // deadlines within WAKE_HORIZON_MS: a later tick will see a farther one come near (and most
      // outstanding PINGs are answered long before), so the steady state schedules no wakes.
      if (since !== null && this.timing.eager) {
        const deadline = since + m.settings.downAfterMs + 1;
        if (deadline - this.now <= WAKE_HORIZON_MS) this.wakeBy(deadline);
      }
      return;
    }
    const facts: HealthFacts = {
      now: this.now,
      elapsed,
      downAfterMs: m.settings.downAfterMs,
      reportsReplicaSince: inst.kind === "master" && inst.roleReported === "slave" ? inst.roleReportedTime : null,
      infoPeriod: this.timing.infoPeriod,
      rebootSince: inst.kind === "master" && inst.reboot ? inst.rebootSince : null,
      rebootDownAfterMs: m.settings.masterRebootDownAfterMs,
      refusedForMs: refusedMs,
      crashDownAfterMs: m.settings.crashDownAfterMs,
    };
    const down = sdownCause(facts) !== null;
    if (down === (inst.health.value === "sdown")) return; // nothing to decide: skip the machine
    const [next, actions] = transition(instanceHealthMachine, inst.health, { type: "EVALUATE", facts });
    inst.health = next;
    for (const a of actions) {
      if (a.type !== "announce") continue;
      const type = (a.params as { type: string }).type;
      if (type === "-sdown") inst.scriptKillSent = false;
      this.emit(type, "warning", this.details(inst, m), m);
      // Vigil event after Sentinel's: which SDOWNs took the crash path (its own channel).
      if (type === "+sdown" && inst.health.context.cause === "crash") this.emit("+crash-sdown", "warning", `${this.details(inst, m)} #refused for ${refusedMs} ms`, m);
    }
  }

  private checkOdown(m: MasterRecord): void {
    // ODOWN needs SDOWN (isObjectivelyDown): with neither there is nothing to decide.
    if (m.health.value !== "sdown" && m.odown.value !== "odown") return;
    let agreeing = 1;
    for (const s of m.sentinels.values()) if (s.masterDown) agreeing++;
    const facts = { now: this.now, sdown: m.health.value === "sdown", agreeing, quorum: m.settings.quorum };
    if (isObjectivelyDown(facts) === (m.odown.value === "odown")) return;
    const [next, actions] = transition(odownMachine, m.odown, { type: "EVALUATE", facts });
    m.odown = next;
    for (const a of actions) {
      if (a.type !== "announce") continue;
      const type = (a.params as { type: string }).type;
      const suffix = type === "+odown" ? ` #quorum ${agreeing}/${m.settings.quorum}` : "";
      this.emit(type, "warning", `${this.details(m, m)}${suffix}`, m);
    }
  }

  /** §9.2: ask every peer about an SDOWN master (forced: right after starting a failover). */
  private askPeers(m: MasterRecord, forced: boolean): void {
    const inFailover = m.failover.value !== "none";
    // A switchover campaigns while the master is up: its vote requests go out without SDOWN.
    const campaigning = m.failover.value === "wait_start" && m.failover.context.coordinated;
    for (const s of m.sentinels.values()) {
      if (this.now - s.lastMasterDownReplyTime > 5 * this.timing.askPeriod) {
        s.masterDown = false;
        s.leader = null;
      }
      if ((m.health.value !== "sdown" && !campaigning) || linkDisconnected(s.link)) continue;
      if (!forced && this.now - s.lastMasterDownReplyTime < this.timing.askPeriod) continue;
      if (!forced && this.now - s.lastAskTime < this.timing.askPeriod) continue; // one question in flight per period
      s.lastAskTime = this.now;
      s.link.pending++;
      this.cmd({
        kind: "ask-master-down",
        addr: s.addr,
        master: m.name,
        // Vote requests carry the epoch we campaign in, not a later current epoch (see electionOutcome).
        args: [m.addr.host, String(m.addr.port), String(inFailover ? m.failover.context.failoverEpoch : this.epoch), inFailover ? this.myId : "*"],
      });
    }
  }

  private onAskReply(addr: Address, masterName: string, reply: unknown): void {
    const m = this.masters.get(masterName);
    if (!m) return;
    const s = [...m.sentinels.values()].find((x) => sameAddress(x.addr, addr));
    if (!s) return;
    if (s.link.pending > 0) s.link.pending--;
    if (s.lastAskTime !== 0) s.askRttMs = this.now - s.lastAskTime;
    if (!Array.isArray(reply) || reply.length !== 3) return;
    const [down, leader, leaderEpoch] = reply as unknown[];
    if (typeof down !== "number" || typeof leader !== "string" || typeof leaderEpoch !== "number") return;
    s.lastMasterDownReplyTime = this.now;
    s.masterDown = down === 1;
    if (leader !== "*") {
      s.leader = leader;
      s.leaderEpoch = leaderEpoch;
    }
    this.actNow(m);
  }

  // ---------------------------------------------------------------- election (§10)

  /** §10.2 with events and persistence. */
  private vote(m: MasterRecord, reqEpoch: number, runId: string): void {
    const outcome = castVote({ currentEpoch: this.epoch, leader: m.leader, leaderEpoch: m.leaderEpoch }, reqEpoch, runId, this.faults.voteTwicePerEpoch === true);
    if (outcome.epochRaised) {
      this.epoch = outcome.state.currentEpoch;
      this.markDirty();
      this.emit("+new-epoch", "warning", `${this.epoch}`);
    }
    if (outcome.voted) {
      m.leader = outcome.state.leader;
      m.leaderEpoch = outcome.state.leaderEpoch;
      this.markDirty();
      this.emit("+vote-for-leader", "warning", `${m.leader} ${m.leaderEpoch}`, m);
      if (m.leader !== this.myId) {
        // Voting for someone else blocks our own attempt for 2 × failover-timeout (§10.2).
        this.applyFailover(m, { type: "DEFER", startTime: this.now + this.desync() });
      }
    }
  }

  /** §10.3: are we the elected leader for this failover's epoch; is the epoch provably split? */
  private electionOutcome(m: MasterRecord): { won: boolean; retryAt: number | null } {
    const epoch = m.failover.context.failoverEpoch;
    // Deliberate fix of a Sentinel quirk (§23): peers' votes count only when cast in the epoch we
    // campaign in. Matching them against a later *current* epoch (raised meanwhile by another
    // master's failover) let the simulator elect a leader without an epoch majority.
    const tally = tallyVotes(m.sentinels.values(), epoch);
    this.vote(m, epoch, leadingCandidate(tally) ?? this.myId);
    if (m.leaderEpoch === epoch && m.leader !== null) tally.set(m.leader, (tally.get(m.leader) ?? 0) + 1);
    const won = electedLeader(tally, m.sentinels.size + 1, m.settings.quorum) === this.myId;
    const split = !won && epochCannotElect(tally, m.sentinels.size + 1, m.settings.quorum);
    return { won, retryAt: split ? this.now + splitVoteBackoff(this.prng, this.timing, candidateRank(tally, this.myId), staggerSlot(m.sentinels.values())) : null };
  }

  private desync(): number {
    return this.prng.int(this.timing.maxDesync);
  }

  // ---------------------------------------------------------------- failover (§11)

  private maybeStartFailover(m: MasterRecord): boolean {
    if (m.odown.value !== "odown" || m.failover.value !== "none" || this.now - m.failover.context.startTime < 2 * m.settings.failoverTimeoutMs) {
      m.startAt = null;
      return false;
    }
    // A peer that just asked us whether the master is down is about to campaign too: with
    // `peerProbeYield` we give it a head start so we vote for it instead of splitting the vote.
    const yieldToPeer = this.timing.peerProbeYield > 0 && m.lastPeerProbe > 0 && this.now - m.lastPeerProbe < 2000;
    if (this.timing.startJitter > 0 || yieldToPeer) {
      if (m.startAt === null) {
        const delay = yieldToPeer ? 200 + this.prng.int(this.timing.peerProbeYield + 1) : startRank(m.sentinels.values(), this.myId) * staggerSlot(m.sentinels.values()) + this.prng.int(this.timing.startJitter + 1);
        m.startAt = this.now + delay;
        if (m.startAt > this.now) this.cmd({ kind: "wake", at: m.startAt });
      }
      if (this.now < m.startAt) return false;
    }
    m.startAt = null;
    this.startFailover(m, false);
    return true;
  }

  private startFailover(m: MasterRecord, forced: boolean, coordinated = false): void {
    this.epoch++;
    this.emit("+new-epoch", "warning", `${this.epoch}`);
    this.applyFailover(m, { type: "START", now: this.now, epoch: this.epoch, forced, desync: this.desync(), coordinated });
  }

  /** Step the failover machine; eager mode keeps stepping while it moves. */
  private driveFailover(m: MasterRecord): void {
    for (let i = 0; i < 8 && m.failover.value !== "none" && m.failover.value !== "update_config"; i++) {
      const before = m.failover.value;
      if (m.failover.value === "reconf_slaves") this.reconfigureReplicas(m);
      this.applyFailover(m, { type: "STEP", facts: this.failoverFacts(m) });
      if (!this.timing.eager || m.failover.value === before) return;
    }
  }

  private failoverFacts(m: MasterRecord): FailoverFacts {
    const state = m.failover.value as FailoverStateName;
    const promoted = this.promotedReplica(m);
    let selected: string | null = null;
    let awaitingFreshInfo = false;
    if (state === "select_slave") {
      const { replicas, ctx } = this.rankingInputs(m, this.now);
      const ranking = rankReplicas(replicas, ctx);
      const wanted = m.failover.context.coordinated ? m.switchover?.requestedTo : null;
      selected = wanted ? (ranking.ranked.find((r) => r.key === addressKey(wanted))?.key ?? null) : (ranking.ranked[0]?.key ?? null);
      if (selected === null && this.timing.eager && this.now - m.failover.context.stateChangeTime <= 5 * this.timing.pingPeriod) {
        for (const { replica, reason } of ranking.excluded) {
          if (reason !== "info-too-old" || replica.infoRefresh === 0) continue;
          awaitingFreshInfo = true;
          const l = replica.record.link;
          if (!l.infoInFlight && l.cmd === "up") this.sendInfo(l);
        }
      }
    }
    const election = state === "wait_start" ? this.electionOutcome(m) : null;
    let allReconfigured = true;
    for (const r of m.replicas.values()) {
      if (!r.promoted && r.reconf !== "done" && r.health.value !== "sdown") allReconfigured = false;
    }
    return {
      now: this.now,
      failoverTimeoutMs: m.settings.failoverTimeoutMs,
      electionTimeoutMs: this.timing.electionTimeout,
      isLeader: election?.won === true,
      splitVoteRetryAt: election?.retryAt ?? null,
      selected,
      awaitingFreshInfo,
      // A hand-over is sent to the master: both ends must be connected.
      promotedConnected: promoted !== undefined && !linkDisconnected(promoted.link) && (!m.failover.context.coordinated || !linkDisconnected(m.link)),
      promotedUsable: promoted !== undefined && promoted.health.value !== "sdown",
      allReconfigured,
    };
  }

  private applyFailover(m: MasterRecord, event: FailoverEvent): void {
    const [next, actions] = transition(failoverMachine, m.failover, event);
    const before = m.failover.context;
    m.failover = next;
    for (const a of actions) {
      switch (a.type) {
        case "announce": {
          const { type, subject } = a.params as { type: string; subject: Subject };
          const about = subject === "promoted" ? (this.promotedReplica(m) ?? m) : m;
          const level: EventLevel = type === "+failover-state-send-slaveof-noone" || type === "+failover-state-wait-promotion" ? "notice" : "warning";
          this.emit(type, level, this.details(about, m), m);
          if (type === "+elected-leader" && this.simulateFailureFlags & 1) this.cmd({ kind: "crash", reason: "crash-after-election" });
          if (before.coordinated && m.switchover?.outcome === null) {
            if (type === "+elected-leader") m.switchover.phase = "selecting";
            else {
              const reason = abortReasonOf(type);
              if (reason !== null) this.abandonSwitchover(m, reason);
            }
          }
          break;
        }
        case "abort": {
          const r = before.promoted ? m.replicas.get(before.promoted) : undefined;
          if (r) r.promoted = false;
          break;
        }
        case "sendPromotion": {
          const r = this.promotedReplica(m);
          if (r && before.coordinated) this.sendHandover(m, r);
          else if (r) this.sendReconfigure(r.link, null);
          break;
        }
        case "confirmPromotion":
          this.confirmPromotion(m);
          break;
        case "bestEffortReconfigure":
          this.bestEffortReconfigure(m);
          break;
      }
    }
    // Mark the promoted replica once chosen.
    const chosen = m.failover.context.promoted;
    if (chosen && before.promoted !== chosen) {
      const r = m.replicas.get(chosen);
      if (r) r.promoted = true;
    }
  }

  /** Switchover: `FAILOVER TO <replica> TIMEOUT <ms>` to the live master, instead of `SLAVEOF NO ONE`. */
  private sendHandover(m: MasterRecord, r: ReplicaRecord): void {
    const s = m.switchover;
    if (!s) return;
    s.phase = "handing-over";
    s.target = r.addr;
    s.handoverSentAt = this.now;
    m.link.pending++;
    this.cmd({ kind: "handover", addr: m.addr, target: r.addr, timeoutMs: s.timeoutMs });
    this.emit("+switchover-handover", "warning", `${this.details(r, m)} #timeout ${s.timeoutMs}`, m);
  }

  private promotedReplica(m: MasterRecord): ReplicaRecord | undefined {
    const key = m.failover.context.promoted;
    return key ? m.replicas.get(key) : undefined;
  }

  /** §11.5: the promoted replica reports role:master while we wait for it. */
  private onPromotionObserved(m: MasterRecord): void {
    this.applyFailover(m, { type: "PROMOTED", now: this.now });
    if (this.timing.eager) this.driveFailover(m);
  }

  private confirmPromotion(m: MasterRecord): void {
    const r = this.promotedReplica(m);
    if (!r) return;
    m.configEpoch = m.failover.context.failoverEpoch;
    this.markDirty();
    this.emit("+promoted-slave", "warning", this.details(r, m), m);
    if (this.simulateFailureFlags & 2) this.cmd({ kind: "crash", reason: "crash-after-promotion" });
    this.emit("+failover-state-reconf-slaves", "warning", this.details(m, m), m);
    this.clientReconfig(m, "leader", m.addr, r.addr);
    this.forceHello(m);
    this.moveClientsOff(m, r.addr);
  }

  /**
   * The old master was just replaced: disconnect its clients now so they ask the sentinels again (the
   * client contract), instead of writing to it until it is converted. After a switchover it already
   * replicates from the new master; the reconfiguration transaction persists that and kills its
   * clients. After a plain failover it still takes writes: the stale-master fence goes on first.
   */
  private moveClientsOff(m: MasterRecord, to: Address): void {
    if (m.switchover?.outcome === null && m.failover.context.coordinated) {
      m.switchover.phase = "reconfiguring";
      if (!linkDisconnected(m.link)) this.sendReconfigure(m.link, to);
      return;
    }
    if (!m.settings.fenceStaleMaster || linkDisconnected(m.link)) return;
    const key = addressKey(m.addr);
    if (!m.staleFenced.has(key)) {
      m.staleFenced.add(key);
      this.emit("+fence-stale-master", "notice", this.details(m, m), m);
    }
    this.cmd({ kind: "fence-stale-master", addr: m.addr, disconnectClients: true });
  }

  /** §5.3: make the next tick (or, eager, this very step) send hellos everywhere. */
  private forceHello(m: MasterRecord): void {
    const all: InstanceRecord[] = [m, ...m.replicas.values(), ...m.sentinels.values()];
    for (const inst of all) inst.lastPubTime -= this.timing.publishPeriod + 1;
    if (this.timing.eager) for (const inst of all) if (!linkDisconnected(inst.link)) this.sendHello(inst, m);
  }

  /** §11.6: point replicas at the promoted one, `parallel-syncs` at a time. */
  private reconfigureReplicas(m: MasterRecord): void {
    const promoted = this.promotedReplica(m);
    if (!promoted) return;
    let inProgress = 0;
    for (const r of m.replicas.values()) if (r.reconf === "sent" || r.reconf === "inprog") inProgress++;
    for (const r of m.replicas.values()) {
      if (inProgress >= m.settings.parallelSyncs) break;
      if (r.promoted || r.reconf === "done") continue;
      if (r.reconf === "sent" && this.now - r.reconfSentTime > this.timing.slaveReconfTimeout) {
        this.emit("-slave-reconf-sent-timeout", "notice", this.details(r, m), m);
        r.reconf = "done";
        continue;
      }
      if (r.reconf !== "none" || linkDisconnected(r.link)) continue;
      this.sendReconfigure(r.link, promoted.addr);
      r.reconf = "sent";
      r.reconfSentTime = this.now;
      this.emit("+slave-reconf-sent", "notice", this.details(r, m), m);
      inProgress++;
    }
  }

  private bestEffortReconfigure(m: MasterRecord): void {
    const promoted = this.promotedReplica(m);
    if (!promoted) return;
    for (const r of m.replicas.values()) {
      if (r.promoted || r.reconf === "done" || r.reconf === "sent" || linkDisconnected(r.link)) continue;
      this.sendReconfigure(r.link, promoted.addr);
      r.reconf = "sent";
      this.emit("+slave-reconf-sent-be", "notice", this.details(r, m), m);
    }
  }

  /** §11.8: `+switch-master`, then reset-and-change-address to the promoted replica. */
  private finishSwitch(m: MasterRecord): void {
    const r = this.promotedReplica(m);
    const old = m.addr;
    if (!r) {
      this.applyFailover(m, { type: "RESET", now: this.now });
      return;
    }
    const to = r.addr;
    this.emit("+switch-master", "warning", `${m.name} ${old.host} ${old.port} ${to.host} ${to.port}`, m);
    if (m.switchover?.outcome === null) {
      finishSwitchover(m.switchover, this.now, "completed");
      this.emit("+switchover-end", "warning", `${m.name} ${old.host} ${old.port} ${to.host} ${to.port}`, m);
    }
    this.applyFailover(m, { type: "SWITCHED", now: this.now });
    this.resetAndChangeAddress(m, to);
  }

  private sendReconfigure(l: Link, target: Address | null): void {
    if (l.infoInFlight) l.staleInfoReplies = 1; // at most one INFO is ever in flight per link
    l.pending++;
    this.cmd({ kind: "reconfigure", addr: l.addr, target });
  }

  private clientReconfig(m: MasterRecord, role: "leader" | "observer", from: Address, to: Address): void {
    const path = m.settings.clientReconfigScript;
    if (!path) return;
    this.cmd({ kind: "run-script", script: "client-reconfig", path, args: [m.name, role, "start", from.host, String(from.port), to.host, String(to.port)] });
  }

  // ---------------------------------------------------------------- resets (§13)

  private resetMaster(m: MasterRecord, keepSentinels: boolean): void {
    this.recordsChanged();
    this.abandonSwitchover(m, "superseded");
    for (const r of m.replicas.values()) this.release(r.link);
    m.replicas.clear();
    if (!keepSentinels) {
      for (const s of m.sentinels.values()) this.release(s.link);
      m.sentinels.clear();
    }
    this.closeLink(m.link);
    m.health = freshHealth();
    [m.odown] = transition(odownMachine, m.odown, { type: "RESET" });
    this.applyFailover(m, { type: "RESET", now: this.now });
    m.leader = null;
    m.reboot = false;
    m.scriptKillSent = false;
    m.runId = null;
    const l = m.link;
    l.actPingTime = this.now;
    l.lastAvailTime = this.now;
    l.lastPongTime = this.now;
    l.lastPingTime = 0;
    m.roleReported = "master";
    m.roleReportedTime = this.now;
  }

  private resetAndChangeAddress(m: MasterRecord, to: Address): void {
    const keep: Address[] = [];
    for (const r of m.replicas.values()) if (!sameAddress(r.addr, to)) keep.push(r.addr);
    if (!sameAddress(to, m.addr)) keep.push(m.addr);
    // Keep the connection we already have to the new master (it was a replica link): rebind first.
    const newLinkRec = this.linkFor(to, "instance");
    this.resetMaster(m, true);
    this.release(m.link);
    m.link = newLinkRec;
    this.recordsChanged();
    m.addr = to;
    m.settings.host = to.host;
    m.settings.port = to.port;
    m.settings.hostname = undefined;
    m.link.actPingTime = m.link.cmd === "up" ? 0 : this.now;
    m.link.lastAvailTime = this.now;
    for (const addr of keep) {
      const r = this.addReplica(m, addr);
      this.emit("+slave", "notice", this.details(r, m), m);
    }
    this.markDirty();
  }

  private addReplica(m: MasterRecord, addr: Address): ReplicaRecord {
    const r = newReplica(addr, this.linkFor(addr, "instance"), this.now);
    m.replicas.set(r.name, r);
    this.recordsChanged();
    return r;
  }

  private addMaster(seed: MasterSeed, now: number): MasterRecord {
    const settings = MasterSettingsSchema.parse(seed.settings);
    const m = newMaster(settings, this.linkFor({ host: settings.host, port: settings.port }, "instance"), now);
    m.configEpoch = seed.configEpoch ?? 0;
    m.leaderEpoch = seed.leaderEpoch ?? 0;
    if (m.configEpoch > this.epoch) this.epoch = m.configEpoch;
    this.masters.set(m.name, m);
    this.recordsChanged();
    for (const r of seed.knownReplicas ?? []) if (!sameAddress(r, m.addr)) this.addReplica(m, r);
    for (const s of seed.knownSentinels ?? []) if (s.runId !== this.myId) this.addSentinel(m, { host: s.host, port: s.port }, s.runId);
    return m;
  }

  private dropDataLinks(m: MasterRecord): void {
    this.closeLink(m.link);
    for (const r of m.replicas.values()) this.closeLink(r.link);
  }

  // ---------------------------------------------------------------- helpers

  /** The address clients should use: the promoted replica from RECONF_SLAVES on (§11.5). */
  currentAddress(m: MasterRecord): Address {
    const st = m.failover.value;
    if (st === "reconf_slaves" || st === "update_config") {
      const r = this.promotedReplica(m);
      if (r) return r.addr;
    }
    return m.addr;
  }

  private details(inst: InstanceRecord, m: MasterRecord): string {
    return instanceDetails(inst, m, announcedHost(m, m.addr, this.global.announceHostnames));
  }

  private emit(type: string, level: EventLevel, payload: string, m?: MasterRecord): void {
    this.out.events.push(m ? { type, level, payload, master: m.name } : { type, level, payload });
    if (m && level === "warning" && m.settings.notificationScript) {
      this.cmd({ kind: "run-script", script: "notification", path: m.settings.notificationScript, args: [type, payload] });
    }
  }

  /** Durable state changed: a `persist` will be placed before any later command of this output. */
  private markDirty(): void {
    if (this.persistAt === null) this.persistAt = this.out.commands.length;
  }

  /** Only discovered topology changed: a `deferrable` persist ends this output (see `commands.ts`). */
  private markDiscovered(): void {
    this.discoveryDirty = true;
  }

  private cmd(c: EngineCommand): void {
    this.out.commands.push(c);
  }
}

/** Create a sentinel engine (see {@link SentinelEngine}). */
export function createSentinelEngine(options: SentinelEngineOptions): SentinelEngine {
  return new SentinelEngine(options);
}

/** Tick spacing the fast profile asks for (`wake`) while a master is in trouble (ms). */
const EAGER_STEP_MS = 20;

type TimingKey = keyof Timing;
/** Every period and switch of the timing, compared on each tick (17 reads). */
const TIMING_KEYS = Object.keys(FAST_TIMING) as TimingKey[];

/** A pending `wake` within this many ms of `now` counts as reached (ms). */
const WAKE_SLACK_MS = 2;

const NO_RECORDS: readonly (readonly [InstanceRecord, MasterRecord])[] = Object.freeze([]);

/** Delay between consecutive ranks of the fast profile's staggered failover start (ms). */

/** `ip:port` / `[v6]:port` back to host and port. */
