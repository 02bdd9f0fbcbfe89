import { readFileSync } from "node:fs";
import type { KafkaConfig, SASLOptions } from "kafkajs";

/** `--kafka-security-protocol` / KAFKA_SECURITY_PROTOCOL, as the processors take it. */
export const KAFKA_SECURITY_PROTOCOLS = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] as const;
/** `--kafka-sasl-mechanism` / KAFKA_SASL_MECHANISM. */
export const KAFKA_SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const;

/** The Kafka security settings as typed (flag over environment); the credentials come from the environment only. */
export interface KafkaSecurityInput {
  readonly securityProtocol?: string | undefined;
  readonly saslMechanism?: string | undefined;
  /** PEM file of the CA that signed the brokers' certificates. */
  readonly sslCa?: string | undefined;
}

/** A bad Kafka security setting; `message` is the one line the operator sees. */
export class KafkaSecurityError extends Error {
  override readonly name = "KafkaSecurityError";
}

/** The help lines of the three options, the same in every app that takes them. */
export const KAFKA_SECURITY_HELP = {
  securityProtocol: `${KAFKA_SECURITY_PROTOCOLS.join("|")} [KAFKA_SECURITY_PROTOCOL] (default PLAINTEXT)`,
  saslMechanism:
    `${KAFKA_SASL_MECHANISMS.join("|")} [KAFKA_SASL_MECHANISM] (default PLAIN); credentials from ` +
    "KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD",
  sslCa: "PEM CA file for the brokers' certificates [KAFKA_SSL_CA] (SSL, SASL_SSL)",
} as const;

type Env = Readonly<Record<string, string | undefined>>;

const KAFKAJS_MECHANISM = {
  PLAIN: "plain",
  "SCRAM-SHA-256": "scram-sha-256",
  "SCRAM-SHA-512": "scram-sha-512",
} as const;

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  const value = raw.trim().toUpperCase();
  const found = allowed.find((a) => a === value);
  if (found === undefined)
    throw new KafkaSecurityError(`${name} must be one of ${allowed.join(", ")}, got "${raw}"`);
  return found;
}

/**
 * kafkajs' `ssl` and `sasl` for the processors' Kafka security options (`--kafka-security-protocol`,
 * `--kafka-sasl-mechanism`, `--kafka-ssl-ca`, each over its environment variable) and the credentials in
 * KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD. Refuses contradictions with one `KafkaSecurityError` line that never
 * holds the password; reads the CA file here, so a missing one fails at start.
 *
 * @example
 * new Kafka({ clientId, brokers, ...kafkajsSecurity({ securityProtocol: opts.kafkaSecurityProtocol }, process.env) });
 */
export function kafkajsSecurity(input: KafkaSecurityInput, env: Env): Pick<KafkaConfig, "ssl" | "sasl"> {
  const protocol = oneOf(
    "--kafka-security-protocol",
    input.securityProtocol ?? env.KAFKA_SECURITY_PROTOCOL ?? "PLAINTEXT",
    KAFKA_SECURITY_PROTOCOLS,
  );
  const rawMechanism = input.saslMechanism ?? env.KAFKA_SASL_MECHANISM;
  const mechanism = oneOf("--kafka-sasl-mechanism", rawMechanism ?? "PLAIN", KAFKA_SASL_MECHANISMS);
  const caFile = input.sslCa ?? (env.KAFKA_SSL_CA || undefined);
  const isSasl = protocol === "SASL_SSL" || protocol === "SASL_PLAINTEXT";
  const isTls = protocol === "SSL" || protocol === "SASL_SSL";
  const username = env.KAFKA_SASL_USERNAME ?? "";
  const password = env.KAFKA_SASL_PASSWORD ?? "";
  if (isSasl && (username === "" || password === "")) {
    throw new KafkaSecurityError(
      `KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD must be set for --kafka-security-protocol ${protocol}`,
    );
  }
  if (!isSasl && rawMechanism !== undefined) {
    throw new KafkaSecurityError(
      `--kafka-sasl-mechanism needs --kafka-security-protocol SASL_SSL or SASL_PLAINTEXT, not ${protocol}`,
    );
  }
  if (caFile !== undefined && !isTls) {
    throw new KafkaSecurityError(
      `--kafka-ssl-ca needs --kafka-security-protocol SSL or SASL_SSL, not ${protocol}`,
    );
  }
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, "utf8");
    } catch (error) {
      throw new KafkaSecurityError(
        `--kafka-ssl-ca ${caFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
  }
  return {
    ssl: isTls ? (ca === undefined ? true : { ca: [ca] }) : false,
    ...(isSasl
      ? { sasl: { mechanism: KAFKAJS_MECHANISM[mechanism], username, password } as SASLOptions }
      : {}),
  };
}
