import type { SimRedis } from "../redis/sim-redis.js";

/** One monitored master group: its name, quorum and data nodes (the initial master first). */
export interface MasterGroup {
  readonly name: string;
  readonly quorum: number;
  readonly nodes: readonly SimRedis[];
  readonly initialMaster: SimRedis;
}

/** The name of group `g`: `mymaster`, `mymaster2`, ... */
export function groupName(g: number): string {
  return g === 0 ? "mymaster" : `mymaster${g + 1}`;
}
