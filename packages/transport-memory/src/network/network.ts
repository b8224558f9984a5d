import { type Address, addressKey, type Prng } from "@vigil/core";
import type { Scheduler } from "../clock/scheduler.js";
import { type ClientHandlers, Connection, type ServerHandlers } from "./connection.js";
import { LAN_PROFILE, type LinkProfile, nextRetransmission, rtoFor, TCP_SYN_RTO_MS } from "./link-profile.js";
import type { FIN, Packet, Stream } from "./stream.js";
import { Topology } from "./topology.js";

/** Something listening on an address: a Redis server or a sentinel. */
export interface Listener<M = unknown> {
  /** The host (machine) it runs on: the unit partitions act on. */
  readonly host: string;
  /**
   * A handshake arrived. Return handlers to accept, or `null` to refuse (process not running:
   * the kernel answers RST, the client sees "Connection refused").
   */
  accept(conn: Connection<M>): ServerHandlers<M> | null;
}

/** Options of the simulated network. */
export interface NetworkOptions {
  /** Profile of every link without an override. Default {@link LAN_PROFILE}. */
  readonly defaultProfile?: LinkProfile;
  /**
   * A connection attempt whose SYNs cannot get through is abandoned after this long (ms) and
   * reported as "Connection timed out". Default 2000.
   */
  readonly connectTimeoutMs?: number;
}

/** Packet-level counters, for tests and the trace. */
export interface NetworkStats {
  sent: number;
  lost: number;
  duplicated: number;
  reordered: number;
  stalls: number;
}

/**
 * The simulated network: hosts, listening addresses, link quality per direction, partitions, and
 * TCP-like connections between them. Every delivery is an event on the virtual clock.
 *
 * Failure model, as for real TCP: a lost packet is retransmitted after the retransmission timeout;
 * when a path is cut the stream stalls and resumes only at its next backed-off retransmission after
 * the path reopens; a connection is closed only by its ends (FIN), by a reset fault, or by the
 * processes themselves (timeouts). A handshake over a cut path times out.
 */
