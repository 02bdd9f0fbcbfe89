import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BrokerPatience } from "./BrokerPatience.js";

describe("BrokerPatience", () => {
  it("is reachable until a failure is reported", () => {
    const p = new BrokerPatience({ patienceMs: 1_000 });
    expect(p.check(0)).toEqual({ kind: "reachable" });
    expect(p.reachable(5)).toBeNull();
    expect(p.downForMs(10)).toBe(0);
  });

  it("waits within the patience, counted from the FIRST failure of an outage", () => {
    const p = new BrokerPatience({ patienceMs: 1_000, warnEveryMs: 100 });
    expect(p.unreachable(100, "ECONNREFUSED")).toMatchObject({
      kind: "waiting",
      downForMs: 0,
      remainingMs: 1_000,
      warn: true,
    });
    expect(p.unreachable(600, "timeout")).toMatchObject({
      kind: "waiting",
      downForMs: 500,
      reason: "timeout",
    });
    expect(p.unreachableSince).toBe(100);
    expect(p.check(1_099)).toMatchObject({ kind: "waiting", remainingMs: 1 });
    expect(p.check(1_100)).toEqual({ kind: "exhausted", downForMs: 1_000, reason: "timeout" });
  });

  it("rate-limits warn lines", () => {
    const p = new BrokerPatience({ patienceMs: 60_000, warnEveryMs: 10_000 });
    const warns = [0, 1_000, 9_999, 10_000, 15_000, 20_000, 20_001].map(
      (t) => (p.unreachable(t, "down") as { warn: boolean }).warn,
    );
    expect(warns).toEqual([true, false, false, true, false, true, false]);
  });

  it("a recovery ends the outage, counts it, and the next outage starts afresh", () => {
    const p = new BrokerPatience({ patienceMs: 1_000, warnEveryMs: 100 });
    p.unreachable(0, "down");
    expect(p.reachable(900)).toBe(900);
    expect(p.recoveries).toBe(1);
    expect(p.check(5_000)).toEqual({ kind: "reachable" });
    expect(p.unreachable(5_000, "down")).toMatchObject({ kind: "waiting", downForMs: 0, warn: true });
    expect(p.check(5_999).kind).toBe("waiting");
    expect(p.check(6_000).kind).toBe("exhausted");
  });

  it("refuses a patience that is not positive", () => {
    expect(() => new BrokerPatience({ patienceMs: 0 })).toThrow(/positive/);
  });

  it("for any sequence of reports, gives up exactly when one outage lasted the patience", () => {
    const step = fc.record({ gap: fc.integer({ min: 0, max: 400 }), up: fc.boolean() });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000 }),
        fc.array(step, { maxLength: 60 }),
        (patienceMs, steps) => {
          const p = new BrokerPatience({ patienceMs });
          let now = 0;
          let since: number | null = null;
          for (const { gap, up } of steps) {
            now += gap;
            if (up) {
              expect(p.reachable(now)).toBe(since === null ? null : now - since);
              since = null;
              continue;
            }
            since ??= now;
            const verdict = p.unreachable(now, "down");
            expect(verdict.kind).toBe(now - since >= patienceMs ? "exhausted" : "waiting");
          }
        },
      ),
    );
  });
});
