/** What `/readyz` looks at; every field is read at request time. */
export interface ReadinessInputs {
  /** The Sentinel (RESP) port is accepting connections. */
  readonly listening: () => boolean;
  /** Wall-clock ms of the runtime's last tick (0 = none yet). */
  readonly lastTickAt: () => number;
  /** Longest acceptable gap between ticks before the daemon counts as stalled. */
  readonly maxTickGapMs: number;
  readonly inTilt: () => boolean;
  readonly now: () => number;
}

/** A probe's verdict with the reasons a human (or a Kubernetes event) can read. */
export interface ProbeResult {
  readonly ok: boolean;
  readonly status: "ok" | "unavailable";
  readonly reasons: readonly string[];
}

/**
 * `/healthz`: the process answers HTTP, so its event loop runs. Liveness deliberately checks
 * nothing else: restarting a Sentinel because a monitored Redis is down would only make it worse.
 */
export function liveness(): ProbeResult {
  return { ok: true, status: "ok", reasons: [] };
}

/**
 * `/readyz`: this Sentinel can take part in failovers right now — its port is open, its timer is
 * ticking, and it is not in TILT (where it refuses to act, §14).
 */
export function readiness(r: ReadinessInputs): ProbeResult {
  const reasons: string[] = [];
  if (!r.listening()) reasons.push("the Sentinel port is not listening yet");
  const last = r.lastTickAt();
  if (last === 0) reasons.push("the engine has not ticked yet");
  else if (r.now() - last > r.maxTickGapMs) reasons.push(`no engine tick for ${r.now() - last} ms (limit ${r.maxTickGapMs} ms)`);
  if (r.inTilt()) reasons.push("in TILT mode: not acting until the clock is trusted again");
  return reasons.length === 0 ? { ok: true, status: "ok", reasons } : { ok: false, status: "unavailable", reasons };
}
