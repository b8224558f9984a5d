import { decodeHelloOnce, isHelloRejection } from "../../codecs/hello-codec.js";
import { type Address, sameAddress } from "../../util/address.js";
import { isIpLiteral } from "../../util/ip-literal.js";
import type { EngineContext } from "../context/engine-context.js";
import { clientReconfig } from "../failover/failover-driver.js";
import { linkAt, linkFor, recordAdded, recordRemoved, release } from "../links/link-registry.js";
import { freshHealth, type MasterRecord, newSentinel, type SentinelRecord } from "../records.js";
import { resetAndChangeAddress } from "../topology/topology-changes.js";
import { currentAddress } from "../views/engine-views.js";

export function onHello(c: EngineContext, via: Address | null, payload: string): void {
  if (via !== null) {
    const l = linkAt(c, via);
    // Only moves the idle-link deadline later: no touch. A hello that changes records or the
    // master's address reaches the walk through recordAdded / recordRemoved.
    if (l) l.pcLastActivity = c.now;
    if (HELLO_CHANNEL_IGNORE_OWN && payload.includes(c.myId)) return;
  }
  const hello = decodeHelloOnce(c.helloMemo, payload);
  if (isHelloRejection(hello)) {
    c.emit("-hello-rejected", "debug", `#${hello.reason}`);
    return;
  }
  // Sentinel stores only addresses it could resolve without DNS unless resolve-hostnames is on; a
  // name here (a hostile PUBLISH, a peer announcing hostnames) would be persisted and break the
  // next start, whose config loader refuses it.
  if (!c.global.resolveHostnames) {
    const bad = !isIpLiteral(hello.sentinelIp) ? ["sentinel", hello.sentinelIp] : !isIpLiteral(hello.masterIp) ? ["master", hello.masterIp] : null;
    if (bad) {
      const shown = JSON.stringify(bad[1]!.length > 32 ? `${bad[1]!.slice(0, 32)}…` : bad[1]);
      c.emit("-hello-rejected", "debug", `#${bad[0]} address ${shown} is not an IP address`);
      return;
    }
  }
  if (hello.sentinelRunId === c.myId) return;
  const m = c.masters.get(hello.masterName);
  if (!m) return;
  const peer = peerOfHello(c, m, hello.sentinelRunId, { host: hello.sentinelIp, port: hello.sentinelPort });
  if (hello.currentEpoch > c.epoch) {
    c.epoch = hello.currentEpoch;
    c.markDirty();
    c.emit("+new-epoch", "warning", `${c.epoch}`);
  }
  if (hello.masterConfigEpoch > m.configEpoch) {
    m.configEpoch = hello.masterConfigEpoch;
    const advertised = { host: hello.masterIp, port: hello.masterPort };
    // Compare with the address we *report* (the promoted replica mid-failover), not m.addr: a newer
    // config epoch naming another node supersedes a failover of ours still in progress.
    const cur = currentAddress(m);
    if (!sameAddress(advertised, cur)) {
      c.emit("+config-update-from", "warning", c.details(peer, m), m);
      c.emit("+switch-master", "warning", `${m.name} ${cur.host} ${cur.port} ${advertised.host} ${advertised.port}`, m);
      resetAndChangeAddress(c, m, advertised);
      clientReconfig(c, m, "observer", cur, advertised);
    }
  }
  peer.lastHelloTime = c.now;
}

/**
 * §7.2 step 3: the peer a hello comes from, as a record of `m` — known, moved to a new address
 * (`+sentinel-address-switch`, and in every other master too), or new (`+sentinel`).
 */
function peerOfHello(c: EngineContext, m: MasterRecord, runId: string, addr: Address): SentinelRecord {
  let peer = m.sentinels.get(runId);
  if (peer && !sameAddress(peer.addr, addr)) {
    // Known runid at a new address (§7.2 step 3, address switch).
    removeSentinel(c, m, peer);
    peer = undefined;
    const created = addSentinel(c, m, addr, runId);
    c.emit("+sentinel-address-switch", "notice", `${c.details(m, m)} ip ${addr.host} port ${addr.port} for ${runId}`, m);
    let updated = 0;
    for (const other of c.masters.values()) {
      const rec = other.sentinels.get(runId);
      if (other === m || !rec || sameAddress(rec.addr, addr)) continue;
      removeSentinel(c, other, rec);
      addSentinel(c, other, addr, runId);
      updated++;
    }
    if (updated > 0) c.emit("+sentinel-address-update", "notice", `${c.details(created, m)} ${updated} additional matching instances`, m);
    c.markDiscovered();
    peer = created;
  } else if (!peer) {
    // The scan for records of another run id at this address runs only when the index has one:
    // per discovered peer record it would make discovering N masters O(N²).
    if (c.linkIndex.otherPeerAt(addr, runId)) dropOtherPeersAt(c, addr, runId);
    peer = addSentinel(c, m, addr, runId);
    c.emit("+sentinel", "notice", c.details(peer, m), m);
    c.markDiscovered();
  }
  return peer;
}

/** `+sentinel-invalid-addr`: another run id now answers at `addr`, so the records of the old one go. */
function dropOtherPeersAt(c: EngineContext, addr: Address, runId: string): void {
  for (const other of c.masters.values()) {
    for (const rec of [...other.sentinels.values()]) {
      if (sameAddress(rec.addr, addr) && rec.runId !== runId) {
        c.emit("+sentinel-invalid-addr", "notice", c.details(rec, other), other);
        removeSentinel(c, other, rec);
      }
    }
  }
}

export function addSentinel(c: EngineContext, m: MasterRecord, addr: Address, runId: string): SentinelRecord {
  const s = newSentinel(addr, runId, linkFor(c, addr, "sentinel"), c.now);
  s.health = freshHealth();
  const replaced = m.sentinels.get(runId);
  m.sentinels.set(runId, s);
  recordAdded(c, s, m, replaced);
  return s;
}

export function removeSentinel(c: EngineContext, m: MasterRecord, s: SentinelRecord): void {
  m.sentinels.delete(s.runId);
  recordRemoved(c, s, m);
  release(c, s.link);
}

/** Hellos on the channel that carry our own run id are our own (Sentinel filters them by run id). */
const HELLO_CHANNEL_IGNORE_OWN = true;
