import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import type { MongoClient } from "mongodb";
import rdkafka from "node-rdkafka";

const require = createRequire(import.meta.url);

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly loadAverageAtStart: readonly number[];
  /** 1/5/15-minute load averages when the run ended (other work on the machine shows here). */
  readonly loadAverageAtEnd?: readonly number[];
  readonly versions: Readonly<Record<string, string>>;
}

const version = (pkg: string) => {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return "unknown";
  }
};

/** `java -version` prints on stderr. */
function javaVersion(): string {
  try {
    return execFileSync("sh", ["-c", "java -version 2>&1 | head -1"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

export async function machineInfo(mongo: MongoClient, kafkaVersion: string): Promise<MachineInfo> {
  let mongoVersion = "unknown";
  try {
    mongoVersion = String((await mongo.db("admin").command({ buildInfo: 1 })).version);
  } catch {
    // keep unknown
  }
  return {
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    versions: {
      node: process.version,
      kafkajs: version("kafkajs"),
      "node-rdkafka": version("node-rdkafka"),
      librdkafka: rdkafka.librdkafkaVersion,
      "kafka broker / kafka-streams": kafkaVersion,
      java: javaVersion(),
      "mongodb server (reported)": mongoVersion,
      "mongodb driver": version("mongodb"),
    },
  };
}
