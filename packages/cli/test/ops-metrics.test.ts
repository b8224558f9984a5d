import { afterAll, describe, expect, it } from "vitest";
import { liveness, readiness } from "../src/http/health-checks.js";
import { type OpsCluster, startOpsCluster, waitDiscovered } from "./support/ops-cluster.js";
import { cmd, killAll, waitFor } from "./support/processes.js";
import { parsePromText, sampleValue } from "./support/prom-text.js";

afterAll(killAll);

async function scrape(c: OpsCluster, i = 0) {
  const res = await c.vigils[i]!.http("/metrics");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
  return parsePromText(await res.text());
}

/** SENTINEL FAILOVER mymaster COORDINATED, once the replica is eligible (fresh INFO after discovery or an abort). */
async function startSwitchover(port: number, timeoutMs: number): Promise<void> {
  await waitFor(async () => {
    try {
      return (await cmd(port, "SENTINEL", "FAILOVER", "mymaster", "COORDINATED", "TIMEOUT", timeoutMs)) === "OK";
    } catch (e) {
      if (/NOGOODSLAVE|INPROG/.test(String(e))) return false;
      throw e;
    }
  }, 20000);
}

describe("/metrics, /healthz, /readyz (real processes)", () => {
  it("exposes parseable metrics that follow a failover, and health probes", { timeout: 180000 }, async () => {
    const c = await startOpsCluster({ replicas: 1, sentinels: 1, quorum: 1, httpFlag: true });
    await waitDiscovered(c);
    const v = c.vigils[0]!;
    const masterAddr = `127.0.0.1:${c.master.port}`;
    const replicaAddr = `127.0.0.1:${c.replicas[0]!.port}`;

    expect(await (await v.http("/healthz")).json()).toEqual({ ok: true, status: "ok", reasons: [] });
    const ready = await v.http("/readyz");
    expect(ready.status).toBe(200);
    expect((await v.http("/nope")).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${v.httpPort}/metrics`, { method: "POST" })).status).toBe(405);

    // Latency needs one answered PING after discovery; ask until it is there.
    const before = await waitFor(async () => {
      const m = await scrape(c);
      return sampleValue(m, "vigil_link_ping_latency_seconds", { address: masterAddr }) !== undefined ? m : undefined;
    });
    expect(before.get("vigil_master_state")?.type).toBe("gauge");
    expect(sampleValue(before, "vigil_master_state", { master: "mymaster", state: "up" })).toBe(1);
    expect(sampleValue(before, "vigil_master_state", { master: "mymaster", state: "odown" })).toBe(0);
    expect(sampleValue(before, "vigil_master_failover_state", { master: "mymaster", state: "none" })).toBe(1);
    expect(sampleValue(before, "vigil_master_known_replicas", { master: "mymaster" })).toBe(1);
    expect(sampleValue(before, "vigil_master_known_sentinels", { master: "mymaster" })).toBe(0);
    // A healthy master: no Sentinel says it is down, not even this one.
    expect(sampleValue(before, "vigil_master_sentinels_agreeing", { master: "mymaster" })).toBe(0);
    expect(sampleValue(before, "vigil_instance_reported_role", { address: masterAddr, role: "master" })).toBe(1);
    expect(sampleValue(before, "vigil_instance_reported_role", { address: replicaAddr, role: "slave" })).toBe(1);
    expect(sampleValue(before, "vigil_master_address_info", { master: "mymaster", address: masterAddr })).toBe(1);
    expect(sampleValue(before, "vigil_current_epoch")).toBe(0);
    expect(sampleValue(before, "vigil_tilt")).toBe(0);
    // Counters exist at 0 before anything happened, so increase() alerts work from the start.
    expect(sampleValue(before, "vigil_failovers_total", { master: "mymaster", outcome: "success" })).toBe(0);
    expect(sampleValue(before, "vigil_elections_total", { master: "mymaster", outcome: "lost" })).toBe(0);
    expect(before.get("vigil_failovers_total")?.type).toBe("counter");
    expect(sampleValue(before, "vigil_switchovers_total", { master: "mymaster", outcome: "completed" })).toBe(0);
    expect(sampleValue(before, "vigil_switchover_phase", { master: "mymaster", phase: "none" })).toBe(1);
    expect(before.get("vigil_failover_phase_duration_seconds")?.type).toBe("histogram");
    expect(sampleValue(before, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(sampleValue(before, "vigil_link_ping_latency_seconds", { address: masterAddr })).toBeLessThan(1);

    c.master.kill("SIGKILL");
    const after = await waitFor(async () => {
      const m = await scrape(c);
      // Until +switch-master: +failover-end (which counts the success) comes a step earlier, and the
      // address info names the promoted replica from the reconfiguration on, before the switch.
      const done = sampleValue(m, "vigil_failovers_total", { master: "mymaster", outcome: "success" }) === 1;
      return done && sampleValue(m, "vigil_events_total", { type: "+switch-master" }) === 1 ? m : undefined;
    }, 60000);
    expect(sampleValue(after, "vigil_elections_total", { master: "mymaster", outcome: "won" })).toBe(1);
    expect(sampleValue(after, "vigil_odown_total", { master: "mymaster" })).toBe(1);
    expect(sampleValue(after, "vigil_sdown_total", { master: "mymaster", kind: "master" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after, "vigil_failovers_started_total", { master: "mymaster" })).toBe(1);
    for (const phase of ["wait_start", "select_slave", "send_slaveof_noone", "wait_promotion", "reconf_slaves", "update_config"]) {
      expect(sampleValue(after, "vigil_failover_phase_duration_seconds_count", { master: "mymaster", phase }), phase).toBe(1);
    }
    expect(sampleValue(after, "vigil_master_address_info", { master: "mymaster", address: replicaAddr })).toBe(1);
    expect(sampleValue(after, "vigil_current_epoch")).toBe(1);
    expect(sampleValue(after, "vigil_master_config_epoch", { master: "mymaster" })).toBe(1);
    expect(sampleValue(after, "vigil_events_total", { type: "+switch-master" })).toBe(1);
    // The old master is now a (down) replica.
    await waitFor(async () => sampleValue(await scrape(c), "vigil_instance_sdown", { address: masterAddr, kind: "replica" }) === 1, 15000);
    expect((await v.http("/readyz")).status).toBe(200);
  });

  it("shows a coordinated switchover's phase while it runs and counts its outcome", { timeout: 120000 }, async () => {
    const c = await startOpsCluster({ replicas: 1, sentinels: 1, quorum: 1, httpFlag: true });
    await waitDiscovered(c);
    const v = c.vigils[0]!;
    await startSwitchover(v.port, 5000);
    const after = await waitFor(async () => {
      const m = await scrape(c);
      return sampleValue(m, "vigil_switchovers_total", { master: "mymaster", outcome: "completed" }) === 1 ? m : undefined;
    }, 20000);
    expect(sampleValue(after, "vigil_switchover_phase", { master: "mymaster", phase: "none" })).toBe(1);
    expect(sampleValue(after, "vigil_switchovers_total", { master: "mymaster", outcome: "handover-timeout" })).toBe(0);
    // A long hand-over: the new replica (the old master) is frozen once the switchover started (a
    // frozen one would not be eligible), so the phase can be scraped, then the hand-over times out.
    try {
      await startSwitchover(v.port, 1500);
      c.master.kill("SIGSTOP");
      const during = await waitFor(async () => {
        const m = await scrape(c);
        return sampleValue(m, "vigil_switchover_phase", { master: "mymaster", phase: "handing-over" }) === 1 ? m : undefined;
      }, 10000);
      expect(sampleValue(during, "vigil_switchover_phase", { master: "mymaster", phase: "none" })).toBe(0);
      await waitFor(async () => sampleValue(await scrape(c), "vigil_switchovers_total", { master: "mymaster", outcome: "handover-timeout" }) === 1, 15000);
    } finally {
      c.master.kill("SIGCONT");
    }
  });
});

describe("probe logic", () => {
  it("liveness is unconditional; readiness lists every reason it fails", () => {
    expect(liveness()).toEqual({ ok: true, status: "ok", reasons: [] });
    const now = 100_000;
    const base = { listening: () => true, lastTickAt: () => now - 10, maxTickGapMs: 2000, inTilt: () => false, now: () => now };
    expect(readiness(base)).toEqual({ ok: true, status: "ok", reasons: [] });
    const bad = readiness({ ...base, listening: () => false, lastTickAt: () => now - 5000, inTilt: () => true });
    expect(bad.ok).toBe(false);
    expect(bad.reasons).toEqual([
      "the Sentinel port is not listening yet",
      "no engine tick for 5000 ms (limit 2000 ms)",
      "in TILT mode: not acting until the clock is trusted again",
    ]);
    expect(readiness({ ...base, lastTickAt: () => 0 }).reasons).toEqual(["the engine has not ticked yet"]);
  });
});
