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
