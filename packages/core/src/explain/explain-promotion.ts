import type { MasterRecord } from "../engine/records.js";
import { contextOf, type SentinelEngine } from "../engine/sentinel-engine.js";
import { rankingInputs } from "../engine/views/engine-views.js";
import { describeExclusion, type RankingReplica, rankReplicas } from "../ranking/replica-ranking.js";
import { type ExplainSection, type PromotionVerdict, shortId } from "./explanation.js";

/** Why `other` ranks below `best` (§12 order: priority, offset, run id). */
export function describeRankedBelow(best: RankingReplica, other: RankingReplica): string {
  if (other.slavePriority !== best.slavePriority) {
    return `${other.key} is eligible but has replica-priority ${other.slavePriority}, higher than ${best.slavePriority} (lower wins)`;
  }
  if (other.replOffset !== best.replOffset) {
    return `${other.key} is eligible but has replication offset ${other.replOffset}, behind ${best.replOffset}`;
  }
  // Full run ids: the tie is decided by them, so abbreviating could hide the difference.
  return `${other.key} is eligible and ties on priority and offset; run id ${other.runId ?? "(unknown)"} sorts after ${best.runId ?? "(unknown)"}`;
}

/** §12 applied now: the replica that would be promoted and one reason for every other replica. */
export function explainPromotion(engine: SentinelEngine, m: MasterRecord, now: number): { verdict: PromotionVerdict; section: ExplainSection } {
  const { replicas, ctx } = rankingInputs(contextOf(engine), m, now);
  const ranking = rankReplicas(replicas, ctx);
  const best = ranking.ranked[0];
  const lines: string[] = [];
  const chosen = m.failover.context.promoted;
  if (chosen !== null) lines.push(`The running failover already selected ${chosen} for promotion.`);
  if (replicas.length === 0) {
    lines.push("No replicas are known (they are discovered from the master's INFO replication section).");
  } else if (best === undefined) {
    lines.push("No replica could be promoted now: SENTINEL FAILOVER would answer -NOGOODSLAVE and an automatic failover would abort.");
  } else {
    lines.push(
      `Would promote ${best.key}: replica-priority ${best.slavePriority}, replication offset ${best.replOffset}, run id ${shortId(best.runId)}.`,
    );
    for (const other of ranking.ranked.slice(1)) lines.push(`${describeRankedBelow(best, other)}.`);
  }
  const excluded = ranking.excluded.map(({ replica, reason }) => ({ key: replica.key, reason, why: describeExclusion(reason, replica, ctx) }));
  for (const e of excluded) lines.push(`Excluded: ${e.why}.`);
  return {
    verdict: { promote: best?.key ?? null, ranked: ranking.ranked.map((r) => r.key), excluded },
    section: { title: "Which replica would be promoted?", lines },
  };
}
