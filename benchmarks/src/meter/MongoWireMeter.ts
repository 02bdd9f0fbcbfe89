import { createServer, connect } from "node:net";
import type { AddressInfo, Server, Socket } from "node:net";
import { BSON } from "mongodb";

/** What the processor sent MongoDB, by command: requests, bytes on the wire, and write statements. */
export interface WireCounts {
  readonly requests: Record<string, number>;
  readonly bytes: Record<string, number>;
  /** Update, insert and delete statements (one bulk write carries many). */
  readonly statements: Record<string, number>;
}

const OP_MSG = 2013;
const WRITE_ARRAYS: Readonly<Record<string, string>> = {
  update: "updates",
  insert: "documents",
  delete: "deletes",
};

/**
 * A TCP proxy in front of MongoDB that counts what clients send (OP_MSG requests by command, their bytes, and the
 * statements of write commands), so a run can report MongoDB writes and bytes per event whatever the server.
 */
export class MongoWireMeter {
  readonly counts: WireCounts = { requests: {}, bytes: {}, statements: {} };
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(host: string, port: number) {
    this.#server = createServer((client) => this.#forward(client, host, port));
  }

  /** Listens on `port` (0 = any) and forwards to `target` (host:port). */
  static async start(target: string, port = 0): Promise<MongoWireMeter> {
    const [host, targetPort] = splitHostPort(target);
    const meter = new MongoWireMeter(host, targetPort);
    await new Promise<void>((resolve) => meter.#server.listen(port, "127.0.0.1", resolve));
    return meter;
  }

  #forward(client: Socket, host: string, port: number): void {
    const upstream = connect(port, host);
    this.#track(client, upstream);
    let pending = Buffer.alloc(0);
    client.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 16) {
        const length = pending.readInt32LE(0);
        if (pending.length < length) break;
        this.#count(pending.subarray(0, length));
        pending = pending.subarray(length);
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  #track(...sockets: Socket[]): void {
    for (const s of sockets) {
      this.#sockets.add(s);
      s.on("close", () => this.#sockets.delete(s));
    }
  }

  #count(message: Buffer): void {
    if (message.readInt32LE(12) !== OP_MSG) return;
    let at = 20; // header (16) + flagBits (4)
    let command = "?";
    let statements = 0;
    while (at < message.length) {
      const kind = message[at];
      at += 1;
      if (kind === 0) {
        const size = message.readInt32LE(at);
        const body = BSON.deserialize(message.subarray(at, at + size));
        command = Object.keys(body)[0] ?? "?";
        const list = body[WRITE_ARRAYS[command] ?? ""] as unknown;
        if (Array.isArray(list)) statements += list.length;
        at += size;
      } else if (kind === 1) {
        const size = message.readInt32LE(at);
        const end = at + size;
        let doc = message.indexOf(0, at + 4) + 1;
        while (doc < end) {
          statements += 1;
          doc += message.readInt32LE(doc);
        }
        at = end;
      } else break;
    }
    const { requests, bytes, statements: byCommand } = this.counts;
    requests[command] = (requests[command] ?? 0) + 1;
    bytes[command] = (bytes[command] ?? 0) + message.length;
    if (command in WRITE_ARRAYS) byCommand[command] = (byCommand[command] ?? 0) + statements;
  }

  async stop(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function splitHostPort(target: string): [string, number] {
  const cut = target.lastIndexOf(":");
  const port = Number(target.slice(cut + 1));
  if (cut < 0 || !Number.isInteger(port)) throw new Error(`expected host:port, got ${target}`);
  return [target.slice(0, cut), port];
}
