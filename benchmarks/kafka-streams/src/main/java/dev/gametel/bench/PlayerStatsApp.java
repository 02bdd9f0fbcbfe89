package dev.gametel.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams reference for gametel's benchmarks, like for like with the processors' player insights: dedup by
 * event id (10-minute horizon), per-key stream time and lateness, the 14 PlayerStats fields per 5-minute window
 * (grace 60 s; {@link ArrivalProcessor}) and all time (a compacted output topic).
 *
 * <p>Records are keyed by gametel's partition key (game_id:player_id for player events) and every step keeps the key,
 * so the aggregation is a plain groupByKey().aggregate() over a RocksDB store, with no repartition topic.
 *
 * <p>Flags: --brokers, --input-topic, --output-topic, --application-id, --state-dir, --threads (2),
 * --guarantee (exactly_once_v2 | at_least_once), --cache-bytes, --commit-interval-ms, --exit-when-caught-up.
 */
public final class PlayerStatsApp {
  private PlayerStatsApp() {}

  static final long WINDOW_MS = 300_000;
  static final long GRACE_MS = 60_000;
  /** gametel's dedup horizon: 10 minutes of event time (core DEFAULT_DEDUP_WINDOW_MS). */
  static final long DEDUP_HORIZON_MS = 600_000;

  static Topology topology(String input, String output) {
    Serde<TelemetryEvent> events = JsonSerde.of(TelemetryEvent.class);
    Serde<PlayerStatsState> states = JsonSerde.of(PlayerStatsState.class);
    Serde<PlayerStats> stats = JsonSerde.of(PlayerStats.class);
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                ArrivalProcessor.DEDUP_STORE,
                Duration.ofMillis(2 * DEDUP_HORIZON_MS),
                Duration.ofMillis(DEDUP_HORIZON_MS),
                false),
            Serdes.String(),
            Serdes.Long())
        .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ArrivalProcessor.STREAM_TIME_STORE), Serdes.String(), Serdes.Long())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ArrivalProcessor.WINDOWS_STORE), Serdes.String(), states)
            .withCachingEnabled());
    builder.stream(input, Consumed.with(Serdes.String(), events))
        .filter((key, event) -> key != null && event != null && event.isPlayerScoped())
        .processValues(
            () -> new ArrivalProcessor(WINDOW_MS, GRACE_MS, WINDOW_MS, DEDUP_HORIZON_MS),
            ArrivalProcessor.DEDUP_STORE,
            ArrivalProcessor.STREAM_TIME_STORE,
            ArrivalProcessor.WINDOWS_STORE)
        .groupByKey()
        .aggregate(
            PlayerStatsState::new,
            (key, event, state) -> state.add(event),
            Materialized.<String, PlayerStatsState, KeyValueStore<Bytes, byte[]>>as("player-stats")
                .withKeySerde(Serdes.String())
                .withValueSerde(states))
        .toStream()
        .mapValues(PlayerStatsState::toStats)
        .to(output, Produced.with(Serdes.String(), stats));
    return builder.build();
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = parse(argv);
    String brokers = args.getOrDefault("brokers", "localhost:9092");
    String input = args.getOrDefault("input-topic", "telemetry.events");
    String output = args.getOrDefault("output-topic", "player.stats.kstreams");
    String appId = args.getOrDefault("application-id", "gametel-kstreams-reference");
    boolean exitWhenCaughtUp = args.containsKey("exit-when-caught-up");

    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    props.put(StreamsConfig.STATE_DIR_CONFIG, args.getOrDefault("state-dir", "/tmp/kafka-streams"));
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.parseInt(args.getOrDefault("threads", "2")));
    props.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        args.getOrDefault("guarantee", StreamsConfig.EXACTLY_ONCE_V2));
    props.put(
        StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG,
        Long.parseLong(args.getOrDefault("cache-bytes", String.valueOf(64L * 1024 * 1024))));
    if (args.containsKey("commit-interval-ms"))
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.parseLong(args.get("commit-interval-ms")));
    props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class.getName());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");

    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    try (Admin admin = Admin.create(adminProps)) {
      createCompacted(admin, output, Integer.parseInt(args.getOrDefault("partitions", "6")));
      KafkaStreams streams = new KafkaStreams(topology(input, output), props);
      CountDownLatch done = new CountDownLatch(1);
      int[] exitCode = {0};
      streams.setStateListener(
          (now, before) -> {
            System.out.println("{\"state\":\"" + now + "\",\"at\":" + System.currentTimeMillis() + "}");
            if (now == KafkaStreams.State.ERROR) {
              exitCode[0] = 1;
              done.countDown();
            }
          });
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        streams.close(Duration.ofSeconds(30));
      }));
      streams.start();

      ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor();
      if (exitWhenCaughtUp) {
        monitor.scheduleWithFixedDelay(
            () -> {
              try {
                if (streams.state() == KafkaStreams.State.RUNNING && caughtUp(admin, appId, input)) done.countDown();
              } catch (Exception e) {
                System.err.println("caught-up check failed: " + e);
              }
            },
            500,
            250,
            TimeUnit.MILLISECONDS);
      }
      done.await();
      monitor.shutdownNow();
      System.out.println("{\"caught_up\":true,\"at\":" + System.currentTimeMillis() + "}");
      streams.close(Duration.ofSeconds(30));
      System.exit(exitCode[0]);
    }
  }

  /** True when the application's consumer group has committed the end offset of every input partition. */
  static boolean caughtUp(Admin admin, String group, String topic) throws Exception {
    Set<TopicPartition> partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .collect(Collectors.toSet());
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicPartition tp : partitions) latest.put(tp, OffsetSpec.latest());
    var ends = admin.listOffsets(latest).all().get();
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    for (TopicPartition tp : partitions) {
      long end = ends.get(tp).offset();
      OffsetAndMetadata at = committed.get(tp);
      if (end > 0 && (at == null || at.offset() < end)) return false;
    }
    return true;
  }

  static void createCompacted(Admin admin, String topic, int partitions) throws Exception {
    NewTopic spec =
        new NewTopic(topic, partitions, (short) 1)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(List.of(spec)).all().get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) throw e;
    }
  }

  static Map<String, String> parse(String[] argv) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
      String name = a.substring(2);
      if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) out.put(name, argv[++i]);
      else out.put(name, "true");
    }
    return out;
  }
}
