// engine/links/hello-payload.ts: the hello about a master is rendered once and the same string is sent
// period after period; any field that changes (epoch, config epoch, address, announce) renders anew.
import { describe, expect, it } from "vitest";
import { helloPayloadFor } from "../src/engine/links/hello-payload.js";
import { newLink, newMaster } from "../src/engine/records.js";
import { MasterSettingsSchema } from "../src/settings/master-settings.js";

describe("hello payload", () => {
  it("is the same string while nothing changes, and a new, correct one when a field does", () => {
    const addr = { host: "127.0.0.1", port: 6379 };
    const m = newMaster(MasterSettingsSchema.parse({ name: "mymaster", host: addr.host, port: addr.port, quorum: 2 }), newLink(addr, "instance", 0), 0);
    const id = "a".repeat(40);
    const first = helloPayloadFor(m, "127.0.0.1", 26379, id, 3, "127.0.0.1", 6379);
    expect(first).toBe(`127.0.0.1,26379,${id},3,mymaster,127.0.0.1,6379,0`);
    expect(helloPayloadFor(m, "127.0.0.1", 26379, id, 3, "127.0.0.1", 6379)).toBe(first);
    expect(helloPayloadFor(m, "127.0.0.1", 26379, id, 4, "127.0.0.1", 6379)).toBe(`127.0.0.1,26379,${id},4,mymaster,127.0.0.1,6379,0`);
    m.configEpoch = 4;
    expect(helloPayloadFor(m, "127.0.0.1", 26379, id, 4, "127.0.0.1", 6379)).toBe(`127.0.0.1,26379,${id},4,mymaster,127.0.0.1,6379,4`);
    expect(helloPayloadFor(m, "127.0.0.1", 26379, id, 4, "127.0.0.1", 6380)).toBe(`127.0.0.1,26379,${id},4,mymaster,127.0.0.1,6380,4`);
    expect(helloPayloadFor(m, "10.0.0.1", 26380, id, 4, "127.0.0.1", 6380)).toBe(`10.0.0.1,26380,${id},4,mymaster,127.0.0.1,6380,4`);
  });
});
