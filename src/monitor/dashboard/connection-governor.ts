/**
 * Keeps the dashboard's connections within DashboardLimits. Every socket is
 * tracked with its client (source address) and whether a request is in flight.
 * A new connection over the total or per-client cap closes the oldest idle
 * connection (no request in flight: a keep-alive or a client that never sent
 * its headers) of that scope; when every one is busy the new one is refused
 * with a 503. Live streams are counted apart, in total and per client.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { DashboardLimits } from "./dashboard-limits.js";

interface Tracked {
  client: string;
  busy: number;
}

const REFUSAL_BODY = "too many connections: retry later\n";
const REFUSAL = `HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Type: text/plain\r\nContent-Length: ${REFUSAL_BODY.length}\r\n\r\n${REFUSAL_BODY}`;

export interface GovernorCounts {
  connections: number;
  streams: number;
  refused: number;
  evicted: number;
}

export class ConnectionGovernor {
  private readonly sockets = new Map<Socket, Tracked>();
  private readonly perClient = new Map<string, number>();
  private readonly streamsPerClient = new Map<string, number>();
  private streams = 0;
  private refused = 0;
  private evicted = 0;

  constructor(private readonly limits: DashboardLimits) {}

  /** Admits a new connection, making room by closing an idle one, or refuses it. */
  admit(socket: Socket): void {
    const client = socket.remoteAddress ?? "unknown";
    if ((this.perClient.get(client) ?? 0) >= this.limits.maxConnectionsPerClient && !this.evictIdle(client)) {
      this.refuse(socket);
      return;
    }
    if (this.sockets.size >= this.limits.maxConnections && !this.evictIdle(null)) {
      this.refuse(socket);
      return;
    }
    this.sockets.set(socket, { client, busy: 0 });
    this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    socket.once("close", () => this.forget(socket));
  }

  /** Marks the request's connection busy until the response is done. */
  track(req: IncomingMessage, res: ServerResponse): void {
    const entry = this.sockets.get(req.socket);
    if (!entry) return;
    entry.busy += 1;
    res.once("close", () => {
      entry.busy = Math.max(0, entry.busy - 1);
    });
  }

  /** Takes a stream slot for this request's client; false when a cap is reached. */
  openStream(req: IncomingMessage): (() => void) | null {
    const client = req.socket.remoteAddress ?? "unknown";
    const mine = this.streamsPerClient.get(client) ?? 0;
    if (this.streams >= this.limits.maxStreams || mine >= this.limits.maxStreamsPerClient) return null;
    this.streams += 1;
    this.streamsPerClient.set(client, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.streams -= 1;
      const left = (this.streamsPerClient.get(client) ?? 1) - 1;
      if (left > 0) this.streamsPerClient.set(client, left);
      else this.streamsPerClient.delete(client);
    };
  }

  counts(): GovernorCounts {
    return {
      connections: this.sockets.size,
      streams: this.streams,
      refused: this.refused,
      evicted: this.evicted,
    };
  }

  closeAll(): void {
    for (const socket of this.sockets.keys()) socket.destroy();
  }

  private evictIdle(client: string | null): boolean {
    for (const [socket, entry] of this.sockets) {
      if (entry.busy === 0 && (client === null || entry.client === client)) {
        this.forget(socket);
        socket.destroy();
        this.evicted += 1;
        return true;
      }
    }
    return false;
  }

  private refuse(socket: Socket): void {
    this.refused += 1;
    socket.end(REFUSAL);
    setTimeout(() => socket.destroy(), 1_000).unref();
  }

  private forget(socket: Socket): void {
    const entry = this.sockets.get(socket);
    if (!entry) return;
    this.sockets.delete(socket);
    const left = (this.perClient.get(entry.client) ?? 1) - 1;
    if (left > 0) this.perClient.set(entry.client, left);
    else this.perClient.delete(entry.client);
  }
}
