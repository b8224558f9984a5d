import type { InfoRejection, InfoReplicaLine, InfoReport } from "./info-report.js";
import { ownCopy } from "./own-copy.js";

/**
 * Largest INFO reply accepted, in UTF-16 code units (16 Mi). Real replies are a few KiB even with
 * hundreds of replicas; anything this big is a broken or hostile peer, and refusing it keeps the
 * parse cheap.
 */
export const MAX_INFO_LENGTH = 16 * 1024 * 1024;

type Draft = { -readonly [K in keyof InfoReport]: InfoReport[K] } & { replicas: InfoReplicaLine[] };

const RUN_ID_PREFIX = "run_id:";
const RUN_ID_LENGTH = 40;
const LINK_DOWN_PREFIX = "master_link_down_since_seconds:";
const U64_MAX = 0xffff_ffff_ffff_ffffn;

/**
 * Parses an INFO reply the way Sentinel does (§6): split on CRLF (a bare LF is accepted too), then
 * match each line by prefix, later lines overriding earlier ones.
 *
 * Decisions where the C code relies on `atoi`/`strtoull` leniency:
 * - A numeric field whose value is not a plain decimal integer (optional sign where a sign makes
 *   sense, no spaces, no trailing text) is ignored, as if the line were absent, rather than read as
 *   0 or as its leading digits. Ports must also be in 0..65535.
 * - `slave_repl_offset` accepts any unsigned value up to 2^64-1; above 2^53 it loses precision
 *   (JavaScript numbers), which only matters to ties in replica ranking.
 * - `slaveN:` lines are reported whatever the role line says: Sentinel reads them only for
 *   instances it monitors as masters, and that decision belongs to the engine. A line whose host is
 *   empty or whose port is not numeric is skipped (Sentinel would fail to create that replica, or
 *   create one on port 0).
 *
 * Every string in the report is a copy of its own ({@link ownCopy}): the engine keeps them long
 * after the text is gone.
 *
 * The whole reply is rejected only when it is not a string, is over {@link MAX_INFO_LENGTH}, or
 * contains a NUL character (C would silently truncate there: `strlen`). Never throws.
 */
export function parseInfo(text: string): InfoReport | InfoRejection {
  if (typeof text !== "string") return reject(`INFO reply is a ${typeof text}, not a string`);
  if (text.length > MAX_INFO_LENGTH) {
    return reject(`INFO reply is ${text.length} characters, over the ${MAX_INFO_LENGTH} limit`);
  }
  const nul = text.indexOf("\0");
  if (nul !== -1) return reject(`INFO reply contains a NUL character at offset ${nul}`);

  const draft: Draft = {
    runId: undefined,
    role: undefined,
    replicas: [],
    masterLinkDownTimeMs: 0,
    masterHost: undefined,
    masterPort: undefined,
    masterLinkUp: undefined,
    slavePriority: undefined,
    slaveReplOffset: undefined,
    replicaAnnounced: undefined,
    failoverState: undefined,
  };
  // Line by line without splitting: only lines starting with r, s or m can match a prefix below
  // (run_id, role, replica_announced, slaveN, slave_*, master_*), so the ~180 others of a real
  // reply are skipped without allocating a string each (INFO parsing was a tenth of everything a
  // sentinel watching hundreds of masters allocated; docs/performance.md).
  let at = 0;
  while (at <= text.length) {
    const nl = text.indexOf("\n", at);
    const next = nl === -1 ? text.length + 1 : nl + 1;
    const first = text.charCodeAt(at);
    if (first === 114 /* r */ || first === 115 /* s */ || first === 109 /* m */) {
      let end = nl === -1 ? text.length : nl;
      if (nl !== -1 && end > at && text.charCodeAt(end - 1) === 13 /* \r */) end--;
      applyLine(draft, text.slice(at, end));
    }
    at = next;
  }
  return draft;
}

/** Type guard separating a rejection from a parsed report. */
export function isInfoRejection(x: unknown): x is InfoRejection {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "info-rejected";
}

function reject(reason: string): InfoRejection {
  return { kind: "info-rejected", reason };
}

/** Read in any role: a master mid-hand-over already reports `role:slave`. */
const FAILOVER_STATE_PREFIX = "master_failover_state:";

