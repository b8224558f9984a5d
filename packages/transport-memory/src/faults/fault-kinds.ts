/**
 * Every fault the simulator can inject. Data-node faults pick their target when they fire (the
 * master is whichever node the sentinels report at that moment), so they stay meaningful after
 * earlier failovers.
 */
export type FaultKind =
  /** Random split of all hosts into two sides. */
  | "partition"
  /** The current master with a minority of sentinels (and some clients) cut off from the rest: the 2|3 split. */
  | "partition-master-minority"
  /** One direction between two random hosts blocked. */
  | "one-way-cut"
  /** One host's links, or the whole network, get latency, loss, duplication and reordering. */
  | "lossy-links"
  /** The master's process dies; restarted later with its data. */
  | "crash-master"
  /** The master's process dies; restarted later without data (no persistence). */
  | "crash-master-wipe"
  /** A replica dies; restarted later with its data. */
  | "crash-replica"
  /** A replica dies; restarted later without data. */
  | "crash-replica-wipe"
  /** The master is SIGSTOPped, then resumed. */
  | "pause-master"
  /** A replica is SIGSTOPped, then resumed. */
  | "pause-replica"
  /** A sentinel dies; restarted later from its disk. */
  | "crash-sentinel"
  /** A sentinel's clock jumps forwards or backwards (TILT). */
  | "clock-jump"
  /** Every connection of one host is reset. */
  | "conn-reset"
  /** `SENTINEL FAILOVER` on a random sentinel (skips the election by design; off by default). */
  | "manual-failover";

/** All kinds, in a fixed order (schedules depend on it). */
export const FAULT_KINDS: readonly FaultKind[] = [
  "partition",
  "partition-master-minority",
  "one-way-cut",
  "lossy-links",
  "crash-master",
  "crash-master-wipe",
  "crash-replica",
  "crash-replica-wipe",
  "pause-master",
  "pause-replica",
  "crash-sentinel",
  "clock-jump",
  "conn-reset",
  "manual-failover",
];

/** Relative frequency of each kind in random schedules. */
export const DEFAULT_FAULT_WEIGHTS: Readonly<Record<FaultKind, number>> = Object.freeze({
  partition: 2,
  "partition-master-minority": 3,
  "one-way-cut": 1,
  "lossy-links": 1,
  "crash-master": 2,
  "crash-master-wipe": 0.5,
  "crash-replica": 1,
  "crash-replica-wipe": 0.5,
  "pause-master": 1.5,
  "pause-replica": 0.5,
  "crash-sentinel": 1.5,
  "clock-jump": 0.7,
  "conn-reset": 0.7,
  "manual-failover": 0,
});

/** Range of durations (ms) per kind; one-shot kinds have none. */
export const FAULT_DURATIONS: Readonly<Record<FaultKind, readonly [number, number] | null>> = Object.freeze({
  partition: [1000, 12000],
  "partition-master-minority": [2000, 12000],
  "one-way-cut": [1000, 10000],
  "lossy-links": [1000, 10000],
  "crash-master": [500, 10000],
  "crash-master-wipe": [500, 10000],
  "crash-replica": [500, 10000],
  "crash-replica-wipe": [500, 10000],
  "pause-master": [300, 6000],
  "pause-replica": [300, 6000],
  "crash-sentinel": [500, 10000],
  "clock-jump": null,
  "conn-reset": null,
  "manual-failover": null,
});
