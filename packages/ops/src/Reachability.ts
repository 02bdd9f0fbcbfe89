import { Kafka, logLevel, type KafkaConfig } from "kafkajs";
import { MongoClient, type MongoClientOptions } from "mongodb";
import { kafkajsLogCreator, type LevelLogger } from "./kafkajsLogs.js";

/** Default time an app waits for Kafka or MongoDB to answer at start (`--connect-timeout-ms`). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Kafka or MongoDB did not answer at start; `message` is the one line the operator sees. */
export class UnreachableError extends Error {
  override readonly name = "UnreachableError";
  constructor(
    message: string,
    readonly endpoint: string,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

export interface ReachOptions {
  readonly timeoutMs: number;
  /** Where the operator sets the endpoint, named in the message, e.g. "--brokers / KAFKA_BROKERS". */
  readonly setting: string;
  /** Logger for the client's own lines while probing (debug level only). */
  readonly logger?: LevelLogger;
}

const LOCAL_STACK_HINT = "local stack: pnpm stack:status";
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
const causeOf = (error: unknown): string => {
  let e: unknown = error;
  // kafkajs wraps the useful reason (ECONNREFUSED, SASL failure) in "retries exceeded".
  while (e instanceof Error && e.cause instanceof Error && /retries|timed out/i.test(e.message)) e = e.cause;
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").trim();
};

/** kafkajs' error for a SASL handshake the broker rejected (wrong user, password or mechanism). */
function authenticationFailure(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.name === "KafkaJSSASLAuthenticationError") return true;
  }
  return false;
}

/**
 * Connects a kafkajs admin to the brokers (metadata request, so TLS and SASL are checked too), retrying until
 * `timeoutMs`; throws an `UnreachableError` whose message is one line naming the brokers, the last reason and
 * what to check.
 */
export async function reachKafka(config: KafkaConfig, options: ReachOptions): Promise<void> {
  const brokers = Array.isArray(config.brokers) ? config.brokers.join(",") : "the configured brokers";
  const debugOnly: LevelLogger = {
    debug: (fields, message) => options.logger?.debug(fields, message),
    info: (fields, message) => options.logger?.debug(fields, message),
    warn: (fields, message) => options.logger?.debug(fields, message),
    error: (fields, message) => options.logger?.debug(fields, message),
  };
  const deadline = Date.now() + options.timeoutMs;
  let last: unknown = new Error("no answer");
  while (Date.now() < deadline) {
    const left = deadline - Date.now();
    const admin = new Kafka({
      ...config,
      connectionTimeout: Math.max(100, Math.min(left, 3000)),
      requestTimeout: Math.max(100, Math.min(left, 5000)),
      retry: { retries: 0 },
      logLevel: logLevel.INFO,
      logCreator: kafkajsLogCreator(debugOnly),
    }).admin();
    try {
      await withDeadline(admin.connect(), left);
      await admin.disconnect();
      return;
    } catch (error) {
      last = error;
      await admin.disconnect().catch(() => undefined);
      // The broker answered and refused the credentials: waiting does not change that.
      if (authenticationFailure(error)) {
        throw new UnreachableError(
          `Kafka at ${brokers} refused the SASL credentials (${causeOf(error)}); ` +
            "check KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD and --kafka-sasl-mechanism / KAFKA_SASL_MECHANISM",
          brokers,
          error,
        );
      }
    }
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
  }
  throw new UnreachableError(
    `cannot reach Kafka at ${brokers} within ${seconds(options.timeoutMs)} (${causeOf(last)}); ` +
      `check that it runs and that ${options.setting} points to it (${LOCAL_STACK_HINT})`,
    brokers,
    last,
  );
}

/**
 * Connects to MongoDB and pings it, waiting at most `timeoutMs` for a server; throws an `UnreachableError` whose
 * message is one line naming the (password-masked) endpoint, the reason and what to check.
 */
export async function reachMongo(
  uri: string,
  clientOptions: MongoClientOptions,
  options: ReachOptions,
): Promise<void> {
  const client = new MongoClient(uri, {
    ...clientOptions,
    serverSelectionTimeoutMS: options.timeoutMs,
    connectTimeoutMS: Math.min(options.timeoutMs, 10_000),
  });
  try {
    await withDeadline(
      client.connect().then((c) => c.db("admin").command({ ping: 1 })),
      options.timeoutMs + 2000,
    );
  } catch (error) {
    options.logger?.debug({ err: error }, "MongoDB probe failed");
    const endpoint = maskUriPassword(uri);
    throw new UnreachableError(
      `cannot reach MongoDB at ${endpoint} within ${seconds(options.timeoutMs)} (${causeOf(error)}); ` +
        `check that it runs and that ${options.setting} points to it (${LOCAL_STACK_HINT})`,
      endpoint,
      error,
    );
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** `mongodb://user:pass@host/db` → `mongodb://user:***@host/db` (also `mongodb+srv://`, multi-host). */
export function maskUriPassword(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(":");
    return colon === -1 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer after ${seconds(ms)}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
