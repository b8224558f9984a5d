import net from "node:net";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { createRespServer } from "../src/server/resp-server.js";
import type { RespServer } from "../src/server/types.js";
import { healthyFixture, PEER_ID, REPLICA, resp2 } from "./api-support.js";
import { command } from "./fixtures/raw-client.js";

// The Sentinel API behind the RESP server, with replayed requests (server/request-memo.ts): the
// engine moves (ticks, a replica dies, a hello, the clock alone) between identical requests, and
// every reply served must be the one the API gives at that moment.

const servers: RespServer[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Sends `count` copies of a request in one write and resolves with the bytes of their replies. */
function ask(socket: net.Socket, request: Buffer, count: number, expectedBytes: number): Promise<string> {
  return new Promise((resolve) => {
    let got = "";
    const onData = (d: Buffer) => {
      got += d.toString("utf8");
      if (Buffer.byteLength(got) >= expectedBytes) {
        socket.off("data", onData);
        resolve(got);
      }
    };
    socket.on("data", onData);
    socket.write(Buffer.concat(Array.from({ length: count }, () => request)));
  });
}

const QUESTIONS = [
  ["MASTER", "mymaster"],
  ["GET-MASTER-ADDR-BY-NAME", "mymaster"],
  ["REPLICAS", "mymaster"],
  ["SENTINELS", "mymaster"],
  ["MASTERS"],
] as const;

type Move = "tick" | "clock" | "none" | "kill-replica" | "hello" | "set";

describe("replayed requests over the real API", () => {
  it("serve exactly what the API answers at that moment, whatever the engine and the clock did (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom<Move>("tick", "clock", "none", "none", "kill-replica", "hello", "set"), fc.nat(QUESTIONS.length - 1), fc.integer({ min: 1, max: 4 })), {
          minLength: 1,
          maxLength: 20,
        }),
        async (plan) => {
          const f = healthyFixture();
          const server = createRespServer({ handlers: f.api });
          servers.push(server);
          const port = await server.listen({ port: 0 });
          const socket = net.connect(port, "127.0.0.1");
          sockets.push(socket);
          await new Promise((r) => socket.once("connect", r));
          let epoch = 0;
          for (const [move, q, count] of plan) {
            if (move === "tick") f.advance(100);
            else if (move === "clock") f.skip(1);
            else if (move === "kill-replica") f.kill(REPLICA);
            else if (move === "hello") f.hello(PEER_ID, undefined, ++epoch);
            // The engine changes with the clock standing still, and not through the RESP server.
            else if (move === "set") expect(resp2(f.sentinel("SET", "mymaster", "quorum", String(2 + (++epoch % 2))))).toBe("+OK\r\n");
            const args = QUESTIONS[q]!;
            const want = resp2(f.sentinel(...args));
            const got = await ask(socket, command("SENTINEL", ...args), count, Buffer.byteLength(want) * count);
            expect(got).toBe(want.repeat(count));
          }
          socket.destroy();
          await server.close();
          servers.pop();
        },
      ),
      { numRuns: 40 },
    );
  });
});
