/** What replica selection (§12) needs to know about one replica. Times are ms on the engine clock. */
export interface RankingReplica {
  /** Instance key, `ip:port` (IPv6 bracketed); only used in explanations. */
  readonly key: string;
  /** Run id from INFO; `null` until learnt (sorts last). */
  readonly runId: string | null;
  readonly sdown: boolean;
  readonly odown: boolean;
  /** Command or pub/sub connection missing. */
  readonly disconnected: boolean;
  /** Time of the last acceptable PING reply (`link.last_avail_time`). */
  readonly lastAvailTime: number;
  readonly slavePriority: number;
  /** Time of the last INFO reply; 0 = never. */
  readonly infoRefresh: number;
  readonly masterLinkDownTimeMs: number;
  readonly replOffset: number;
  /**
   * The node last reported `role:master` (an old master back from a partition or restart). Its
   * offset and priority describe no replication from our master, so Vigil never promotes it; a
   * deliberate deviation from Sentinel (docs/compatibility.md). Optional: absent means a replica.
   */
  readonly reportsMaster?: boolean;
}

/** The master-side and timing facts replica selection depends on. */
export interface RankingContext {
  readonly now: number;
  readonly pingPeriod: number;
  readonly infoPeriod: number;
  /** The master's `down-after-milliseconds`. */
  readonly masterDownAfterMs: number;
  /** s_down_since of the master when it is SDOWN, else null */
  readonly masterSdownSince: number | null;
}

/** Why a replica cannot be promoted; one value per §12 exclusion rule, in rule order. */
export type ExclusionReason =
  | "sdown"
  | "odown"
  | "disconnected"
  | "no-recent-ping-reply"
  | "priority-zero"
  | "reports-master"
  | "info-too-old"
  | "master-link-down-too-long";

/** Candidates best first, and the rest with the first rule that excluded each. */
export interface Ranking<R extends RankingReplica> {
  readonly ranked: readonly R[];
  readonly excluded: ReadonlyArray<{ replica: R; reason: ExclusionReason }>;
}

/** A replica whose last acceptable PING reply is older than this many ping periods is skipped. */
const PING_PERIODS_OF_SILENCE = 5;
/** INFO freshness limit while the master is SDOWN (replicas are then polled every second). */
const PING_PERIODS_OF_INFO_WHEN_SDOWN = 5;
/** INFO freshness limit otherwise. */
const INFO_PERIODS_OF_INFO = 3;
/** Base tolerance for a replica's own master-link outage, in master down-after periods. */
const DOWN_AFTER_PERIODS_OF_LINK_DOWN = 10;

/**
 * `max_master_down_time` (§12): 10 × down-after, plus how long the master has been SDOWN, so a
 * replica whose link broke when the master died is not held against it.
 */
export function maxMasterDownTime(ctx: RankingContext): number {
  const sdownFor = ctx.masterSdownSince === null ? 0 : ctx.now - ctx.masterSdownSince;
  return DOWN_AFTER_PERIODS_OF_LINK_DOWN * ctx.masterDownAfterMs + sdownFor;
}

/** How old a replica's INFO may be (§12 rule 5): tighter while the master is SDOWN. */
export function infoValidityTime(ctx: RankingContext): number {
  return ctx.masterSdownSince === null
    ? INFO_PERIODS_OF_INFO * ctx.infoPeriod
    : PING_PERIODS_OF_INFO_WHEN_SDOWN * ctx.pingPeriod;
}

/** The first §12 exclusion rule the replica matches, or `null` if it is a candidate. */
export function exclusionReason(r: RankingReplica, ctx: RankingContext): ExclusionReason | null {
  if (r.sdown) return "sdown";
  if (r.odown) return "odown";
  if (r.disconnected) return "disconnected";
  if (ctx.now - r.lastAvailTime > PING_PERIODS_OF_SILENCE * ctx.pingPeriod) return "no-recent-ping-reply";
  if (r.slavePriority === 0) return "priority-zero";
  if (r.reportsMaster === true) return "reports-master";
  // info_refresh 0 means "never": excluded whatever the clock says (C gets this from now - 0 being huge).
  if (r.infoRefresh === 0 || ctx.now - r.infoRefresh > infoValidityTime(ctx)) return "info-too-old";
  if (r.masterLinkDownTimeMs > maxMasterDownTime(ctx)) return "master-link-down-too-long";
  return null;
}

