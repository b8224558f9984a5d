import { type Address, addressKey } from "../../util/address.js";
import type { EngineContext } from "../context/engine-context.js";
import { type InstanceRecord, type Link, type MasterRecord, newLink } from "../records.js";
import type { RecordAt } from "./link-index.js";

export function linkFor(c: EngineContext, addr: Address, peer: Link["peer"]): Link {
  const key = addressKey(addr);
  let l = c.links.get(key);
  if (!l) {
    l = newLink(addr, peer, c.now);
    c.links.set(key, l);
    c.linkByAddr.set(l.addr, l);
  }
  l.refcount++;
  return l;
}

/**
 * The live link at `addr`. By identity first: the engine's commands carry their link's own `addr`
 * object and the transports report with it. A released link (refcount 0) has left `links` for good,
 * so an input about it that arrives late falls back to the key, as any other address does.
 */
export function linkAt(c: EngineContext, addr: Address): Link | undefined {
  const l = c.linkByAddr.get(addr);
  return l !== undefined && l.refcount > 0 ? l : c.links.get(addressKey(addr));
}

export function release(c: EngineContext, l: Link): void {
  l.refcount--;
  if (l.refcount <= 0) {
    closeLink(c, l);
    c.links.delete(l.key);
  }
}

export function closeLink(c: EngineContext, l: Link): void {
  if (l.cmd !== "down") c.cmd({ kind: "disconnect", addr: l.addr, link: "cmd" });
  if (l.pubsub !== "down") c.cmd({ kind: "disconnect", addr: l.addr, link: "pubsub" });
  l.cmd = "down";
  l.pubsub = "down";
  l.pending = 0;
  l.infoInFlight = false;
  l.staleInfoReplies = 0;
}

/**
 * Every (record, master) pair bound to a link, in `masters` order. From the link index: this runs
 * for every PING, INFO and PUBLISH reply, and a scan of all records here made the engine quadratic.
 */
export function recordsAt(c: EngineContext, l: Link): readonly RecordAt[] {
  return c.linkIndex.at(l);
}

/**
 * `inst`, just inserted in `m`'s subtree (or `m` itself, in the masters map or at a new address), is
 * bound to its link: index it and walk `m` on the next tick. `replacing`: the record it replaced.
 */
export function recordAdded(c: EngineContext, inst: InstanceRecord, m: MasterRecord, replacing?: InstanceRecord): void {
  c.linkIndex.bind(inst, m, replacing);
  m.dueAt = 0;
}

/** `inst` leaves `m`'s subtree or its link (call before it is bound to another). */
export function recordRemoved(c: EngineContext, inst: InstanceRecord, m: MasterRecord): void {
  c.linkIndex.unbind(inst);
  m.dueAt = 0;
}

/** Walk the subtrees bound to the link at `addr` on the next tick (an input changed them). */
export function touch(c: EngineContext, addr: Address): void {
  const l = linkAt(c, addr);
  if (l) touchLink(c, l);
}

export function touchLink(c: EngineContext, l: Link): void {
  for (const [, m] of recordsAt(c, l)) m.dueAt = 0;
}

/** Walk every subtree on the next tick. */
export function touchAll(c: EngineContext): void {
  for (const m of c.masters.values()) m.dueAt = 0;
}

export function mastersAt(c: EngineContext, l: Link): MasterRecord[] {
  return [...new Set(recordsAt(c, l).map(([, m]) => m))];
}

export function dropDataLinks(c: EngineContext, m: MasterRecord): void {
  closeLink(c, m.link);
  for (const r of m.replicas.values()) closeLink(c, r.link);
}
