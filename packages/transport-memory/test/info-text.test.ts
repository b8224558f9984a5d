import { readFileSync } from "node:fs";
import { isInfoRejection, parseInfo } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { type InfoSnapshot, renderInfo } from "../src/redis/info-text.js";

const base: InfoSnapshot = {
  runId: "9d64a6d2e74d2259f57d13a02a33adc1a2bb07df",
  port: 6379,
  processId: 4933,
  nowMs: 1_767_225_600_000,
  uptimeS: 20,
  loading: false,
  connectedClients: 3,
  totalConnections: 7,
  totalCommands: 32,
  keys: 2,
  changesSinceSave: 2,
  syncFull: 1,
  pubsubChannels: 1,
  role: "master",
  replicas: [
    { host: "127.0.0.1", port: 7398, state: "online", offset: 93, lagS: 0 },
    { host: "127.0.0.1", port: 7397, state: "online", offset: 93, lagS: 0 },
  ],
  replId: "a37a985163aa742d2e9c0fa6312ec36b44fcf051",
  replId2: "0000000000000000000000000000000000000000",
  offset: 107,
  secondReplOffset: -1,
  masterHost: "",
  masterPort: 0,
  masterLinkUp: false,
  masterLastIoS: 0,
  syncInProgress: false,
  masterLinkDownSinceS: -1,
  slavePriority: 100,
  replicaAnnounced: true,
};

const replica: InfoSnapshot = {
  ...base,
  role: "slave",
  replicas: [],
  masterHost: "127.0.0.1",
  masterPort: 7399,
  masterLinkUp: true,
  slavePriority: 50,
};

/** Section headers and field names, in order: the shape of an INFO reply without its values. */
function shape(text: string): string[] {
  return text
    .split("\r\n")
    .filter((l) => l !== "")
    .map((l) => (l.startsWith("#") ? l : l.slice(0, l.indexOf(":"))));
}

function fixture(name: string): string {
  return readFileSync(new URL(`../../core/test/fixtures/${name}`, import.meta.url), "utf8");
}

describe("INFO text", () => {
  it("has exactly the sections and fields of a real Redis 7.0.15, in the same order", () => {
    expect(shape(renderInfo(base))).toEqual(shape(fixture("info-7.0-master.txt")));
    expect(shape(renderInfo(replica))).toEqual(shape(fixture("info-7.0-replica.txt")));
    expect(shape(renderInfo({ ...replica, masterLinkUp: false, masterLinkDownSinceS: 3 }))).toEqual(shape(fixture("info-7.0-replica-link-down.txt")));
  });

  it("uses CRLF line ends, blank lines between sections, and ends with the keyspace", () => {
    const text = renderInfo(base);
    expect(text.startsWith("# Server\r\nredis_version:7.0.15\r\n")).toBe(true);
    expect(text.endsWith("# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n")).toBe(true);
    expect(text).toContain("\r\n\r\n# Replication\r\nrole:master\r\nconnected_slaves:2\r\n");
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("is parsed by the core's INFO parser into what Sentinel needs (master)", () => {
    const r = parseInfo(renderInfo(base));
    if (isInfoRejection(r)) throw new Error(r.reason);
    expect(r.runId).toBe(base.runId);
    expect(r.role).toBe("master");
    expect(r.replicas).toEqual([
      { host: "127.0.0.1", port: 7398 },
      { host: "127.0.0.1", port: 7397 },
    ]);
  });

  it("is parsed by the core's INFO parser into what Sentinel needs (replica, link up and down)", () => {
    const up = parseInfo(renderInfo({ ...replica, replicaAnnounced: false }));
    if (isInfoRejection(up)) throw new Error(up.reason);
    expect(up).toMatchObject({
      role: "slave",
      masterHost: "127.0.0.1",
      masterPort: 7399,
      masterLinkUp: true,
      slavePriority: 50,
      slaveReplOffset: 107,
      replicaAnnounced: false,
      masterLinkDownTimeMs: 0,
    });
    const down = parseInfo(renderInfo({ ...replica, masterLinkUp: false, masterLinkDownSinceS: 12 }));
    if (isInfoRejection(down)) throw new Error(down.reason);
    expect(down).toMatchObject({ masterLinkUp: false, masterLinkDownTimeMs: 12000 });
    const never = parseInfo(renderInfo({ ...replica, masterLinkUp: false, masterLinkDownSinceS: -1 }));
    if (isInfoRejection(never)) throw new Error(never.reason);
    expect(never.masterLinkDownTimeMs).toBe(-1000);
  });
});
