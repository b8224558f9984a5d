import type { Socket } from "node:net";

/**
 * For scripted servers in tests: calls `onCommand` with each command a client writes on `sock` (an
 * array of bulk strings, the first of them its name), in order, however the bytes are split.
 */
export function readCommands(sock: Socket, onCommand: (args: string[]) => void): void {
  let buf = "";
  sock.on("data", (d) => {
    buf += d.toString("latin1");
    for (;;) {
      const m = /^\*(\d+)\r\n/.exec(buf);
      if (!m) return;
      let at = m[0].length;
      const args: string[] = [];
      for (let i = 0; i < Number(m[1]); i++) {
        const b = /^\$(\d+)\r\n/.exec(buf.slice(at));
        if (!b || buf.length < at + b[0].length + Number(b[1]) + 2) return;
        args.push(buf.slice(at + b[0].length, at + b[0].length + Number(b[1])));
        at += b[0].length + Number(b[1]) + 2;
      }
      buf = buf.slice(at);
      onCommand(args);
    }
  });
}