/** One line, in the C order: the role line must be applied before the replica fields it gates. */
function applyLine(d: Draft, line: string): void {
  if (line.length >= RUN_ID_PREFIX.length + RUN_ID_LENGTH && line.startsWith(RUN_ID_PREFIX)) {
    d.runId = ownCopy(line.slice(RUN_ID_PREFIX.length, RUN_ID_PREFIX.length + RUN_ID_LENGTH));
  }
  if (isReplicaLine(line)) {
    const replica = parseReplicaLine(line);
    if (replica !== undefined) d.replicas.push(replica);
  }
  if (line.startsWith(LINK_DOWN_PREFIX)) {
    const seconds = parseSigned(line.slice(LINK_DOWN_PREFIX.length));
    if (seconds !== undefined && Number.isSafeInteger(seconds * 1000)) {
      d.masterLinkDownTimeMs = seconds * 1000 + 0; // + 0 turns -0 into 0
    }
  }
  if (line.startsWith(FAILOVER_STATE_PREFIX)) d.failoverState = ownCopy(line.slice(FAILOVER_STATE_PREFIX.length));
  if (line.startsWith("role:master")) d.role = "master";
  else if (line.startsWith("role:slave")) d.role = "slave";
  if (d.role === "slave") applyReplicaField(d, line);
}

/** Fields Sentinel reads only once `role:slave` has been seen in this reply; prefixes are disjoint. */
const REPLICA_FIELDS: ReadonlyArray<readonly [prefix: string, apply: (d: Draft, value: string) => void]> = [
  ["master_host:", (d, v) => (d.masterHost = ownCopy(v))],
  ["master_port:", (d, v) => (d.masterPort = parsePort(v) ?? d.masterPort)],
  ["master_link_status:", (d, v) => (d.masterLinkUp = v.toLowerCase() === "up")],
  ["slave_priority:", (d, v) => (d.slavePriority = parseSigned(v) ?? d.slavePriority)],
  ["slave_repl_offset:", (d, v) => (d.slaveReplOffset = parseUnsigned64(v) ?? d.slaveReplOffset)],
  ["replica_announced:", (d, v) => (d.replicaAnnounced = announced(v) ?? d.replicaAnnounced)],
];

function applyReplicaField(d: Draft, line: string): void {
  for (const [prefix, apply] of REPLICA_FIELDS) {
    if (line.startsWith(prefix)) {
      apply(d, line.slice(prefix.length));
      return;
    }
  }
}

/** C stores `atoi` of the value and tests it for non-zero. */
function announced(v: string): boolean | undefined {
  const n = parseSigned(v);
  return n === undefined ? undefined : n !== 0;
}

/** `slave<digit>…`, at least 7 characters (C: `sdslen(l) >= 7`). */
function isReplicaLine(line: string): boolean {
  if (line.length < 7 || !line.startsWith("slave")) return false;
  const c = line.charCodeAt(5);
  return c >= 48 && c <= 57;
}

/**
 * New format `slaveN:ip=<ip>,port=<port>,…` when the line contains `ip=` anywhere (as C's
 * `strstr`), else old format `slaveN:<ip>,<port>,<state>` which needs all three fields.
 */
function parseReplicaLine(line: string): InfoReplicaLine | undefined {
  let host: string;
  let portText: string;
  const ipAt = line.indexOf("ip=");
  if (ipAt !== -1) {
    const portAt = line.indexOf("port=");
    if (portAt === -1) return undefined;
    host = untilComma(line, ipAt + 3);
    portText = untilComma(line, portAt + 5);
  } else {
    const colon = line.indexOf(":");
    if (colon === -1) return undefined;
    const firstComma = line.indexOf(",", colon + 1);
    if (firstComma === -1) return undefined;
    const secondComma = line.indexOf(",", firstComma + 1);
    if (secondComma === -1) return undefined;
    host = line.slice(colon + 1, firstComma);
    portText = line.slice(firstComma + 1, secondComma);
  }
  const port = parsePort(portText);
  if (host === "" || port === undefined) return undefined;
  return { host: ownCopy(host), port };
}

function untilComma(line: string, from: number): string {
  const end = line.indexOf(",", from);
  return end === -1 ? line.slice(from) : line.slice(from, end);
}

/** Decimal integer with optional sign, within the safe-integer range; `-0` comes back as 0. */
function parseSigned(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s) + 0;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Unsigned decimal that fits a C `unsigned long long` (checked exactly, before rounding). */
function parseUnsigned64(s: string): number | undefined {
  if (!/^\+?\d+$/.test(s)) return undefined;
  const digits = s.replace(/^\+?0*/, "") || "0";
  if (digits.length > 20 || BigInt(digits) > U64_MAX) return undefined;
  return Number(digits);
}

/** TCP port: digits only (leading zeros allowed), value in 0..65535. */
function parsePort(s: string): number | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}
