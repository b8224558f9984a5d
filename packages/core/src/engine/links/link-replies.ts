import { crashRetryAt, endRefusalRun, type LinkFailure, noteLinkFailure } from "../../health/crash-detection.js";
import { pingInterval } from "../../settings/timing.js";
import type { Address } from "../../util/address.js";
import type { EngineContext } from "../context/engine-context.js";
import { linkSaturated, type MasterRecord } from "../records.js";
import { subtreeDueAt } from "../tick/tick-due.js";
import { actNow } from "../tick/tick-walk.js";
import { linkAt, mastersAt, recordsAt, touchLink } from "./link-registry.js";
import { sendInfo, sendPing } from "./periodic-traffic.js";
import { pingDueFrom } from "./traffic-deadlines.js";

export function onLinkUp(c: EngineContext, addr: Address, kind: "cmd" | "pubsub", localHost: string | undefined): void {
  const l = linkAt(c, addr);
  if (!l) return;
  touchLink(c, l);
  endRefusalRun(l); // it accepts connections: whatever happens next is not a crash in progress
  if (kind === "cmd") {
    l.cmd = "up";
    l.cmdConnTime = c.now;
    l.pending = 0;
    l.infoInFlight = false;
    l.staleInfoReplies = 0;
    if (localHost !== undefined) l.localHost = localHost;
    // A new connection may reach a restarted instance: fence it again.
    for (const m of c.fenced) {
      if (m.fence !== null && m.fence.key !== l.key) continue;
      m.fence = null;
      c.fenced.delete(m);
    }
    sendPing(c, l); // §4: PING right after connecting
  } else {
    l.pubsub = "up";
    l.pcConnTime = c.now;
    l.pcLastActivity = c.now;
  }
}

export function onLinkDown(c: EngineContext, addr: Address, kind: "cmd" | "pubsub", error: string, failure: LinkFailure): void {
  const l = linkAt(c, addr);
  if (!l) return;
  touchLink(c, l);
  noteLinkFailure(l, failure, c.now);
  // Crash rule on: be awake for the next (faster) reconnection attempt.
  for (const [, m] of recordsAt(c, l)) c.wakeBy(crashRetryAt(l, l.lastReconnTime, m.settings.crashDownAfterMs, c.timing.pingPeriod, c.now));
  const wasConnecting = (kind === "cmd" ? l.cmd : l.pubsub) === "connecting";
  if (kind === "cmd") {
    l.cmd = "down";
    l.pending = 0;
    l.infoInFlight = false;
    l.staleInfoReplies = 0;
    // Eager mode reacts to the drop itself instead of the next timer: the silence counts from now,
    // as from the reconnection attempt Sentinel makes on its next tick (see reconnect()). Every
    // sentinel then sees a crash at the same moment, so their SDOWNs do not spread over a tick.
    if (c.timing.eager && l.actPingTime === 0) l.actPingTime = c.now;
  } else l.pubsub = "down";
  if (wasConnecting) {
    for (const [inst, m] of recordsAt(c, l)) {
      c.emit(kind === "cmd" ? "-cmd-link-reconnection" : "-pubsub-link-reconnection", "debug", `${c.details(inst, m)} #${error}`, m);
    }
  }
  for (const m of mastersAt(c, l)) actNow(c, m);
}

export function onPingReply(c: EngineContext, addr: Address, reply: string): void {
  const l = linkAt(c, addr);
  if (!l) return;
  const acceptable = reply.startsWith("PONG") || reply.startsWith("LOADING") || reply.startsWith("MASTERDOWN");
  // A good reply only moves due times later; an error or a saturated link needs the next walk.
  if (!acceptable || linkSaturated(l)) touchLink(c, l);
  if (l.pending > 0) l.pending--;
  const pongBefore = l.lastPongTime;
  l.lastPongTime = c.now;
  if (acceptable) {
    l.lastAvailTime = c.now;
    l.actPingTime = 0;
  }
  for (const [inst, m] of recordsAt(c, l)) {
    if (inst.kind === "master" && inst.reboot && reply.startsWith("PONG")) inst.reboot = false;
    if (!acceptable && reply.startsWith("BUSY") && inst.health.value === "sdown" && !inst.scriptKillSent) {
      inst.scriptKillSent = true;
      c.cmd({ kind: "script-kill", addr: l.addr });
    }
    if (acceptable) forgetStaleDue(c, m, pongBefore, l.lastPingTime);
  }
}

/**
 * A due time is computed right after a walk, when the PING it sent has no reply yet: the PING then
 * looks due again half an interval on (traffic-deadlines.ts, `pingDueAt`). Its reply moves that
 * deadline to a whole interval, and a walk at the old due time would find nothing to do: half of
 * all walks at 200 masters. So a due time that is exactly that stale deadline is computed again.
 * Anything else set it, or an input touched the subtree (0): left as it is.
 */
function forgetStaleDue(c: EngineContext, m: MasterRecord, pongBefore: number, lastPingTime: number): void {
  if (m.dueAt === 0 || m.dueAt !== pingDueFrom(pongBefore, lastPingTime, pingInterval(c.timing, m.settings.downAfterMs))) return;
  m.dueAt = subtreeDueAt(m, c.timing, c.now);
}

export function onPublishReply(c: EngineContext, addr: Address, ok: boolean): void {
  const l = linkAt(c, addr);
  if (!l) return;
  if (!ok || linkSaturated(l)) touchLink(c, l);
  if (l.pending > 0) l.pending--;
  if (!ok) for (const [inst] of recordsAt(c, l)) inst.lastPubTime = 0; // retry on the next tick (§5.2)
}

export function onReconfigureReply(c: EngineContext, addr: Address): void {
  const l = linkAt(c, addr);
  if (!l) return;
  touchLink(c, l);
  if (l.pending > 0) l.pending--;
  // Eager: confirm a promotion from INFO right after SLAVEOF NO ONE, not on the next INFO period.
  if (!c.timing.eager || l.infoInFlight || l.cmd !== "up") return;
  for (const [inst, m] of recordsAt(c, l)) {
    if (inst.kind === "replica" && (inst.promoted || inst.reconf !== "none") && m.failover.value !== "none") {
      sendInfo(c, l);
      return;
    }
  }
}
