import type { PersistedState } from "@vigil/core";
import type { SentinelObservation, SentinelRef, SimObserver } from "../cluster/observer.js";
import type { ClusterProbe } from "../cluster/probe.js";
import type { ViolationSink } from "./violation.js";

/** Events after which a master's config epoch may have changed. */
const CONFIG_EVENTS = new Set(["+switch-master", "+promoted-slave", "+config-update-from", "+failover-state-reconf-slaves"]);

/**
 * Safety: epochs never decrease on any sentinel.
 * - The current epoch, read after every engine call, never goes down — across restarts too (a
 *   restarted sentinel must come back from its disk with at least the epoch it had acted in).
 * - Each persisted state's current epoch is at least the previous one's.
 * - Within one process lifetime, no master's config epoch goes down (checked after the events that
 *   change it and on every sample). Across a restart Sentinel may legitimately forget a config epoch
 *   it adopted without flushing (§23), so that part restarts with the process.
 */
export class MonotonicEpochChecker implements SimObserver {
  readonly name = "monotonic-epochs";
  private readonly current = new Map<string, number>();
  private readonly persisted = new Map<string, number>();
  private readonly config = new Map<string, number>();

  constructor(private readonly report: ViolationSink) {}

  /** Current epoch after every engine call; config epochs after events that change them. */
  onSentinelOutput(o: SentinelObservation): void {
    const id = o.sentinel.myId;
    const epoch = o.engine.currentEpoch();
    const prev = this.current.get(id) ?? 0;
    if (epoch < prev) {
      this.report({ checker: this.name, time: o.time, message: `current epoch of ${o.sentinel.name} went down from ${prev} to ${epoch} (${o.origin})` });
    }
    if (epoch > prev) this.current.set(id, epoch);
    if (o.output.events.some((e) => CONFIG_EVENTS.has(e.type))) this.checkConfig(o.sentinel, o.engine.view().masters, o.time);
  }

  /** Persisted epochs, across restarts. */
  onPersist(s: SentinelRef, state: PersistedState, time: number): void {
    const prev = this.persisted.get(s.myId) ?? 0;
    if (state.currentEpoch < prev) {
      this.report({ checker: this.name, time, message: `${s.name} persisted current epoch ${state.currentEpoch} after having persisted ${prev}` });
    }
    if (state.currentEpoch > prev) this.persisted.set(s.myId, state.currentEpoch);
  }

  /** A new process may have forgotten unflushed config epochs (§23): start over for it. */
  onSentinelRestart(s: SentinelRef): void {
    for (const k of [...this.config.keys()]) if (k.startsWith(`${s.myId}|`)) this.config.delete(k);
  }

  /** Sample every live sentinel's config epochs. */
  sample(probe: ClusterProbe): void {
    for (const { ref, engine } of probe.liveSentinels()) this.checkConfig(ref, engine.view().masters, probe.now);
  }

  private checkConfig(s: SentinelRef, masters: readonly { name: string; configEpoch: number }[], time: number): void {
    for (const m of masters) {
      const key = `${s.myId}|${m.name}`;
      const prev = this.config.get(key) ?? 0;
      if (m.configEpoch < prev) {
        this.report({ checker: this.name, time, message: `config epoch of ${m.name} on ${s.name} went down from ${prev} to ${m.configEpoch}` });
      }
      if (m.configEpoch > prev) this.config.set(key, m.configEpoch);
    }
  }
}
