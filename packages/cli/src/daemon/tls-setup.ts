import { readFileSync } from "node:fs";
import { type ConnectionOptions, createSecureContext } from "node:tls";
import type { TlsListenOptions } from "@vigil/transport-redis";
import type { GenericSettings } from "../config/generic-settings.js";

/** What the TLS directives ask for: a TLS listener and/or TLS on the links to Redis and peers. */
export interface TlsSetup {
  /** `tls-port` > 0: the sentinel port's TLS listener. */
  readonly server?: TlsListenOptions;
  /** `tls-replication yes`: ioredis `tls` options for every outgoing link. */
  readonly client?: ConnectionOptions;
  /** The port hellos announce: the TLS port with `tls-replication yes` and a `tls-port`, as in Sentinel. */
  readonly announcePort: number;
}

/** Redis's fatal line after any TLS configuration problem. */
const FAILED = "Failed to configure TLS. Check logs for more info.";

/**
 * Read the TLS files the way Redis's `tlsConfigure` does when `tls-port`, `tls-replication` (or
 * `tls-cluster`) is set: a certificate and a key are mandatory, and so is a CA unless nothing
 * needs one (`tls-auth-clients no` and no TLS links). Returns Redis's log lines on failure.
 *
 * Links verify the peer's chain against the CA but not its host name, like hiredis in Redis (which
 * sets no expected host name); the client certificate is `tls-client-cert-file` /
 * `tls-client-key-file` when given, otherwise `tls-cert-file` / `tls-key-file`, as in Redis.
 */
export function configureTls(g: GenericSettings): TlsSetup | { readonly error: string } {
  const announcePort = g.tlsReplication && g.tlsPort > 0 ? g.tlsPort : g.port;
  if (g.tlsPort === 0 && !g.tlsReplication) return { announcePort };
  if (g.tlsCertFile === undefined) return { error: `No tls-cert-file configured!\n${FAILED}` };
  if (g.tlsKeyFile === undefined) return { error: `No tls-key-file configured!\n${FAILED}` };
  if ((g.tlsAuthClients !== "no" || g.tlsReplication) && g.tlsCaCertFile === undefined) {
    return {
      error: `Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!\n${FAILED}`,
    };
  }
  const read = (what: string, path: string): Buffer | string => {
    try {
      return readFileSync(path);
    } catch (e) {
      return `Failed to load ${what} '${path}': ${(e as Error).message}\n${FAILED}`;
    }
  };
  const raw = (name: string): string | undefined => {
    const line = g.passthrough.findLast((d) => d.args[0] === name);
    const v = line?.args[1];
    return v === undefined || v === "" ? undefined : v;
  };
  const cert = read("certificate", g.tlsCertFile);
  if (typeof cert === "string") return { error: cert };
  const key = read("private key", g.tlsKeyFile);
  if (typeof key === "string") return { error: key };
  const ca = g.tlsCaCertFile === undefined ? undefined : read("CA certificate(s) file", g.tlsCaCertFile);
  if (typeof ca === "string") return { error: ca };

  // What OpenSSL would say when the context is built (key/certificate mismatch, bad PEM).
  try {
    createSecureContext({ cert, key, ...(ca === undefined ? {} : { ca }) });
  } catch (e) {
    return { error: `Failed to load certificate: ${g.tlsCertFile}: ${(e as Error).message}\n${FAILED}` };
  }

  let client: ConnectionOptions | undefined;
  if (g.tlsReplication) {
    const clientCertFile = raw("tls-client-cert-file");
    const clientKeyFile = raw("tls-client-key-file");
    const clientCert = clientCertFile === undefined ? cert : read("client certificate", clientCertFile);
    if (typeof clientCert === "string") return { error: clientCert };
    const clientKey = clientKeyFile === undefined ? key : read("client private key", clientKeyFile);
    if (typeof clientKey === "string") return { error: clientKey };
    try {
      createSecureContext({ cert: clientCert, key: clientKey });
    } catch (e) {
      return { error: `Failed to load client certificate: ${clientCertFile ?? g.tlsCertFile}: ${(e as Error).message}\n${FAILED}` };
    }
    client = { ca, cert: clientCert, key: clientKey, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  }
  const server: TlsListenOptions | undefined =
    g.tlsPort > 0 ? { port: g.tlsPort, key, cert, ...(ca === undefined ? {} : { ca }), authClients: g.tlsAuthClients } : undefined;
  return { announcePort, ...(server ? { server } : {}), ...(client ? { client } : {}) };
}
