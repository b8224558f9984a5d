import { describe, expect, it } from "vitest";
import { type Address, createPrng, createSentinelEngine, type EngineCommand, type EngineInput } from "../src/index.js";

const M: Address = { host: "127.0.0.1", port: 6379 };
const R1: Address = { host: "127.0.0.1", port: 6380 };
const masterInfo = "# Replication\r\nrole:master\r\nslave0:ip=127.0.0.1,port=6380,state=online,offset=10,lag=0\r\n";
const replicaInfo = (up: boolean) =>
  `# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:${up ? "up" : "down"}\r\nslave_repl_offset:10\r\nslave_priority:100\r\n`;

function setup(fence: boolean) {
  let now = 1_000_000;
  const e = createSentinelEngine({
    myId: "a".repeat(40),
    now,
    prng: createPrng(1),
    masters: [{ settings: { name: "m", host: M.host, port: M.port, quorum: 1, fenceWrites: fence } }],
  });
  const fences: EngineCommand[] = [];
  const step = (i: Omit<EngineInput, "now"> & { kind: EngineInput["kind"] }) => {
    const out = e.step({ ...i, now } as EngineInput);
    fences.push(...out.commands.filter((c) => c.kind === "fence-writes" || c.kind === "lift-fences"));
    return out;
  };
  const up = (addr: Address) => {
    step({ kind: "link-up", addr, link: "cmd", localHost: "127.0.0.1" } as never);
    step({ kind: "link-up", addr, link: "pubsub" } as never);
  };
  const tick = (ms = 100) => {
    now += ms;
    return step({ kind: "tick" } as never);
  };
  e.start(now);
  tick();
  up(M);
  step({ kind: "info-reply", addr: M, text: masterInfo } as never);
  tick();
  up(R1);
  return { e, fences, step, tick, replicaUp: (u: boolean) => step({ kind: "info-reply", addr: R1, text: replicaInfo(u) } as never) };
}

describe("write fencing (vigil-fence-writes)", () => {
  it("is off by default: no fence commands", () => {
    const t = setup(false);
    t.replicaUp(true);
    t.tick();
    expect(t.fences).toEqual([]);
  });

  it("never fences a lone master, requires one replica once a healthy one replicates", () => {
    const t = setup(true);
    t.tick();
    expect(t.fences.at(-1)).toMatchObject({ kind: "fence-writes", addr: M, minReplicas: 0, maxLagS: 1 });
    t.replicaUp(true);
    t.tick();
    expect(t.fences.at(-1)).toMatchObject({ kind: "fence-writes", addr: M, minReplicas: 1 });
    const n = t.fences.length;
    t.tick();
    expect(t.fences.length).toBe(n); // only on change
    t.replicaUp(false);
    t.tick();
    expect(t.fences.at(-1)).toMatchObject({ kind: "fence-writes", addr: M, minReplicas: 0 });
  });

  it("turning it off restores the operator's values", () => {
    const t = setup(true);
    t.replicaUp(true);
    t.tick();
    const out = t.e.setOption(2_000_000, "m", { option: "vigil-fence-writes", value: false });
    // Lifted at every instance of the master (the transport restores where it fenced).
    expect(out.commands).toContainEqual(expect.objectContaining({ kind: "lift-fences", addr: M, writes: true, staleMaster: false }));
    expect(out.commands.some((c) => c.kind === "persist")).toBe(true);
  });
});
