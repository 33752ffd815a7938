/**
 * What an image built by torchstack says about itself in its labels: the apps
 * it runs with their in-container ports and Jupyter UI (`dev.torchstack.apps`),
 * its non-root user (`dev.torchstack.user` = "dev:1000:1000") and whether the
 * stack uses CUDA (`dev.torchstack.stack`). Parsed with schemas; anything
 * missing or malformed falls back to safe defaults.
 */
import { z } from "zod";

const appSchema = z.object({
  port: z.number().int().min(1).max(65535),
  ui: z.enum(["lab", "notebook", "server"]).optional(),
});
const appsSchema = z.object({
  jupyter: appSchema.optional(),
  ssh: appSchema.optional(),
  tensorboard: appSchema.optional(),
  vscode: appSchema.optional(),
});
export type ImageApps = z.infer<typeof appsSchema>;
export type AppKey = keyof ImageApps;
export const APP_KEYS: readonly AppKey[] = ["jupyter", "ssh", "tensorboard", "vscode"];

export interface ImageFacts {
  apps: ImageApps;
  user: { name: string; uid: number; gid: number };
  cuda: boolean;
}

function json(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function imageFacts(labels: Record<string, string>): ImageFacts {
  const apps = appsSchema.safeParse(json(labels["dev.torchstack.apps"]));
  const userMatch = /^([a-z_][a-z0-9_-]*):(\d+):(\d+)$/.exec(labels["dev.torchstack.user"] ?? "");
  const stack = z.object({ cuda: z.string().nullable() }).safeParse(json(labels["dev.torchstack.stack"]));
  return {
    apps: apps.success ? apps.data : {},
    user: userMatch
      ? { name: userMatch[1] ?? "dev", uid: Number(userMatch[2]), gid: Number(userMatch[3]) }
      : { name: "dev", uid: 1000, gid: 1000 },
    cuda: stack.success ? stack.data.cuda !== null : false,
  };
}
