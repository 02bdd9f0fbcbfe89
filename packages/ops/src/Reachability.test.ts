import { describe, expect, it } from "vitest";
import { UnreachableError, maskUriPassword, reachKafka, reachMongo } from "./Reachability.js";

// Port 1 on the loopback: nothing listens, so every connection is refused at once.
describe("reach*: one line for an endpoint that does not answer", () => {
  it("Kafka: names the brokers, the reason, the setting; gives up at the timeout", async () => {
    const started = Date.now();
    const error = await reachKafka(
      { brokers: ["127.0.0.1:1"], clientId: "t" },
      { timeoutMs: 1500, setting: "--brokers / KAFKA_BROKERS" },
    ).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toBe(
      "cannot reach Kafka at 127.0.0.1:1 within 1.5 s (Connection error: connect ECONNREFUSED 127.0.0.1:1); " +
        "check that it runs and that --brokers / KAFKA_BROKERS points to it (local stack: pnpm stack:status)",
    );
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(5000);
  });

  it("MongoDB: masks the password", async () => {
    const error = await reachMongo(
      "mongodb://reader:s3cret@127.0.0.1:1/?directConnection=true",
      {},
      { timeoutMs: 800, setting: "--mongo-uri / MONGODB_URI" },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toBe(
      "cannot reach MongoDB at mongodb://reader:***@127.0.0.1:1/?directConnection=true within 0.8 s " +
        "(connect ECONNREFUSED 127.0.0.1:1); check that it runs and that --mongo-uri / MONGODB_URI points to it " +
        "(local stack: pnpm stack:status)",
    );
    expect((error as Error).message).not.toContain("s3cret");
  });

  it.each([
    ["mongodb://u:p@h/db", "mongodb://u:***@h/db"],
    ["mongodb+srv://u:p@a,b/?x=1", "mongodb+srv://u:***@a,b/?x=1"],
    ["mongodb://h:27017", "mongodb://h:27017"],
  ])("maskUriPassword(%s) = %s", (uri, masked) => {
    expect(maskUriPassword(uri)).toBe(masked);
  });
});