export class Network {
  readonly topology = new Topology();
  readonly stats: NetworkStats = { sent: 0, lost: 0, duplicated: 0, reordered: 0, stalls: 0 };
  private readonly listeners = new Map<string, Listener<any>>();
  /** Hosts with at least one listener: a SYN to any other host gets no answer at all. */
  private readonly machines = new Set<string>();
  private readonly overrides = new Map<string, LinkProfile>();
  private readonly live = new Set<Connection<any>>();
  private readonly stalledStreams = new Set<Stream<any>>();
  private defaultProfile: LinkProfile;
  private readonly baseProfile: LinkProfile;
  private readonly connectTimeoutMs: number;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    options: NetworkOptions = {},
  ) {
    this.defaultProfile = options.defaultProfile ?? LAN_PROFILE;
    this.baseProfile = this.defaultProfile;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  }

  /** Current virtual time. */
  get now(): number {
    return this.scheduler.now;
  }

  /** Start listening on `addr`. */
  listen(addr: Address, listener: Listener<any>): void {
    this.listeners.set(addressKey(addr), listener);
    this.machines.add(listener.host);
  }

  /** Connections not yet closed on both ends. */
  connections(): readonly Connection<any>[] {
    return [...this.live];
  }

  // ------------------------------------------------------------------ link quality and topology

  /** Quality of the direction `from` → `to`. */
  profile(from: string, to: string): LinkProfile {
    return this.overrides.size > 0 ? (this.overrides.get(`${from}>${to}`) ?? this.defaultProfile) : this.defaultProfile;
  }

  /** Override the quality of one direction. */
  setProfile(from: string, to: string, profile: LinkProfile): void {
    this.overrides.set(`${from}>${to}`, profile);
  }

  /** Change the quality of every link without an override (a degraded network); `null` restores it. */
  setDefaultProfile(profile: LinkProfile | null): void {
    this.defaultProfile = profile ?? this.baseProfile;
  }

  /** Back to the configured quality on every link (overrides and degraded default removed). */
  clearProfiles(): void {
    this.overrides.clear();
    this.defaultProfile = this.baseProfile;
  }

  /** Split hosts into groups that cannot reach each other (see {@link Topology.partition}). */
  partition(groups: readonly (readonly string[])[]): void {
    this.topology.partition(groups);
    this.topologyChanged();
  }

  /** Block one direction between two hosts. */
  cut(from: string, to: string): void {
    this.topology.cut(from, to);
  }

  /** Reopen one direction. */
  restore(from: string, to: string): void {
    this.topology.restore(from, to);
    this.topologyChanged();
  }

  /** Remove every partition and cut. */
  heal(): void {
    this.topology.heal();
    this.topologyChanged();
  }

  /** Reset every live connection that has `host` at either end (both ends see the close). */
  resetConnectionsOf(host: string, reason = "connection reset by peer"): number {
    let n = 0;
    for (const c of [...this.live]) {
      if (c.clientHost === host || c.serverHost === host) {
        c.reset(reason);
        n++;
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ connections

  /**
   * Open a connection from `fromHost` to `addr`. Exactly one of `onOpen` / `onFail` follows, unless
   * the caller closes the connection first: "Connection refused" when the host is up but nothing
   * listens (or its process is down), "Connection timed out" when no SYN gets an answer (path cut,
   * or no such host).
   */
  connect<M>(fromHost: string, addr: Address, handlers: ClientHandlers<M>): Connection<M> {
    const listener = this.listeners.get(addressKey(addr));
    const conn = new Connection<M>(this, fromHost, addr, listener?.host ?? addr.host, handlers);
    const started = this.now;
    const attempt = (k: number): void => {
      if (conn.aborted) return;
      const server = conn.serverHost;
      // The handshake needs both directions: decided at once, so a cut never leaves a half-open pair.
      const unreachable = !this.machines.has(server) || this.topology.blocked(fromHost, server) || this.topology.blocked(server, fromHost);
      if (unreachable || this.lost(fromHost, server)) {
        // SYN (or SYN-ACK) lost: retry with backoff, or give up at the connect timeout.
        const next = this.now + TCP_SYN_RTO_MS * 2 ** k;
        const deadline = started + this.connectTimeoutMs;
        if (next >= deadline) this.scheduler.at(deadline, () => conn.failed("Connection timed out", "timeout"));
        else this.scheduler.at(next, () => attempt(k + 1));
        return;
      }
      const there = this.delay(fromHost, server);
      const back = this.delay(server, fromHost);
      this.scheduler.after(there, () => {
        if (conn.aborted) return;
        const handlers = listener?.accept(conn) ?? null;
        if (handlers === null) {
          this.scheduler.after(back, () => conn.failed("Connection refused", "refused"));
          return;
        }
        conn.acceptedBy(handlers);
        this.live.add(conn);
        this.scheduler.after(back, () => conn.opened());
      });
    };
    attempt(0);
    return conn;
  }

  /** Called by a connection once both ends are closed. */
  forget(conn: Connection<any>): void {
    this.live.delete(conn);
    this.stalledStreams.delete(conn.c2s);
    this.stalledStreams.delete(conn.s2c);
  }

  // ------------------------------------------------------------------ packets

  /** Send one payload on a stream (called by {@link Connection}). */
  transmit<M>(s: Stream<M>, payload: M | typeof FIN): void {
    const p: Packet<M> = { seq: s.sendSeq++, payload };
    this.stats.sent++;
    if (s.stalled !== null) {
      // TCP keeps later segments behind the one it is retransmitting.
      s.stalled.push(p);
      return;
    }
    this.send(s, p, 0);
  }

  private send<M>(s: Stream<M>, p: Packet<M>, attempt: number): void {
    if (s.dead) return;
    if (this.topology.blocked(s.from, s.to)) {
      this.stall(s, p);
      return;
    }
    const prof = this.profile(s.from, s.to);
    if (prof.loss > 0 && this.prng.next() < prof.loss) {
      this.stats.lost++;
      this.scheduler.after(rtoFor(attempt), () => {
        if (s.stalled !== null) {
          // The stream stalled meanwhile: keep sequence order inside the stalled queue.
          insertInOrder(s.stalled, p);
          return;
        }
        this.send(s, p, attempt + 1);
      });
      return;
    }
    let d = this.delayOf(prof);
    if (prof.reorder > 0 && this.prng.next() < prof.reorder) {
      this.stats.reordered++;
      d += 1 + this.prng.int(Math.max(1, prof.reorderDelayMs));
    }
    this.scheduler.after(d, () => s.receive(p));
    if (prof.duplicate > 0 && this.prng.next() < prof.duplicate) {
      this.stats.duplicated++;
      this.scheduler.after(d + 1 + this.prng.int(prof.jitterMs + 1), () => s.receive(p));
    }
  }

  private stall<M>(s: Stream<M>, p: Packet<M>): void {
    if (s.stalled === null) {
      s.stalled = [];
      s.stallSince = this.now;
      this.stats.stalls++;
      this.stalledStreams.add(s);
    }
    insertInOrder(s.stalled, p);
  }

  /** Stalled streams whose path reopened resume at their next backed-off retransmission. */
  private topologyChanged(): void {
    for (const s of [...this.stalledStreams]) {
      if (s.dead) {
        this.stalledStreams.delete(s);
        continue;
      }
      if (this.topology.blocked(s.from, s.to)) continue;
      this.stalledStreams.delete(s);
      const at = nextRetransmission(s.stallSince, this.now);
      this.scheduler.at(at, () => this.resume(s));
    }
  }

  private resume<M>(s: Stream<M>): void {
    const queued = s.stalled;
    if (queued === null) return;
    if (this.topology.blocked(s.from, s.to)) {
      // Cut again before the retransmission: keep waiting (the backoff continues from the old stall).
      this.stalledStreams.add(s);
      return;
    }
    s.stalled = null;
    for (const p of queued) {
      if (s.stalled !== null) {
        insertInOrder(s.stalled, p);
        continue;
      }
      this.send(s, p, 0);
    }
  }

  private lost(from: string, to: string): boolean {
    const prof = this.profile(from, to);
    return prof.loss > 0 && this.prng.next() < prof.loss;
  }

  private delay(from: string, to: string): number {
    return this.delayOf(this.profile(from, to));
  }

  private delayOf(prof: LinkProfile): number {
    return prof.latencyMs + (prof.jitterMs > 0 ? this.prng.int(prof.jitterMs + 1) : 0);
  }
}

function insertInOrder<M>(queue: Packet<M>[], p: Packet<M>): void {
  let i = queue.length;
  while (i > 0 && queue[i - 1]!.seq > p.seq) i--;
  queue.splice(i, 0, p);
}
