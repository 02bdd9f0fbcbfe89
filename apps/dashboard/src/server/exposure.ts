const LOCAL_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);

/** True for an address only this machine can reach (loopback). */
export const isLocalHost = (host: string): boolean => LOCAL_HOSTS.has(host) || host.startsWith("127.");

/**
 * Why the dashboard refuses to start: listening beyond localhost without API keys, unless the operator said
 * `--insecure-open`. null when the feed is local only, keyed, or opened on purpose.
 */
export function exposureRefusal(host: string, apiKeys: number, insecureOpen: boolean): string | null {
  if (apiKeys > 0 || insecureOpen || isLocalHost(host)) return null;
  return (
    `HOST ${host} would open the OData feed and CSV exports to anyone who can reach it: set GAMETEL_ODATA_API_KEYS, ` +
    "listen on localhost only (the default, --host 127.0.0.1), or pass --insecure-open (GAMETEL_INSECURE_OPEN=1) " +
    "to serve it open on purpose"
  );
}

/**
 * The start-up warning for a feed anyone on the network can read (opened on purpose with `--insecure-open`).
 * null when the feed is local only or keyed.
 */
export function exposureWarning(host: string, apiKeys: number): string | null {
  if (apiKeys > 0 || isLocalHost(host)) return null;
  return (
    `the OData feed and CSV exports are open to anyone who can reach ${host} (--insecure-open): set ` +
    "GAMETEL_ODATA_API_KEYS, or listen on localhost only (--host 127.0.0.1)"
  );
}
