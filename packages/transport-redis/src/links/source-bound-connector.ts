import { createConnection, type TcpNetConnectOpts } from "node:net";
import { type ConnectionOptions, connect as tlsConnect } from "node:tls";
import { AbstractConnector } from "ioredis";

/** The subset of ioredis's options this connector reads (ioredis passes all of them). */
interface ConnectorOptions {
  readonly host?: string;
  readonly port?: number;
  readonly family?: number;
  readonly tls?: ConnectionOptions;
  readonly disconnectTimeout?: number;
}

type ConnectorClass = new (options: unknown) => AbstractConnector;

/**
 * An ioredis `Connector` class that binds every outgoing connection to `localAddress` (Redis's
 * `bind-source-addr`). ioredis's own StandaloneConnector only passes host/port/family to
 * `net.connect`; this one is the same, plus `localAddress`. Pass it as the `Connector` option.
 */
export function sourceBoundConnector(localAddress: string): ConnectorClass {
  return class SourceBoundConnector extends AbstractConnector {
    private readonly options: ConnectorOptions;

    constructor(options: unknown) {
      const o = (options ?? {}) as ConnectorOptions;
      super(o.disconnectTimeout ?? 2000);
      this.options = o;
    }

    connect(): Promise<typeof this.stream> {
      const o = this.options;
      this.connecting = true;
      const tcp: TcpNetConnectOpts = { host: o.host ?? "127.0.0.1", port: o.port ?? 6379, localAddress };
      if (o.family !== undefined) tcp.family = o.family;
      // Like ioredis: resolve on the next tick with the stream; errors surface through the stream.
      return new Promise((resolve, reject) => {
        process.nextTick(() => {
          if (!this.connecting) {
            reject(new Error("Connection is closed."));
            return;
          }
          try {
            this.stream = o.tls ? tlsConnect({ ...tcp, ...o.tls }) : createConnection(tcp);
          } catch (e) {
            reject(e);
            return;
          }
          this.stream.once("error", (err: Error) => {
            this.firstError = err;
          });
          resolve(this.stream);
        });
      });
    }
  };
}
