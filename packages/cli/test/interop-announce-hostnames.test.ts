/**
 * `announce-hostnames` (issue 12, finding 3), differentially against redis-sentinel 7.0.15: a master
 * monitored as `localhost` with `resolve-hostnames yes` is connected to by its resolved address and
 * announced by that address (127.0.0.1) unless `announce-hostnames yes`, in GET-MASTER-ADDR-BY-NAME,
 * the `ip` field of SENTINEL MASTER, the hello it publishes, the rewritten `sentinel monitor` line,
 * and for a master added by SENTINEL MONITOR, its `+monitor` event and address.
 */
import { writeFileSync } from "node:fs";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { cleanup, cmd, freePorts, pairs, readText, sentinelConf, startRedis, startSentinel, subscribeEvents, tempDir, waitFor } from "./support/processes.js";

afterAll(cleanup);

/** The next hello `sentinelPort` publishes on the master, as its master fields (`name,ip,port`). */
async function helloMasterFields(masterPort: number, sentinelPort: number): Promise<string> {
  const r = new Redis({ port: masterPort, host: "127.0.0.1", lazyConnect: true });
  await r.connect();
  try {
    return await new Promise<string>((resolve) => {
      r.on("message", (_c: string, payload: string) => {
        const f = payload.split(",");
        if (f[1] === String(sentinelPort)) resolve(f.slice(4, 7).join(","));
      });
      void r.subscribe("__sentinel__:hello");
    });
  } finally {
    r.disconnect();
  }
}

interface View {
  readonly addr: string;
  readonly ip: string;
  readonly hello: string;
  readonly monitorLine: string;
}

async function view(sPort: number, mPort: number, conf: string): Promise<View> {
  const addr = ((await cmd(sPort, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")) as string[]).join(":");
  const ip = pairs(await cmd(sPort, "SENTINEL", "MASTER", "mymaster")).ip!;
  const hello = await helloMasterFields(mPort, sPort);
  await cmd(sPort, "SENTINEL", "FLUSHCONFIG");
  const monitorLine = readText(conf).split("\n").find((l) => l.startsWith("sentinel monitor"))!;
  return { addr, ip, hello, monitorLine };
}

async function scenario(kind: "redis" | "vigil"): Promise<{ yes: View; no: View; monitorEvent: string; otherNo: string; otherYes: string }> {
  const [mPort, sPort] = await freePorts(2);
  await startRedis(mPort!);
  const conf = sentinelConf(tempDir("vigil-announce-"), sPort!, mPort!, { quorum: 1, extra: ["sentinel resolve-hostnames yes", "sentinel announce-hostnames yes"] });
  // The monitor line must name the host: sentinelConf writes 127.0.0.1.
  writeFileSync(conf, readText(conf).replace(`sentinel monitor mymaster 127.0.0.1 ${mPort}`, `sentinel monitor mymaster localhost ${mPort}`));
  await startSentinel(kind, conf, sPort!);
  await waitFor(async () => !/disconnected/.test(pairs(await cmd(sPort!, "SENTINEL", "MASTER", "mymaster")).flags ?? "disconnected"), 15000);
  const yes = await view(sPort!, mPort!, conf);
  expect(await cmd(sPort!, "SENTINEL", "CONFIG", "SET", "announce-hostnames", "no")).toBe("OK");
  const no = await view(sPort!, mPort!, conf);
  // SENTINEL MONITOR by hostname: its event and address follow the same rule.
  const events: string[] = [];
  const sub = await subscribeEvents(sPort!, "+monitor", (_c, payload) => events.push(payload));
  expect(await cmd(sPort!, "SENTINEL", "MONITOR", "other", "localhost", mPort!, 1)).toBe("OK");
  await waitFor(() => events.length > 0, 5000);
  sub.close();
  const otherNo = ((await cmd(sPort!, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "other")) as string[])[0]!;
  await cmd(sPort!, "SENTINEL", "CONFIG", "SET", "announce-hostnames", "yes");
  const otherYes = ((await cmd(sPort!, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "other")) as string[])[0]!;
  return { yes, no, monitorEvent: events[0]!.replace(String(mPort), "<port>"), otherNo, otherYes };
}

describe("announce-hostnames with a master monitored as localhost", () => {
  it("answers, publishes and persists like redis-sentinel, with yes and with no", async () => {
    const redis = await scenario("redis");
    const vigil = await scenario("vigil");
    const strip = (v: View) => ({ ...v, addr: v.addr.split(":")[0], hello: v.hello.split(",").slice(0, 2).join(","), monitorLine: v.monitorLine.split(" ").slice(0, 4).join(" ") });
    expect(strip(redis.yes)).toEqual({ addr: "localhost", ip: "localhost", hello: "mymaster,localhost", monitorLine: "sentinel monitor mymaster localhost" });
    expect(strip(redis.no)).toEqual({ addr: "127.0.0.1", ip: "127.0.0.1", hello: "mymaster,127.0.0.1", monitorLine: "sentinel monitor mymaster 127.0.0.1" });
    expect(strip(vigil.yes)).toEqual(strip(redis.yes));
    expect(strip(vigil.no)).toEqual(strip(redis.no));
    expect(redis).toMatchObject({ monitorEvent: "master other 127.0.0.1 <port> quorum 1", otherNo: "127.0.0.1", otherYes: "localhost" });
    expect({ monitorEvent: vigil.monitorEvent, otherNo: vigil.otherNo, otherYes: vigil.otherYes }).toEqual({ monitorEvent: redis.monitorEvent, otherNo: redis.otherNo, otherYes: redis.otherYes });
  });
});
