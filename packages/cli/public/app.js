// The live topology page: the server sends it already drawn (see src/http/page/topology-html.ts);
// this script keeps it live from one EventSource on /events. Plain DOM, no framework and no build
// step. The markup comes from the same renderer the server uses, which escapes every value.
import { eventHtml, masterHtml, sentinelLabel } from "/topology-html.js";

const $ = (sel, root = document) => root.querySelector(sel);
const MAX_EVENTS = 500;
// Events already in the page as the server drew it.
let lastSeq = Number($("#timeline li")?.dataset.seq ?? 0);

function connectionBadge(text, tone) {
  const el = $("#connection");
  el.textContent = text;
  el.className = `badge connection ${tone}`;
}

function addEvent(e) {
  if (e.seq <= lastSeq) return;
  lastSeq = e.seq;
  const list = $("#timeline");
  list.insertAdjacentHTML("afterbegin", eventHtml(e));
  while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
}

function renderState(s) {
  $("#sentinel-id").textContent = sentinelLabel(s.sentinel);
  $("#epoch").textContent = `epoch ${s.sentinel.currentEpoch}`;
  $("#tilt").hidden = !s.sentinel.tilt;
  $("#masters").innerHTML = s.masters.map(masterHtml).join("");
  for (const e of s.events) addEvent(e);
}

function connect() {
  const source = new EventSource("/events");
  source.addEventListener("open", () => connectionBadge("live", "ok"));
  source.addEventListener("error", () => connectionBadge("reconnecting…", "warn"));
  source.addEventListener("state", (m) => renderState(JSON.parse(m.data)));
  source.addEventListener("event", (m) => addEvent(JSON.parse(m.data)));
}

connect();
