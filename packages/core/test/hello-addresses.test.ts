// Hello addresses must be IP literals unless resolve-hostnames is on (Sentinel's createSentinelAddr).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeHello } from "../src/index.js";
import { isIpLiteral } from "../src/util/ip-literal.js";
import { masterRecordOf } from "./support/engine-records.js";
import { hexId, MiniCluster } from "./support/mini-cluster.js";

describe("isIpLiteral", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1", true],
    ["0x7f000001", true],
    ["0177.0.0.1", true],
    ["::1", true],
    ["::", true],
    ["fe80::1:2", true],
    ["::ffff:127.0.0.1", true],
    ["1:2:3:4:5:6:7:8", true],
    ["1:2:3:4:5:6:127.0.0.1", true],
    ["", false],
    ["localhost", false],
    ["redis-1.internal", false],
    ["256.0.0.1", false],
    ["1.2.3.4.5", false],
    ["08.1.1.1", false],
    ["1:2:3:4:5:6:7:8:9", false],
    ["1::2::3", false],
    ["fe80::1%eth0", false],
    ["12345::", false],
    ["::1.2.3", false],
  ])("%s → %s", (host, ok) => {
    expect(isIpLiteral(host)).toBe(ok);
  });

  it("accepts every dotted quad and every full IPv6 address", () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => isIpLiteral(ip)));
    fc.assert(fc.property(fc.ipV6(), (ip) => isIpLiteral(ip)));
  });
});

function lone(resolveHostnames: boolean): MiniCluster {
  const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 1000 });
  c.engine(0).setGlobal(c.now, { resolveHostnames });
  c.run(12000);
  return c;
}

const helloNaming = (sentinelIp: string, masterIp: string) =>
  encodeHello({
    sentinelIp,
    sentinelPort: 27000,
    sentinelRunId: hexId(0xfee000),
    currentEpoch: 0,
    masterName: "mymaster",
    masterIp,
    masterPort: 6379,
    masterConfigEpoch: 0,
  });

describe("a hello naming a host that is not an IP", () => {
  it("is rejected with a reason and changes nothing", () => {
    const c = lone(false);
    for (const payload of [helloNaming("evil.example", "127.0.0.1"), helloNaming("127.0.0.1", "evil.example")]) {
      const out = c.feed(0, { kind: "hello", now: c.now, via: null, payload });
      expect(out.events.map((e) => e.type)).toEqual(["-hello-rejected"]);
      expect(out.events[0]!.payload).toContain("evil.example");
      expect(out.commands).toEqual([]);
    }
    expect(masterRecordOf(c.engine(0), "mymaster")!.sentinels.size).toBe(0);
  });

  it("is accepted when resolve-hostnames is on", () => {
    const c = lone(true);
    const out = c.feed(0, { kind: "hello", now: c.now, via: null, payload: helloNaming("peer.example", "127.0.0.1") });
    expect(out.events.map((e) => e.type)).toContain("+sentinel");
  });
});
