/**
 * The dashboard server's bounds, in one place: connections and live streams in
 * total and per client (a client is a source address: on loopback a runaway
 * script or tab, not a user), header, request, keep-alive and idle timeouts,
 * and request-size limits. The defaults leave room for 1,000 idle connections
 * and 200 open pages while a Prometheus scrape still gets through.
 */

export interface DashboardLimits {
  /** Open connections in total; at the cap the oldest idle one is closed, else the new one is refused. */
  maxConnections: number;
  maxConnectionsPerClient: number;
  /** Open /events streams in total and per client; more get 429. */
  maxStreams: number;
  maxStreamsPerClient: number;
  /** The request head must arrive within this (slow-header clients are dropped). */
  headersTimeoutMs: number;
  /** The whole request must arrive within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Any connection silent this long is closed (streams get a heartbeat every 15 s). */
  idleTimeoutMs: number;
  /** Largest request head (request line and headers). */
  maxHeaderBytes: number;
  /** Longest request target (path and query). */
  maxUrlBytes: number;
  /** A stream whose reader stops reading is dropped once this much waits to be sent. */
  maxStreamBufferBytes: number;
}

export const DEFAULT_LIMITS: DashboardLimits = {
  maxConnections: 1_536,
  maxConnectionsPerClient: 512,
  maxStreams: 256,
  maxStreamsPerClient: 64,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 60_000,
  maxHeaderBytes: 8_192,
  maxUrlBytes: 2_048,
  maxStreamBufferBytes: 1_048_576,
};
