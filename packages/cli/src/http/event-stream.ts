import type { ServerResponse } from "node:http";

/**
 * Server-Sent Events fan-out for the topology page. SSE rather than WebSocket: one-way updates are
 * all the page needs, and EventSource reconnects by itself, with no dependency on either side.
 */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly keepAlive: NodeJS.Timeout;

  constructor(keepAliveMs = 15000) {
    // Proxies close idle connections; a comment line every few seconds keeps them open.
    this.keepAlive = setInterval(() => this.write(": keep-alive\n\n"), keepAliveMs);
    this.keepAlive.unref();
  }

  /** Take over a response as an event stream; `first` messages are sent to this client only. */
  attach(res: ServerResponse, first: readonly { event: string; data: unknown }[]): void {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
    res.write("retry: 1000\n\n");
    for (const m of first) res.write(frame(m.event, m.data));
    this.clients.add(res);
    res.on("close", () => this.clients.delete(res));
  }

  /** Send one named event to every client. */
  send(event: string, data: unknown): void {
    if (this.clients.size > 0) this.write(frame(event, data));
  }

  /** Connected clients. */
  size(): number {
    return this.clients.size;
  }

  /** End every stream. */
  close(): void {
    clearInterval(this.keepAlive);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  private write(text: string): void {
    for (const c of this.clients) c.write(text);
  }
}

function frame(event: string, data: unknown): string {
  // JSON never contains a raw newline, so one `data:` line per message is enough.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
