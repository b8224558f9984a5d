import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isInfoRejection, MAX_INFO_LENGTH, parseInfo } from "../src/codecs/info-parser.js";
import type { InfoReport } from "../src/codecs/info-report.js";

/** Real `INFO` replies captured from redis-server 7.0.15 (CRLF line endings kept). */
const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

const parsed = (text: string): InfoReport => {
  const r = parseInfo(text);
  if (isInfoRejection(r)) throw new Error(`unexpected rejection: ${r.reason}`);
  return r;
};

const EMPTY: InfoReport = {
  runId: undefined,
  role: undefined,
  replicas: [],
  masterLinkDownTimeMs: 0,
  masterHost: undefined,
  masterPort: undefined,
  masterLinkUp: undefined,
  slavePriority: undefined,
  slaveReplOffset: undefined,
  replicaAnnounced: undefined,
  failoverState: undefined,
};

describe("parseInfo on real Redis 7.0 replies", () => {
  it("fixtures really use CRLF", () => {
    expect(fixture("info-7.0-master.txt")).toContain("\r\nrole:master\r\n");
  });

  it("master with two replicas", () => {
    expect(parsed(fixture("info-7.0-master.txt"))).toEqual({
      ...EMPTY,
      failoverState: "no-failover",
      runId: "9d64a6d2e74d2259f57d13a02a33adc1a2bb07df",
      role: "master",
      replicas: [
        { host: "127.0.0.1", port: 7398 },
        { host: "127.0.0.1", port: 7397 },
      ],
    });
  });

  it("replica with its link up", () => {
    expect(parsed(fixture("info-7.0-replica.txt"))).toEqual({
      ...EMPTY,
      failoverState: "no-failover",
      runId: "4eed0c623e74fd5f981a42c2a34d65f331c152a2",
      role: "slave",
      masterHost: "127.0.0.1",
      masterPort: 7399,
      masterLinkUp: true,
      slavePriority: 50,
      slaveReplOffset: 107,
      replicaAnnounced: true,
    });
  });

  it("unannounced replica with priority 0", () => {
    expect(parsed(fixture("info-7.0-replica-unannounced.txt"))).toEqual({
      ...EMPTY,
      failoverState: "no-failover",
      runId: "bea16212e8db96f12603024cea1251e29848002c",
      role: "slave",
      masterHost: "127.0.0.1",
      masterPort: 7399,
      masterLinkUp: true,
      slavePriority: 0,
      slaveReplOffset: 107,
      replicaAnnounced: false,
    });
  });

  it("replica whose master went away: link down for 3 s", () => {
    const r = parsed(fixture("info-7.0-replica-link-down.txt"));
    expect(r.masterLinkUp).toBe(false);
    expect(r.masterLinkDownTimeMs).toBe(3000);
    expect(r.slaveReplOffset).toBe(107);
    expect(r.role).toBe("slave");
  });

  it("parses the same with LF-only line endings", () => {
    for (const name of ["info-7.0-master.txt", "info-7.0-replica.txt", "info-7.0-replica-link-down.txt"]) {
      const crlf = fixture(name);
      expect(parsed(crlf.replaceAll("\r\n", "\n"))).toEqual(parsed(crlf));
    }
  });
});

