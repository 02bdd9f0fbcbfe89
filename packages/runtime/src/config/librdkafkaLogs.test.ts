import { describe, expect, it } from "vitest";
import type { Logger } from "../ops/Logger.js";
import { librdkafkaLogListener } from "./librdkafka.js";

describe("librdkafkaLogListener", () => {
  it("logs librdkafka's lines at their syslog severity, naming the client and facility", () => {
    const calls: [string, Record<string, unknown>, string][] = [];
    const at = (level: string) => (fields: Record<string, unknown>, message: string) =>
      void calls.push([level, fields, message]);
    const logger: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
    const listen = librdkafkaLogListener(logger, "consumer");
    for (const severity of [3, 4, 6, 7]) listen({ severity, fac: "FAIL", message: `s${severity}` });
    expect(calls).toEqual([
      ["error", { component: "librdkafka.consumer", facility: "FAIL" }, "s3"],
      ["warn", { component: "librdkafka.consumer", facility: "FAIL" }, "s4"],
      ["info", { component: "librdkafka.consumer", facility: "FAIL" }, "s6"],
      ["debug", { component: "librdkafka.consumer", facility: "FAIL" }, "s7"],
    ]);
  });
});
