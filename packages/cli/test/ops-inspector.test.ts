import { networkInterfaces } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { inferMachineEvent, isTickNoise } from "../src/inspect/machine-inspector.js";
import { createRedactor, REDACTED } from "../src/inspect/redact.js";
import { cmd, freePort, killAll, sentinelConf, startRedis, startSentinel, tempDir, waitFor } from "./support/processes.js";

afterAll(killAll);

interface Msg {
  type: string;
  sessionId: string;
  definition?: string;
  snapshot?: { value?: unknown; context?: Record<string, unknown>; status?: string };
  event?: { type?: string; cause?: string };
}

describe("inspector helpers", () => {
  it("redacts secret keys anywhere and known secret values inside any string", () => {
    const redact = createRedactor(["hunter2", undefined, ""]);
    const out = redact({
      settings: { authPass: "x", "auth-pass": "y", sentinelPass: "z", requirepass: "w", quorum: 2 },
      commands: [{ kind: "connect", auth: { user: "u", pass: "hunter2" } }],
      text: "AUTH hunter2 then hunter2",
      n: 1,
    });
    expect(out).toEqual({
      settings: { authPass: REDACTED, "auth-pass": REDACTED, sentinelPass: REDACTED, requirepass: REDACTED, quorum: 2 },
      commands: [{ kind: "connect", auth: { user: "u", pass: REDACTED } }],
      text: `AUTH ${REDACTED} then ${REDACTED}`,
      n: 1,
    });
  });

  it("filters bare TICK events and names the machine events behind changes", () => {
    const base = { rootId: "x", sessionId: "s", createdAt: "0", id: "1", _version: "0", sourceId: undefined };
    expect(isTickNoise({ ...base, type: "@xstate.event", event: { type: "TICK" } })).toBe(true);
    expect(isTickNoise({ ...base, type: "@xstate.event", event: { type: "EVALUATE" } })).toBe(false);
    expect(inferMachineEvent({ machine: "failover", from: "none", to: "wait_start", context: {} })).toBe("START");
    expect(inferMachineEvent({ machine: "failover", from: "wait_promotion", to: "reconf_slaves", context: {} })).toBe("PROMOTED");
    expect(inferMachineEvent({ machine: "failover", from: "update_config", to: "none", context: {} })).toBe("SWITCHED");
    expect(inferMachineEvent({ machine: "failover", from: "none", to: "none", context: {} })).toBe("DEFER");
    expect(inferMachineEvent({ machine: "health", from: "up", to: "sdown", context: {} })).toBe("EVALUATE");
  });
});

describe("vigil --inspect (real processes)", () => {
  it("streams every machine to a 127.0.0.1-only relay, with secrets redacted and no TICK noise", async () => {
    const secret = "pw-Very-Secret-42";
    const dir = tempDir("vigil-inspect-");
    // The master has no password: Sentinel ignores the AUTH reply, and the secret is still in the
    // daemon's settings, which is what must not leak.
    const master = await startRedis(await freePort());
    const port = await freePort();
    const inspectPort = await freePort();
    const conf = sentinelConf(dir, port, master.port, { quorum: 1, extra: [`sentinel auth-pass mymaster ${secret}`] });
    const vigil = await startSentinel("vigil", conf, port, [`--inspect=${inspectPort}`]);
    expect(vigil.log()).toContain(`Stately inspector: open http://127.0.0.1:${inspectPort}/ in a browser`);

    const page = await (await fetch(`http://127.0.0.1:${inspectPort}/`)).text();
    expect(page).toContain('<iframe id="inspector" src="https://stately.ai/inspect">');
    expect(page).toContain(`new WebSocket("ws://127.0.0.1:${inspectPort}")`);

    const messages: Msg[] = [];
    const raw: string[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${inspectPort}`);
    ws.on("message", (d: Buffer) => {
      raw.push(d.toString());
      messages.push(JSON.parse(d.toString()) as Msg);
    });
    await new Promise((r) => ws.once("open", r));
    // Registrations are replayed to late viewers: every machine with its definition.
    await waitFor(() => messages.some((m) => m.sessionId === "vigil:mymaster/health" && m.type === "@xstate.actor"));
    const actors = messages.filter((m) => m.type === "@xstate.actor");
    expect(actors.map((m) => m.sessionId)).toEqual(expect.arrayContaining(["vigil:tilt", "vigil:mymaster/failover", "vigil:mymaster/odown", "vigil:mymaster/health"]));
    const failover = actors.find((m) => m.sessionId === "vigil:mymaster/failover")!;
    expect(JSON.parse(failover.definition!)).toMatchObject({ id: "failover", initial: "none" });
    expect(failover.snapshot).toMatchObject({ value: "none", status: "active" });

    // Healthy first (the machines below then really change).
    await waitFor(async () => {
      const fields = (await cmd(port, "SENTINEL", "MASTER", "mymaster")) as string[];
      return fields[fields.indexOf("role-reported") + 1] === "master";
    });
    await new Promise((r) => setTimeout(r, 1500));
    const fields = (await cmd(port, "SENTINEL", "MASTER", "mymaster")) as string[];
    expect(fields[fields.indexOf("flags") + 1]).toBe("master");

    // A real change: the master goes away, its health machine moves to sdown.
    master.kill("SIGKILL");
    await waitFor(() => messages.some((m) => m.type === "@xstate.snapshot" && m.sessionId === "vigil:mymaster/health" && m.snapshot?.value === "sdown"), 15000);
    const sdown = messages.find((m) => m.type === "@xstate.snapshot" && m.snapshot?.value === "sdown")!;
    expect(sdown.event).toMatchObject({ type: "EVALUATE" });
    expect(sdown.snapshot?.context).toMatchObject({ cause: "no-reply", master: "mymaster" });

    expect(messages.some((m) => m.type === "@xstate.event" && m.event?.type === "TICK")).toBe(false);
    expect(raw.some((t) => t.includes(secret))).toBe(false);

    // Cross-origin pages cannot read the stream.
    const evil = new WebSocket(`ws://127.0.0.1:${inspectPort}`, { origin: "https://evil.example" });
    const refused = await new Promise<string>((r) => evil.once("error", (e) => r(e.message)));
    expect(refused).toContain("401");
    // Loopback only: not reachable on another local address.
    const other = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
    if (other !== undefined) await expect(fetch(`http://${other}:${inspectPort}/`)).rejects.toThrow();
    ws.close();
    expect(await cmd(port, "PING")).toBe("PONG");
  });
});
