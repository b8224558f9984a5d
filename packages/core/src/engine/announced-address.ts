/**
 * Which name Sentinel shows for a master's address (its `announceSentinelAddr`): the hostname it was
 * monitored by with `announce-hostnames yes`, else the resolved address. Used for every reply, event,
 * hello and config line that names the master; connections and comparisons always use the address.
 */
import { type Address, sameAddress } from "../util/address.js";

/** The host to show for `addr`, one of master `m`'s addresses, under `announceHostnames`. */
export function announcedHost(m: { readonly settings: { readonly hostname?: string | undefined }; readonly addr: Address }, addr: Address, announceHostnames: boolean): string {
  const hostname = m.settings.hostname;
  return announceHostnames && hostname !== undefined && sameAddress(addr, m.addr) ? hostname : addr.host;
}
