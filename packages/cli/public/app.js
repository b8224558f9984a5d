// The live topology page: one EventSource on /events, plain DOM, no framework and no build step.
// Every value comes from the daemon and is written with textContent, never as HTML.

const $ = (sel, root = document) => root.querySelector(sel);
const MAX_EVENTS = 500;
let lastSeq = 0;

function badge(el, text, tone) {
  el.textContent = text;
  // Keep the element's role class (health, odown, ...) so it can be found again.
  el.dataset.role ??= [...el.classList].find((c) => c !== "badge") ?? "";
  el.className = `badge ${el.dataset.role} ${tone}`.trim();
}

function cell(row, text, tone) {
  const td = document.createElement("td");
  td.textContent = text;
  if (tone) td.className = tone;
  row.append(td);
}

function linkText(l) {
  const up = l.cmd === "up" && (l.pubsub === undefined || l.pubsub === "up");
  return up ? `up (${l.lastReplyMsAgo} ms)` : `cmd ${l.cmd} / pubsub ${l.pubsub}`;
}

function renderMaster(m) {
  let art = document.querySelector(`article.master[data-name="${CSS.escape(m.name)}"]`);
  if (!art) {
    art = $("#master-template").content.firstElementChild.cloneNode(true);
    art.dataset.name = m.name;
    $("#masters").append(art);
  }
  $(".master-name", art).textContent = m.name;
  $(".master-address", art).textContent = m.address;
  badge($(".health", art), m.health === "sdown" ? `SDOWN${m.sdownCause ? ` (${m.sdownCause})` : ""}` : "up", m.health === "sdown" ? "warn" : "ok");
  badge($(".odown", art), m.odown === "odown" ? "ODOWN" : "no ODOWN", m.odown === "odown" ? "bad" : "ok");
  badge($(".failover", art), `failover: ${m.failover}`, m.failover === "none" ? "" : "warn");
  $(".facts", art).textContent = `quorum ${m.quorum} · config epoch ${m.configEpoch} · down-after ${m.downAfterMs} ms · link ${linkText(m.link)}`;
  const rb = $(".replicas tbody", art);
  rb.replaceChildren();
  for (const r of m.replicas) {
    const tr = document.createElement("tr");
    tr.dataset.address = r.address;
    cell(tr, r.address + (r.promoted ? " (promoted)" : ""));
    cell(tr, r.health, r.health === "sdown" ? "bad" : "ok");
    cell(tr, r.reportedRole ?? "?");
    cell(tr, linkText(r.link));
    cell(tr, r.masterLinkUp ? "up" : "down");
    cell(tr, String(r.priority));
    cell(tr, String(r.offset));
    cell(tr, r.reconf);
    rb.append(tr);
  }
  const sb = $(".sentinels tbody", art);
  sb.replaceChildren();
  for (const s of m.sentinels) {
    const tr = document.createElement("tr");
    cell(tr, s.runId.slice(0, 8));
    cell(tr, s.address);
    cell(tr, s.health, s.health === "sdown" ? "bad" : "ok");
    cell(tr, s.masterDown ? "yes" : "no", s.masterDown ? "warn" : "");
    cell(tr, s.leader ? `${s.leader.slice(0, 8)} @ ${s.leaderEpoch}` : "-");
    cell(tr, `${s.lastHelloMsAgo} ms ago`);
    sb.append(tr);
  }
}

function addEvent(e) {
  if (e.seq <= lastSeq) return;
  lastSeq = e.seq;
  const li = document.createElement("li");
  li.className = e.level;
  li.dataset.type = e.type;
  const time = document.createElement("span");
  time.className = "time";
  time.textContent = new Date(e.at).toISOString().slice(11, 23);
  const type = document.createElement("span");
  type.className = "type";
  type.textContent = e.type;
  const payload = document.createElement("span");
  payload.className = "payload";
  payload.textContent = e.payload;
  li.append(time, type, payload);
  const list = $("#timeline");
  list.prepend(li);
  while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
}

function renderState(s) {
  $("#sentinel-id").textContent = `sentinel ${s.sentinel.myId.slice(0, 8)} · port ${s.sentinel.port} · ${s.sentinel.timing} timing`;
  $("#epoch").textContent = `epoch ${s.sentinel.currentEpoch}`;
  $("#tilt").hidden = !s.sentinel.tilt;
  const names = new Set(s.masters.map((m) => m.name));
  for (const art of document.querySelectorAll("article.master")) if (!names.has(art.dataset.name)) art.remove();
  for (const m of s.masters) renderMaster(m);
  for (const e of s.events) addEvent(e);
}

function connect() {
  const source = new EventSource("/events");
  const status = $("#connection");
  source.addEventListener("open", () => badge(status, "live", "ok"));
  source.addEventListener("error", () => badge(status, "reconnecting…", "warn"));
  source.addEventListener("state", (m) => renderState(JSON.parse(m.data)));
  source.addEventListener("event", (m) => addEvent(JSON.parse(m.data)));
}

connect();
