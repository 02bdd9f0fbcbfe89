import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from "kafkajs";
import { describe, expect, it } from "vitest";
import { isBrokerUnreachable, isRebalanceError, toRecord } from "./messages.js";

describe("toRecord", () => {
  it("converts offsets to bigint, timestamps to numbers and headers to bytes (last value wins)", () => {
    const record = toRecord("in", 3, {
      key: Buffer.from("k"),
      value: Buffer.from("v"),
      timestamp: "1700000000123",
      attributes: 0,
      offset: "9007199254740993",
      headers: { a: Buffer.from("1"), b: "text", c: [Buffer.from("x"), "y"], d: undefined },
    });
    expect(record).toEqual({
      topic: "in",
      partition: 3,
      offset: 9007199254740993n,
      key: Buffer.from("k"),
      value: Buffer.from("v"),
      timestamp: 1700000000123,
      headers: { a: Buffer.from("1"), b: Buffer.from("text"), c: Buffer.from("y") },
    });
  });

  it("keeps null keys and values", () => {
    const record = toRecord("in", 0, {
      key: null,
      value: null,
      timestamp: "0",
      attributes: 0,
      offset: "0",
      size: 0,
    });
    expect(record.offset).toBe(0n);
    expect(record.key).toBeNull();
    expect(record.value).toBeNull();
    expect(record.headers).toEqual({});
  });
});

describe("isRebalanceError", () => {
  // kafkajs builds protocol errors from its error-code table entries ({ type, code, retriable, message }).
  const protocol = (type: string) =>
    new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 27, retriable: false }));

  it.each(["REBALANCE_IN_PROGRESS", "ILLEGAL_GENERATION", "UNKNOWN_MEMBER_ID"])(
    "recognises %s, also wrapped by retries",
    (type) => {
      expect(isRebalanceError(protocol(type))).toBe(true);
      expect(
        isRebalanceError(
          new KafkaJSNumberOfRetriesExceeded(protocol(type), { retryCount: 5, retryTime: 1000 }),
        ),
      ).toBe(true);
    },
  );

  it("does not take other failures for a rebalance", () => {
    expect(isRebalanceError(protocol("OFFSET_METADATA_TOO_LARGE"))).toBe(false);
    expect(isRebalanceError(new Error("socket hang up"))).toBe(false);
    expect(isRebalanceError("REBALANCE_IN_PROGRESS")).toBe(false);
  });
});

describe("isBrokerUnreachable", () => {
  const protocol = (type: string) =>
    new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 5, retriable: true }));
  const refused = new KafkaJSConnectionError("Connection error: connect ECONNREFUSED 127.0.0.1:9092");
  const retriesExceeded = (cause: Error) =>
    new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 5, retryTime: 3000 });

  it.each<[string, Error]>([
    ["a refused connection", refused],
    ["the same after kafkajs' retries", retriesExceeded(refused)],
    // What the engine saw before issue 16 and exited on: the non-retriable wrapper of ECONNREFUSED.
    ["the non-retriable wrapper of a refused connection", new KafkaJSNonRetriableError(refused)],
    ["a plain socket error", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })],
    ["a leader not back yet", retriesExceeded(protocol("LEADER_NOT_AVAILABLE"))],
    ["a coordinator still loading", protocol("COORDINATOR_LOAD_IN_PROGRESS")],
  ])("waits on %s", (_what, error) => {
    expect(isBrokerUnreachable(error)).toBe(true);
  });

  it.each<[string, unknown]>([
    ["a rebalance", protocol("REBALANCE_IN_PROGRESS")],
    ["a refused authorization", protocol("TOPIC_AUTHORIZATION_FAILED")],
    ["a bug", new TypeError("cannot read properties of undefined")],
    ["a string", "ECONNREFUSED"],
  ])("does not wait on %s", (_what, error) => {
    expect(isBrokerUnreachable(error)).toBe(false);
  });
});
