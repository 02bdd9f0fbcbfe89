/**
 * `tsx src/meter/meter.ts --target localhost:27017 --port 27018 --out counts.json`: counts what clients send MongoDB
 * (requests, bytes and write statements by command) until SIGINT/SIGTERM, then writes the counts as JSON.
 */
import { writeFileSync } from "node:fs";
import { Command } from "commander";
import { MongoWireMeter } from "./MongoWireMeter.js";

const program = new Command("mongo-meter")
  .description("TCP proxy in front of MongoDB counting requests, bytes and write statements by command")
  .requiredOption("--target <host:port>", "the MongoDB server")
  .option("--port <n>", "port to listen on", "0")
  .requiredOption("--out <file>", "where to write the counts (JSON) on exit")
  .parse();
const options = program.opts<{ target: string; port: string; out: string }>();
const meter = await MongoWireMeter.start(options.target, Number(options.port));
process.stdout.write(`mongo-meter listening on 127.0.0.1:${meter.port}\n`);
const write = () => writeFileSync(options.out, `${JSON.stringify(meter.counts, null, 2)}\n`);
const timer = setInterval(write, 1_000);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    clearInterval(timer);
    write();
    void meter.stop().then(() => process.exit(0));
  });
