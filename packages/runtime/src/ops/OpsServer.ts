import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Logger } from "./Logger.js";

export interface OpsServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly registry: Registry;
  /** /readyz answers 200 while this returns true (assigned and processing), 503 otherwise. */
  readonly ready: () => boolean;
  /** /healthz answers 200 while this returns true (the loop is alive), 503 otherwise. Default: always. */
  readonly healthy?: () => boolean;
  readonly logger?: Logger;
}

export interface OpsServer {
  readonly url: string;
  close(): Promise<void>;
}

/** HTTP server for operators: `/metrics` (Prometheus text), `/healthz` (liveness), `/readyz` (readiness). */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const healthy = options.healthy ?? (() => true);
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    if (path === "/metrics") {
      options.registry.metrics().then(
        (body) => res.writeHead(200, { "content-type": options.registry.contentType }).end(body),
        (error: unknown) => {
          options.logger?.error({ err: error }, "metrics collection failed");
          res.writeHead(500).end();
        },
      );
      return;
    }
    if (path === "/healthz" || path === "/readyz") {
      const ok = path === "/healthz" ? healthy() : options.ready();
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ ok }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1"}:${port}`;
  // The address it is bound to (0.0.0.0: every interface), not the loopback URL this process calls it by.
  const bound = address.includes(":") ? `[${address}]` : address;
  options.logger?.info({ url: `http://${bound}:${port}`, address, port }, "ops server listening");
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
