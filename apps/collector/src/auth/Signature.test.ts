import { createSigner } from "@gametel/client";
import { describe, expect, test } from "vitest";
import { sign, signatureMatches, stringToSign } from "./Signature.js";

// The README's worked example (computed there with sha256sum and openssl dgst -hmac).
const EXAMPLE = {
  secret: "example-secret-example-secret-0123",
  path: "/v1/games/shooter/events",
  timestamp: "1765000000000",
  body: Buffer.from('{"event_id":"0190f5a2-3b4c-7d8e-9f01-23456789abcd"}'),
  bodySha256: "31277cc0d880da4b9e7585895d4f9b1d18994e807003a1f147c97dea0d6770a2",
  signature: "v1=47b2f024ca5de24de900d89086b7480bbe53fc452dc537de0e5c5c34738d82a1",
};

describe("request signature", () => {
  test("the README's worked example", () => {
    expect(stringToSign("post", EXAMPLE.path, EXAMPLE.timestamp, EXAMPLE.body)).toBe(
      `POST\n${EXAMPLE.path}\n${EXAMPLE.timestamp}\n${EXAMPLE.bodySha256}`,
    );
    expect(sign(EXAMPLE.secret, "POST", EXAMPLE.path, EXAMPLE.timestamp, EXAMPLE.body)).toBe(
      EXAMPLE.signature,
    );
  });

  test("the SDK's WebCrypto signer agrees with the collector's", async () => {
    const signer = createSigner(EXAMPLE.secret);
    expect(await signer.sign("POST", EXAMPLE.path, EXAMPLE.timestamp, EXAMPLE.body)).toBe(EXAMPLE.signature);
    const gz = Buffer.from([0x1f, 0x8b, 0, 1, 2, 3, 255]);
    expect(await signer.sign("POST", "/v1/games/a/events", "1", gz)).toBe(
      sign(EXAMPLE.secret, "POST", "/v1/games/a/events", "1", gz),
    );
  });

  test.each([
    ["another path", { path: "/v1/games/other/events" }],
    ["another timestamp", { timestamp: "1765000000001" }],
    ["another body", { body: Buffer.from("[]") }],
    ["another secret", { secret: "example-secret-example-secret-0124" }],
  ])("%s gives another signature", (_name, change) => {
    const x = { ...EXAMPLE, ...change };
    expect(sign(x.secret, "POST", x.path, x.timestamp, x.body)).not.toBe(EXAMPLE.signature);
  });

  test("comparison", () => {
    expect(signatureMatches(EXAMPLE.signature, EXAMPLE.signature)).toBe(true);
    expect(signatureMatches(EXAMPLE.signature, EXAMPLE.signature.slice(0, -1))).toBe(false);
    expect(signatureMatches(EXAMPLE.signature, `${EXAMPLE.signature.slice(0, -1)}0`)).toBe(false);
  });
});