describe("parseInfo line rules (§6)", () => {
  it("run_id needs 40 characters after the prefix and keeps exactly 40", () => {
    const id = "a".repeat(40);
    expect(parsed(`run_id:${id}`).runId).toBe(id);
    expect(parsed(`run_id:${id}trailing`).runId).toBe(id);
    expect(parsed(`run_id:${"a".repeat(39)}`).runId).toBeUndefined();
    expect(parsed(`run_id:${"b".repeat(40)}\r\nrun_id:${id}`).runId).toBe(id);
  });

  it("new-format slave lines take ip= and port=", () => {
    expect(parsed("slave0:ip=10.0.0.5,port=6380,state=online,offset=1,lag=0").replicas).toEqual([
      { host: "10.0.0.5", port: 6380 },
    ]);
    expect(parsed("slave3:ip=::1,port=6381,state=online").replicas).toEqual([{ host: "::1", port: 6381 }]);
    expect(parsed("slave0:ip=10.0.0.5,state=online").replicas).toEqual([]);
    expect(parsed("slave0:ip=,port=6380,state=online").replicas).toEqual([]);
    expect(parsed("slave0:ip=h,port=99999,state=online").replicas).toEqual([]);
    expect(parsed("slave0:ip=h,port=x,state=online").replicas).toEqual([]);
  });

  it("old-format slave lines are <ip>,<port>,<state>", () => {
    expect(parsed("slave0:10.0.0.7,6390,online").replicas).toEqual([{ host: "10.0.0.7", port: 6390 }]);
    expect(parsed("slave0:10.0.0.7,6390").replicas).toEqual([]);
    expect(parsed("slave0:10.0.0.7").replicas).toEqual([]);
  });

  it("only slave<digit> lines are replica lines", () => {
    const text = ["slave_read_only:1", "slave_priority:5", "slaveX:ip=a,port=1", "slave9:ip=b,port=2"].join("\r\n");
    expect(parsed(text).replicas).toEqual([{ host: "b", port: 2 }]);
  });

  it("master_link_down_since_seconds is read for any role and scaled to ms", () => {
    expect(parsed("master_link_down_since_seconds:12").masterLinkDownTimeMs).toBe(12000);
    expect(parsed("master_link_down_since_seconds:-1").masterLinkDownTimeMs).toBe(-1000);
    expect(parsed("role:master\r\nmaster_link_down_since_seconds:4").masterLinkDownTimeMs).toBe(4000);
    expect(Object.is(parsed("master_link_down_since_seconds:-0").masterLinkDownTimeMs, 0)).toBe(true);
    expect(parsed("master_link_down_since_seconds:abc").masterLinkDownTimeMs).toBe(0);
  });

  it("replica fields are ignored before role:slave and after role:master", () => {
    const fields = "master_host:h\r\nmaster_port:1\r\nmaster_link_status:up\r\nslave_priority:7\r\nslave_repl_offset:9\r\nreplica_announced:0";
    expect(parsed(`${fields}\r\nrole:slave`)).toEqual({ ...EMPTY, role: "slave" });
    expect(parsed(`role:master\r\n${fields}`)).toEqual({ ...EMPTY, role: "master" });
    expect(parsed(`role:slave\r\n${fields}`)).toEqual({
      ...EMPTY,
      role: "slave",
      masterHost: "h",
      masterPort: 1,
      masterLinkUp: true,
      slavePriority: 7,
      slaveReplOffset: 9,
      replicaAnnounced: false,
    });
    expect(parsed(`role:slave\r\nmaster_port:1\r\nrole:master\r\nmaster_port:2`).masterPort).toBe(1);
  });

  it("role lines match by prefix", () => {
    expect(parsed("role:masterish").role).toBe("master");
    expect(parsed("role:slave_x").role).toBe("slave");
    expect(parsed("role:sentinel").role).toBeUndefined();
  });

  it("master_link_status is up only for 'up', case-insensitively", () => {
    const status = (v: string) => parsed(`role:slave\r\nmaster_link_status:${v}`).masterLinkUp;
    expect(status("UP")).toBe(true);
    expect(status("down")).toBe(false);
    expect(status("up ")).toBe(false);
    expect(status("")).toBe(false);
  });

  it("invalid numbers leave the field as it was", () => {
    const r = parsed(
      "role:slave\r\nmaster_port:6379\r\nmaster_port:70000\r\nmaster_port:12x\r\nslave_priority:10\r\nslave_priority: 3\r\n" +
        "slave_repl_offset:5\r\nslave_repl_offset:-1\r\nreplica_announced:1\r\nreplica_announced:no",
    );
    expect(r.masterPort).toBe(6379);
    expect(r.slavePriority).toBe(10);
    expect(r.slaveReplOffset).toBe(5);
    expect(r.replicaAnnounced).toBe(true);
  });

  it("slave_repl_offset is unsigned 64-bit", () => {
    const offset = (v: string) => parsed(`role:slave\r\nslave_repl_offset:${v}`).slaveReplOffset;
    expect(offset("18446744073709551615")).toBe(2 ** 64); // u64 max, rounded to the nearest double
    expect(offset("18446744073709551616")).toBeUndefined();
    expect(offset("000000000000000000000042")).toBe(42);
    expect(offset("9007199254740993")).toBe(9007199254740992); // precision loss above 2^53, documented
  });

  it("empty text is an empty report, not a rejection", () => {
    expect(parseInfo("")).toEqual(EMPTY);
  });
});

