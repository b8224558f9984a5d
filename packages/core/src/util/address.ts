/** A host/port pair as Sentinel stores it. */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/** Sentinel's instance key: `ip:port`, IPv6 bracketed (`[::1]:6379`). */
export function addressKey(addr: Address): string {
  return addr.host.includes(":") ? `[${addr.host}]:${addr.port}` : `${addr.host}:${addr.port}`;
}

/** Address equality as Sentinel compares (host case-insensitively, port exactly). */
export function sameAddress(a: Address, b: Address): boolean {
  return a.port === b.port && a.host.toLowerCase() === b.host.toLowerCase();
}

/** The address an {@link addressKey} names (`[::1]:6379` → `{ host: "::1", port: 6379 }`). */
export function addressFromKey(key: string): Address {
  const i = key.lastIndexOf(":");
  return { host: key.slice(0, i).replace(/^\[(.*)\]$/, "$1"), port: Number(key.slice(i + 1)) };
}
