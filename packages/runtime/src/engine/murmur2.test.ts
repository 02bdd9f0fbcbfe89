import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { murmur2, partitionForKey, toPositive } from "./murmur2.js";

describe("murmur2", () => {
  // Apache Kafka clients, UtilsTest.testMurmur2 (org.apache.kafka.common.utils).
  it.each([
    ["21", -973932308],
    ["foobar", -790332482],
    ["a-little-bit-long-string", -985981536],
    ["a-little-bit-longer-string", -1486304829],
    ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
    ["abc", 479470107],
  ])("hashes %j like Kafka's Utils.murmur2", (key, expected) => {
    expect(murmur2(Buffer.from(key))).toBe(expected);
  });

  // Values printed by the Java reference program in kafkajs (src/producer/partitioners/defaultJava/Test.java, a
  // copy of Kafka's Utils.murmur2 run on String.getBytes()); kafkajs' Java-compatible partitioner is tested with them.
  it.each([
    ["0", 971027396],
    ["1", -1993445489],
    ["128", -326012175],
    ["2187", -1508407203],
    ["16384", -325739742],
    ["78125", -1654490814],
    ["279936", 1462227128],
    ["823543", -2014198330],
    ["2097152", 607668903],
    ["4782969", -1182699775],
    ["10000000", -1830336757],
    ["19487171", -1603849305],
    ["35831808", -857013643],
    ["62748517", -1167431028],
    ["105413504", -381294639],
    ["170859375", -1658323481],
    ["100:48069", 1009543857],
  ])("hashes %j like the Java reference program", (key, expected) => {
    expect(murmur2(key)).toBe(expected);
  });

  it("hashes a string as its UTF-8 bytes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => murmur2(s) === murmur2(Buffer.from(s, "utf8"))),
    );
  });

  it("always returns a signed 32-bit integer", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => (murmur2(bytes) | 0) === murmur2(bytes)),
    );
  });
});

describe("partitionForKey", () => {
  it("is toPositive(murmur2) modulo the partition count", () => {
    // toPositive(-790332482) = 1357151166; 1357151166 % 10 = 6 (hand-computed).
    expect(partitionForKey("foobar", 10)).toBe(6);
    expect(toPositive(-790332482)).toBe(1357151166);
  });

  it("clears the sign bit instead of taking the absolute value", () => {
    // -973932308 & 0x7fffffff = 1173551340, whereas Math.abs gives 973932308.
    expect(toPositive(murmur2("21"))).toBe(1173551340);
  });

  it("always lands in range", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 1, max: 1000 }), (key, n) => {
        const p = partitionForKey(key, n);
        return Number.isInteger(p) && p >= 0 && p < n;
      }),
    );
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses %s partitions", (n) => {
    expect(() => partitionForKey("k", n)).toThrow(RangeError);
  });
});

describe("kafkajs Partitioners.DefaultPartitioner", () => {
  it("places every non-null key where partitionForKey does", async () => {
    const { Partitioners } = await import("kafkajs");
    const partitioner = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 1, max: 64 }), (key, n) => {
        const partitionMetadata = Array.from({ length: n }, (_, partitionId) => ({
          partitionId,
          leader: 0,
          partitionErrorCode: 0,
          replicas: [0],
          isr: [0],
        }));
        const chosen = partitioner({
          topic: "t",
          partitionMetadata,
          message: { key: Buffer.from(key), value: null },
        });
        return chosen === partitionForKey(key, n);
      }),
    );
  });
});
