import { linkDisconnected, type MasterRecord } from "../engine/records.js";
import type { SentinelEngine } from "../engine/sentinel-engine.js";
import { currentAddress } from "../engine/views/engine-views.js";
import { refusedForMs } from "../health/crash-detection.js";
import type { SdownCause } from "../machines/instance-health.machine.js";
import type { DownVerdict, ExplainSection } from "./explanation.js";

/** Why §8 rule `cause` holds, in words. */
export function describeSdownCause(cause: SdownCause): string {
  switch (cause) {
    case "no-reply":
      return "no acceptable PING reply for longer than down-after-milliseconds";
    case "crash":
      return "crash: every connection attempt actively refused for longer than vigil-crash-down-after";
    case "master-reports-replica":
      return "it reports role:slave for longer than down-after-milliseconds + 2 × info-period";
    case "reboot":
      return "it rebooted and is still within master-reboot-down-after-period";
  }
}

/**
 * §8 as measured now: the same silence the engine compares against `down-after-milliseconds`
 * (outstanding PING age, else link-down age), and the recorded SDOWN state and cause.
 */
export function explainDown(engine: SentinelEngine, m: MasterRecord, now: number): { verdict: DownVerdict; section: ExplainSection } {
  const l = m.link;
  const downAfterMs = m.settings.downAfterMs;
  const disconnected = linkDisconnected(l);
  const elapsedMs = l.actPingTime !== 0 ? now - l.actPingTime : disconnected ? now - l.lastAvailTime : 0;
  const sdown = m.health.value === "sdown";
  const cause = sdown ? m.health.context.cause : null;
  const sdownForMs = sdown ? now - m.health.context.sdownSince : 0;
  const tilt = engine.inTilt();
  const lines: string[] = [];
  const cur = currentAddress(m);
  lines.push(
    `Master ${m.name} at ${cur.host}:${cur.port}, quorum ${m.settings.quorum}, down-after-milliseconds ${downAfterMs}, failover-timeout ${m.settings.failoverTimeoutMs}.`,
  );
  if (tilt) {
    lines.push(
      `This Sentinel is in TILT mode (entered ${now - engine.tiltSince()} ms ago after a timer gap): SDOWN/ODOWN are frozen and it takes no action until ${engine.timing.tiltPeriod} ms pass without another gap.`,
    );
  }
  if (sdown) {
    lines.push(`SDOWN: yes, for ${sdownForMs} ms. Cause: ${cause ? describeSdownCause(cause) : "unknown"}.`);
  } else {
    lines.push("SDOWN: no, this Sentinel considers the master reachable.");
  }
  // What rule 1 measures right now, whatever the verdict, so "why not yet?" has an answer.
  const countdown = !sdown && elapsedMs > 0 && elapsedMs <= downAfterMs ? ` SDOWN in ${downAfterMs - elapsedMs} ms unless a reply arrives.` : "";
  if (l.actPingTime !== 0) {
    lines.push(`A PING has been waiting for a reply for ${elapsedMs} ms (limit ${downAfterMs} ms).${countdown}`);
  } else if (disconnected) {
    lines.push(`The link is down (cmd ${l.cmd}, pubsub ${l.pubsub}); last acceptable reply ${elapsedMs} ms ago (limit ${downAfterMs} ms).${countdown}`);
  } else {
    lines.push(`Every PING is answered: last acceptable reply ${now - l.lastAvailTime} ms ago (limit ${downAfterMs} ms).`);
  }
  lines.push(crashLine(m, sdown));
  if (m.infoRefresh === 0) lines.push("No INFO reply received yet.");
  else if (m.roleReported === "slave") {
    const limit = downAfterMs + 2 * engine.timing.infoPeriod;
    lines.push(`INFO reports role:slave for ${now - m.roleReportedTime} ms (limit down-after-milliseconds + 2 × info-period = ${limit} ms).`);
  } else lines.push(`INFO reports role:master (last INFO ${now - m.infoRefresh} ms ago).`);
  if (m.reboot) {
    lines.push(`It rebooted ${now - m.rebootSince} ms ago; master-reboot-down-after-period is ${m.settings.masterRebootDownAfterMs} ms.`);
  }
  return { verdict: { sdown, cause, sdownForMs, elapsedMs, downAfterMs, tilt }, section: { title: "Is the master down?", lines } };
}

/** The crash rule (vigil-crash-down-after) as measured now. */
function crashLine(m: MasterRecord, sdown: boolean): string {
  const limit = m.settings.crashDownAfterMs;
  if (limit === 0) return "Crash detection (vigil-crash-down-after) is off: only silence longer than down-after-milliseconds makes it SDOWN.";
  const refused = refusedForMs(m.link);
  if (m.link.refusedSince === 0) return `Crash detection is on (vigil-crash-down-after ${limit} ms): connections are not being refused.`;
  const left = !sdown && refused < limit ? ` SDOWN (crash) in ${limit - refused} ms if every attempt keeps being refused.` : "";
  return `Every connection attempt has been actively refused or reset for ${refused} ms (vigil-crash-down-after ${limit} ms).${left}`;
}
