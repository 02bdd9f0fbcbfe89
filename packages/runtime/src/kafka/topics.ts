import { Kafka, type Admin } from "kafkajs";
import { toKafkajsConfig } from "./kafkajsConfig.js";
import type { KafkaSettings, TopicSettings } from "../config/ProcessorConfig.js";
import type { Logger } from "../ops/Logger.js";

/** A topic the processors need, as it is created when missing. */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Topic configuration entries, e.g. { "cleanup.policy": "compact" }. */
  readonly config: Readonly<Record<string, string>>;
}

/**
 * The processors' topics: input, dead letters, late events (if enabled) and the compacted `PlayerStats` output.
 * All get the configured partition count: the output and dead-letter topics are keyed like the input.
 */
export function processorTopics(topics: TopicSettings): TopicSpec[] {
  const plain = (name: string): TopicSpec => ({ name, partitions: topics.partitions, config: {} });
  return [
    plain(topics.input),
    plain(topics.dlq),
    ...(topics.late === null ? [] : [plain(topics.late)]),
    { name: topics.output, partitions: topics.partitions, config: { "cleanup.policy": "compact" } },
  ];
}

/** How long a topic listed by the broker may answer metadata as unknown (created a moment ago by another client). */
const METADATA_SETTLE_MS = 15_000;

/**
 * Topic metadata once every partition has a leader, retried while the broker answers with a retriable error: a
 * topic created a moment ago (here, or by another client such as the change-stream source) can answer
 * UNKNOWN_TOPIC_OR_PARTITION for a short while on a fresh broker. kafkajs' own wait for leaders (`createTopics`
 * with `waitForLeaders`) gives up on that error; a fresh `pnpm dev` stack hit it in about one run of three.
 */
async function settledMetadata(admin: Admin, names: readonly string[]) {
  const deadline = Date.now() + METADATA_SETTLE_MS;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1_000)) {
    let unsettled: unknown;
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...names] });
      const led = metadata.topics.every(
        (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
      );
      if (led) return metadata;
      unsettled = new Error(`topics ${names.join(", ")} have partitions without a leader`);
    } catch (error) {
      if ((error as { retriable?: unknown }).retriable !== true) throw error;
      unsettled = error;
    }
    if (Date.now() + delay > deadline) throw unsettled;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * Creates the topics that do not exist (replication factor: the broker's default), waiting for their leaders.
 * Existing topics are left alone; a different partition count or cleanup policy is logged as a warning.
 * Safe to run from several instances at once.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[], logger: Logger): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.name));
  if (missing.length > 0) {
    const created = await admin
      .createTopics({
        // kafkajs waits until the new topics are in the metadata with leaders, so consumers that subscribe next see
        // every partition (without it, a member joined before the metadata and the group rebalanced mid-batch).
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: -1,
          configEntries: Object.entries(s.config).map(([name, value]) => ({ name, value })),
        })),
      })
      .catch((error: unknown) => {
        // Its wait gives up on a topic the broker does not know yet (UNKNOWN_TOPIC_OR_PARTITION on a fresh broker):
        // the metadata wait below covers that case.
        if (
          /UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition/.test(
            String((error as { type?: string; message?: string }).type ?? "") +
              String((error as Error).message),
          )
        )
          return null;
        throw error;
      });
    logger.info({ topics: missing.map((s) => s.name), created }, "created missing topics");
  }
  const { topics } = await settledMetadata(
    admin,
    specs.map((s) => s.name),
  );
  const present = specs.filter((s) => existing.has(s.name));
  for (const spec of present) {
    const actual = topics.find((t) => t.name === spec.name)?.partitions.length;
    if (actual !== undefined && actual !== spec.partitions) {
      logger.warn(
        { topic: spec.name, partitions: actual, configured: spec.partitions },
        "existing topic has another partition count; keeping it",
      );
    }
  }
  const compacted = present.filter((s) => s.config["cleanup.policy"] !== undefined);
  if (compacted.length === 0) return;
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: compacted.map((s) => ({ type: 2 /* TOPIC */, name: s.name, configNames: ["cleanup.policy"] })),
  });
  for (const resource of described.resources) {
    const policy = resource.configEntries.find((e) => e.configName === "cleanup.policy")?.configValue;
    const wanted = compacted.find((s) => s.name === resource.resourceName)?.config["cleanup.policy"];
    if (policy !== wanted) {
      logger.warn(
        { topic: resource.resourceName, cleanupPolicy: policy, wanted },
        "existing topic has another cleanup.policy; keeping it",
      );
    }
  }
}

/** Connects a short-lived kafkajs admin client and ensures the processors' topics (used by both engines). */
export async function ensureProcessorTopics(
  kafka: KafkaSettings,
  topics: TopicSettings,
  logger: Logger,
): Promise<void> {
  const admin = new Kafka(
    toKafkajsConfig({ ...kafka, clientId: `${kafka.clientId}-admin` }, { logger }),
  ).admin();
  await admin.connect();
  try {
    await ensureTopics(admin, processorTopics(topics), logger);
  } finally {
    await admin.disconnect();
  }
}
