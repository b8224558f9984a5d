import type { RankingContext, RankingReplica } from "@vigil/core";

/**
 * An independent statement of Sentinel's replica selection rules (§12), written from the protocol
 * reference rather than shared with the engine, so that the ranking checker does not merely
 * re-run the code it checks. Returns why a replica is excluded, or null.
 */
export function excludedBecause(r: RankingReplica, ctx: RankingContext): string | null {
  if (r.sdown) return "it is SDOWN";
  if (r.odown) return "it is ODOWN";
  if (r.disconnected) return "its link is disconnected";
  if (ctx.now - r.lastAvailTime > 5 * ctx.pingPeriod) return "no acceptable PING reply within 5 ping periods";
  if (r.slavePriority === 0) return "its priority is 0";
  if (r.reportsMaster === true) return "it reports role:master (Vigil's deviation: never promote a non-replica)";
  const infoLimit = ctx.masterSdownSince !== null ? 5 * ctx.pingPeriod : 3 * ctx.infoPeriod;
  if (r.infoRefresh === 0 || ctx.now - r.infoRefresh > infoLimit) return "its INFO is too old";
  const maxDown = 10 * ctx.masterDownAfterMs + (ctx.masterSdownSince !== null ? ctx.now - ctx.masterSdownSince : 0);
  if (r.masterLinkDownTimeMs > maxDown) return "its master link has been down too long";
  return null;
}

/** Negative when `a` should be promoted before `b`: priority, then offset, then runid (null last). */
export function betterReplica(a: RankingReplica, b: RankingReplica): number {
  if (a.slavePriority !== b.slavePriority) return a.slavePriority - b.slavePriority;
  if (a.replOffset !== b.replOffset) return b.replOffset - a.replOffset;
  if (a.runId === b.runId) return 0;
  if (a.runId === null) return 1;
  if (b.runId === null) return -1;
  const x = a.runId.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const y = b.runId.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return x < y ? -1 : x > y ? 1 : 0;
}
