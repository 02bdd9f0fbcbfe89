import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createAppLogger } from "./AppLogger.js";
import { LOG_LINE_SHAPE, checkLogLine } from "./LogShape.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString()
          .split("\n")
          .filter((l) => l !== ""),
      );
      done();
    },
  });
  return { lines, stream };
}

describe("createAppLogger", () => {
  it("writes the one shape: level name, ISO time, app, bindings, msg, err with its stack", () => {
    const { lines, stream } = capture();
    const logger = createAppLogger({
      app: "gametel-test",
      level: "debug",
      bindings: { engine: "x" },
      destination: stream,
    });
    logger.info({ port: 1 }, "listening");
    logger.error({ err: new Error("boom") }, "failed");
    logger.trace({}, "not written at debug");
    expect(lines).toHaveLength(2);
    const [info, error] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(info!)).toEqual(["level", "time", "app", "engine", "port", "msg"]);
    expect(info).toMatchObject({
      level: "info",
      app: "gametel-test",
      engine: "x",
      port: 1,
      msg: "listening",
    });
    expect(info!["time"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(error).toMatchObject({ level: "error", err: { type: "Error", message: "boom" } });
    expect((error!["err"] as { stack: string }).stack).toContain("AppLogger.test.ts");
    for (const line of lines) expect(checkLogLine(line)).toEqual([]);
  });

  it("censors passwords logged by mistake", () => {
    const { lines, stream } = capture();
    createAppLogger({ app: "a", level: "info", destination: stream }).info(
      { sasl: { password: "hunter2" } },
      "x",
    );
    expect(lines[0]).not.toContain("hunter2");
    expect(lines[0]).toContain("[redacted]");
  });
});

describe("checkLogLine", () => {
  it.each([
    ['{"level":30,"time":"2026-12-07T17:00:00.000Z","app":"a","msg":"m"}', "level"],
    ['{"level":"info","time":1765126800000,"app":"a","msg":"m"}', "time"],
    ['{"level":"info","time":"2026-12-07T17:00:00.000Z","msg":"m"}', "app"],
    ['{"level":"info","time":"2026-12-07T17:00:00.000Z","app":"a"}', "msg"],
    ['{"level":"ERROR","timestamp":"2026-12-07T17:00:00.000Z","logger":"kafkajs","message":"m"}', "level"],
    [
      '{"level":"info","time":"2026-12-07T17:00:00.000Z","app":"a","engine":"x","engine":"x","msg":"m"}',
      "repeated",
    ],
    ["not json", "JSON"],
  ])("refuses %s (%s)", (line, problem) => {
    expect(checkLogLine(line).join("; ")).toContain(problem);
  });

  it("accepts the shape it documents", () => {
    expect(LOG_LINE_SHAPE).toContain("level");
    expect(
      checkLogLine('{"level":"warn","time":"2026-12-07T17:00:00.000Z","app":"a","n":1,"msg":"m"}'),
    ).toEqual([]);
  });
});
