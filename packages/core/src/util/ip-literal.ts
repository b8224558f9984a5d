/**
 * Whether `host` is an IP literal in a form Sentinel accepts without DNS (`anetResolve` with
 * `ANET_IP_ONLY`: `getaddrinfo(AI_NUMERICHOST)`). IPv4 takes the `inet_aton` forms (`127.1`,
 * `0x7f000001`, octal parts); IPv6 the RFC 4291 text forms, with an embedded dotted quad, without a
 * zone id. Pure, so the engine can refuse a hello naming a host it could never store.
 */
export function isIpLiteral(host: string): boolean {
  if (host === "") return false;
  // Every hello names two addresses, nearly always canonical dotted quads: one regex, no split.
  if (DOTTED_QUAD.test(host)) return true;
  return host.includes(":") ? isIpv6(host) : isIpv4Aton(host);
}

/** One `inet_aton` component: decimal, `0`-prefixed octal or `0x` hex. */
function atonPart(s: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]*$/.test(s)) return s.length === 2 ? 0 : Number.parseInt(s.slice(2), 16);
  if (/^0[0-7]*$/.test(s)) return Number.parseInt(s, 8);
  if (/^[1-9][0-9]*$/.test(s)) return Number(s);
  return undefined;
}

/**
 * The 32-bit value of an IPv4 literal in any `inet_aton` form (`127.1`, `0x7f000001`, octal parts),
 * or `undefined` when `host` is not one.
 */
function ipv4AtonValue(host: string): number | undefined {
  const parts = host.split(".");
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    const n = atonPart(part);
    if (n === undefined || !Number.isSafeInteger(n)) return undefined;
    values.push(n);
  }
  // The last component fills the remaining bytes; the others are one byte each.
  const head = values.slice(0, -1);
  const last = values[values.length - 1]!;
  if (head.some((n) => n > 0xff)) return undefined;
  if (last >= 2 ** (8 * (4 - head.length))) return undefined;
  let addr = 0;
  for (const n of head) addr = addr * 256 + n;
  return addr * 2 ** (8 * (4 - head.length)) + last;
}

/**
 * An IPv4 literal in any `inet_aton` form, in the canonical dotted form Sentinel stores and shows
 * (`127.1` → `127.0.0.1`), or `undefined` when `host` is not one. Shared by the config loader and
 * the API.
 */
export function canonicalIpv4(host: string): string | undefined {
  const addr = ipv4AtonValue(host);
  if (addr === undefined) return undefined;
  return [Math.floor(addr / 2 ** 24) & 0xff, (addr >>> 16) & 0xff, (addr >>> 8) & 0xff, addr & 0xff].join(".");
}

function isIpv4Aton(host: string): boolean {
  return ipv4AtonValue(host) !== undefined;
}

const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function isIpv6(host: string): boolean {
  const halves = host.split("::");
  if (halves.length > 2) return false;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const all = [...left, ...right];
  // An embedded IPv4 address may only end the address, and counts as two groups.
  let words = all.length;
  const tail = all[all.length - 1];
  if (tail !== undefined && tail.includes(".")) {
    if (!DOTTED_QUAD.test(tail)) return false;
    all.pop();
    words++;
  }
  if (!all.every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? words <= 7 : words === 8;
}
