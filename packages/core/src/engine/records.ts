import { initialTransition, type SnapshotFrom } from "xstate";
import type { RefusalRun } from "../health/crash-detection.js";
import { failoverMachine } from "../machines/failover.machine.js";
import { instanceHealthMachine } from "../machines/instance-health.machine.js";
import { odownMachine } from "../machines/odown.machine.js";
import type { MasterSettings } from "../settings/master-settings.js";
import type { Switchover } from "../switchover/switchover.js";
import { type Address, addressKey } from "../util/address.js";
import type { ReconfPhase } from "./failover/replica-reconf-state.js";
import type { RenderedHello } from "./links/hello-payload.js";

/**
 * Connection state Sentinel keeps per link (§1.3), plus the refusal run crash detection times.
 * Links are shared by every record at one address.
 */
export interface Link extends RefusalRun {
  readonly key: string;
  readonly addr: Address;
  readonly peer: "instance" | "sentinel";
  cmd: "down" | "connecting" | "up";
  pubsub: "down" | "connecting" | "up";
  refcount: number;
  pending: number;
  infoInFlight: boolean;
  /**
   * INFO replies still to come that were requested before the last reconfiguration transaction on
   * this link: they describe the node *before* SLAVEOF, so they cannot confirm a promotion.
   */
  staleInfoReplies: number;
  actPingTime: number;
  lastPingTime: number;
  lastPongTime: number;
  lastAvailTime: number;
  lastReconnTime: number;
  cmdConnTime: number;
  pcConnTime: number;
  pcLastActivity: number;
  localHost: string | undefined;
}

/** True when the link lacks a connection it needs (§1.3 `disconnected`). */
export function linkDisconnected(l: Pick<Link, "cmd" | "pubsub" | "peer">): boolean {
  return l.cmd !== "up" || (l.peer === "instance" && l.pubsub !== "up");
}

/** True when the link has as many commands in flight as it may (§5: 100 per record sharing it). */
export function linkSaturated(l: Link): boolean {
  return l.pending >= 100 * l.refcount;
}

/**
 * Since when the link counts as silent for the no-reply rule (§8): the oldest unanswered PING, or,
 * while a connection is missing, the last time it was available. `null` when nothing is counting.
 */
export function silentSince(l: Link): number | null {
  if (l.actPingTime !== 0) return l.actPingTime;
  return linkDisconnected(l) ? l.lastAvailTime : null;
}

/** Fields every instance kind has (§1.2). */
export interface InstanceBase {
  name: string;
  addr: Address;
  runId: string | null;
  link: Link;
  health: SnapshotFrom<typeof instanceHealthMachine>;
  lastPubTime: number;
  roleReported: "master" | "slave" | null;
  roleReportedTime: number;
  infoRefresh: number;
  info: string | null;
  scriptKillSent: boolean;
  /** `master_failover_state` of the last INFO (null: not reported, the instance has no `FAILOVER`). */
  failoverState: string | null;
  /** Since when `failoverState` has had its current value. */
  failoverStateSince: number;
}

/** A replica record under a master. */
export interface ReplicaRecord extends InstanceBase {
  readonly kind: "replica";
  masterLinkDownTime: number;
  slavePriority: number;
  replicaAnnounced: boolean;
  slaveMasterHost: string | null;
  slaveMasterPort: number;
  masterLinkUp: boolean;
  replOffset: number;
  slaveConfChangeTime: number;
  /** Failover reconfiguration phase; changed only through `reconfMove` (failover/replica-reconf-state.ts). */
  reconf: ReconfPhase;
  reconfSentTime: number;
  promoted: boolean;
}

/** Another sentinel that monitors the same master. */
export interface SentinelRecord extends InstanceBase {
  readonly kind: "sentinel";
  runId: string;
  lastHelloTime: number;
  masterDown: boolean;
  lastMasterDownReplyTime: number;
  lastAskTime: number;
  /** Last measured `is-master-down-by-addr` round trip to this peer (ms; 0 = none yet). */
  askRttMs: number;
  leader: string | null;
  leaderEpoch: number;
}

