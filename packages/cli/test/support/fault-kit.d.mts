// Types of fault-kit.mjs (plain ESM so bench/lost-writes.mjs runs it without a build).
import type { ChildProcess } from "node:child_process";

export declare const VIGIL_BIN: string;
export declare function sleep(ms: number): Promise<void>;
export declare function requireTool(name: string): string;
export declare function waitFor<T>(fn: () => Promise<T> | T, timeoutMs?: number, everyMs?: number, what?: string): Promise<NonNullable<T>>;
export declare function freePorts(n: number): Promise<number[]>;

export interface Block {
  readonly index: number;
  readonly subnet: string;
  addr(n: number): string;
  release(): void;
}
export declare function allocateBlock(): Block;
export declare function sweepStaleChains(): void;

type Hosts = string | readonly string[];
export declare class Firewall {
  constructor(block: Block);
  readonly chain: string;
  cut(a: Hosts, b: Hosts, opts?: { oneWay?: boolean }): void;
  heal(a?: Hosts, b?: Hosts, opts?: { oneWay?: boolean }): void;
  size(): number;
  closeSync(): void;
}

export declare function call(host: string, port: number, args: readonly (string | number)[], timeoutMs?: number): Promise<any>;
export declare function closeClients(): void;

export declare class Node {
  readonly role: "data" | "sentinel";
  readonly kind: "redis" | "redis-sentinel" | "vigil";
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  readonly conf: string;
  readonly addr: string;
  readonly label: string;
  child: ChildProcess | undefined;
  stopped: boolean;
  start(timeoutMs?: number): Promise<Node>;
  running(): boolean;
  pid(): number | undefined;
  pause(): void;
  resume(): void;
  kill9(): Promise<void>;
  log(): string;
}

export type Kind = "vigil" | "redis";
export interface FaultCluster {
  readonly kind: Kind;
  readonly name: string;
  readonly block: Block;
  readonly fw: Firewall;
  readonly data: Node[];
  readonly sentinels: Node[];
  readonly dir: string;
}
export interface FaultClusterOptions {
  kind?: Kind;
  name?: string;
  replicas?: number;
  sentinels?: number;
  quorum?: number;
  downAfter?: number;
  failoverTimeout?: number;
  dataExtra?: readonly string[];
  sentinelExtra?: readonly string[];
  firewall?: boolean;
}
export declare function startFaultCluster(opts?: FaultClusterOptions): Promise<FaultCluster>;
export declare function stopFaultCluster(cluster: FaultCluster): Promise<void>;
export declare function cleanupAll(): Promise<void>;
export declare function waitDiscovered(cluster: FaultCluster, timeoutMs?: number): Promise<void>;
export declare function pairs(flat: unknown): Record<string, string>;

export interface SentinelView {
  addr: string;
  flags: string;
  configEpoch: number;
}
export declare function roleOf(node: Node): Promise<string | null>;
export declare function sentinelViews(cluster: FaultCluster): Promise<(SentinelView | null)[]>;
export declare function topologyProblems(cluster: FaultCluster): Promise<{ master: string | undefined; problems: string[]; views: (SentinelView | null)[]; roles: Record<string, string | null> }>;
export declare function waitHealed(cluster: FaultCluster, timeoutMs?: number): Promise<string>;
export declare function nodeAt(cluster: FaultCluster, addr: string): Node;
export declare function currentMaster(cluster: FaultCluster): Promise<Node>;
export declare function repair(cluster: FaultCluster, timeoutMs?: number): Promise<void>;
export declare function restartAsReplica(node: Node, master: Node): Promise<void>;

export interface WriterResult {
  key: string;
  startedAt: number;
  ackAt: number[];
  sent: number;
  sentAt: number[];
  acked: number[];
  refused: number;
  unknown: number;
  errors: Record<string, number>;
}
export interface Writer {
  readonly key: string;
  readonly startedAt: number;
  sent(): number;
  ackedCount(): number;
  refusedCount(): number;
  stop(drainMs?: number): Promise<WriterResult>;
}
export declare function startWriter(cluster: FaultCluster, opts?: { key?: string; everyMs?: number; followSwitch?: boolean; redisOptions?: Record<string, unknown> }): Writer;
export interface LostCounts {
  sent: number;
  acked: number;
  lost: number;
  lossWindowMs: number;
  refused: number;
  unknown: number;
  errors: Record<string, number>;
  /** Longest time without an acknowledged write that survived, from `faultAt` on (ms); undefined without it. */
  durableGapMs: number | undefined;
}
export declare function countLost(node: Node, result: WriterResult, faultAt?: number): Promise<LostCounts>;
export declare function runJepsen(
  cluster: FaultCluster,
  opts?: { cutMs?: number; healTimeoutMs?: number; followSwitch?: boolean; onCut?: () => void },
): Promise<LostCounts & { master: string; oldMaster: string; failedOver: boolean; cutMs: number; convergedMs: number; totalMs: number }>;
