/**
 * The companion commands' client (`vigil explain`, `vigil failover`) reads replies with the
 * transport's one reply reader: plain values, errors kept apart, AUTH failures reported.
 */
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PlainError, replyText, sendCommands } from "../src/commands/sentinel-client.js";

let server: Server | undefined;
afterEach(() => server?.close());

/** A server that answers each command line with the next canned reply (raw RESP). */
async function canned(replies: string[]): Promise<number> {
  server = createServer((socket) => {
    let commands = 0;
    socket.on("data", (d) => {
      // One `*<n>` header per command (arguments here never contain one).
      const n = d.toString("latin1").match(/^\*\d+\r\n/gm)?.length ?? 0;
      for (let i = 0; i < n; i++) socket.write(replies[commands++] ?? "-ERR no more\r\n");
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return (server.address() as { port: number }).port;
}

describe("sendCommands + replyText", () => {
  it("prints text, numbers, nil, nested arrays and errors", async () => {
    const port = await canned(["*3\r\n$5\r\nline1\r\n:42\r\n*1\r\n$-1\r\n", "-ERR No such master with that name\r\n"]);
    const [lines, error] = await sendCommands({ host: "127.0.0.1", port }, [["SENTINEL", "VIGIL-EXPLAIN", "m"], ["SENTINEL", "VIGIL-EXPLAIN", "nope"]]);
    expect(replyText(lines!)).toBe("line1\n42\n(nil)");
    expect(error).toBeInstanceOf(PlainError);
    expect(replyText(error!)).toBe("(error) ERR No such master with that name");
  });

  it("reports a refused AUTH instead of the command's reply", async () => {
    const port = await canned(["-WRONGPASS invalid username-password pair or user is disabled.\r\n", "+OK\r\n"]);
    await expect(sendCommands({ host: "127.0.0.1", port, password: "bad" }, [["PING"]])).rejects.toThrow("AUTH failed: WRONGPASS invalid username-password pair");
  });
});
