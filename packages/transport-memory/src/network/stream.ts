/** Marks the end of a stream (TCP FIN): delivered in order, after all data sent before it. */
export const FIN: unique symbol = Symbol("FIN");

/** One numbered segment of a stream. */
export interface Packet<M> {
  readonly seq: number;
  readonly payload: M | typeof FIN;
}

/**
 * One direction of a connection with TCP's guarantees: packets are numbered by the sender, the
 * receiver delivers them strictly in order, holds early ones back (reordering becomes head-of-line
 * delay) and drops copies it already delivered (duplication becomes invisible). The network decides
 * when, or whether, each packet arrives; lost packets are retransmitted by the network layer.
 */
export class Stream<M> {
  /** Next sequence number to send. */
  sendSeq = 0;
  /** Next sequence number to deliver. */
  private expected = 0;
  private readonly early = new Map<number, Packet<M>>();
  /** Packets waiting for a cut path to reopen, in order (null when the stream is not stalled). */
  stalled: Packet<M>[] | null = null;
  /** When the first packet of the current stall was lost (drives the retransmission backoff). */
  stallSince = 0;
  /** Receiver gone (closed or crashed): arrivals are discarded. */
  dead = false;
  /** Copies discarded by the receiver (for tests and statistics). */
  duplicatesDropped = 0;

  /**
   * @param from sending host
   * @param to receiving host
   * @param deliver called once per packet, in sequence order
   */
  constructor(
    readonly from: string,
    readonly to: string,
    private readonly deliver: (payload: M | typeof FIN) => void,
  ) {}

  /** A packet reached the receiver's kernel. */
  receive(p: Packet<M>): void {
    if (this.dead) return;
    if (p.seq < this.expected || this.early.has(p.seq)) {
      this.duplicatesDropped++;
      return;
    }
    if (p.seq > this.expected) {
      this.early.set(p.seq, p);
      return;
    }
    this.expected++;
    this.deliver(p.payload);
    while (!this.dead && this.early.size > 0) {
      const next = this.early.get(this.expected);
      if (next === undefined) return;
      this.early.delete(this.expected);
      this.expected++;
      this.deliver(next.payload);
    }
  }
}
