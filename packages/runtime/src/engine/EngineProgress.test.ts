import { describe, expect, it } from "vitest";
import { silentLogger } from "../ops/Logger.js";
import { EngineProgress } from "./EngineProgress.js";
import type { EngineHandlers } from "./Engine.js";
import { GroupOffsets } from "../kafka/GroupOffsets.js";
import { EngineSession } from "./EngineSession.js";

// Nothing listens on port 1: a call that reached the offsets reader would reject instead of answering.
const offsets = new GroupOffsets(
  {
    brokers: ["127.0.0.1:1"],
    clientId: "progress-test",
    securityProtocol: "PLAINTEXT",
    sasl: null,
    sslCaFile: null,
  },
  "group",
  "input",
  silentLogger,
);
const handlers: EngineHandlers = {
  onAssigned: async () => undefined,
  onRevoked: async () => undefined,
  onBatch: async () => undefined,
  onError: () => undefined,
};
const partitions = [
  { topic: "input", partition: 0 },
  { topic: "input", partition: 2 },
];

describe("EngineProgress", () => {
  it("before start (no session): owns nothing, no lag, not caught up, without asking the broker", async () => {
    const progress = new EngineProgress(
      () => null,
      () => offsets,
    );
    expect(progress.assignment()).toEqual([]);
    expect(await progress.lag()).toEqual(new Map());
    expect(await progress.caughtUp()).toBe(false);
  });

  it("reports the session's assignment; not caught up before the first assignment", async () => {
    const session = new EngineSession(handlers, silentLogger);
    const progress = new EngineProgress(
      () => session,
      () => offsets,
    );
    expect(await progress.caughtUp()).toBe(false);
    await session.rebalance(() => session.assigned(partitions));
    expect(progress.assignment()).toEqual(partitions);
  });

  it("once stopped: no lag and not caught up, without asking the broker", async () => {
    const session = new EngineSession(handlers, silentLogger);
    await session.rebalance(() => session.assigned(partitions));
    session.markStopped();
    const progress = new EngineProgress(
      () => session,
      () => offsets,
    );
    expect(await progress.lag()).toEqual(new Map());
    expect(await progress.caughtUp()).toBe(false);
  });

  it("asks the offsets reader while running (here: an unreachable broker, so it rejects)", async () => {
    const session = new EngineSession(handlers, silentLogger);
    await session.rebalance(() => session.assigned(partitions));
    const progress = new EngineProgress(
      () => session,
      () => offsets,
    );
    await expect(progress.caughtUp()).rejects.toThrow();
  }, 60_000);
});
