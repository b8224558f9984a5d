import type { FailoverStateName } from "../../machines/failover.machine.js";
import type { SdownCause } from "../../machines/instance-health.machine.js";
import type { RankingContext, RankingReplica } from "../../ranking/replica-ranking.js";
import type { MasterSettings } from "../../settings/master-settings.js";
import type { Switchover } from "../../switchover/switchover.js";
import type { Address } from "../../util/address.js";
import type { ReconfPhase } from "../failover/replica-reconf-state.js";

/**
 * The engine's state as everything outside `@vigil/core` sees it: typed, read-only all the way down,
 * and live. A view reads the engine's current data on every access (nothing is copied per request), so
 * it always answers for the engine's last step; take the values you need before stepping it again.
 * Machine states are discriminated unions, never XState snapshots.
 */

/** `T` with every property, at every depth, read-only (arrays, maps and sets included). */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends ReadonlyMap<infer K, infer V>
    ? ReadonlyMap<K, DeepReadonly<V>>
    : T extends ReadonlySet<infer V>
      ? ReadonlySet<DeepReadonly<V>>
      : T extends readonly (infer V)[]
        ? readonly DeepReadonly<V>[]
        : T extends object
          ? { readonly [P in keyof T]: DeepReadonly<T[P]> }
          : T;

/** An instance's subjective health (§8): up, or SDOWN since when and why. */
export type HealthView = { readonly state: "up" } | { readonly state: "sdown"; readonly since: number; readonly cause: SdownCause };

/** A master's objective state (§9): clear, or ODOWN since when. */
export type OdownView = { readonly state: "clear" } | { readonly state: "odown"; readonly since: number };

/** What every failover state shows: the last attempt's epoch and times (§1.2). */
interface FailoverTimes {
  readonly epoch: number;
  /** failover_start_time: start (plus desync) of the last attempt, or of the last vote for another. */
  readonly startTime: number;
  readonly stateChangeTime: number;
}

/** The failover machine's state (§11); the attempt's facts exist only while one is in progress. */
export type FailoverView =
  | (FailoverTimes & { readonly state: "none" })
  | (FailoverTimes & {
      readonly state: Exclude<FailoverStateName, "none">;
      /** Started by `SENTINEL FAILOVER` (no ODOWN or election needed). */
      readonly forced: boolean;
      /** A coordinated switchover (`SENTINEL FAILOVER … COORDINATED`). */
      readonly coordinated: boolean;
      /** `ip:port` of the replica chosen for promotion, once chosen. */
      readonly promoted: string | null;
    });

/** Connection state of the link an instance is reached by (§1.3), shared by every instance at its address. */
export interface LinkView {
  readonly addr: Address;
  readonly peer: "instance" | "sentinel";
  readonly cmd: "down" | "connecting" | "up";
  readonly pubsub: "down" | "connecting" | "up";
  readonly refcount: number;
  /** Commands sent and not yet answered. */
  readonly pending: number;
  /** Oldest unanswered PING (0 = none). */
  readonly actPingTime: number;
  readonly lastPingTime: number;
  readonly lastPongTime: number;
  /** Last acceptable PING reply (or connection). */
  readonly lastAvailTime: number;
  /** Since when every connection attempt has been refused (0 = not refused; crash detection). */
  readonly refusedSince: number;
  readonly lastRefused: number;
}

/**
 * A machine exactly as XState holds it (state value and context), for tools that mirror the machines
 * (the `vigil inspect` bridge, the engine observer). `ref` changes exactly when the engine moves the
 * machine, so a changed `ref` is the cheap "something happened" test. Not for decisions: use the unions.
 */
export interface MachineStateView {
  readonly ref: object;
  readonly value: string;
  readonly context: Readonly<Record<string, unknown>>;
}

/** Fields every instance kind has (§1.2). */
interface InstanceViewBase {
  /** Master name, `ip:port` for a replica, run id for a sentinel. */
  readonly name: string;
  readonly addr: Address;
  readonly runId: string | null;
  readonly link: LinkView;
  readonly health: HealthView;
  /** The health machine, for inspection tools only. */
  readonly healthMachine: MachineStateView;
  readonly roleReported: "master" | "slave" | null;
  readonly roleReportedTime: number;
  /** When the last INFO reply came (0 = never). */
  readonly infoRefresh: number;
  /** The last INFO reply's text. */
  readonly info: string | null;
  readonly scriptKillSent: boolean;
}

/** A replica under a master. */
export interface ReplicaView extends InstanceViewBase {
  readonly kind: "replica";
  readonly masterLinkDownTime: number;
  readonly slavePriority: number;
  readonly replicaAnnounced: boolean;
  readonly slaveMasterHost: string | null;
  readonly slaveMasterPort: number;
  readonly masterLinkUp: boolean;
  readonly replOffset: number;
  /** Failover reconfiguration phase (§11.7). */
  readonly reconf: ReconfPhase;
  readonly promoted: boolean;
}

/** Another sentinel monitoring the same master. */
export interface SentinelView extends InstanceViewBase {
  readonly kind: "sentinel";
  readonly runId: string;
  readonly lastHelloTime: number;
  /** Its last `is-master-down-by-addr` answer said down. */
  readonly masterDown: boolean;
  readonly leader: string | null;
  readonly leaderEpoch: number;
}

/** What replica selection sees for a master at one instant (§12), as the ranking gets it. */
export interface RankingView {
  readonly replicas: readonly RankingReplica[];
  readonly ctx: RankingContext;
}

/** A monitored master group. */
export interface MasterView extends InstanceViewBase {
  readonly kind: "master";
  readonly runId: string | null;
  /** Its configured settings (secrets such as `auth-pass` included: do not show them). */
  readonly settings: DeepReadonly<MasterSettings>;
  /** What GET-MASTER-ADDR-BY-NAME answers (the promoted replica from RECONF_SLAVES on, §11.5). */
  readonly currentAddr: Address;
  readonly configEpoch: number;
  /** The leader this sentinel voted for, and in which epoch. */
  readonly leader: string | null;
  readonly leaderEpoch: number;
  readonly odown: OdownView;
  readonly failover: FailoverView;
  /** The ODOWN and failover machines, for inspection tools only. */
  readonly odownMachine: MachineStateView;
  readonly failoverMachine: MachineStateView;
  /** Restarted recently (`master-reboot-down-after-period`). */
  readonly reboot: boolean;
  /** The coordinated switchover in progress, or the last one. */
  readonly switchover: DeepReadonly<Switchover> | null;
  /** Replicas by `ip:port`, in discovery order. */
  readonly replicas: ReadonlyMap<string, ReplicaView>;
  /** Other sentinels by run id, in discovery order. */
  readonly sentinels: ReadonlyMap<string, SentinelView>;
  /** The ranking inputs of its replicas at `now` (for the simulator's ranking checker). */
  ranking(now: number): RankingView;
}

/** Any instance. */
export type InstanceView = MasterView | ReplicaView | SentinelView;

/** The whole engine. */
export interface EngineView {
  readonly myId: string;
  readonly currentEpoch: number;
  readonly tilt: boolean;
  /** When TILT started (0 when not in TILT). */
  readonly tiltSince: number;
  /** Every master, in the order they were added (a new array per read). */
  readonly masters: readonly MasterView[];
  /** One master by name. */
  master(name: string): MasterView | undefined;
}
