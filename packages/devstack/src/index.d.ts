/**
 * Kafka bootstrap brokers for clients: `KAFKA_BROKERS` (comma-separated) when set, else the local
 * stack's `localhost:9092` (or `localhost:$GAMETEL_KAFKA_PORT`). An array, as kafkajs takes it;
 * join with "," for node-rdkafka's `metadata.broker.list`.
 *
 * @example
 * new Kafka({ clientId: "gametel-test", brokers: kafkaBrokers() });
 */
export declare function kafkaBrokers(env?: NodeJS.ProcessEnv): string[];

/**
 * MongoDB connection string: `MONGODB_URI` when set, else the local stack's `mongodb://localhost:27017`
 * (or `$GAMETEL_MONGO_PORT`).
 *
 * @example
 * const client = new MongoClient(mongoUri());
 */
export declare function mongoUri(env?: NodeJS.ProcessEnv): string;

/**
 * A name no other test run uses, for topics, consumer groups and databases: `<prefix>-<time>-<random>`.
 *
 * @example
 * const topic = uniqueName("smoke");
 */
export declare function uniqueName(prefix: string): string;

/**
 * A TCP port free on 127.0.0.1 now, for a server a test starts (an app's HTTP port, a Kafka Connect listener).
 *
 * @example
 * const port = await freePort();
 */
export declare function freePort(): Promise<number>;
