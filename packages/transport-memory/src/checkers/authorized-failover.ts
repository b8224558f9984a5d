import type { PromotionObservation, SentinelObservation, SimObserver } from "../cluster/observer.js";
import { attemptKey, failoverEpochOf, forcedAttempt } from "./failover-keys.js";
import type { ViolationSink } from "./violation.js";

/** What the checker must know about the deployment. */
export interface AuthorizedFailoverConfig {
  /** Number of sentinels in the deployment (all of them are voters, reachable or not, §10.3). */
  readonly sentinels: number;
  /** Configured quorum of a master group. */
  readonly quorumOf: (master: string) => number;
}

/**
 * Safety: no promotion without ODOWN and a majority vote.
 * - Votes are read from `+vote-for-leader <runid> <epoch>` events of every sentinel. A sentinel
 *   voting for two different candidates in one epoch of one master breaks the vote rule (§10.2):
 *   that is reported at once, since no majority built on it means anything.
 * - A non-forced attempt must have started (`+try-failover`) with the master ODOWN on that sentinel.
 * - `+elected-leader` needs votes for that sentinel in that epoch from at least
 *   max(quorum, ⌊N/2⌋+1) distinct sentinels, N being all sentinels of the deployment.
 * - A node applying `SLAVEOF NO ONE` must have received it from a sentinel elected (or forced) in
 *   the epoch the command carries.
 */
export class AuthorizedFailoverChecker implements SimObserver {
  readonly name = "authorized-failover";
  /** `<master>|<epoch>` → voter myid → candidate. */
  private readonly votes = new Map<string, Map<string, string>>();
  private readonly startedInOdown = new Map<string, boolean>();
  private readonly forced = new Set<string>();
  private readonly elected = new Set<string>();

  constructor(
    private readonly config: AuthorizedFailoverConfig,
    private readonly report: ViolationSink,
  ) {}

  /** Votes needed to be elected in a master group. */
  required(master: string): number {
    return Math.max(this.config.quorumOf(master), Math.floor(this.config.sentinels / 2) + 1);
  }

  /** Record votes and attempt starts; check every `+elected-leader`. */
  onSentinelOutput(o: SentinelObservation): void {
    const forced = forcedAttempt(o);
    if (forced) this.forced.add(forced);
    for (const e of o.output.events) {
      if (e.master === undefined) continue;
      switch (e.type) {
        case "+vote-for-leader":
          this.onVote(o, e.master, e.payload);
          break;
        case "+try-failover": {
          const m = o.engine.view().masters.find((x) => x.name === e.master);
          if (m) this.startedInOdown.set(attemptKey(o.sentinel.myId, e.master, m.failover.epoch), m.odown.state === "odown");
          break;
        }
        case "+elected-leader":
          this.onElected(o, e.master);
          break;
      }
    }
  }

  /** A promotion must come from an elected (or forced) attempt of that epoch. */
  onPromotion(p: PromotionObservation): void {
    if (p.origin === undefined) {
      this.report({ checker: this.name, time: p.time, message: `${p.node} (${p.master}) promoted by SLAVEOF NO ONE that no sentinel sent` });
      return;
    }
    const key = attemptKey(p.origin.sentinel, p.master, p.origin.epoch);
    if (!this.elected.has(key) && !this.forced.has(key)) {
      this.report({
        checker: this.name,
        time: p.time,
        message: `${p.node} (${p.master}) promoted by ${p.origin.sentinel} in epoch ${p.origin.epoch} without being elected in that epoch`,
      });
    }
  }

  private onVote(o: SentinelObservation, master: string, payload: string): void {
    const [candidate, epochText] = payload.split(" ");
    const epoch = Number(epochText);
    if (candidate === undefined || !Number.isFinite(epoch)) return;
    const key = `${master}|${epoch}`;
    let ballot = this.votes.get(key);
    if (ballot === undefined) {
      ballot = new Map();
      this.votes.set(key, ballot);
    }
    const prev = ballot.get(o.sentinel.myId);
    if (prev !== undefined && prev !== candidate) {
      this.report({
        checker: this.name,
        time: o.time,
        message: `${o.sentinel.name} voted twice in epoch ${epoch} of ${master}: for ${prev} and for ${candidate}`,
      });
      return;
    }
    ballot.set(o.sentinel.myId, candidate);
  }

  private onElected(o: SentinelObservation, master: string): void {
    const epoch = failoverEpochOf(o, master);
    if (epoch === undefined) return;
    const key = attemptKey(o.sentinel.myId, master, epoch);
    this.elected.add(key);
    if (this.forced.has(key)) return;
    if (this.startedInOdown.get(key) !== true) {
      this.report({ checker: this.name, time: o.time, message: `${o.sentinel.name} elected for ${master} in epoch ${epoch} but its attempt did not start in ODOWN` });
    }
    let votes = 0;
    for (const candidate of this.votes.get(`${master}|${epoch}`)?.values() ?? []) if (candidate === o.sentinel.myId) votes++;
    const need = this.required(master);
    if (votes < need) {
      this.report({
        checker: this.name,
        time: o.time,
        message: `${o.sentinel.name} elected for ${master} in epoch ${epoch} with ${votes} vote(s); a majority needs ${need}`,
      });
    }
  }
}
