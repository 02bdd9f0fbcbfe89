/** One scrape of a processor's metrics: the totals the bench relates to each other. */
export interface ProcessorSample {
  /** Input records received (gametel_stream_records_consumed_total). */
  readonly consumed: number;
  /** process_cpu_seconds_total (user + system). */
  readonly cpuSeconds: number;
  readonly storeWrites: number;
  readonly documentsWritten: number;
  readonly bytesWritten: number;
  /** Bytes written by collection (the `collection` label of the bytes-written counter). */
  readonly bytesByCollection?: Readonly<Record<string, number>>;
}

/** What a processor run cost per input event, from its own metrics (see the README's Benchmarks section). */
export interface StoreFigures {
  /** MongoDB bulk writes per event, whole run. */
  readonly writesPerEvent: number;
  /** Documents upserted or merged per event, whole run. */
  readonly documentsPerEvent: number;
  /** BSON bytes of written documents per event, whole run. */
  readonly bytesPerEvent: number;
  /** Processor CPU per event between the first scrape that saw records and the last one (start-up excluded). */
  readonly cpuMicrosPerEvent: number | null;
  /** Bytes written per event by collection, whole run (where the bytes go). */
  readonly bytesPerEventByCollection?: Readonly<Record<string, number>>;
}

/** Figures from the first scrape that saw records and the last scrape before exit; null without records. */
export function storeFigures(
  first: ProcessorSample | null,
  last: ProcessorSample | null,
): StoreFigures | null {
  if (last === null || last.consumed <= 0) return null;
  const steady = first === null ? 0 : last.consumed - first.consumed;
  return {
    writesPerEvent: last.storeWrites / last.consumed,
    documentsPerEvent: last.documentsWritten / last.consumed,
    bytesPerEvent: last.bytesWritten / last.consumed,
    cpuMicrosPerEvent:
      first === null || steady <= 0 ? null : ((last.cpuSeconds - first.cpuSeconds) / steady) * 1e6,
    ...(last.bytesByCollection === undefined
      ? {}
      : {
          bytesPerEventByCollection: Object.fromEntries(
            Object.entries(last.bytesByCollection).map(([c, bytes]) => [c, bytes / last.consumed]),
          ),
        }),
  };
}
