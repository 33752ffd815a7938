/**
 * The one place that knows dockerode (chosen for its complete Engine API
 * coverage, its stream handling and its wide use, e.g. by testcontainers):
 * implements `Engine` (ContainerClient, ImageClient, ping, info) over a
 * discovered endpoint. Engine-library shapes are translated to torchstack's
 * own types here and never leak out, and its failures get codes and fixes
 * (dockerode-errors.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Docker from "dockerode";
import { createContainerClient } from "./dockerode-containers.js";
import { guardEngine } from "./dockerode-errors.js";
import type { Engine, EngineEndpoint, EngineInfo, ImageClient, ImageDetails } from "./engine-client.js";

function dockerFor(endpoint: EngineEndpoint): Docker {
  if (endpoint.socketPath) return new Docker({ socketPath: endpoint.socketPath });
  const tcp = endpoint.tcp;
  if (!tcp) throw new Error(`unsupported engine endpoint ${endpoint.host}`);
  const certs = tcp.certPath
    ? {
        ca: readFileSync(join(tcp.certPath, "ca.pem")),
        cert: readFileSync(join(tcp.certPath, "cert.pem")),
        key: readFileSync(join(tcp.certPath, "key.pem")),
      }
    : {};
  return new Docker({ host: tcp.host, port: tcp.port, protocol: tcp.protocol, ...certs });
}

function imageDetails(info: Docker.ImageInspectInfo): ImageDetails {
  return {
    id: info.Id,
    tags: info.RepoTags ?? [],
    repoDigests: info.RepoDigests ?? [],
    labels: info.Config?.Labels ?? {},
    sizeBytes: info.Size,
    layers: info.RootFS?.Layers ?? [],
  };
}

const isNotFound = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { statusCode?: number }).statusCode === 404;

function createImageClient(docker: Docker): ImageClient {
  return {
    async inspect(ref) {
      try {
        return imageDetails(await docker.getImage(ref).inspect());
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async tag(ref, target) {
      const at = target.lastIndexOf(":");
      const slash = target.lastIndexOf("/");
      const [repo, tag] = at > slash ? [target.slice(0, at), target.slice(at + 1)] : [target, "latest"];
      await docker.getImage(ref).tag({ repo, tag });
    },
    async remove(ref) {
      try {
        await docker.getImage(ref).remove({ noprune: false });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
    async list({ labels }) {
      const label = Object.entries(labels).map(([k, v]) => (v === "" ? k : `${k}=${v}`));
      const images = await docker.listImages({ filters: JSON.stringify({ label }) });
      return images.map((i) => ({
        id: i.Id,
        tags: i.RepoTags ?? [],
        repoDigests: i.RepoDigests ?? [],
        labels: i.Labels ?? {},
        sizeBytes: i.Size,
        layers: [],
      }));
    },
  };
}

export function connectDockerode(endpoint: EngineEndpoint): Engine {
  const docker = dockerFor(endpoint);
  return guardEngine({
    endpoint,
    containers: createContainerClient(docker),
    images: createImageClient(docker),
    async ping() {
      await docker.ping();
    },
    async networks() {
      return (await docker.listNetworks()).map((n) => n.Name);
    },
    async info(): Promise<EngineInfo> {
      const info = (await docker.info()) as {
        ServerVersion?: string;
        Runtimes?: Record<string, unknown>;
        CDISpecDirs?: string[];
        OperatingSystem?: string;
      };
      const version = (await docker.version()) as { Components?: { Name?: string }[] };
      return {
        serverVersion: info.ServerVersion ?? "unknown",
        runtimes: Object.keys(info.Runtimes ?? {}),
        cdiSpecDirs: info.CDISpecDirs ?? [],
        isPodman: (version.Components ?? []).some((c) => /podman/i.test(c.Name ?? "")),
      };
    },
  });
}
