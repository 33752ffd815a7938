// Starts bench/dashboard-lib/serve.mjs as a child and talks to it over IPC.
import { fork } from "node:child_process";

export async function startServerProcess(dir, { fill24h = false, stateDir } = {}) {
  const child = fork(new URL("./serve.mjs", import.meta.url), [dir, fill24h ? "1" : "0"], {
    execArgv: ["--expose-gc"],
    env: { ...process.env, ...(stateDir ? { BENCH_STATE_DIR: stateDir } : {}) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = (key) =>
    new Promise((resolve) => {
      const on = (m) => {
        if (m && typeof m === "object" && key in m) {
          child.off("message", on);
          resolve(m[key]);
        }
      };
      child.on("message", on);
    });
  const ready = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    url: ready.url,
    port: ready.port,
    stats: () => {
      const reply = next("stats");
      child.send("stats");
      return reply;
    },
    gc: () => {
      const reply = next("gc");
      child.send("gc");
      return reply;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.send("stop");
      }),
  };
}
