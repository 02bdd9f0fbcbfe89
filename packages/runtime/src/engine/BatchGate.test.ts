import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BatchGate } from "./BatchGate.js";

describe("BatchGate", () => {
  it("never runs an exclusive task together with a batch or another exclusive task, for any interleaving", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.constantFrom("batch", "exclusive"), { minLength: 1, maxLength: 12 }),
        async (s, kinds) => {
          const gate = new BatchGate();
          let batches = 0;
          let exclusives = 0;
          const violations: string[] = [];
          const exclusiveOrder: number[] = [];
          const tasks = kinds.map((kind, i) =>
            s.schedule(Promise.resolve(i), `start ${kind} ${i}`).then(() =>
              kind === "batch"
                ? gate.batch(async () => {
                    batches++;
                    if (exclusives > 0) violations.push(`batch ${i} during exclusive`);
                    await s.schedule(Promise.resolve(), `end batch ${i}`);
                    batches--;
                  })
                : gate.exclusive(async () => {
                    exclusives++;
                    exclusiveOrder.push(i);
                    if (batches > 0 || exclusives > 1) violations.push(`exclusive ${i} overlapped`);
                    await s.schedule(Promise.resolve(), `end exclusive ${i}`);
                    exclusives--;
                  }),
            ),
          );
          await s.waitFor(Promise.all(tasks));
          expect(violations).toEqual([]);
          expect(batches).toBe(0);
          expect(exclusives).toBe(0);
          expect(exclusiveOrder).toHaveLength(kinds.filter((k) => k === "exclusive").length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("lets batches run concurrently", async () => {
    const gate = new BatchGate();
    let active = 0;
    let maxActive = 0;
    let release!: () => void;
    const blocker = new Promise<void>((r) => (release = r));
    const run = () =>
      gate.batch(async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await blocker;
        active--;
      });
    const all = Promise.all([run(), run(), run()]);
    await new Promise((r) => setImmediate(r));
    release();
    await all;
    expect(maxActive).toBe(3);
  });

  it("runs exclusive tasks in queue order and waits for running batches", async () => {
    const gate = new BatchGate();
    const log: string[] = [];
    let release!: () => void;
    const blocker = new Promise<void>((r) => (release = r));
    const batch = gate.batch(async () => {
      log.push("batch start");
      await blocker;
      log.push("batch end");
    });
    const first = gate.exclusive(async () => void log.push("exclusive 1"));
    const second = gate.exclusive(async () => void log.push("exclusive 2"));
    const late = gate.batch(async () => void log.push("late batch"));
    release();
    await Promise.all([batch, first, second, late]);
    expect(log).toEqual(["batch start", "batch end", "exclusive 1", "exclusive 2", "late batch"]);
  });

  it("keeps going after a task rejects", async () => {
    const gate = new BatchGate();
    await expect(gate.exclusive(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(gate.batch(() => Promise.reject(new Error("bang")))).rejects.toThrow("bang");
    await expect(gate.batch(async () => 42)).resolves.toBe(42);
    await gate.idle();
  });
});
