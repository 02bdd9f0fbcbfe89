import { createServer } from "node:net";
import { describe, expect, test } from "vitest";
import { parseHostPort, portIsFree, tcpAnswers } from "./net.mjs";
import { redact } from "./stack.mjs";

describe("parseHostPort", () => {
  test.each([
    ["localhost:9092", { host: "localhost", port: 9092 }],
    [" broker-1.example.com:9093 ", { host: "broker-1.example.com", port: 9093 }],
    ["[::1]:9092", { host: "::1", port: 9092 }],
  ])("accepts %j", (address, expected) => {
    expect(parseHostPort(address)).toEqual(expected);
  });

  test.each(["localhost", "localhost:", ":9092", "localhost:port"])("rejects %j", (address) => {
    expect(parseHostPort(address)).toBeUndefined();
  });
});

describe("ports", () => {
  test("a listening port is taken and answers; once closed it is free and refuses", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    expect(await portIsFree(address.port)).toBe(false);
    expect(await tcpAnswers("127.0.0.1", address.port, 2_000)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await portIsFree(address.port)).toBe(true);
    expect(await tcpAnswers("127.0.0.1", address.port, 2_000)).toMatch(/ECONNREFUSED/);
  });
});

describe("redact", () => {
  test("hides credentials in connection strings", () => {
    expect(redact("mongodb+srv://user:secret@cluster0.example.net/db")).toBe(
      "mongodb+srv://***@cluster0.example.net/db",
    );
    expect(redact("mongodb://localhost:27017")).toBe("mongodb://localhost:27017");
  });
});
