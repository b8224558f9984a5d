import { linkDisconnected, type MasterRecord } from "../engine/records.js";
import { contextOf, type SentinelEngine } from "../engine/sentinel-engine.js";
import { masterView } from "../engine/views/live-views.js";
import { type AgreementVerdict, type ExplainSection, plural, shortId } from "./explanation.js";
import { sentinelsSayingDown } from "./sentinels-saying-down.js";

/** Peer answers older than this many ask periods are forgotten (§9.2). */
const ASK_PERIODS_OF_VALIDITY = 5;

/**
 * §9: ODOWN needs this Sentinel's SDOWN plus `quorum` Sentinels (itself included) saying "down".
 * Lists each peer's last answer so a missing agreement can be traced to one Sentinel.
 */
export function explainAgreement(engine: SentinelEngine, m: MasterRecord, now: number): { verdict: AgreementVerdict; section: ExplainSection } {
  const quorum = m.settings.quorum;
  const { peers: agreeingPeers, count: agreeing } = sentinelsSayingDown(masterView(contextOf(engine), m));
  const odown = m.odown.value === "odown";
  const lines: string[] = [];
  lines.push(
    `ODOWN: ${odown ? "yes" : "no"}. ${agreeing} of ${plural(m.sentinels.size + 1, "Sentinel")} (this one included) say the master is down; quorum is ${quorum}.`,
  );
  if (m.health.value !== "sdown") {
    lines.push("ODOWN requires this Sentinel's own SDOWN first; peers are only asked while it sees the master down.");
  }
  if (m.sentinels.size === 0) {
    lines.push(
      `No other Sentinel is known (they are discovered through hellos on __sentinel__:hello); alone this Sentinel ${quorum <= 1 ? "can" : "cannot"} reach quorum ${quorum}.`,
    );
  }
  const validity = ASK_PERIODS_OF_VALIDITY * engine.timing.askPeriod;
  for (const s of m.sentinels.values()) {
    const age = now - s.lastMasterDownReplyTime;
    const said = s.masterDown ? "says down" : "does not say down";
    const notes: string[] = [];
    if (s.lastAskTime === 0) notes.push("never asked yet");
    else {
      notes.push(`last answer ${age} ms ago`);
      if (age > validity) notes.push(`answers older than ${ASK_PERIODS_OF_VALIDITY} × ask-period = ${validity} ms are ignored`);
    }
    if (linkDisconnected(s.link)) notes.push("link down: cannot be asked");
    if (s.health.value === "sdown") notes.push("this peer is SDOWN");
    lines.push(`Peer ${shortId(s.runId)} at ${s.addr.host}:${s.addr.port} ${said} (${notes.join("; ")}).`);
  }
  return { verdict: { odown, agreeing, quorum, agreeingPeers }, section: { title: "Do other Sentinels agree?", lines } };
}
