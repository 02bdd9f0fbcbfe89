/** How much one client, and all clients together, may ask of the dashboard. */
export interface DashboardLimits {
  /** maxTimeMS of every MongoDB read, and (plus a second) the deadline of every /odata and /api/views request. */
  readonly queryTimeoutMs: number;
  /** maxTimeMS of a CSV export's cursor (the whole download). */
  readonly exportTimeoutMs: number;
  /** Requests per client per window (all routes but static files and /healthz); 0 = no rate limit. */
  readonly rateLimit: number;
  readonly rateLimitWindowMs: number;
  /** Live (SSE) streams one client may hold open at once. */
  readonly liveStreamsPerClient: number;
  /** Distinct live views polled at once (each costs one MongoDB read per poll). */
  readonly liveMaxViews: number;
  /** CSV exports running at once, over all clients. */
  readonly maxExports: number;
  /** Behind a reverse proxy: the client is the last address in X-Forwarded-For (the one the proxy saw). */
  readonly trustProxy: boolean;
}

export const DEFAULT_LIMITS: DashboardLimits = {
  queryTimeoutMs: 5_000,
  exportTimeoutMs: 300_000,
  rateLimit: 600,
  rateLimitWindowMs: 60_000,
  liveStreamsPerClient: 8,
  liveMaxViews: 500,
  maxExports: 4,
  trustProxy: false,
};
