import { nextReconnectAt } from "../../health/crash-detection.js";
import { renamesByLowerName } from "../../settings/renamed-commands.js";
import { coalesceWindow, pingInterval } from "../../settings/timing.js";
import { inFailoverHandover } from "../../switchover/switchover.js";
import type { Address } from "../../util/address.js";
import { announcedHost } from "../announced-address.js";
import type { LinkAuth } from "../commands.js";
import type { EngineContext } from "../context/engine-context.js";
import { type InstanceRecord, type Link, linkDisconnected, linkSaturated, type MasterRecord } from "../records.js";
import { currentAddress } from "../views/engine-views.js";
import { helloPayloadFor } from "./hello-payload.js";
import { helloDueAt, idleCmdLinkAt, idlePubsubLinkAt, infoDueAt, pingDueAt } from "./traffic-deadlines.js";

export function monitor1(c: EngineContext, inst: InstanceRecord, m: MasterRecord): void {
  reconnect(c, inst, m);
  sendPeriodic(c, inst, m);
}

export function authFor(c: EngineContext, inst: InstanceRecord, m: MasterRecord): LinkAuth | undefined {
  if (inst.kind === "sentinel") {
    if (c.global.sentinelPass !== undefined) return { user: c.global.sentinelUser, pass: c.global.sentinelPass };
    return c.global.requirePass !== undefined ? { pass: c.global.requirePass } : undefined;
  }
  return m.settings.authPass !== undefined ? { user: m.settings.authUser, pass: m.settings.authPass } : undefined;
}

/** §2/§4: (re)connect at most once per ping period; drop idle links. */
export function reconnect(c: EngineContext, inst: InstanceRecord, m: MasterRecord): void {
  const l = inst.link;
  if (inst.addr.port === 0) return;
  dropIdle(c, l, m);
  const needPubsub = l.peer === "instance";
  if (l.cmd !== "down" && (!needPubsub || l.pubsub !== "down")) return;
  if (c.now < nextReconnectAt(l, l.lastReconnTime, m.settings.crashDownAfterMs, c.timing.pingPeriod)) return;
  l.lastReconnTime = c.now;
  const base = { addr: l.addr, peer: l.peer, auth: authFor(c, inst, m), renames: renamesByLowerName(m.settings.renamedCommands) } as const;
  const id8 = c.myId.slice(0, 8);
  if (l.cmd === "down") {
    l.cmd = "connecting";
    // Sentinel queues a PING with every reconnection ("send a PING ASAP when reconnecting"), so a
    // dead instance's silence counts from the first reconnection attempt, not from its last reply:
    // SDOWN comes down-after after the failure was noticed, never earlier, whatever the PING period.
    if (l.actPingTime === 0) l.actPingTime = c.now;
    c.cmd({ kind: "connect", link: "cmd", clientName: `sentinel-${id8}-cmd`, ...base });
  }
  if (needPubsub && l.pubsub === "down") {
    l.pubsub = "connecting";
    c.cmd({ kind: "connect", link: "pubsub", clientName: `sentinel-${id8}-pubsub`, ...base });
  }
}

export function dropIdle(c: EngineContext, l: Link, m: MasterRecord): void {
  if (c.now > idleCmdLinkAt(l, m.settings.downAfterMs, c.timing)) {
    c.cmd({ kind: "disconnect", addr: l.addr, link: "cmd" });
    l.cmd = "down";
    l.pending = 0;
    l.infoInFlight = false;
    l.staleInfoReplies = 0;
  }
  if (c.now > idlePubsubLinkAt(l, c.timing)) {
    c.cmd({ kind: "disconnect", addr: l.addr, link: "pubsub" });
    l.pubsub = "down";
  }
}

/**
 * §5: INFO, PING and hello, each on its own cadence; nothing while the link is down or saturated.
 * Once one of them is due, the others due within the coalescing window go out with it (one write,
 * one read of the replies: settings/timing.ts, `coalesceWindow`).
 */
export function sendPeriodic(c: EngineContext, inst: InstanceRecord, m: MasterRecord): void {
  const l = inst.link;
  if (linkDisconnected(l) || linkSaturated(l)) return;
  const interval = pingInterval(c.timing, m.settings.downAfterMs);
  // Eager mode also polls fast from SDOWN: the election completes within milliseconds of ODOWN,
  // and replica selection needs INFO younger than 5 × ping-period by then.
  const infoAt = inst.kind === "sentinel" || l.infoInFlight ? Number.POSITIVE_INFINITY : infoDueAt(inst, masterTrouble(c, m), c.timing);
  const pingAt = pingDueAt(l, interval);
  const helloAt = helloDueAt(inst, c.timing);
  if (c.now <= infoAt && c.now <= pingAt && c.now <= helloAt) return;
  const early = coalesceWindow(c.timing, interval);
  if (c.now > infoAt - early) sendInfo(c, l);
  if (c.now > pingDueAt(l, interval, early)) sendPing(c, l);
  if (c.now > helloAt - early) sendHello(c, inst, m);
}

function masterTrouble(c: EngineContext, m: MasterRecord): boolean {
  return m.odown.value === "odown" || m.failover.value !== "none" || (c.timing.eager && m.health.value === "sdown");
}

export function sendInfo(c: EngineContext, l: Link): void {
  l.pending++;
  l.infoInFlight = true;
  c.cmd({ kind: "info", addr: l.addr });
}

export function sendPing(c: EngineContext, l: Link): void {
  l.pending++;
  l.lastPingTime = c.now;
  if (l.actPingTime === 0) l.actPingTime = c.now;
  c.cmd({ kind: "ping", addr: l.addr });
}

/**
 * §7.1: one hello per destination per publish period — except to an instance mid-`FAILOVER`, whose
 * write pause would hold the PUBLISH and everything behind it on the link (its INFO, its PINGs): the
 * stuck hand-over would go unseen and the instance would look silent. Peers still hear the hellos
 * sent through the replicas; the period's hello is skipped, not queued.
 */
export function sendHello(c: EngineContext, inst: InstanceRecord, m: MasterRecord): void {
  const ip = c.global.announceIp ?? inst.link.localHost;
  if (ip === undefined || inst.link.cmd !== "up") return;
  if (inFailoverHandover(inst.failoverState)) {
    inst.lastPubTime = c.now;
    return;
  }
  const cur = currentAddress(m);
  const payload = helloPayloadFor(m, ip, c.global.announcePort || c.global.port, c.myId, c.epoch, announcedHost(m, cur, c.global.announceHostnames), cur.port);
  inst.lastPubTime = c.now;
  inst.link.pending++;
  c.cmd({ kind: "publish-hello", addr: inst.link.addr, payload });
}

/** §5.3: make the next tick (or, eager, this very step) send hellos everywhere. */
export function forceHello(c: EngineContext, m: MasterRecord): void {
  const all: InstanceRecord[] = [m, ...m.replicas.values(), ...m.sentinels.values()];
  for (const inst of all) inst.lastPubTime -= c.timing.publishPeriod + 1;
  if (c.timing.eager) for (const inst of all) if (!linkDisconnected(inst.link)) sendHello(c, inst, m);
}

export function sendReconfigure(c: EngineContext, l: Link, target: Address | null): void {
  if (l.infoInFlight) l.staleInfoReplies = 1; // at most one INFO is ever in flight per link
  l.pending++;
  c.cmd({ kind: "reconfigure", addr: l.addr, target });
}
