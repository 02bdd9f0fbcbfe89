import type { HealthView } from "../../../src/server/api/ViewTypes.ts";
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
  "Latency",
]);

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
  fill(
    root,
    h("h1", {}, "Pipeline health"),
    cards,
    h("div", { class: "charts" }, rate.element, lag.element),
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
            "Latency",
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
      card("Events/s", t.eventsPerSecond === null ? "–" : fmtDec(t.eventsPerSecond), "health-rate"),
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
          h(
            "td",
            { class: "num" },
            target.meanLatencySeconds === null ? "–" : `${fmtDec(target.meanLatencySeconds)} s`,
          ),
        ),
      ),
    );
    if (view.targets.length === 0) {
      fill(
        body,
        h(
          "tr",
          {},
          h("td", { colspan: 11, class: "muted" }, "No metrics endpoints configured (GAMETEL_METRICS_URLS)."),
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
  });
  return () => {
    stop();
    rate.destroy();
    lag.destroy();
  };
};
