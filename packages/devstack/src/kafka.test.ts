import { describe, expect, test } from "vitest";
import { newClusterId, serverProperties } from "./kafka.mjs";

const parse = (text: string) =>
  Object.fromEntries(
    text
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );

describe("serverProperties", () => {
  test("the secured broker's listener lines replace the PLAINTEXT ones", () => {
    const props = parse(
      serverProperties({
        port: 19092,
        controllerPort: 19093,
        dataDir: "/data/kafka",
        listeners: "listeners=SASL_SSL://localhost:19092,CONTROLLER://localhost:19093\n",
      }),
    );
    expect(props.listeners).toBe("SASL_SSL://localhost:19092,CONTROLLER://localhost:19093");
    expect(props["advertised.listeners"]).toBeUndefined();
    expect(props["controller.listener.names"]).toBe("CONTROLLER");
  });

  test("one combined KRaft node on the given ports and data dir", () => {
    const props = parse(serverProperties({ port: 19092, controllerPort: 19093, dataDir: "/data/kafka" }));
    expect(props).toMatchObject({
      "process.roles": "broker,controller",
      "node.id": "1",
      "controller.quorum.voters": "1@localhost:19093",
      listeners: "PLAINTEXT://localhost:19092,CONTROLLER://localhost:19093",
      "advertised.listeners": "PLAINTEXT://localhost:19092",
      "log.dirs": "/data/kafka",
      "offsets.topic.replication.factor": "1",
      "transaction.state.log.replication.factor": "1",
      "transaction.state.log.min.isr": "1",
      "group.initial.rebalance.delay.ms": "0",
    });
  });
});

describe("newClusterId", () => {
  test("22 url-safe base64 characters, as Kafka's Uuid prints", () => {
    const id = newClusterId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(id, "base64url")).toHaveLength(16);
    expect(newClusterId()).not.toBe(id);
  });

  test("never starts with '-' (kafka-storage would read it as an option)", () => {
    // One in 64 random ids would; 2000 draws miss that with probability (63/64)^2000, about 2e-14.
    for (let i = 0; i < 2000; i++) expect(newClusterId().startsWith("-")).toBe(false);
  });
});
