/** `ip:port` as Redis prints it: IPv4-mapped IPv6 unwrapped, other IPv6 bracketed. */
export function formatAddress(ip: string | undefined, port: number | undefined): string {
  let host = ip ?? "?";
  if (host.startsWith("::ffff:") && host.includes(".")) host = host.slice("::ffff:".length);
  return host.includes(":") ? `[${host}]:${port ?? 0}` : `${host}:${port ?? 0}`;
}