/** A monitored master group. */
export interface MasterRecord extends InstanceBase {
  readonly kind: "master";
  settings: MasterSettings;
  configEpoch: number;
  leader: string | null;
  leaderEpoch: number;
  odown: SnapshotFrom<typeof odownMachine>;
  failover: SnapshotFrom<typeof failoverMachine>;
  replicas: Map<string, ReplicaRecord>;
  sentinels: Map<string, SentinelRecord>;
  reboot: boolean;
  rebootSince: number;
  /** Write fencing last applied: to which address, with what `min-replicas-to-write` (null = none). */
  fence: { key: string; minReplicas: number } | null;
  /** Addresses this sentinel put a stale-master fence on, until it sees them in their configured role. */
  staleFenced: Set<string>;
  /** The coordinated switchover in progress, or the last one (kept for explain and metrics). */
  switchover: Switchover | null;
  /** When we last sent `FAILOVER ABORT` to a master stuck in a hand-over (0 = never). */
  stuckAbortSent: number;
  /** When a peer last probed us (`*`) about this master while we saw it SDOWN (0 = never). */
  lastPeerProbe: number;
  /** Eager mode: when the jittered failover start is due (null = not scheduled). */
  startAt: number | null;
  /**
   * Earliest time the tick walk of this master's subtree can do anything (see `tick/tick-due.ts`); 0 =
   * walk it on the next tick. Inputs that touch the subtree reset it.
   */
  dueAt: number;
  /** The hello payload last rendered for this master, and its fields (engine/links/hello-payload.ts). */
  lastHello: RenderedHello | null;
}

/** Any record. */
export type InstanceRecord = MasterRecord | ReplicaRecord | SentinelRecord;

/** A fresh link (§1.3: timers start at `now`, so an unreachable instance goes SDOWN after down-after). */
export function newLink(addr: Address, peer: Link["peer"], now: number): Link {
  return {
    key: addressKey(addr),
    addr,
    peer,
    cmd: "down",
    pubsub: "down",
    refcount: 0,
    pending: 0,
    infoInFlight: false,
    staleInfoReplies: 0,
    actPingTime: now,
    lastPingTime: 0,
    lastPongTime: now,
    lastAvailTime: now,
    lastReconnTime: 0,
    cmdConnTime: 0,
    pcConnTime: 0,
    pcLastActivity: now,
    localHost: undefined,
    refusedSince: 0,
    lastRefused: 0,
  };
}

/** Initial health snapshot. */
export function freshHealth(): SnapshotFrom<typeof instanceHealthMachine> {
  return initialTransition(instanceHealthMachine)[0];
}

// Each record is one object literal, the InstanceBase fields first and in the same order in all three.
// Not `{ ...base(), kind, ... }`: V8 gives nearly every object cloned by a spread and then extended
// a map of its own (12 maps for 20 masters; with timestamps that are not small integers, most go to
// dictionary mode after a minute), so every field read in the tick walk was a megamorphic or
// runtime lookup (docs/performance.md, "Records with one shape"; test/record-shapes.test.ts).

/** A new master record. */
export function newMaster(settings: MasterSettings, link: Link, now: number): MasterRecord {
  return {
    name: settings.name,
    addr: { host: settings.host, port: settings.port },
    runId: null,
    link,
    health: freshHealth(),
    lastPubTime: now,
    roleReported: "master",
    roleReportedTime: now,
    infoRefresh: 0,
    info: null,
    scriptKillSent: false,
    failoverState: null,
    failoverStateSince: now,
    kind: "master",
    settings,
    configEpoch: 0,
    leader: null,
    leaderEpoch: 0,
    odown: initialTransition(odownMachine)[0],
    failover: initialTransition(failoverMachine)[0],
    replicas: new Map(),
    sentinels: new Map(),
    reboot: false,
    rebootSince: 0,
    startAt: null,
    dueAt: 0,
    lastPeerProbe: 0,
    fence: null,
    staleFenced: new Set(),
    switchover: null,
    stuckAbortSent: 0,
    lastHello: null,
  };
}

/** A new replica record, named `ip:port` like Sentinel's. */
export function newReplica(addr: Address, link: Link, now: number): ReplicaRecord {
  return {
    name: addressKey(addr),
    addr,
    runId: null,
    link,
    health: freshHealth(),
    lastPubTime: now,
    roleReported: "slave",
    roleReportedTime: now,
    infoRefresh: 0,
    info: null,
    scriptKillSent: false,
    failoverState: null,
    failoverStateSince: now,
    kind: "replica",
    masterLinkDownTime: 0,
    slavePriority: 100,
    replicaAnnounced: true,
    slaveMasterHost: null,
    slaveMasterPort: 0,
    masterLinkUp: false,
    replOffset: 0,
    slaveConfChangeTime: now,
    reconf: "none",
    reconfSentTime: 0,
    promoted: false,
  };
}

/** A new peer sentinel record, named by its runid. */
export function newSentinel(addr: Address, runId: string, link: Link, now: number): SentinelRecord {
  return {
    name: runId,
    addr,
    runId,
    link,
    health: freshHealth(),
    lastPubTime: now,
    roleReported: null,
    roleReportedTime: now,
    infoRefresh: 0,
    info: null,
    scriptKillSent: false,
    failoverState: null,
    failoverStateSince: now,
    kind: "sentinel",
    lastHelloTime: now,
    masterDown: false,
    lastMasterDownReplyTime: now,
    lastAskTime: 0,
    askRttMs: 0,
    leader: null,
    leaderEpoch: 0,
  };
}
