import type { HealthView, LatencyWindow } from "../../../src/server/api/ViewTypes.ts";
import { timeChart } from "../charts.ts";
import { fill, h } from "../dom.ts";
import { fmtDec, fmtInt } from "../format.ts";
import { watch } from "../live.ts";
import type { Page } from "../main.ts";

const NUMERIC = new Set([
  "Events/s",
  "Consumed",
  "Valid",
  "Lag",
  "Dead-lettered",
  "Late",
  "Duplicates",
  "Partitions",
  "Latency p50",
  "Latency p99",
]);

const seconds = (v: number | null | undefined) => (v == null ? "–" : `${fmtDec(v)} s`);
/**
 * A latency quantile: the interpolated value, or the bucket it lies in where the histogram's buckets are too wide
 * to say more (above 60 s they grow to 300 and 3600 s).
 */
const latency = (v: number | null, bucket: readonly [number, number] | null) =>
  bucket !== null && (bucket[1] === Infinity || bucket[1] > 3 * bucket[0])
    ? bucket[1] === Infinity
      ? `> ${fmtInt(bucket[0])} s`
      : `${fmtInt(bucket[0])}–${fmtInt(bucket[1])} s`
    : seconds(v);
/** The rolling window a latency covers, for its label. */
const over = (l: LatencyWindow | null) =>
  l === null ? "" : ` (last ${Math.round(l.windowSeconds)} s, ${fmtInt(l.count)} events)`;

/** Shown under the table when duplicates were dropped: where they come from and that nothing is counted twice. */
export const DUPLICATES_WHY =
  "Why duplicates: an event whose event_id was already applied for its player is dropped, not counted again. " +
  "They come from the change-stream source's copy of existing documents overlapping its stream at start, from " +
  "producer retries and replays after a restart, and from a generator run with a fixed seed.";

const card = (label: string, value: string, testId: string) =>
  h(
    "div",
    { class: "card", "data-testid": testId },
    h("span", { class: "label" }, label),
    h("strong", {}, value),
  );

/**
 * Distinct dead letters on the dead-letter topics (by source topic, partition and offset): a dead letter re-sent by
 * a replay after a crash counts once.
 */
const deadLetterCard = (count: NonNullable<HealthView["deadLetters"]>) =>
  card(
    count.error === null
      ? `Dead letters, distinct (${fmtInt(count.records)} records on ${count.topics.join(", ")})`
      : `Dead letters, distinct (${count.topics.join(", ")} unreadable: ${count.error})`,
    `${count.capped ? "≥ " : ""}${fmtInt(count.distinct)}`,
    "health-dead-distinct",
  );

/** Pipeline health from the processors' Prometheus metrics: throughput, lag, dead letters, late events. */
export const healthPage: Page = ({ root }) => {
  const cards = h("div", { class: "cards", "data-testid": "health-totals" }, "loading…");
  const body = h("tbody");
  const duplicatesWhy = h("p", { class: "muted", "data-testid": "health-duplicates-why", hidden: "" });
  const rate = timeChart("Events per second", "events/s", "chart-rate");
  const lag = timeChart("Consumer lag", "records", "chart-lag");
  const latencyChart = timeChart("Produce-to-visible latency, rolling minute", "seconds", "chart-latency");
  fill(
    root,
    h("h1", {}, "Pipeline health"),
    cards,
    h("div", { class: "charts" }, rate.element, lag.element, latencyChart.element),
    h("h2", {}, "Processors"),
    h(
      "table",
      { class: "grid", "data-testid": "health-targets" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...[
            "Metrics endpoint",
            "Status",
            "Events/s",
            "Consumed",
            "Valid",
            "Lag",
            "Dead-lettered",
            "Late",
            "Duplicates",
            "Partitions",
            "Latency p50",
            "Latency p99",
          ].map((t) => h("th", { class: NUMERIC.has(t) ? "num" : undefined }, t)),
        ),
      ),
      body,
    ),
    duplicatesWhy,
  );
  const stop = watch<HealthView>("health", {}, (view) => {
    const t = view.totals;
    fill(
      cards,
      card("Processors up", `${t.up} / ${view.targets.length}`, "health-up"),
      card(
        "Events/s (last minute)",
        t.eventsPerSecond === null ? "–" : fmtDec(t.eventsPerSecond),
        "health-rate",
      ),
      card(
        `Latency p50${over(t.latency)}`,
        latency(t.latency?.p50 ?? null, t.latency?.p50Bucket ?? null),
        "health-latency-p50",
      ),
      card(
        "Latency p99",
        latency(t.latency?.p99 ?? null, t.latency?.p99Bucket ?? null),
        "health-latency-p99",
      ),
      card("Consumer lag", fmtInt(t.lag), "health-lag"),
      card("Consumed", fmtInt(t.consumed), "health-consumed"),
      card("Dead letters sent (since processor start)", fmtInt(t.deadLettered), "health-dead"),
      ...(view.deadLetters === null ? [] : [deadLetterCard(view.deadLetters)]),
      card("Late", fmtInt(t.late), "health-late"),
      card("Wrong partition", fmtInt(t.misPartitioned), "health-mispartitioned"),
      card("Event time out of range", fmtInt(t.eventTimeOutOfRange), "health-out-of-range"),
      card("Oversized (dead letter by reference)", fmtInt(t.deadLettersTruncated), "health-truncated"),
    );
    fill(
      body,
      ...view.targets.map((target) =>
        h(
          "tr",
          { "data-target": target.url },
          h("td", {}, h("code", {}, target.url)),
          h("td", { class: target.up ? "ok" : "bad" }, target.up ? "up" : `down: ${target.error ?? ""}`),
          h("td", { class: "num" }, target.eventsPerSecond === null ? "–" : fmtDec(target.eventsPerSecond)),
          h("td", { class: "num" }, fmtInt(target.consumed)),
          h("td", { class: "num" }, fmtInt(target.valid)),
          h("td", { class: "num" }, fmtInt(target.lag)),
          h("td", { class: "num" }, fmtInt(target.deadLettered)),
          h("td", { class: "num" }, fmtInt(target.late)),
          h("td", { class: "num" }, fmtInt(target.duplicates)),
          h("td", { class: "num" }, fmtInt(target.assignedPartitions)),
          h("td", { class: "num" }, latency(target.latency?.p50 ?? null, target.latency?.p50Bucket ?? null)),
          h("td", { class: "num" }, latency(target.latency?.p99 ?? null, target.latency?.p99Bucket ?? null)),
        ),
      ),
    );
    if (view.targets.length === 0) {
      fill(
        body,
        h(
          "tr",
          {},
          h("td", { colspan: 12, class: "muted" }, "No metrics endpoints configured (GAMETEL_METRICS_URLS)."),
        ),
      );
    }
    const duplicates = view.targets.reduce((sum, target) => sum + target.duplicates, 0);
    duplicatesWhy.hidden = duplicates === 0;
    fill(duplicatesWhy, DUPLICATES_WHY);
    const times = view.history.map((p) => p.time);
    rate.update(times, [
      { label: "events/s", color: "#1f6feb", values: view.history.map((p) => p.eventsPerSecond) },
    ]);
    lag.update(times, [{ label: "lag", color: "#cf222e", values: view.history.map((p) => p.lag) }]);
    latencyChart.update(times, [
      { label: "p50 (s)", color: "#2da44e", values: view.history.map((p) => p.latencyP50) },
      { label: "p99 (s)", color: "#cf222e", values: view.history.map((p) => p.latencyP99) },
    ]);
  });
  return () => {
    stop();
    rate.destroy();
    lag.destroy();
    latencyChart.destroy();
  };
};
