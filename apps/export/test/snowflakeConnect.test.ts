// The shipped Snowflake connector configurations (connect/snowflake-*-sink.*) in a real Kafka Connect standalone
// worker with the official connector jar from Maven Central, as far as that goes without a Snowflake account:
// the plugin loads, the configs pass the connector's static validation, and the one step left, logging in to
// Snowflake, is the only thing that fails. Needs java, jar and mvn on PATH (the local stack needs them too).
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, kafkaBrokers, uniqueName } from "@gametel/devstack";
import * as connect from "@gametel/devstack/connect";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const run = promisify(execFile);
const SNOWFLAKE_VERSION = "2.5.0";
const SNOWFLAKE_CONNECTOR = `com.snowflake:snowflake-kafka-connector:${SNOWFLAKE_VERSION}`;
const CONNECTOR_CLASS = "com.snowflake.kafka.connector.SnowflakeSinkConnector";
const CONFIGS = ["snowflake-events-sink", "snowflake-stats-sink"] as const;

describe("connect/ Snowflake configuration files", () => {
  test.each(CONFIGS)("%s.properties and .json say the same", (base) => {
    const { name, ...config } = connect.readProperties(join(connect.connectDir, `${base}.properties`));
    const json = connect.readConnectorJson(join(connect.connectDir, `${base}.json`));
    expect(json.name).toBe(name);
    expect(json.config).toEqual(config);
  });

  test.each(CONFIGS)(
    "%s streams with Snowpipe Streaming, dead-letters what it cannot convert, keeps secrets out",
    (base) => {
      const { config } = connect.readConnectorJson(join(connect.connectDir, `${base}.json`));
      expect(config["snowflake.ingestion.method"]).toBe("SNOWPIPE_STREAMING");
      expect(config["errors.tolerance"]).toBe("all");
      expect(config["errors.deadletterqueue.topic.name"]).toMatch(/\.snowflake\.dlq$/);
      expect(config["snowflake.private.key"]).toBe("${env:SNOWFLAKE_PRIVATE_KEY}");
    },
  );
});

interface Validation {
  readonly error_count: number;
  readonly configs: readonly {
    readonly value: { readonly name: string; readonly errors: readonly string[] };
  }[];
}

