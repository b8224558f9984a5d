import { isIPv6 } from "node:net";
import { canonicalIpv4 } from "@vigil/core";

/**
 * The address `redis-sentinel` stores for a host given to `SENTINEL MONITOR` or asked about in
 * `IS-MASTER-DOWN-BY-ADDR` without DNS (`anetResolve(..., ANET_IP_ONLY)`: glibc `getaddrinfo` with
 * `AI_NUMERICHOST`, then `inet_ntop`). IPv4 literals accept the `inet_aton` short forms (`127.1`,
 * `0x7f000001`, octal parts) and come back dotted-quad; IPv6 literals come back in `inet_ntop` form
 * (`0:0:0:0:0:0:0:1` → `::1`, `::ffff:127.0.0.1` kept). Anything else is `undefined`.
 */
export function canonicalIp(host: string): string | undefined {
  if (host === "") return undefined;
  if (host.includes(":")) return isIPv6(host) && !host.includes("%") ? ipv6Text(ipv6Words(host)) : undefined;
  return canonicalIpv4(host);
}

/** The eight 16-bit words of a valid IPv6 literal (validated by `isIPv6` first). */
function ipv6Words(host: string): number[] {
  let text = host;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  const lastGroup = text.slice(lastColon + 1);
  if (lastGroup.includes(".")) {
    // Trailing dotted IPv4: two words; keep a `::` that precedes it, drop a single `:`.
    const o = lastGroup.split(".").map(Number);
    tail = [(o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!];
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith("::")) text = text.slice(0, -1);
  }
  const parse = (s: string): number[] => (s === "" ? [] : s.split(":").map((h) => Number.parseInt(h, 16)));
  const gap = text.indexOf("::");
  let words: number[];
  if (gap === -1) {
    words = [...parse(text), ...tail];
  } else {
    const left = parse(text.slice(0, gap));
    const right = [...parse(text.slice(gap + 2)), ...tail];
    words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  return words;
}

/** glibc `inet_ntop` for AF_INET6: longest run (≥ 2) of zero words as `::`, embedded IPv4 forms. */
function ipv6Text(w: readonly number[]): string {
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    // IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) addresses end in dotted form.
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      out += `${w[6]! >> 8}.${w[6]! & 0xff}.${w[7]! >> 8}.${w[7]! & 0xff}`;
      break;
    }
    out += w[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ":";
  return out;
}
