/**
 * The dashboard's node:http server with its limits applied: header, request,
 * keep-alive and idle timeouts and the header size from DashboardLimits, every
 * connection admitted by the governor, every request tracked while in flight,
 * and a malformed, oversized or too-slow request head answered with its status
 * (400, 431, 408) and closed. A handler that throws answers 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { ConnectionGovernor } from "./connection-governor.js";
import type { DashboardLimits } from "./dashboard-limits.js";
import { send, TEXT } from "./http-responses.js";

export function boundedHttpServer(
  limits: DashboardLimits,
  governor: ConnectionGovernor,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    (req, res) => {
      governor.track(req, res);
      handle(req, res).catch(() => {
        if (!res.headersSent) send(res, 500, TEXT, "internal error\n");
        else res.end();
      });
    },
  );
  server.timeout = limits.idleTimeoutMs;
  server.on("connection", (socket) => governor.admit(socket));
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    // a head over maxHeaderBytes is 431, a head too slow (headersTimeout) 408, anything malformed 400
    const status =
      error.code === "HPE_HEADER_OVERFLOW"
        ? "431 Request Header Fields Too Large"
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? "408 Request Timeout"
          : "400 Bad Request";
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    setTimeout(() => socket.destroy(), 1_000).unref();
  });
  return server;
}
