import { isIPv6 } from "node:net";
import { canonicalIpv4 } from "@vigil/core";

/**
 * The address Sentinel stores for `host` when hostnames are not resolved (`ANET_IP_ONLY`):
 * IPv4 literals in canonical dotted form, IPv6 literals as written, `undefined` for anything that
 * is not an IP literal (Redis then says `Can't resolve instance hostname.`).
 */
export function ipLiteral(host: string): string | undefined {
  if (host === "") return undefined;
  // Every IPv6 literal has a ':'; testing for it first spares a daemon with IPv4 addresses the first
  // `isIPv6` call, which compiles Node's IPv6 pattern (~20-50 ms of start-up).
  if (host.includes(":") && isIPv6(host)) return host;
  return canonicalIpv4(host);
}
