import { logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { kafkajsLogCreator, type LevelLogger } from "./kafkajsLogs.js";

function recorder() {
  const calls: [string, Record<string, unknown>, string][] = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void => {
      calls.push([level, fields, message]);
    };
  const logger: LevelLogger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { calls, logger };
}

const entry = (level: logLevel) => ({
  namespace: "Connection",
  level,
  label: "X",
  log: { timestamp: "t", logger: "kafkajs", message: "m", broker: "b:1" },
});

describe("kafkajsLogCreator", () => {
  it("keeps kafkajs' level, names the component and drops its own timestamp and logger keys", () => {
    const { calls, logger } = recorder();
    const log = kafkajsLogCreator(logger)(logLevel.DEBUG);
    for (const level of [logLevel.ERROR, logLevel.WARN, logLevel.INFO, logLevel.DEBUG]) log(entry(level));
    expect(calls.map(([level]) => level)).toEqual(["error", "warn", "info", "debug"]);
    expect(calls[0]![1]).toEqual({ broker: "b:1", component: "kafkajs.Connection" });
    expect(calls[0]![2]).toBe("m");
  });

  it("logs errors as warnings when asked", () => {
    const { calls, logger } = recorder();
    kafkajsLogCreator(logger, { errorsAsWarnings: true })(logLevel.INFO)(entry(logLevel.ERROR));
    expect(calls[0]![0]).toBe("warn");
  });
});