describe("Kafka Connect standalone with the official Snowflake connector (local broker, no account)", () => {
  const id = uniqueName("snowflake-connect");
  const workDir = join(connect.connectCacheDir, "runs", id);
  // Its own plugin root: the MongoDB connector test scans `plugins/` by reflection, and this jar is 160 MB.
  const pluginRoot = join(connect.connectCacheDir, "snowflake-plugins");
  const pluginDir = join(pluginRoot, "snowflake-kafka-connector");
  let worker: connect.ConnectWorker | null = null;
  const log = () => worker?.log() ?? "";
  let rest = "";

  beforeAll(async () => {
    mkdirSync(workDir, { recursive: true });
    await connect.ensureConnectRuntime();
    const jar = `snowflake-kafka-connector-${SNOWFLAKE_VERSION}.jar`;
    await connect.ensureConnectorPlugin(SNOWFLAKE_CONNECTOR, pluginDir, jar);
    // The connector jar has no ServiceLoader manifest for its connector class (KIP-898); this one-line manifest
    // beside it lets the worker use plugin.discovery=service_load instead of a 45-second reflection scan.
    const manifestJar = join(pluginDir, "gametel-service-manifest.jar");
    if (!existsSync(manifestJar)) {
      const services = join(workDir, "manifest", "META-INF", "services");
      mkdirSync(services, { recursive: true });
      writeFileSync(join(services, "org.apache.kafka.connect.sink.SinkConnector"), `${CONNECTOR_CLASS}\n`);
      await run("jar", ["cf", manifestJar, "-C", join(workDir, "manifest"), "META-INF"]);
    }

    const port = await freePort();
    rest = `http://127.0.0.1:${port}`;
    connect.writeProperties(join(workDir, "worker.properties"), {
      ...connect.readProperties(join(connect.connectDir, "worker-standalone.properties")),
      "bootstrap.servers": kafkaBrokers().join(","),
      "offset.storage.file.filename": join(workDir, "connect.offsets"),
      "plugin.path": pluginRoot,
      "plugin.discovery": "service_load",
      listeners: rest,
    });
    // An RSA key in the format the connector takes (PKCS#8, base64 without the PEM lines); no account knows it.
    const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    const key = pem
      .toString()
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("-----"))
      .join("");
    worker = connect.startConnectWorker({
      workDir,
      env: {
        ...process.env,
        SNOWFLAKE_URL: "gametel-test.snowflakecomputing.com:443",
        SNOWFLAKE_USER: "GAMETEL_CONNECTOR_USER",
        SNOWFLAKE_PRIVATE_KEY: key,
      },
    });
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (worker.child.exitCode !== null) throw new Error(`Kafka Connect exited:\n${log().slice(-4000)}`);
      const up = await fetch(`${rest}/connector-plugins`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`Kafka Connect did not start:\n${log().slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 300_000);

  afterAll(async () => {
    await worker?.stop();
    writeFileSync(join(connect.connectCacheDir, "last-snowflake-run.log"), log());
    rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  async function validate(config: Record<string, string>): Promise<Map<string, readonly string[]>> {
    const response = await fetch(`${rest}/connector-plugins/SnowflakeSinkConnector/config/validate`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(config),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as Validation;
    const errors = new Map(
      body.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]),
    );
    expect(errors.size).toBeLessThanOrEqual(body.error_count);
    return errors;
  }

  const shipped = (base: string) => {
    const json = connect.readConnectorJson(join(connect.connectDir, `${base}.json`));
    return { ...json.config, name: json.name };
  };

  test("the connector jar from Maven Central loads as a sink plugin", async () => {
    const plugins = (await (await fetch(`${rest}/connector-plugins`)).json()) as {
      class: string;
      type: string;
      version: string;
    }[];
    expect(plugins).toContainEqual({ class: CONNECTOR_CLASS, type: "sink", version: SNOWFLAKE_VERSION });
  });

  test.each(CONFIGS)(
    "%s passes the connector's static validation (a deliberately bad buffer size is the only error)",
    async (base) => {
      // Without any error the connector goes on to log in to Snowflake; one known-bad setting stops it after
      // the static checks (ConfigDef validators, topic2table format, ${env:...} resolution), so every other
      // error would show here.
      const errors = await validate({ ...shipped(base), "buffer.count.records": "0" });
      expect([...errors.keys()]).toEqual(["buffer.count.records"]);
      // The same check catches a broken shipped value.
      const broken = await validate({
        ...shipped(base),
        "buffer.count.records": "0",
        "snowflake.topic2table.map": "a:b:c",
      });
      expect([...broken.keys()].sort()).toEqual(["buffer.count.records", "snowflake.topic2table.map"]);
    },
    60_000,
  );

  test("with everything valid, the only failing step is logging in to Snowflake with the account", async () => {
    // The shipped config as it is, the account URL from the environment (a made-up account that does not
    // resolve), plus short JDBC timeouts so the login gives up in seconds instead of minutes of retries.
    const errors = await validate({
      ...shipped("snowflake-events-sink"),
      "snowflake.jdbc.map": "loginTimeout:3,networkTimeout:3000,maxHttpRetries:0,retryTimeout:3",
    });
    // Connect hides the reason behind values resolved from a ConfigProvider; the connector logs it.
    expect([...errors.keys()].sort()).toEqual([
      "snowflake.private.key",
      "snowflake.url.name",
      "snowflake.user.name",
    ]);
    expect(log()).toContain("Validate: Error connecting to snowflake");
    expect(log()).toContain("Failed to connect to Snowflake Server");
  }, 120_000);
});
