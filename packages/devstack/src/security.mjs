// The secured broker: SASL_SSL with SCRAM-SHA-512, as a managed Kafka (Confluent Cloud, MSK) offers it. The stack
// makes its own CA and broker certificate with the JDK's keytool, creates the SCRAM users when it formats the
// storage, and writes the client settings to a file only the user can read (the password is never printed).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { servicePaths } from "./config.mjs";
import { StackError } from "./errors.mjs";

/** @typedef {import("./config.mjs").KafkaSecurity} KafkaSecurity */

export const SASL_MECHANISM = "SCRAM-SHA-512";
/** The user the broker itself logs in as (inter-broker listener); clients get their own. */
const BROKER_USER = "gametel-broker";

/**
 * @typedef {object} Credentials what the stack keeps in `kafka/credentials.json` (mode 0600)
 * @property {string} username the clients' SCRAM user
 * @property {string} password
 * @property {string} brokerPassword the broker's own SCRAM user's
 * @property {string} storePassword of the PKCS12 keystore and truststore
 */

/** @param {import("./config.mjs").StackConfig} config */
export function securityPaths(config) {
  const { dir, dataDir } = servicePaths(config, "kafka");
  const tls = join(dir, "tls");
  return {
    tlsDir: tls,
    caStore: join(tls, "ca.p12"),
    caPem: join(tls, "ca.pem"),
    keystore: join(tls, "broker.p12"),
    truststore: join(tls, "truststore.p12"),
    credentials: join(dir, "credentials.json"),
    clientEnv: join(dir, "client.env"),
    /** Written when the storage is formatted: which listener the data's users were made for. */
    marker: join(dataDir, "gametel-security"),
  };
}

/** A password of 32 URL-safe characters. */
const newPassword = () => randomBytes(24).toString("base64url");

/**
 * @param {string} file
 * @param {string} text
 */
