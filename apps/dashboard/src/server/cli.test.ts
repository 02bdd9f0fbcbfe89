import { describe, expect, it } from "vitest";
import { parseDashboardArgs } from "./cli.js";

const KEY = "k".repeat(24);
const parse = (argv: string[], env: Record<string, string> = {}) => parseDashboardArgs(argv, env, null);

describe("secure defaults: where the dashboard listens", () => {
  it("listens on localhost unless told otherwise", () => {
    const parsed = parse([]);
    expect(parsed.kind === "config" && parsed.config.host).toBe("127.0.0.1");
  });

  it.each([
    [["--host", "0.0.0.0"], {}],
    [[], { HOST: "0.0.0.0" }],
    [["--host", "192.168.1.20"], {}],
    [["--host", "::"], {}],
  ])("refuses to open the feed beyond localhost without keys: %j %j", (argv, env) => {
    const parsed = parse(argv, env);
    expect(parsed.kind).toBe("error");
    expect(parsed.kind === "error" && parsed.message).toMatch(
      /^HOST .+ would open the OData feed and CSV exports to anyone who can reach it: set GAMETEL_ODATA_API_KEYS, .*--insecure-open/,
    );
  });

  it.each([
    [["--host", "0.0.0.0", "--insecure-open"], {}],
    [["--host", "0.0.0.0"], { GAMETEL_INSECURE_OPEN: "1" }],
    [["--host", "0.0.0.0"], { GAMETEL_ODATA_API_KEYS: KEY }],
    [["--host", "127.0.0.2"], {}],
    [["--host", "::1"], {}],
  ])("serves beyond localhost with keys or --insecure-open, and on loopback: %j %j", (argv, env) => {
    expect(parse(argv, env).kind).toBe("config");
  });

  it("refuses a GAMETEL_INSECURE_OPEN that is not a boolean", () => {
    const parsed = parse([], { GAMETEL_INSECURE_OPEN: "yes please" });
    expect(parsed.kind === "error" && parsed.message).toBe(
      'GAMETEL_INSECURE_OPEN must be 1, true, 0 or false, got "yes please"',
    );
  });

  it("reads the dead letters over SASL_SSL with the processors' Kafka settings (flags over the environment)", () => {
    const parsed = parse(
      ["--kafka-security-protocol", "SASL_SSL", "--kafka-sasl-mechanism", "SCRAM-SHA-512"],
      {
        KAFKA_SASL_USERNAME: "gametel",
        KAFKA_SASL_PASSWORD: "pw-0123456789",
      },
    );
    expect(parsed.kind === "config" && parsed.config.kafkaConnection).toEqual({
      ssl: true,
      sasl: { mechanism: "scram-sha-512", username: "gametel", password: "pw-0123456789" },
    });
    const plain = parse([]);
    expect(plain.kind === "config" && plain.config.kafkaConnection).toEqual({ ssl: false });
  });

  it("refuses SASL without credentials in one line", () => {
    const parsed = parse([], { KAFKA_SECURITY_PROTOCOL: "SASL_SSL" });
    expect(parsed.kind === "error" && parsed.message).toBe(
      "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD must be set for --kafka-security-protocol SASL_SSL",
    );
  });
});
