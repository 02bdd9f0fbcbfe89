/**
 * Where the tests' broker and MongoDB server are: `KAFKA_BROKERS` / `MONGODB_URI` when set, else the local stack on
 * its ports (`GAMETEL_KAFKA_PORT`, default 9092; `GAMETEL_MONGO_PORT`, default 27017), as `@gametel/devstack` starts it.
 */
const port = (name: string, fallback: number): number => {
  const raw = process.env[name]?.trim();
  return raw === undefined || raw === "" ? fallback : Number(raw);
};

export const testBrokers = (): string[] =>
  (process.env["KAFKA_BROKERS"]?.trim() || `localhost:${port("GAMETEL_KAFKA_PORT", 9092)}`)
    .split(",")
    .map((b) => b.trim())
    .filter((b) => b !== "");

export const testMongoUri = (): string =>
  process.env["MONGODB_URI"]?.trim() || `mongodb://localhost:${port("GAMETEL_MONGO_PORT", 27017)}`;
