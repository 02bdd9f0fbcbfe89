import { describe, expect, test } from "vitest";
import { KAFKA_VERSION, MONGO_JAVA_SERVER_VERSION, pomFor } from "./artifacts.mjs";

describe("pomFor", () => {
  test("kafka: the broker and an slf4j binding for its log4j2", () => {
    const pom = pomFor("kafka");
    expect(pom).toContain(`<artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version>`);
    expect(pom).toContain("<artifactId>log4j-slf4j-impl</artifactId>");
    expect(pom).toContain("<packaging>pom</packaging>");
  });

  test("mongo: the H2 backend (which brings the core server) and an slf4j binding", () => {
    const pom = pomFor("mongo");
    expect(pom).toContain(
      `<artifactId>mongo-java-server-h2-backend</artifactId><version>${MONGO_JAVA_SERVER_VERSION}</version>`,
    );
    expect(pom).toContain("<artifactId>slf4j-simple</artifactId>");
  });
});
