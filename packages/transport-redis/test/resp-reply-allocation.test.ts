// The links read a hello push (3 bulk strings) and a PING reply hundreds of times a second at a few
// hundred masters; what the reader allocates for them is most of the daemon's garbage, and garbage
// is what grows V8's young generation and so the RSS (docs/performance.md, "Memory at 200 masters").
// Measured with V8's sampling heap profiler, collected objects included.
import { Session } from "node:inspector/promises";
import { describe, expect, it } from "vitest";
import { ReplyReader } from "../src/resp/reply-reader.js";

const PAYLOAD = "127.0.0.1,26001,00000000000000000000000000000000000a0000,0,m12,127.0.0.1,10024,0";
const HELLO_PUSH = Buffer.from(`*3\r\n$7\r\nmessage\r\n$18\r\n__sentinel__:hello\r\n$${PAYLOAD.length}\r\n${PAYLOAD}\r\n`);
const PONG = Buffer.from("+PONG\r\n");

function readBoth(reader: ReplyReader, times: number): number {
  let seen = 0;
  for (let i = 0; i < times; i++) {
    reader.feed(HELLO_PUSH);
    const push = reader.next() as string[];
    reader.feed(PONG);
    seen += push.length + (reader.next() as string).length;
  }
  return seen;
}

describe("reply reader garbage", () => {
  it("a hello push and a PONG cost little more than the payload string", async () => {
    const reader = new ReplyReader();
    expect(readBoth(reader, 1)).toBe(7);
    readBoth(reader, 20_000); // optimised code, as in a running daemon
    const session = new Session();
    session.connect();
    try {
      await session.post("HeapProfiler.startSampling", { samplingInterval: 16, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      const n = 50_000;
      readBoth(reader, n);
      const { profile } = await session.post("HeapProfiler.stopSampling");
      let bytes = 0;
      const walk = (node: typeof profile.head): void => {
        bytes += node.selfSize;
        for (const child of node.children) walk(child);
      };
      walk(profile.head);
      // The payload (~100 bytes) and a 3-element array (~40): 370 bytes before the kind, the channel
      // and PONG were shared strings and the array was sized up front.
      expect(bytes / n).toBeLessThan(230);
    } finally {
      session.disconnect();
    }
  });
});
