package dev.gametel.bench;

import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * What gametel's StreamTask does before its reducers, per player key: deduplication by event id, the key's stream
 * time and lateness, and the 5-minute windowed PlayerStats (core's windowedPlayerStats: a life counts in the window
 * of its death; a spawn is carried as context into the windows that start within the life horizon). Distinct events
 * go downstream to the all-time aggregate, late ones included (as in gametel, lateness only closes windows).
 *
 * <p>Stores: {@code dedup-ids} (a window store of event ids, the Kafka Streams idiom for "seen within a horizon"),
 * {@code stream-time} (per key), {@code player-windows} (window states keyed {@code key|windowStart}; the record
 * cache writes each dirty one to RocksDB and its changelog once per commit).
 */
final class ArrivalProcessor implements FixedKeyProcessor<String, TelemetryEvent, TelemetryEvent> {
  static final String DEDUP_STORE = "dedup-ids";
  static final String STREAM_TIME_STORE = "stream-time";
  static final String WINDOWS_STORE = "player-windows";

  private final long windowMs;
  private final long graceMs;
  private final long lifeHorizonMs;
  private final long dedupHorizonMs;
  private FixedKeyProcessorContext<String, TelemetryEvent> context;
  private WindowStore<String, Long> seen;
  private KeyValueStore<String, Long> streamTime;
  private KeyValueStore<String, PlayerStatsState> windows;

  ArrivalProcessor(long windowMs, long graceMs, long lifeHorizonMs, long dedupHorizonMs) {
    this.windowMs = windowMs;
    this.graceMs = graceMs;
    this.lifeHorizonMs = lifeHorizonMs;
    this.dedupHorizonMs = dedupHorizonMs;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, TelemetryEvent> context) {
    this.context = context;
    this.seen = context.getStateStore(DEDUP_STORE);
    this.streamTime = context.getStateStore(STREAM_TIME_STORE);
    this.windows = context.getStateStore(WINDOWS_STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, TelemetryEvent> record) {
    String key = record.key();
    TelemetryEvent e = record.value();
    long t = e.eventTime;
    String id = e.normalisedId();
    try (WindowStoreIterator<Long> hit =
        seen.fetch(id, Instant.ofEpochMilli(t - dedupHorizonMs), Instant.ofEpochMilli(t + dedupHorizonMs))) {
      if (hit.hasNext()) return; // a duplicate
    }
    seen.put(id, t, t);
    Long before = streamTime.get(key);
    if (before == null || t > before) streamTime.put(key, t);
    long own = Math.floorDiv(t, windowMs) * windowMs;
    long last = e.eventType.equals("player_spawn") ? Math.floorDiv(t + lifeHorizonMs, windowMs) * windowMs : own;
    for (long start = own; start <= last; start += windowMs) {
      if (before != null && start + windowMs + graceMs <= before) continue; // closed for this key
      String windowKey = key + "|" + start;
      PlayerStatsState state = windows.get(windowKey);
      if (state == null) state = new PlayerStatsState();
      windows.put(windowKey, start == own ? state.add(e) : state.carrySpawn(e));
    }
    context.forward(record);
  }
}
