import { MetricNames } from "@gametel/runtime";
import { sumByLabel, sumMetrics } from "../internal/promText.js";
import { storeFigures, type ProcessorSample, type StoreFigures } from "../internal/storeFigures.js";

const CPU = "process_cpu_seconds_total";

/**
 * Scrapes a processor's ops server (`/metrics`) while it runs and keeps the first scrape that saw records and the
 * last successful one; a processor that exits when caught up closes its server, so the last scrape is at most one
 * poll interval before the end.
 */
export class ProcessorMeter {
  readonly #url: string;
  #first: ProcessorSample | null = null;
  #last: ProcessorSample | null = null;

  constructor(port: number) {
    this.#url = `http://127.0.0.1:${port}/metrics`;
  }

  async scrape(): Promise<void> {
    let text: string;
    try {
      const response = await fetch(this.#url, { signal: AbortSignal.timeout(1000) });
      if (!response.ok) return;
      text = await response.text();
    } catch {
      return; // not listening yet, or already closed
    }
    const m = sumMetrics(text, [
      MetricNames.recordsConsumed,
      MetricNames.storeWrites,
      MetricNames.storeDocumentsWritten,
      MetricNames.storeBytesWritten,
      CPU,
    ]);
    const sample: ProcessorSample = {
      consumed: m[MetricNames.recordsConsumed] ?? 0,
      cpuSeconds: m[CPU] ?? 0,
      storeWrites: m[MetricNames.storeWrites] ?? 0,
      documentsWritten: m[MetricNames.storeDocumentsWritten] ?? 0,
      bytesWritten: m[MetricNames.storeBytesWritten] ?? 0,
      bytesByCollection: sumByLabel(text, MetricNames.storeBytesWritten, "collection"),
    };
    if (this.#first === null && sample.consumed > 0) this.#first = sample;
    this.#last = sample;
  }

  figures(): StoreFigures | null {
    return storeFigures(this.#first, this.#last);
  }
}
