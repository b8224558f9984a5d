// A loopback TCP proxy that can add latency on demand (node:net). Every byte is forwarded in order;
// while a spike is on, each chunk leaves `rttMs / 2` after it arrived, in each direction.
import { createConnection, createServer } from "node:net";

/**
 * Listen on 127.0.0.1:`port` (0 = any free port) and forward to 127.0.0.1:`target`.
 * `setRtt(ms)` sets the extra round-trip time (0 = plain forwarding).
 */
export async function startLatencyProxy(target, port = 0) {
  let oneWay = 0;
  const sockets = new Set();
  const pipe = (from, to) => {
    const queue = [];
    let lastAt = 0;
    let timer;
    const flush = () => {
      timer = undefined;
      const now = performance.now();
      while (queue.length > 0 && queue[0].at <= now) to.write(queue.shift().data);
      if (queue.length > 0) timer = setTimeout(flush, Math.max(0, queue[0].at - now));
    };
    from.on("data", (data) => {
      const now = performance.now();
      // Never reorder: a chunk leaves no earlier than the one before it.
      const at = Math.max(now + oneWay, lastAt);
      lastAt = at;
      if (queue.length === 0 && at <= now) {
        to.write(data);
        return;
      }
      queue.push({ at, data });
      if (timer === undefined) timer = setTimeout(flush, Math.max(0, queue[0].at - now));
    });
    from.on("end", () => {
      const finish = () => (queue.length > 0 ? setTimeout(finish, 5) : to.end());
      finish();
    });
  };
  const server = createServer((client) => {
    const upstream = createConnection({ host: "127.0.0.1", port: target });
    sockets.add(client);
    sockets.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", close);
    upstream.on("error", close);
    client.on("close", close);
    upstream.on("close", close);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", ok);
  });
  return {
    port: server.address().port,
    setRtt(ms) {
      oneWay = ms / 2;
    },
    connections: () => sockets.size / 2,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
