import { isIPv6 } from "node:net";

/** One `inet_aton` component: decimal, `0`-prefixed octal or `0x` hex. */
function atonPart(s: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]*$/.test(s)) return s.length === 2 ? 0 : Number.parseInt(s.slice(2), 16);
  if (/^0[0-7]*$/.test(s)) return Number.parseInt(s, 8);
  if (/^[1-9][0-9]*$/.test(s)) return Number(s);
  return undefined;
}

/**
 * Parse an IPv4 literal the way glibc's numeric `getaddrinfo` does (it uses `inet_aton`), so the
 * short forms `127.1` or `0x7f000001` Redis accepts are accepted here too. Returns dotted-quad form.
 */
function ipv4Literal(host: string): string | undefined {
  const parts = host.split(".");
  if (parts.length < 1 || parts.length > 4) return undefined;
  const nums = parts.map(atonPart);
  if (nums.some((n) => n === undefined)) return undefined;
  const values = nums as number[];
  // The last component fills all remaining bytes; the others are one byte each.
  const head = values.slice(0, -1);
  const last = values[values.length - 1]!;
  if (head.some((n) => n > 0xff)) return undefined;
  if (last >= 2 ** (8 * (4 - head.length))) return undefined;
  let addr = 0;
  for (const n of head) addr = addr * 256 + n;
  addr = addr * 2 ** (8 * (4 - head.length)) + last;
  return [addr >>> 24, (addr >>> 16) & 0xff, (addr >>> 8) & 0xff, addr & 0xff].join(".");
}

/**
 * The address Sentinel stores for `host` when hostnames are not resolved (`ANET_IP_ONLY`):
 * IPv4 literals in canonical dotted form, IPv6 literals as written, `undefined` for anything that
 * is not an IP literal (Redis then says `Can't resolve instance hostname.`).
 */
export function ipLiteral(host: string): string | undefined {
  if (host === "") return undefined;
  if (isIPv6(host)) return host;
  return ipv4Literal(host);
}
