/**
 * The open /events streams (Server-Sent Events). One serialisation per event,
 * written to every stream; a reader that stops reading is dropped once its
 * unsent data passes the limit, so a stalled tab cannot grow the server's
 * memory. Each stream gives its slot back when it closes.
 */
import type { ServerResponse } from "node:http";

export class EventStreams {
  private readonly clients = new Set<ServerResponse>();
  dropped = 0;

  constructor(private readonly maxBufferBytes: number) {}

  get size(): number {
    return this.clients.size;
  }

  add(res: ServerResponse, release: () => void): void {
    this.clients.add(res);
    res.once("close", () => {
      this.clients.delete(res);
      release();
    });
  }

  /** Sends `event` to every stream; returns how many got it. */
  broadcast(event: string, data: unknown): number {
    if (this.clients.size === 0) return 0;
    return this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  heartbeat(): void {
    this.write(": keep-alive\n\n");
  }

  closeAll(): void {
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private write(text: string): number {
    let sent = 0;
    for (const client of this.clients) {
      if (client.writableLength > this.maxBufferBytes) {
        this.dropped += 1;
        this.clients.delete(client);
        client.destroy();
        continue;
      }
      client.write(text);
      sent += 1;
    }
    return sent;
  }
}
