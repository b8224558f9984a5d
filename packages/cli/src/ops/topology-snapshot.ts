import type { LinkView as EngineLinkView, HealthView, MasterView, SentinelEngine } from "@vigil/core";
import type { TimedEvent } from "./event-timeline.js";

/** Connection facts shared by every instance row. */
export interface LinkView {
  readonly cmd: EngineLinkView["cmd"];
  readonly pubsub: EngineLinkView["pubsub"];
  /** Milliseconds since the last acceptable PING reply. */
  readonly lastReplyMsAgo: number;
  /** Milliseconds the oldest unanswered PING has waited (0 when none). */
  readonly pingPendingMs: number;
}

/** One replica as the page and `/api/state` show it. */
export interface ReplicaView {
  readonly address: string;
  readonly health: string;
  readonly reportedRole: string | null;
  readonly masterLinkUp: boolean;
  readonly priority: number;
  readonly offset: number;
  readonly reconf: string;
  readonly promoted: boolean;
  readonly link: LinkView;
}

/** One peer Sentinel. */
export interface SentinelPeerView {
  readonly runId: string;
  readonly address: string;
  readonly health: string;
  readonly masterDown: boolean;
  readonly leader: string | null;
  readonly leaderEpoch: number;
  readonly lastHelloMsAgo: number;
  readonly link: LinkView;
}

/** One monitored master with its machines' states. */
export interface MasterTopology {
  readonly name: string;
  /** What clients are told (GET-MASTER-ADDR-BY-NAME). */
  readonly address: string;
  readonly quorum: number;
  readonly downAfterMs: number;
  readonly failoverTimeoutMs: number;
  readonly configEpoch: number;
  readonly health: string;
  readonly sdownCause: string | null;
  readonly odown: string;
  readonly failover: string;
  readonly failoverEpoch: number;
  readonly promoted: string | null;
  readonly leader: string | null;
  readonly leaderEpoch: number;
  readonly reportedRole: string | null;
  readonly link: LinkView;
  readonly replicas: readonly ReplicaView[];
  readonly sentinels: readonly SentinelPeerView[];
}

/** Everything `/api/state` answers and each SSE `state` message carries. Never contains secrets. */
export interface TopologySnapshot {
  readonly sentinel: {
    readonly myId: string;
    readonly port: number;
    readonly currentEpoch: number;
    readonly tilt: boolean;
    readonly uptimeMs: number;
    readonly timing: string;
  };
  readonly at: number;
  readonly masters: readonly MasterTopology[];
  readonly events: readonly TimedEvent[];
}

function linkView(l: EngineLinkView, now: number): LinkView {
  return { cmd: l.cmd, pubsub: l.pubsub, lastReplyMsAgo: now - l.lastAvailTime, pingPendingMs: l.actPingTime === 0 ? 0 : now - l.actPingTime };
}

function masterTopology(m: MasterView, now: number): MasterTopology {
  const cur = m.currentAddr;
  const failover = m.failover;
  return {
    name: m.name,
    address: `${cur.host}:${cur.port}`,
    quorum: m.settings.quorum,
    downAfterMs: m.settings.downAfterMs,
    failoverTimeoutMs: m.settings.failoverTimeoutMs,
    configEpoch: m.configEpoch,
    health: m.health.state,
    sdownCause: sdownCause(m.health),
    odown: m.odown.state,
    failover: failover.state,
    failoverEpoch: failover.epoch,
    promoted: failover.state === "none" ? null : failover.promoted,
    leader: m.leader,
    leaderEpoch: m.leaderEpoch,
    reportedRole: m.roleReported,
    link: linkView(m.link, now),
    replicas: [...m.replicas.values()].map((r) => ({
      address: r.name,
      health: r.health.state,
      reportedRole: r.roleReported,
      masterLinkUp: r.masterLinkUp,
      priority: r.slavePriority,
      offset: r.replOffset,
      reconf: r.reconf,
      promoted: r.promoted,
      link: linkView(r.link, now),
    })),
    sentinels: [...m.sentinels.values()].map((s) => ({
      runId: s.runId,
      address: `${s.addr.host}:${s.addr.port}`,
      health: s.health.state,
      masterDown: s.masterDown,
      leader: s.leader,
      leaderEpoch: s.leaderEpoch,
      lastHelloMsAgo: now - s.lastHelloTime,
      link: linkView(s.link, now),
    })),
  };
}

function sdownCause(h: HealthView): string | null {
  return h.state === "sdown" ? h.cause : null;
}

/**
 * Read the engine's view into a plain JSON view. Settings are copied field by field on purpose:
 * `auth-pass` and the other secrets live next to them and must never reach the page.
 */
export function topologySnapshot(
  engine: SentinelEngine,
  now: number,
  info: { readonly port: number; readonly startedAt: number; readonly timing: string },
  events: readonly TimedEvent[],
): TopologySnapshot {
  return {
    sentinel: { myId: engine.myId, port: info.port, currentEpoch: engine.currentEpoch(), tilt: engine.inTilt(), uptimeMs: now - info.startedAt, timing: info.timing },
    at: now,
    masters: engine.view().masters.map((m) => masterTopology(m, now)),
    events,
  };
}
