/**
 * Metric names of the stream runtime, in one place (Kafka Streams-like: `<component>_<thing>_<unit>`).
 * The README's "Metrics" section lists the same names and help texts word for word.
 */
export const MetricNames = {
  recordsConsumed: "gametel_stream_records_consumed_total",
  recordsValid: "gametel_stream_records_valid_total",
  recordsDeadLettered: "gametel_stream_records_dead_lettered_total",
  recordsDuplicate: "gametel_stream_records_duplicate_total",
  recordsLate: "gametel_stream_records_late_total",
  recordsSkippedApplied: "gametel_stream_records_skipped_applied_total",
  batchDuration: "gametel_stream_batch_duration_seconds",
  batchSize: "gametel_stream_batch_records",
  storeWriteDuration: "gametel_stream_store_write_duration_seconds",
  storeRetries: "gametel_stream_store_write_retries_total",
  storeWrites: "gametel_stream_store_writes_total",
  storeDocumentsWritten: "gametel_stream_store_documents_written_total",
  storeBytesWritten: "gametel_stream_store_bytes_written_total",
  cacheHits: "gametel_stream_cache_hits_total",
  cacheMisses: "gametel_stream_cache_misses_total",
  cacheEntries: "gametel_stream_cache_entries",
  commits: "gametel_stream_commits_total",
  consumerLag: "gametel_stream_consumer_lag",
  endToEndLatency: "gametel_stream_end_to_end_latency_seconds",
  assignedPartitions: "gametel_stream_assigned_partitions",
  keyPartitionMismatch: "gametel_stream_key_partition_mismatch_total",
  recordsMisPartitioned: "gametel_stream_records_mispartitioned_total",
  recordsEventTimeOutOfRange: "gametel_stream_records_event_time_out_of_range_total",
  deadLettersTruncated: "gametel_stream_dead_letters_truncated_total",
  brokerUnreachable: "gametel_stream_broker_unreachable_seconds",
  brokerReconnects: "gametel_stream_broker_reconnects_total",
} as const;

/** Help texts, word for word the same as in the README. */
export const MetricHelp: Record<keyof typeof MetricNames, string> = {
  recordsConsumed: "Input records received from Kafka (every record of every batch, replays included).",
  recordsValid: "Input records that decoded into a valid event and were not duplicates (applied once each).",
  recordsDeadLettered:
    "Input records sent to the dead-letter topic: failed decoding, or refused by the input contract (partition, event time).",
  recordsDuplicate: "Valid input records dropped because their event_id was already applied for their key.",
  recordsLate:
    "Valid events that arrived after their window's end plus grace (still counted in all-time stats).",
  recordsSkippedApplied:
    "Records skipped because MongoDB already holds their effect (replay after a crash or rebalance).",
  batchDuration:
    "Time to process one partition batch: decode, load and apply, plus the commit when one is due.",
  batchSize: "Records per partition batch.",
  storeWriteDuration: "Time of one MongoDB bulk write, by collection.",
  storeRetries: "MongoDB write attempts retried after an error.",
  storeWrites: "MongoDB bulk write attempts, by collection (a retried write counts again).",
  storeDocumentsWritten: "Documents upserted or merged by those bulk writes, by collection.",
  storeBytesWritten:
    "BSON bytes of the written documents' content (id, fields or, for a field delta, the changed fields, encoded state, fence; no update operators), by collection.",
  cacheHits: "State lookups served by the in-memory cache.",
  cacheMisses: "State lookups loaded from MongoDB.",
  cacheEntries: "Entries in the bounded state cache.",
  commits:
    "Task commits (states written, then offsets committed), by reason: interval, records, bytes, cache or close.",
  consumerLag: "High watermark minus the processed position, per input partition.",
  endToEndLatency: "Time from an event's event_time to the commit that wrote it to MongoDB.",
  assignedPartitions: "Input partitions currently assigned to this instance.",
  keyPartitionMismatch:
    "Key-state documents found with another partition than the record's (producer partitioner mismatch).",
  recordsMisPartitioned:
    "Valid events dead-lettered because they were not on the partition murmur2 assigns to their partition key.",
  recordsEventTimeOutOfRange:
    "Valid events dead-lettered because their event_time was before the floor or too far in the future.",
  deadLettersTruncated:
    "Dead letters sent as a reference (source position, size, hash, first bytes) because the record was too large.",
  brokerUnreachable:
    "Seconds Kafka has been unreachable in the current outage (0 while it answers); the processor exits once this reaches --broker-patience-ms.",
  brokerReconnects: "Kafka outages that ended with the brokers answering again within the patience.",
};
