import type { Address } from "@vigil/core";
import type { Network } from "./network.js";
import { FIN, Stream } from "./stream.js";

/** What the side that opened a connection hears about it. */
export interface ClientHandlers<M> {
  /** The handshake completed (the server's kernel accepted, even if its process is paused). */
  onOpen(): void;
  /** The handshake failed: refused (nothing listening) or timed out (path cut); `failure` says which. */
  onFail(reason: string, failure: "refused" | "timeout"): void;
  /** A message from the server, in order. */
  onMessage(message: M): void;
  /** The server closed the connection (process exit, CLIENT KILL) or it was reset; `failure` says which. */
  onClose(reason: string, failure: "closed" | "reset"): void;
}

/** What the accepting side hears about a connection. */
export interface ServerHandlers<M> {
  onMessage(message: M): void;
  onClose(reason: string): void;
}

/**
 * A TCP-like connection between a client host and a listening address: two {@link Stream}s, a
 * handshake, and orderly close (FIN, delivered after the data sent before it) or abrupt reset.
 * Either side closing stops it from reading at once; the other side learns when the FIN arrives.
 */
export class Connection<M = unknown> {
  state: "connecting" | "open" | "closed" = "connecting";
  clientOpen = false;
  serverOpen = false;
  /** The client gave up before the handshake completed. */
  aborted = false;
  serverHandlers: ServerHandlers<M> | undefined;
  readonly c2s: Stream<M>;
  readonly s2c: Stream<M>;

  constructor(
    private readonly net: Network,
    /** Host that opened the connection. */
    readonly clientHost: string,
    /** Address it connected to. */
    readonly serverAddr: Address,
    /** Host that owns `serverAddr`. */
    readonly serverHost: string,
    readonly clientHandlers: ClientHandlers<M>,
  ) {
    this.c2s = new Stream<M>(clientHost, serverHost, (p) => this.atServer(p));
    this.s2c = new Stream<M>(serverHost, clientHost, (p) => this.atClient(p));
  }

  /** Client → server. Ignored unless the client side is open. */
  sendToServer(message: M): void {
    if (this.clientOpen) this.net.transmit(this.c2s, message);
  }

  /** Server → client. Ignored unless the server side is open. */
  sendToClient(message: M): void {
    if (this.serverOpen) this.net.transmit(this.s2c, message);
  }

  /** The client closes (or abandons a pending handshake). No callback fires on the client side. */
  closeByClient(): void {
    if (this.state === "connecting") {
      this.aborted = true;
      this.state = "closed";
      return;
    }
    if (!this.clientOpen) return;
    this.clientOpen = false;
    this.s2c.dead = true;
    this.net.transmit(this.c2s, FIN);
    this.settle();
  }

  /** The server closes (CLIENT KILL, process exit). No callback fires on the server side. */
  closeByServer(): void {
    if (!this.serverOpen) return;
    this.serverOpen = false;
    this.c2s.dead = true;
    this.net.transmit(this.s2c, FIN);
    this.settle();
  }

  /** Abrupt reset seen by both sides at once (a middlebox dropping the flow, `conn-reset` faults). */
  reset(reason: string): void {
    const notifyClient = this.clientOpen;
    const notifyServer = this.serverOpen;
    this.clientOpen = false;
    this.serverOpen = false;
    this.c2s.dead = true;
    this.s2c.dead = true;
    this.settle();
    if (notifyServer) this.serverHandlers?.onClose(reason);
    if (notifyClient) this.clientHandlers.onClose(reason, "reset");
  }

  /** Called by the network when the handshake reaches the server and it accepted. */
  acceptedBy(handlers: ServerHandlers<M>): void {
    this.serverHandlers = handlers;
    this.serverOpen = true;
  }

  /** Called by the network when the SYN-ACK reaches the client. */
  opened(): void {
    if (this.aborted) {
      // The client gave up meanwhile: tell the server, silently.
      this.clientOpen = true;
      this.state = "open";
      this.closeByClient();
      return;
    }
    this.state = "open";
    this.clientOpen = true;
    this.clientHandlers.onOpen();
  }

  /** Called by the network when the handshake failed. */
  failed(reason: string, failure: "refused" | "timeout"): void {
    if (this.aborted) return;
    this.state = "closed";
    this.clientHandlers.onFail(reason, failure);
  }

  private atServer(p: M | typeof FIN): void {
    if (!this.serverOpen) return;
    if (p === FIN) {
      this.serverOpen = false;
      this.c2s.dead = true;
      this.settle();
      this.serverHandlers?.onClose("connection closed by client");
      return;
    }
    this.serverHandlers?.onMessage(p);
  }

  private atClient(p: M | typeof FIN): void {
    if (!this.clientOpen) return;
    if (p === FIN) {
      this.clientOpen = false;
      this.s2c.dead = true;
      this.settle();
      this.clientHandlers.onClose("connection closed by server", "closed");
      return;
    }
    this.clientHandlers.onMessage(p);
  }

  private settle(): void {
    if (!this.clientOpen && !this.serverOpen && this.state !== "connecting") {
      this.state = "closed";
      this.net.forget(this);
    }
  }
}