/**
 * Promotion order (§12), negative when `a` is better: lower priority, then larger replication
 * offset, then smaller runid compared case-insensitively (ASCII folding and byte order, as C's
 * `strcasecmp`), a `null` runid after any known one.
 */
export function compareReplicas(a: RankingReplica, b: RankingReplica): number {
  if (a.slavePriority !== b.slavePriority) return a.slavePriority < b.slavePriority ? -1 : 1;
  if (a.replOffset !== b.replOffset) return a.replOffset > b.replOffset ? -1 : 1;
  if (a.runId === null || b.runId === null) {
    return a.runId === b.runId ? 0 : a.runId === null ? 1 : -1;
  }
  return compareAsciiCaseInsensitive(a.runId, b.runId);
}

/**
 * Splits replicas into candidates (sorted best first) and excluded ones. The sort is stable: C's
 * `qsort` leaves ties in unspecified order, we deliberately make them deterministic (input order).
 */
export function rankReplicas<R extends RankingReplica>(replicas: readonly R[], ctx: RankingContext): Ranking<R> {
  const candidates: R[] = [];
  const excluded: Array<{ replica: R; reason: ExclusionReason }> = [];
  for (const replica of replicas) {
    const reason = exclusionReason(replica, ctx);
    if (reason === null) candidates.push(replica);
    else excluded.push({ replica, reason });
  }
  return { ranked: candidates.sort(compareReplicas), excluded };
}

/** The replica to promote (§12), or `undefined` when none qualifies (`-NOGOODSLAVE`). */
export function selectReplica<R extends RankingReplica>(replicas: readonly R[], ctx: RankingContext): R | undefined {
  return rankReplicas(replicas, ctx).ranked[0];
}

/** One sentence explaining an exclusion with the numbers behind it, for operators. */
export function describeExclusion(reason: ExclusionReason, r: RankingReplica, ctx: RankingContext): string {
  switch (reason) {
    case "sdown":
      return `${r.key} is subjectively down (SDOWN)`;
    case "odown":
      return `${r.key} is objectively down (ODOWN)`;
    case "disconnected":
      return `${r.key} has no working link (command or pub/sub connection missing)`;
    case "no-recent-ping-reply":
      return (
        `${r.key} last gave an acceptable PING reply ${ctx.now - r.lastAvailTime} ms ago, ` +
        `more than ${PING_PERIODS_OF_SILENCE} × ping-period = ${PING_PERIODS_OF_SILENCE * ctx.pingPeriod} ms`
      );
    case "priority-zero":
      return `${r.key} has replica-priority 0, which means it must never be promoted`;
    case "reports-master":
      return `${r.key} last reported role:master, so it is not replicating from this master (Vigil never promotes such a node)`;
    case "info-too-old":
      return r.infoRefresh === 0
        ? `${r.key} has never answered INFO`
        : `${r.key} last answered INFO ${ctx.now - r.infoRefresh} ms ago, more than ${describeInfoLimit(ctx)}`;
    case "master-link-down-too-long":
      return (
        `${r.key} reports its link to the master down for ${r.masterLinkDownTimeMs} ms, ` +
        `more than ${describeLinkDownLimit(ctx)}`
      );
  }
}

function describeInfoLimit(ctx: RankingContext): string {
  return ctx.masterSdownSince === null
    ? `${INFO_PERIODS_OF_INFO} × info-period = ${infoValidityTime(ctx)} ms`
    : `${PING_PERIODS_OF_INFO_WHEN_SDOWN} × ping-period = ${infoValidityTime(ctx)} ms (the master is SDOWN)`;
}

function describeLinkDownLimit(ctx: RankingContext): string {
  const base = `${DOWN_AFTER_PERIODS_OF_LINK_DOWN} × down-after-milliseconds`;
  return ctx.masterSdownSince === null
    ? `${base} = ${maxMasterDownTime(ctx)} ms`
    : `${base} + ${ctx.now - ctx.masterSdownSince} ms of master SDOWN = ${maxMasterDownTime(ctx)} ms`;
}

/** `strcasecmp` in the C locale: fold ASCII letters only, then compare code points (= UTF-8 byte order). */
function compareAsciiCaseInsensitive(a: string, b: string): number {
  const x = foldAscii(a);
  const y = foldAscii(b);
  // Both strings advance together: we only step past code points that are equal.
  for (let i = 0; i < x.length && i < y.length; ) {
    const cx = x.codePointAt(i)!;
    const cy = y.codePointAt(i)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
    i += cx > 0xffff ? 2 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

function foldAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}