describe("parseInfo rejections", () => {
  it("rejects NUL characters, oversized text and non-strings", () => {
    const nul = parseInfo("role:master\r\n\0");
    expect(nul).toEqual({ kind: "info-rejected", reason: "INFO reply contains a NUL character at offset 13" });
    expect(isInfoRejection(parseInfo("x".repeat(MAX_INFO_LENGTH + 1)))).toBe(true);
    expect(isInfoRejection(parseInfo("x".repeat(MAX_INFO_LENGTH)))).toBe(false);
    expect(isInfoRejection(parseInfo(42 as unknown as string))).toBe(true);
    expect(isInfoRejection(parseInfo(null as unknown as string))).toBe(true);
  });

  it("isInfoRejection tells the two shapes apart", () => {
    expect(isInfoRejection(EMPTY)).toBe(false);
    expect(isInfoRejection({ kind: "info-rejected", reason: "x" })).toBe(true);
    expect(isInfoRejection(null)).toBe(false);
    expect(isInfoRejection("info-rejected")).toBe(false);
  });
});

/** Renders the fields Sentinel reads into a Redis-7-shaped INFO reply. */
interface Rendered {
  runId: string;
  role: "master" | "slave";
  replicas: { host: string; port: number }[];
  linkDownSeconds: number | undefined;
  masterHost: string;
  masterPort: number;
  linkUp: boolean;
  priority: number;
  offset: number;
  announced: boolean;
}

function renderInfo(r: Rendered): string {
  const lines = ["# Server", "redis_version:7.0.15", `run_id:${r.runId}`, "", "# Replication", `role:${r.role}`];
  if (r.role === "master") {
    lines.push(`connected_slaves:${r.replicas.length}`);
    r.replicas.forEach((s, i) => {
      lines.push(`slave${i}:ip=${s.host},port=${s.port},state=online,offset=${r.offset},lag=0`);
    });
  } else {
    lines.push(`master_host:${r.masterHost}`, `master_port:${r.masterPort}`);
    lines.push(`master_link_status:${r.linkUp ? "up" : "down"}`, `slave_repl_offset:${r.offset}`);
    if (r.linkDownSeconds !== undefined) lines.push(`master_link_down_since_seconds:${r.linkDownSeconds}`);
    lines.push(`slave_priority:${r.priority}`, "slave_read_only:1", `replica_announced:${r.announced ? 1 : 0}`);
  }
  lines.push("master_replid:0000000000000000000000000000000000000000", "");
  return lines.join("\r\n");
}

const hostArb = fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain());
const renderedArb: fc.Arbitrary<Rendered> = fc.record({
  runId: fc.stringMatching(/^[0-9a-f]{40}$/),
  role: fc.constantFrom("master" as const, "slave" as const),
  replicas: fc.array(fc.record({ host: hostArb, port: fc.integer({ min: 0, max: 65535 }) }), { maxLength: 12 }),
  linkDownSeconds: fc.option(fc.integer({ min: -1, max: 1_000_000 }), { nil: undefined }),
  masterHost: hostArb,
  masterPort: fc.integer({ min: 0, max: 65535 }),
  linkUp: fc.boolean(),
  priority: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  offset: fc.maxSafeNat(),
  announced: fc.boolean(),
});

describe("parseInfo properties", () => {
  it("never throws on arbitrary text", () => {
    const line = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.constantFrom("role:slave", "role:master", "slave0:", "slave1:ip=", "master_port:", "run_id:"),
    );
    fc.assert(
      fc.property(fc.array(line), fc.constantFrom("\r\n", "\n", "\r"), (lines, sep) => {
        const r = parseInfo(lines.join(sep));
        expect(typeof r).toBe("object");
      }),
      { numRuns: 500 },
    );
  });

  it("recovers the fields of a rendered reply", () => {
    fc.assert(
      fc.property(renderedArb, (r) => {
        const got = parsed(renderInfo(r));
        expect(got.runId).toBe(r.runId);
        expect(got.role).toBe(r.role);
        if (r.role === "master") {
          expect(got.replicas).toEqual(r.replicas);
          expect(got.masterPort).toBeUndefined();
        } else {
          expect(got.replicas).toEqual([]);
          expect(got.masterHost).toBe(r.masterHost);
          expect(got.masterPort).toBe(r.masterPort);
          expect(got.masterLinkUp).toBe(r.linkUp);
          expect(got.masterLinkDownTimeMs).toBe((r.linkDownSeconds ?? 0) * 1000);
          expect(got.slavePriority).toBe(r.priority);
          expect(got.slaveReplOffset).toBe(r.offset);
          expect(got.replicaAnnounced).toBe(r.announced);
        }
      }),
    );
  });
});
