/**
 * The executor's client for the API server: HTTPS with the client certificate, CA and server named in a
 * kubeconfig of the form k8s-setup.sh writes (file paths, one cluster, one user). JSON in, JSON out; a
 * non-2xx answer rejects with the server's message and status code.
 */
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { parse } from "yaml";

export interface KubeApi {
  get<T>(path: string): Promise<T>;
  /** Strategic merge patch (lists of conditions and container statuses merge by their keys). */
  patch<T>(path: string, body: unknown): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
}

export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

interface Kubeconfig {
  clusters: { cluster: { server: string; "certificate-authority": string } }[];
  users: { user: { "client-certificate": string; "client-key": string } }[];
}

export function kubeApiFromKubeconfig(file: string): KubeApi {
  const config = parse(readFileSync(file, "utf8")) as Kubeconfig;
  const cluster = config.clusters[0]?.cluster;
  const user = config.users[0]?.user;
  if (!cluster || !user) throw new Error(`${file} names no cluster or no user`);
  const server = new URL(cluster.server);
  const tls = {
    ca: readFileSync(cluster["certificate-authority"]),
    cert: readFileSync(user["client-certificate"]),
    key: readFileSync(user["client-key"]),
  };
  function call<T>(method: string, path: string, body?: unknown, type = "application/json"): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          ...tls,
          host: server.hostname,
          port: server.port,
          method,
          path,
          headers: {
            accept: "application/json",
            ...(payload === undefined
              ? {}
              : { "content-type": type, "content-length": Buffer.byteLength(payload) }),
          },
          timeout: 30_000,
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
          });
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve((text ? JSON.parse(text) : {}) as T);
            let message = text;
            try {
              message = (JSON.parse(text) as { message?: string }).message ?? text;
            } catch {}
            reject(new KubeApiError(`${method} ${path}: ${status} ${message}`, status));
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
  return {
    get: (path) => call("GET", path),
    patch: (path, body) => call("PATCH", path, body, "application/strategic-merge-patch+json"),
    post: (path, body) => call("POST", path, body),
    delete: async (path) => {
      await call("DELETE", path, { kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 0 });
    },
  };
}
