import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Db } from "mongodb";
import { createDashboard } from "../../src/server/index.js";
import type { Dashboard, DashboardDeps } from "../../src/server/index.js";

export interface RunningDashboard {
  readonly url: string;
  readonly dashboard: Dashboard;
  close(): Promise<void>;
}

/** Serves a dashboard on a free loopback port, as main.ts does. */
export async function serveDashboard(
  db: Db,
  config: Partial<DashboardDeps["config"]> = {},
  deps: Pick<DashboardDeps, "deadLetters"> = {},
): Promise<RunningDashboard> {
  const dashboard = createDashboard({
    ...deps,
    db,
    config: {
      metricsUrls: [],
      apiKeys: [],
      apiKeyHeader: "x-api-key",
      apiKeyParam: "api_key",
      corsOrigins: [],
      pageSize: 1000,
      livePollMs: 1000,
      publicUrl: null,
      staticDir: null,
      ...config,
    },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: dashboard.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dashboard,
    close: () =>
      new Promise<void>((resolve) => {
        dashboard.close();
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