function writePrivate(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The security the local Kafka runs with: GAMETEL_KAFKA_SECURITY (or `--security`) when given, else what its
 * storage was formatted for, else plaintext. Refuses a switch on formatted data in one line: the SCRAM users
 * exist only in storage formatted for them.
 * @param {import("./config.mjs").StackConfig} config
 * @returns {KafkaSecurity}
 */
export function kafkaSecurity(config) {
  const { marker } = securityPaths(config);
  const formatted = existsSync(marker)
    ? /** @type {KafkaSecurity} */ (readFileSync(marker, "utf8").trim())
    : existsSync(join(servicePaths(config, "kafka").dataDir, "meta.properties"))
      ? "plaintext"
      : undefined;
  const wanted = config.kafkaSecurity;
  if (wanted !== undefined && formatted !== undefined && wanted !== formatted) {
    throw new StackError(
      `the local Kafka's data in ${servicePaths(config, "kafka").dataDir} was made for ${formatted}, not ${wanted}; start it with --fresh to wipe it (or without GAMETEL_KAFKA_SECURITY / --security to keep it).`,
    );
  }
  return wanted ?? formatted ?? "plaintext";
}

/**
 * The stack's SCRAM credentials and store password, made once and kept under the state dir. The client's
 * password is GAMETEL_KAFKA_SASL_PASSWORD when set (before the storage is formatted), else random.
 * @param {import("./config.mjs").StackConfig} config
 * @returns {Credentials}
 */
export function ensureCredentials(config) {
  const { credentials } = securityPaths(config);
  if (existsSync(credentials)) return JSON.parse(readFileSync(credentials, "utf8"));
  /** @type {Credentials} */
  const created = {
    username: config.kafkaSaslUsername,
    password: config.env.GAMETEL_KAFKA_SASL_PASSWORD || newPassword(),
    brokerPassword: newPassword(),
    storePassword: newPassword(),
  };
  writePrivate(credentials, JSON.stringify(created, null, 2) + "\n");
  return created;
}

/**
 * `kafka-storage format` arguments that create the SCRAM users (KRaft keeps them in the metadata log).
 * @param {Credentials} credentials
 */
export function scramFormatArgs(credentials) {
  return [
    "--add-scram",
    `${SASL_MECHANISM}=[name=${credentials.username},password=${credentials.password}]`,
    "--add-scram",
    `${SASL_MECHANISM}=[name=${BROKER_USER},password=${credentials.brokerPassword}]`,
  ];
}

/**
 * Runs keytool (next to the java the stack uses); a failure is one line with keytool's own last line.
 * @param {string} keytool
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
function keytoolRun(keytool, args, env) {
  const result = spawnSync(keytool, args, { encoding: "utf8", env });
  if (result.status !== 0) {
    const said = `${result.stderr ?? ""}${result.stdout ?? ""}`.trim().split("\n").pop() ?? "";
    throw new StackError(
      `keytool ${args[0]} failed (${result.error?.message ?? `exit ${result.status}`}${said ? `: ${said}` : ""}); the secured broker needs the JDK's keytool.`,
    );
  }
}

/** @param {string} javaCommand */
function keytoolOf(javaCommand) {
  return javaCommand.includes("/") ? join(dirname(javaCommand), "keytool") : "keytool";
}

/**
 * A CA, a broker certificate it signed for localhost and 127.0.0.1, the broker's keystore and truststore
 * (PKCS12) and the CA as PEM for Node clients (`KAFKA_SSL_CA`). Made once; kept across restarts.
 * @param {import("./config.mjs").StackConfig} config
 * @param {string} javaCommand
 * @param {Credentials} credentials
 */
export function ensureCertificates(config, javaCommand, credentials) {
  const p = securityPaths(config);
  if (existsSync(p.caPem) && existsSync(p.keystore) && existsSync(p.truststore)) return;
  rmSync(p.tlsDir, { recursive: true, force: true });
  mkdirSync(p.tlsDir, { recursive: true, mode: 0o700 });
  const keytool = keytoolOf(javaCommand);
  const pass = credentials.storePassword;
  const store = (/** @type {string} */ file) => [
    "-keystore",
    file,
    "-storetype",
    "PKCS12",
    "-storepass",
    pass,
  ];
  const csr = join(p.tlsDir, "broker.csr");
  const brokerPem = join(p.tlsDir, "broker.pem");
  const key = ["-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650"];
  const san = "SAN=dns:localhost,ip:127.0.0.1";
  const env = config.env;
  keytoolRun(
    keytool,
    [
      "-genkeypair",
      "-alias",
      "ca",
      ...key,
      "-dname",
      "CN=gametel devstack CA",
      "-ext",
      "bc:c",
      ...store(p.caStore),
    ],
    env,
  );
  keytoolRun(keytool, ["-exportcert", "-rfc", "-alias", "ca", "-file", p.caPem, ...store(p.caStore)], env);
  keytoolRun(
    keytool,
    ["-genkeypair", "-alias", "broker", ...key, "-dname", "CN=localhost", "-ext", san, ...store(p.keystore)],
    env,
  );
  keytoolRun(keytool, ["-certreq", "-alias", "broker", "-file", csr, ...store(p.keystore)], env);
  keytoolRun(
    keytool,
    [
      "-gencert",
      "-alias",
      "ca",
      "-rfc",
      "-infile",
      csr,
      "-outfile",
      brokerPem,
      "-validity",
      "3650",
      "-ext",
      san,
      "-ext",
      "KU=digitalSignature",
      "-ext",
      "EKU=serverAuth",
      ...store(p.caStore),
    ],
    env,
  );
  // The chain: the CA first, then the signed certificate replaces the self-signed one under the same alias.
  keytoolRun(
    keytool,
    ["-importcert", "-noprompt", "-alias", "ca", "-file", p.caPem, ...store(p.keystore)],
    env,
  );
  keytoolRun(
    keytool,
    ["-importcert", "-noprompt", "-alias", "broker", "-file", brokerPem, ...store(p.keystore)],
    env,
  );
  keytoolRun(
    keytool,
    ["-importcert", "-noprompt", "-alias", "ca", "-file", p.caPem, ...store(p.truststore)],
    env,
  );
  rmSync(csr, { force: true });
}

/**
 * The server.properties lines of the SASL_SSL listener (replacing the PLAINTEXT one).
 * @param {import("./config.mjs").StackConfig} config
 * @param {Credentials} credentials
 * @param {number} port
 */
export function saslSslProperties(config, credentials, port) {
  const p = securityPaths(config);
  return `listeners=SASL_SSL://localhost:${port},CONTROLLER://localhost:${config.kafkaControllerPort}
advertised.listeners=SASL_SSL://localhost:${port}
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
sasl.enabled.mechanisms=${SASL_MECHANISM}
sasl.mechanism.inter.broker.protocol=${SASL_MECHANISM}
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${BROKER_USER}" password="${credentials.brokerPassword}";
ssl.keystore.type=PKCS12
ssl.keystore.location=${p.keystore}
ssl.keystore.password=${credentials.storePassword}
ssl.key.password=${credentials.storePassword}
ssl.truststore.type=PKCS12
ssl.truststore.location=${p.truststore}
ssl.truststore.password=${credentials.storePassword}
ssl.client.auth=none
`;
}

/**
 * The environment a gametel app needs to use the secured broker, as for any managed Kafka.
 * @param {import("./config.mjs").StackConfig} config
 * @param {Credentials} credentials
 * @returns {Record<string, string>}
 */
export function clientSettings(config, credentials) {
  return {
    KAFKA_BROKERS: `localhost:${config.kafkaPort}`,
    KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
    KAFKA_SASL_MECHANISM: SASL_MECHANISM,
    KAFKA_SSL_CA: securityPaths(config).caPem,
    KAFKA_SASL_USERNAME: credentials.username,
    KAFKA_SASL_PASSWORD: credentials.password,
  };
}

/**
 * Writes `kafka/client.env` (mode 0600: it holds the password) for `set -a; . client.env; set +a`, and returns
 * the lines to print: every setting but the password, which is named by its file.
 * @param {import("./config.mjs").StackConfig} config
 * @param {Credentials} credentials
 * @returns {string[]}
 */
export function writeClientEnv(config, credentials) {
  const settings = clientSettings(config, credentials);
  const { clientEnv } = securityPaths(config);
  writePrivate(
    clientEnv,
    `# The local secured Kafka's client settings (gametel-stack up --security sasl_ssl). Holds the password.\n` +
      Object.entries(settings)
        .map(([name, value]) => `${name}='${value}'`)
        .join("\n") +
      "\n",
  );
  return [
    `kafka: SASL_SSL (${SASL_MECHANISM}) on localhost:${config.kafkaPort}; client settings (password included) in ${clientEnv}:`,
    ...Object.entries(settings).map(([name, value]) =>
      name === "KAFKA_SASL_PASSWORD" ? `  ${name}=(in ${clientEnv})` : `  ${name}=${value}`,
    ),
    `  load them with: set -a; . ${clientEnv}; set +a`,
  ];
}
