import { inspect } from "node:util";
import { maskUriPassword } from "@gametel/ops";

/**
 * A value that must never reach a log line or a printout (passwords, URIs with credentials). It prints as its
 * masked form through `String()`, `JSON.stringify` (hence pino) and `util.inspect`; `reveal()` hands the value
 * to the client that needs it.
 */
export class Secret {
  readonly #value: string;
  readonly #masked: string;

  constructor(value: string, masked = "[redacted]") {
    this.#value = value;
    this.#masked = masked;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return this.#masked;
  }

  toJSON(): string {
    return this.#masked;
  }

  [inspect.custom](): string {
    return `Secret(${this.#masked})`;
  }
}

/** A MongoDB connection string as a Secret whose masked form keeps everything but the password. */
export function mongoUriSecret(uri: string): Secret {
  return new Secret(uri, maskUriPassword(uri));
}

export { maskUriPassword };
