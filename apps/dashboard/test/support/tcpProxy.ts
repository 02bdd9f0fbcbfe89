import { createServer, connect } from "node:net";
import type { AddressInfo, Server, Socket } from "node:net";

/**
 * A TCP proxy in front of MongoDB, to make it unreachable or unresponsive on demand without touching the shared
 * local stack: `stall()` keeps connections open but stops passing answers back (a MongoDB that hangs, as under
 * SIGSTOP), `cut()` closes every connection and refuses new ones (a MongoDB that is down), `restore()` brings it
 * back.
 */
export interface TcpProxy {
  readonly port: number;
  stall(): void;
  cut(): Promise<void>;
  /** Accepts connections again on the same port after `cut` (MongoDB is back). */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let stalled = false;
  const server: Server = createServer((downstream) => {
    const upstream = connect(targetPort, targetHost);
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    downstream.on("data", (chunk: Buffer) => upstream.write(chunk));
    upstream.on("data", (chunk: Buffer) => {
      if (!stalled) downstream.write(chunk);
    });
    downstream.on("close", () => upstream.destroy());
    upstream.on("close", () => downstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const closeAll = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return {
    port,
    stall: () => {
      stalled = true;
    },
    cut: closeAll,
    restore: () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve)),
    close: async () => {
      if (server.listening) await closeAll();
    },
  };
}
