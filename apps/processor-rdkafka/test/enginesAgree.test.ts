import {
  BROKER_DEFAULT_OVERSIZED_BYTES,
  enginesAgreeScenario,
  expectExact,
  hostileDataset,
  sourceLauncher,
} from "@gametel/runtime/testing";
import { expect, it } from "vitest";
import { rdkafka } from "./support.js";

// The kafkajs app's main, from its own folder: both engines read the same input topic (own groups and databases).
const kafkajs = sourceLauncher("kafkajs", new URL("../../processor-kafkajs/", import.meta.url));

it("kafkajs and rdkafka write identical player_stats for the same input (hostile records included), both exact", async () => {
  // Here the oversized record fits a default-config topic (the per-engine tests use a larger one on a topic that
  // takes it): both are larger than a dead letter may be.
  const { records, summary, hostile } = hostileDataset(404, {
    oversizedBytes: BROKER_DEFAULT_OVERSIZED_BYTES,
  });
  expect(hostile.topicConfig).toEqual({});
  const result = await enginesAgreeScenario([kafkajs, rdkafka], {
    records,
    topicConfig: hostile.topicConfig,
    timeoutMs: 240_000,
  });
  console.log(
    `engines agree: ${result.players} players; ${result.reports.map((r) => `${r.engine} ${r.durationMs} ms`).join(", ")}`,
  );
  expect(result.engines).toEqual(["kafkajs", "rdkafka"]);
  expect(result.diffs).toEqual([]);
  expect(result.players).toBeGreaterThan(0);
  for (const report of result.reports) expectExact(report, summary, hostile);
  // The same reason bytes on both engines, record for record.
  expect(result.reports[0].deadLetters.reasons).toEqual(result.reports[1].deadLetters.reasons);
});
