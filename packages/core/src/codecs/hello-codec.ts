import type { HelloMessage, HelloRejection } from "./hello-message.js";

/** A hello payload has exactly this many comma-separated fields (§7.1). */
export const HELLO_FIELD_COUNT = 8;

/**
 * Renders a hello payload (§7.1): the 8 fields joined by `,`, no spaces, numbers in decimal.
 * Like Sentinel it does not escape anything: a master name or address containing a comma yields a
 * payload every receiver ignores (§7.2 note).
 */
export function encodeHello(m: HelloMessage): string {
  return [
    m.sentinelIp,
    m.sentinelPort,
    m.sentinelRunId,
    m.currentEpoch,
    m.masterName,
    m.masterIp,
    m.masterPort,
    m.masterConfigEpoch,
  ].join(",");
}

/**
 * Decodes a hello payload (§7.2). The token count must be exactly 8, as in Sentinel. Sentinel then
 * reads ports with `atoi` and epochs with `strtoull`, accepting garbage as 0; we are stricter, so
 * a malformed hello cannot register a Sentinel on port 0 or reset an epoch:
 * - ports must be plain decimal integers in 0..65535;
 * - epochs must be plain decimal integers in 0..2^53-1 (larger ones cannot be represented exactly);
 * - sentinel ip, runid, master name and master ip must be non-empty (the runid's length and
 *   alphabet are not checked, as Sentinel does not check them either).
 * "Plain decimal" means digits only: no sign, no spaces. Never throws.
 */
export function decodeHello(payload: string): HelloMessage | HelloRejection {
  if (typeof payload !== "string") return reject(`hello payload is a ${typeof payload}, not a string`);
  const t = payload.split(",");
  if (t.length !== HELLO_FIELD_COUNT) {
    return reject(`expected ${HELLO_FIELD_COUNT} comma-separated fields, got ${t.length}`);
  }
  const [sentinelIp, sPort, sentinelRunId, cEpoch, masterName, masterIp, mPort, mEpoch] = t as HelloTokens;
  const sentinelPort = parsePort(sPort);
  const currentEpoch = parseEpoch(cEpoch);
  const masterPort = parsePort(mPort);
  const masterConfigEpoch = parseEpoch(mEpoch);

  if (sentinelIp === "") return reject("empty sentinel ip");
  if (sentinelPort === undefined) return reject(`invalid sentinel port ${quote(sPort)}`);
  if (sentinelRunId === "") return reject("empty sentinel runid");
  if (currentEpoch === undefined) return reject(`invalid current epoch ${quote(cEpoch)}`);
  if (masterName === "") return reject("empty master name");
  if (masterIp === "") return reject("empty master ip");
  if (masterPort === undefined) return reject(`invalid master port ${quote(mPort)}`);
  if (masterConfigEpoch === undefined) return reject(`invalid master config epoch ${quote(mEpoch)}`);

  return {
    sentinelIp,
    sentinelPort,
    sentinelRunId,
    currentEpoch,
    masterName,
    masterIp,
    masterPort,
    masterConfigEpoch,
  };
}

/** Type guard separating a rejection from a decoded hello. */
export function isHelloRejection(x: unknown): x is HelloRejection {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "hello-rejected";
}

/** The split payload once its length has been checked. */
type HelloTokens = [string, string, string, string, string, string, string, string];

function reject(reason: string): HelloRejection {
  return { kind: "hello-rejected", reason };
}

/** Digits only (leading zeros allowed, as `atoi` does), value in 0..65535. */
function parsePort(s: string): number | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

/** Digits only, value exactly representable (≤ 2^53-1). */
function parseEpoch(s: string): number | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Quotes a token for a log line, cut short so a hostile payload cannot flood the log. */
function quote(s: string): string {
  return JSON.stringify(s.length > 32 ? `${s.slice(0, 32)}…` : s);
}

/** Hellos decoded so far, by payload: see {@link decodeHelloOnce}. */
export type HelloMemo = Map<string, HelloMessage | HelloRejection>;

/** Payloads a memo keeps before it starts over (a few per master and peer in a steady fleet). */
export const HELLO_MEMO_MAX = 8192;
/** Longer payloads are decoded every time (no real hello comes near; a hostile one is not kept). */
const HELLO_MEMO_MAX_LENGTH = 1024;

/**
 * {@link decodeHello}, remembered: every peer publishes the same payload about a master, period after
 * period, through each of its instances, so nearly every hello is one already decoded. The memo is
 * bounded: past {@link HELLO_MEMO_MAX} payloads (new epochs, addresses, hostile PUBLISHes) it is
 * cleared and refills with what is current. The decoded hellos are shared: never modify one.
 */
export function decodeHelloOnce(memo: HelloMemo, payload: string): HelloMessage | HelloRejection {
  if (typeof payload !== "string" || payload.length > HELLO_MEMO_MAX_LENGTH) return decodeHello(payload);
  let hello = memo.get(payload);
  if (hello === undefined) {
    hello = decodeHello(payload);
    if (memo.size >= HELLO_MEMO_MAX) memo.clear();
    memo.set(payload, hello);
  }
  return hello;
}
