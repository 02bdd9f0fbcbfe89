const LOCAL_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * The start-up warning for a feed anyone on the network can read: listening beyond localhost without API keys.
 * null when the feed is local only or keyed.
 */
export function exposureWarning(host: string, apiKeys: number): string | null {
  if (apiKeys > 0 || LOCAL_HOSTS.has(host) || host.startsWith("127.")) return null;
  return (
    `the OData feed and CSV exports are open to anyone who can reach ${host}: set GAMETEL_ODATA_API_KEYS, ` +
    "or listen on localhost only (--host 127.0.0.1)"
  );
}
