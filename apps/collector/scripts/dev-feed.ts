// `pnpm dev` with GAMETEL_DEV_INGEST=http: the generator's simulated game, posted through the collector with the
// SDK (a game server's path into gametel), paced at --rate records per second until SIGINT/SIGTERM.
import { createClient } from "@gametel/client";
import { createGenerator } from "@gametel/generator";
import { Command, InvalidArgumentError } from "commander";

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
};

const o = new Command()
  .name("dev-feed")
  .description(
    "Post generated game telemetry to a gametel collector through @gametel/client. The key's secret comes " +
      "from GAMETEL_COLLECTOR_SECRET (none = a public key).",
  )
  .option("--endpoint <url>", "collector base URL", "http://localhost:8088")
  .option("--game-id <id>", "game_id of the events and the key", "arena")
  .option("--key-id <id>", "key id", "dev")
  .option("--rate <n>", "records per second", positive, 500)
  .option("--seed <n>", "generator seed", positive, 1)
  .parse()
  .opts<{ endpoint: string; gameId: string; keyId: string; rate: number; seed: number }>();

const client = createClient({
  endpoint: o.endpoint,
  gameId: o.gameId,
  keyId: o.keyId,
  ...(process.env.GAMETEL_COLLECTOR_SECRET ? { secret: process.env.GAMETEL_COLLECTOR_SECRET } : {}),
  onDropped: (events, reason, detail) =>
    console.error(`dev-feed: ${events.length} events dropped (${reason}): ${detail}`),
});
const generator = createGenerator({
  seed: o.seed,
  gameId: o.gameId,
  startTime: Date.now(),
  duplicates: 0.01,
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => (stopping = true));
const started = Date.now();
let sent = 0;
const report = setInterval(() => {
  const s = client.stats();
  console.log(
    `dev-feed: ${sent} records queued, ${s.delivered} delivered, ${s.rejected} rejected, ${s.retries} retries`,
  );
}, 10_000);
while (!stopping) {
  const due = Math.floor(((Date.now() - started) / 1000) * o.rate) - sent;
  for (let i = 0; i < due; i++) {
    const record = generator.next();
    if (record === undefined) {
      stopping = true;
      break;
    }
    if (record.kind !== "malformed") client.enqueue(JSON.parse(record.json) as object);
    sent += 1;
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
clearInterval(report);
await client.close();
console.log(`dev-feed: stopped after ${sent} records; ${JSON.stringify(client.stats())}`);
