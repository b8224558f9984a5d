import type { Address } from "@vigil/core";
import type { Connection } from "../network/connection.js";
import type { ClientSide } from "./client-side.js";
import type { InfoReplicaEntry } from "./info-text.js";
import type { Response, WireMessage } from "./protocol.js";

/**
 * The master side of replication: the connections that sent PSYNC, their acknowledged offsets, and
 * what the server streams to them. Replicas are found among all clients, in connection order, as
 * Redis keeps them in its client list.
 */
export class AttachedReplicas {
  constructor(
    private readonly clients: ReadonlyMap<Connection<WireMessage>, ClientSide>,
    /** Closes a replica's connection and forgets the client. */
    private readonly drop: (side: ClientSide) => void,
  ) {}

  /** PSYNC accepted: the connection becomes a replica listening on `port`. */
  attach(side: ClientSide, port: number, now: number): void {
    side.kind = "replica";
    side.replica = { host: side.conn.clientHost, port, ackOffset: 0, lastAck: now };
  }

  /** `REPLCONF ACK <offset>`. */
  ack(side: ClientSide, offset: number, now: number): void {
    if (!side.replica) return;
    side.replica.ackOffset = offset;
    side.replica.lastAck = now;
  }

  /** The replica at `addr`, if attached. */
  find(addr: Address): ClientSide | undefined {
    for (const side of this.clients.values()) {
      if (side.replica && side.replica.host === addr.host && side.replica.port === addr.port) return side;
    }
    return undefined;
  }

  /** Number of replicas whose last ACK is within `maxLagMs`. */
  countWithin(now: number, maxLagMs: number): number {
    let n = 0;
    for (const side of this.clients.values()) if (side.replica && now - side.replica.lastAck <= maxLagMs) n++;
    return n;
  }

  /** Addresses of the replicas attached right now. */
  addresses(): Address[] {
    const out: Address[] = [];
    for (const side of this.clients.values()) if (side.replica) out.push({ host: side.replica.host, port: side.replica.port });
    return out;
  }

  /** INFO's `slaveN` lines. */
  infoEntries(now: number): InfoReplicaEntry[] {
    const out: InfoReplicaEntry[] = [];
    for (const side of this.clients.values()) {
      if (!side.replica) continue;
      const { host, port, ackOffset, lastAck } = side.replica;
      out.push({ host, port, state: "online", offset: ackOffset, lagS: Math.floor((now - lastAck) / 1000) });
    }
    return out;
  }

  /** Send a message down every replication link. */
  feed(m: Response): void {
    for (const side of this.clients.values()) if (side.replica) side.conn.sendToClient(m);
  }

  /** Close every replication link (a role change: they must resynchronise). */
  disconnectAll(): void {
    for (const side of [...this.clients.values()]) if (side.replica) this.drop(side);
  }

  /** The master half of `replicationCron`: drop replicas silent past `timeoutMs`, PING the others. */
  cron(now: number, timeoutMs: number, ping: boolean): void {
    for (const side of [...this.clients.values()]) {
      if (!side.replica) continue;
      if (now - side.replica.lastAck > timeoutMs) this.drop(side);
      else if (ping) side.conn.sendToClient({ t: "repl-ping" });
    }
  }
}
