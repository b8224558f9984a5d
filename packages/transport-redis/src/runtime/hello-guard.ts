import { decodeHello, isHelloRejection } from "@vigil/core";
import { canonicalIp } from "../api/ip-address.js";

/**
 * Sentinel only ever stores addresses `createSentinelAddr` accepts: IP literals, or any name when
 * `resolve-hostnames yes`. A hello naming a host that is not an IP (a hostile `PUBLISH
 * __sentinel__:hello`, or a peer with `announce-hostnames` while we do not resolve names) would
 * otherwise register a peer or switch the master to an address the config loader refuses, and the
 * next start would fail on the persisted file. Returns why such a hello must be dropped, or
 * `undefined` to pass it to the engine (which rejects malformed hellos itself).
 *
 * Transport-level guard until the engine applies the same rule (see docs/reliability.md).
 */
export function helloAddressProblem(payload: string, resolveHostnames: boolean): string | undefined {
  if (resolveHostnames) return undefined;
  const hello = decodeHello(payload);
  if (isHelloRejection(hello)) return undefined;
  if (canonicalIp(hello.sentinelIp) === undefined) return `sentinel address ${quote(hello.sentinelIp)} is not an IP address`;
  if (canonicalIp(hello.masterIp) === undefined) return `master address ${quote(hello.masterIp)} is not an IP address`;
  return undefined;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 32 ? `${s.slice(0, 32)}…` : s);
}
