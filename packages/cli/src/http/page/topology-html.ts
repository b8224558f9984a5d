// The topology page's markup, from one renderer on both sides: the server writes the whole page
// with the current state in its first response (a screenshot or a reader without JavaScript sees
// the fleet, not an empty shell), and the browser loads this same compiled module (/topology-html.js)
// to redraw from each Server-Sent Events snapshot. No runtime imports: it must run in a browser.
import type { TimedEvent } from "../../ops/event-timeline.js";
import type { LinkView, MasterTopology, TopologySnapshot } from "../../ops/topology-snapshot.js";

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Every value from the daemon goes through this before it is part of markup (text or attribute). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A pill; `role` names what it shows (health, odown, ...), `tone` its colour (ok, warn, bad). */
function badge(role: string, text: string, tone: "" | "ok" | "warn" | "bad"): string {
  return `<span class="${`badge ${role} ${tone}`.trim()}">${escapeHtml(text)}</span>`;
}

function cell(text: string, tone = ""): string {
  return tone === "" ? `<td>${escapeHtml(text)}</td>` : `<td class="${tone}">${escapeHtml(text)}</td>`;
}

function linkText(l: LinkView): string {
  const up = l.cmd === "up" && (l.pubsub === undefined || l.pubsub === "up");
  return up ? `up (${l.lastReplyMsAgo} ms)` : `cmd ${l.cmd} / pubsub ${l.pubsub}`;
}

/** The header's line about this Sentinel. */
export function sentinelLabel(s: TopologySnapshot["sentinel"]): string {
  return `sentinel ${s.myId.slice(0, 8)} · port ${s.port} · ${s.timing} timing`;
}

function replicaRows(m: MasterTopology): string {
  return m.replicas
    .map(
      (r) =>
        `<tr data-address="${escapeHtml(r.address)}">` +
        cell(r.address + (r.promoted ? " (promoted)" : "")) +
        cell(r.health, r.health === "sdown" ? "bad" : "ok") +
        cell(r.reportedRole ?? "?") +
        cell(linkText(r.link)) +
        cell(r.masterLinkUp ? "up" : "down") +
        cell(String(r.priority)) +
        cell(String(r.offset)) +
        cell(r.reconf) +
        "</tr>",
    )
    .join("");
}

function sentinelRows(m: MasterTopology): string {
  return m.sentinels
    .map(
      (s) =>
        "<tr>" +
        cell(s.runId.slice(0, 8)) +
        cell(s.address) +
        cell(s.health, s.health === "sdown" ? "bad" : "ok") +
        cell(s.masterDown ? "yes" : "no", s.masterDown ? "warn" : "") +
        cell(s.leader ? `${s.leader.slice(0, 8)} @ ${s.leaderEpoch}` : "-") +
        cell(`${s.lastHelloMsAgo} ms ago`) +
        "</tr>",
    )
    .join("");
}

/** One master's card: address, machine states, replicas and peer Sentinels. */
export function masterHtml(m: MasterTopology): string {
  const sdown = m.health === "sdown";
  return (
    `<article class="master" data-name="${escapeHtml(m.name)}">` +
    `<h2><span class="master-name">${escapeHtml(m.name)}</span> <code class="master-address" data-testid="master-address">${escapeHtml(m.address)}</code></h2>` +
    '<p class="states">' +
    [
      badge("health", sdown ? `SDOWN${m.sdownCause ? ` (${m.sdownCause})` : ""}` : "up", sdown ? "warn" : "ok"),
      badge("odown", m.odown === "odown" ? "ODOWN" : "no ODOWN", m.odown === "odown" ? "bad" : "ok"),
      badge("failover", `failover: ${m.failover}`, m.failover === "none" ? "" : "warn"),
    ].join(" ") +
    ` <span class="facts">${escapeHtml(`quorum ${m.quorum} · config epoch ${m.configEpoch} · down-after ${m.downAfterMs} ms · link ${linkText(m.link)}`)}</span>` +
    "</p>" +
    "<h3>Replicas</h3>" +
    '<table class="replicas"><thead><tr><th>address</th><th>health</th><th>role</th><th>link</th><th>master link</th><th>priority</th><th>offset</th><th>reconf</th></tr></thead>' +
    `<tbody>${replicaRows(m)}</tbody></table>` +
    "<h3>Sentinels</h3>" +
    '<table class="sentinels"><thead><tr><th>run id</th><th>address</th><th>health</th><th>says master down</th><th>last vote</th><th>last hello</th></tr></thead>' +
    `<tbody>${sentinelRows(m)}</tbody></table>` +
    "</article>"
  );
}

/** One timeline entry; `data-seq` lets the browser skip events the page already shows. */
export function eventHtml(e: TimedEvent): string {
  return (
    `<li class="${escapeHtml(e.level)}" data-type="${escapeHtml(e.type)}" data-seq="${e.seq}">` +
    `<span class="time">${new Date(e.at).toISOString().slice(11, 23)}</span>` +
    `<span class="type">${escapeHtml(e.type)}</span>` +
    `<span class="payload">${escapeHtml(e.payload)}</span></li>`
  );
}

/** The whole page with `s` already drawn; the script then keeps it live. */
export function pageHtml(s: TopologySnapshot): string {
  const timeline = [...s.events].reverse().map(eventHtml).join("");
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Vigil — live topology</title>
  <link rel="stylesheet" href="/style.css">
</head>
<body>
  <header>
    <h1>Vigil</h1>
    <span id="sentinel-id" title="this Sentinel's myid">${escapeHtml(sentinelLabel(s.sentinel))}</span>
    <span id="epoch">epoch ${s.sentinel.currentEpoch}</span>
    <span id="tilt" class="badge bad"${s.sentinel.tilt ? "" : " hidden"}>TILT</span>
    <span id="connection" class="badge connection">connecting…</span>
  </header>
  <main>
    <section id="masters" aria-label="masters">${s.masters.map(masterHtml).join("")}</section>
    <section aria-label="event timeline">
      <h2>Events</h2>
      <ol id="timeline" reversed>${timeline}</ol>
    </section>
  </main>
  <script src="/app.js" type="module"></script>
</body>
</html>
`;
}
