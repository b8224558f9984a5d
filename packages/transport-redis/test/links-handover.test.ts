// The coordinated hand-over as sent over the wire (links/handover.ts), against scripted instances:
// writes are paused before the offsets are compared, FAILOVER … FORCE only once the target has every
// byte, CLIENT UNPAUSE on every path, and a TIMEOUT error (the engine's handover-timeout) when the
// target does not catch up or does not answer.
import { describe, expect, it } from "vitest";
import { type HandoverIo, runHandover } from "../src/links/handover.js";

type Reply = string | null; // null: never answers (a frozen process)

/** A scripted master and target: each command is logged; `answer` gives the reply or an Error. */
function fakeIo(answer: (who: "master" | "target", args: readonly string[]) => Reply | Error) {
  const log: string[] = [];
  const send = (who: "master" | "target") => (args: readonly string[], done: (reply: string | undefined, err?: string) => void) => {
    log.push(`${who} ${args.join(" ")}`);
    const r = answer(who, args);
    if (r === null) return;
    setImmediate(() => (r instanceof Error ? done(undefined, r.message) : done(r)));
  };
  const io: HandoverIo = { master: send("master"), target: send("target"), rename: (c) => c, close: () => log.push("close") };
  return { io, log };
}

const info = (fields: Record<string, string | number>) =>
  `# Replication\r\n${Object.entries(fields)
    .map(([k, v]) => `${k}:${v}`)
    .join("\r\n")}\r\n`;

describe("runHandover", () => {
  it("pauses writes, waits until the target's offset equals the paused master's, then FAILOVER TO … FORCE and UNPAUSE", async () => {
    let targetOffset = 900;
    let role = "slave";
    const { io, log } = fakeIo((who, args) => {
      const cmd = args.join(" ");
      if (who === "master" && cmd.startsWith("INFO")) return info({ role: "master", master_repl_offset: 1000 });
      if (who === "target" && cmd.startsWith("INFO")) {
        targetOffset = Math.min(1000, targetOffset + 50);
        return info({ role, master_link_status: "up", slave_repl_offset: targetOffset });
      }
      if (cmd.startsWith("FAILOVER")) role = "master";
      return "OK";
    });
    const outcome = await runHandover(io, { host: "127.0.0.1", port: 6380 }, 2000, Date.now);
    expect(outcome).toBeNull();
    const failoverAt = log.indexOf("master FAILOVER TO 127.0.0.1 6380 TIMEOUT 1 FORCE");
    expect(log[0]).toBe("master CLIENT PAUSE 3000 WRITE");
    expect(failoverAt).toBeGreaterThan(0);
    // Never before the target reported the master's offset.
    const infosBefore = log.slice(0, failoverAt).filter((l) => l.startsWith("target INFO")).length;
    expect(infosBefore).toBe(2);
    expect(log[failoverAt + 1]).toBe("master CLIENT UNPAUSE");
    // Once the target says role:master: the demoted master's clients are moved, then it is reported.
    expect(log.at(-2)).toBe("target INFO replication");
    expect(log.at(-1)).toBe("master CLIENT KILL TYPE normal");
  });

  it("a target that never catches up: UNPAUSE at the timeout, a TIMEOUT error, no FAILOVER", async () => {
    const { io, log } = fakeIo((who, args) => {
      if (args[0] !== "INFO") return "OK";
      return who === "master" ? info({ role: "master", master_repl_offset: 1000 }) : info({ role: "slave", master_link_status: "up", slave_repl_offset: 10 });
    });
    const t0 = Date.now();
    const outcome = await runHandover(io, { host: "127.0.0.1", port: 6380 }, 150, Date.now);
    expect(outcome).toMatch(/^TIMEOUT /);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(log.some((l) => l.includes("FAILOVER"))).toBe(false);
    expect(log.at(-1)).toBe("master CLIENT UNPAUSE");
  });

  it("a frozen target (no reply at all): UNPAUSE and TIMEOUT at the deadline", async () => {
    const { io, log } = fakeIo((who, args) => (who === "target" ? null : args[0] === "INFO" ? info({ role: "master", master_repl_offset: 5 }) : "OK"));
    const outcome = await runHandover(io, { host: "127.0.0.1", port: 6380 }, 100, Date.now);
    expect(outcome).toMatch(/^TIMEOUT /);
    expect(log.at(-1)).toBe("master CLIENT UNPAUSE");
  });

  it("a master whose INFO is answered only after the deadline: writes resumed all the same", async () => {
    // Under load the master's reply to the last offset comparison can land just past the deadline; the
    // pause must not then be left to run out by itself (up to a second more of refused writes).
    const t0 = Date.now();
    const { io, log } = fakeIo((who, args) => {
      if (args[0] !== "INFO") return "OK";
      if (who === "target") return info({ role: "slave", master_link_status: "up", slave_repl_offset: 10 });
      return Date.now() - t0 < 60 ? info({ role: "master", master_repl_offset: 1000 }) : null;
    });
    const outcome = await runHandover(io, { host: "127.0.0.1", port: 6380 }, 100, Date.now);
    expect(outcome).toMatch(/^TIMEOUT /);
    expect(log.some((l) => l.includes("FAILOVER"))).toBe(false);
    expect(log.at(-1)).toBe("master CLIENT UNPAUSE");
  });

  it("the master refuses FAILOVER: its error, writes resumed", async () => {
    const { io, log } = fakeIo((who, args) => {
      if (args[0] === "FAILOVER") return new Error("ERR FAILOVER target replica is not online.");
      if (args[0] !== "INFO") return "OK";
      return who === "master" ? info({ role: "master", master_repl_offset: 7 }) : info({ role: "slave", master_link_status: "up", slave_repl_offset: 7 });
    });
    expect(await runHandover(io, { host: "127.0.0.1", port: 6380 }, 500, Date.now)).toBe("ERR FAILOVER target replica is not online.");
    expect(log).toContain("master CLIENT UNPAUSE");
  });
});
