import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { EventStreams } from "../../../../src/monitor/dashboard/event-streams.js";

/** A stand-in for a stream's response: records writes; `writableLength` is what the reader has not taken yet. */
class FakeStream extends EventEmitter {
  written: string[] = [];
  destroyed = false;
  constructor(readonly writableLength = 0) {
    super();
  }
  write(text: string): boolean {
    this.written.push(text);
    return true;
  }
  end(): void {
    this.emit("close");
  }
  destroy(): void {
    this.destroyed = true;
    this.emit("close");
  }
}
const fakeStream = (unsent = 0) => new FakeStream(unsent);

describe("the dashboard's event streams", () => {
  it("serialises an event once for every stream, drops a stalled reader, and gives slots back on close", () => {
    const streams = new EventStreams(1_024);
    const released: string[] = [];
    const reading = fakeStream();
    const stalled = fakeStream(4_096);
    streams.add(reading as unknown as ServerResponse, () => released.push("reading"));
    streams.add(stalled as unknown as ServerResponse, () => released.push("stalled"));
    expect(streams.broadcast("tick", { n: 1 })).toBe(1);
    expect(reading.written).toEqual(['event: tick\ndata: {"n":1}\n\n']);
    expect(stalled.written).toEqual([]);
    expect(stalled.destroyed).toBe(true);
    expect(streams.dropped).toBe(1);
    expect(released).toEqual(["stalled"]);
    expect(streams.size).toBe(1);
    streams.closeAll();
    expect(released).toEqual(["stalled", "reading"]);
    expect(streams.broadcast("tick", {})).toBe(0);
  });
});
