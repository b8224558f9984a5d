/**
 * A master that answers -LOADING for longer than down-after (a big dataset loading after a restart)
 * is not SDOWN: -LOADING is an acceptable PING reply, and the pub/sub link whose SUBSCRIBE got
 * -LOADING stays up as in Sentinel, so the instance is neither "disconnected" nor left unpinged.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FakeRedis, startFakeRedis } from "./support/fake-redis.js";
import { cleanup, cmd, freePorts, type Proc, pairs, sentinelConf, sleep, startSentinel, tempDir, waitFor } from "./support/processes.js";

const LOADING = "-LOADING Redis is loading the dataset in memory\r\n";
let fake: FakeRedis;
let vigil: Proc;

beforeAll(async () => {
  fake = await startFakeRedis((args) => (args[0] === "PING" || args[0] === "SUBSCRIBE" ? LOADING : null));
  const [port] = await freePorts(1);
  const conf = sentinelConf(tempDir("vigil-loading-"), port!, fake.port, { quorum: 1, downAfter: 1000, extra: ["sentinel vigil-crash-down-after mymaster 300"] });
  vigil = await startSentinel("vigil", conf, port!);
});

afterAll(async () => {
  await fake.close();
  await cleanup();
});

it("a master answering -LOADING for 4 × down-after is pinged throughout and never SDOWN", async () => {
  await waitFor(async () => (fake.counts.get("SUBSCRIBE") ?? 0) >= 1, 10_000);
  const pingsBefore = fake.counts.get("PING") ?? 0;
  const flags: string[] = [];
  for (let i = 0; i < 16; i++) {
    await sleep(250);
    flags.push(pairs(await cmd(vigil.port, "SENTINEL", "MASTER", "mymaster")).flags ?? "");
  }
  expect(flags.filter((f) => /s_down|o_down|disconnected/.test(f))).toEqual([]);
  expect((fake.counts.get("PING") ?? 0) - pingsBefore).toBeGreaterThanOrEqual(8);
});
