import { randomBytes } from "node:crypto";
import { testBrokers, testMongoUri } from "./stackAddress.js";
import { MongoClient } from "mongodb";
import type { Db, Document } from "mongodb";
import { partitionForKey } from "../engine/murmur2.js";
import { DeadLetterHeaders } from "../processor/DeadLetter.js";
import { EVENT_TIME_BOUNDS_DEFAULTS } from "../processor/EventTimeBounds.js";
import { compareResults } from "../verify/Results.js";
import { readCounts, readResults } from "../verify/readResults.js";
import { recomputeExpected } from "../verify/recomputeExpected.js";
import type { ExpectedResults, RecomputeOptions } from "../verify/recomputeExpected.js";
import { committedTotal, createTopic, deleteTopics, produceRecords, readTopic } from "./kafka.js";
import type { ScenarioRecord } from "./kafka.js";
import { launch, processorFlags, runToCaughtUp, sleep, waitForExit } from "./launcher.js";
import type { ProcessorLauncher, RunningProcessor, ScenarioTarget } from "./launcher.js";

/**
 * End-to-end scenarios against the real broker and MongoDB server, shared by both processor apps: each app's
 * test/ calls them with a launcher for its own `main`. They return reports; the tests assert on them.
 */
export interface ScenarioOptions {
  /** Records in production order (the generator's `{ key, json }` as `{ key, value }`). */
  readonly records: readonly ScenarioRecord[];
  readonly brokers?: readonly string[];
  readonly mongoUri?: string;
  /** Input topic partitions (default 6). */
  readonly partitions?: number;
  /** Input topic configuration (e.g. a larger max.message.bytes). */
  readonly topicConfig?: Readonly<Record<string, string>>;
  /** Max time of one processor run (default 120 s). */
  readonly timeoutMs?: number;
  /** Extra processor flags (e.g. ["--batch-size", "500"]). */
  readonly flags?: readonly string[];
  readonly recompute?: RecomputeOptions;
  /**
   * How to check another game's results (default: arena's independent recomputation, `recomputeExpected`). Given the
   * processor's database and the produced records, it returns the differences, the expected counts and how many
   * documents it compared.
   */
  readonly check?: ResultsCheck;
  /** Keep topics and databases for debugging. */
  readonly keep?: boolean;
  /** Progress lines (kills, restarts). */
  readonly log?: (line: string) => void;
}

/** What a game's own check of a scenario's results returns (see `ScenarioOptions.check`). */
export interface ResultsCheckOutcome {
  readonly diffs: readonly string[];
  readonly expected: ExpectedResults["counts"];
  /** Documents compared by kind (keyed documents as players, merged ones as matches; zero where none). */
  readonly compared: ScenarioReport["compared"];
}

export type ResultsCheck = (
  db: Db,
  records: readonly ScenarioRecord[],
  partitions: number,
) => Promise<ResultsCheckOutcome>;

export interface ScenarioCounts {
  readonly produced: number;
  /** Distinct valid events applied (sum of key_state.events). */
  readonly valid: number;
  readonly duplicates: number;
  readonly late: number;
  /** Distinct source records in the dead-letter topic (it is at least once). */
  readonly deadLettered: number;
}

export interface ScenarioReport {
  readonly scenario: string;
  readonly engine: string;
  /** Differences between MongoDB and the independent recomputation (empty = exact). */
  readonly diffs: readonly string[];
  readonly counts: ScenarioCounts;
  readonly expected: ExpectedResults["counts"];
  /** Dead letters by cause (distinct source records), and the largest one's key + value bytes. */
  readonly deadLetters: {
    readonly misPartitioned: number;
    readonly eventTimeOutOfRange: number;
    readonly truncated: number;
    readonly largestBytes: number;
    /** Reasons that quote an input NUL byte as the escape `\u0000`. */
    readonly escapedNul: number;
    /** Reasons with a raw control character (must be none). */
    readonly rawControl: number;
    /** The reason header by source "partition:offset". */
    readonly reasons: Readonly<Record<string, string>>;
  };
  /** Documents compared, per collection. */
  readonly compared: {
    readonly players: number;
    readonly windows: number;
    readonly matches: number;
    readonly servers: number;
  };
  /** SIGKILLs sent (crash scenario). */
  readonly kills: number;
  /** Exit codes of graceful stops (SIGTERM) and of the final runs. */
  readonly exitCodes: readonly (number | null)[];
  readonly durationMs: number;
}

export const uniqueName = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
const defaultBrokers = testBrokers;
const defaultMongoUri = testMongoUri;

export interface Prepared {
  readonly target: ScenarioTarget;
  readonly client: MongoClient;
  readonly started: number;
}

export function target(options: ScenarioOptions, prefix: string, base?: ScenarioTarget): ScenarioTarget {
  const topic = base?.inputTopic ?? uniqueName(`gt-${prefix}`);
  const db = uniqueName(`gt-${prefix}`);
  return {
    brokers: options.brokers ?? defaultBrokers(),
    mongoUri: options.mongoUri ?? defaultMongoUri(),
    mongoDb: db,
    group: `${db}-group`,
    inputTopic: topic,
    dlqTopic: `${db}.dlq`,
    lateTopic: `${db}.late`,
    outputTopic: `${db}.out`,
    partitions: options.partitions ?? 6,
  };
}

async function prepare(options: ScenarioOptions, prefix: string): Promise<Prepared> {
  const started = Date.now();
  const t = target(options, prefix);
  await createTopic(t.brokers, t.inputTopic, t.partitions, options.topicConfig);
  await produceRecords(t.brokers, t.inputTopic, options.records);
  const client = await MongoClient.connect(t.mongoUri);
  return { target: t, client, started };
}

export async function verify(
  scenario: string,
  engine: string,
  options: ScenarioOptions,
  prepared: Prepared,
  t: ScenarioTarget,
  extra: { kills?: number; exitCodes?: readonly (number | null)[] } = {},
): Promise<ScenarioReport> {
  const db = prepared.client.db(t.mongoDb);
  const checked = await (options.check ?? arenaCheck(options))(db, options.records, t.partitions);
  const counts = await readCounts(db);
  const dead = await readTopic(t.brokers, t.dlqTopic);
  // Dead letters are at least once: count each source record once.
  const bySource = new Map<string, (typeof dead)[number]>();
  for (const r of dead)
    bySource.set(
      `${r.headers[DeadLetterHeaders.sourcePartition] ?? "?"}:${r.headers[DeadLetterHeaders.sourceOffset] ?? "?"}`,
      r,
    );
  const letters = [...bySource.values()];
  const reasonCount = (prefix: string) =>
    letters.filter((r) => (r.headers[DeadLetterHeaders.reason] ?? "").startsWith(prefix)).length;
  return {
    scenario,
    engine,
    diffs: checked.diffs,
    counts: { produced: options.records.length, ...counts, deadLettered: bySource.size },
    deadLetters: {
      misPartitioned: reasonCount("wrong partition:"),
      eventTimeOutOfRange: reasonCount("event_time out of range:"),
      truncated: letters.filter((r) => r.headers[DeadLetterHeaders.truncated] === "true").length,
      largestBytes: Math.max(0, ...dead.map((r) => (r.value?.length ?? 0) + (r.key?.length ?? 0))),
      escapedNul: letters.filter((r) => (r.headers[DeadLetterHeaders.reason] ?? "").includes("\\u0000"))
        .length,
      // eslint-disable-next-line no-control-regex
      rawControl: letters.filter((r) => /[\u0000-\u001f]/.test(r.headers[DeadLetterHeaders.reason] ?? ""))
        .length,
      reasons: Object.fromEntries(
        [...bySource].map(([source, r]) => [source, r.headers[DeadLetterHeaders.reason] ?? ""]),
      ),
    },
    expected: checked.expected,
    compared: checked.compared,
    kills: extra.kills ?? 0,
    exitCodes: extra.exitCodes ?? [],
    durationMs: Date.now() - prepared.started,
  };
}

/** Arena's check: MongoDB against the independent batch recomputation of the produced records. */
function arenaCheck(options: ScenarioOptions): ResultsCheck {
  return async (db, records, partitions) => {
    const partitionOf = (index: number): number => {
      const r = records[index];
      if (r?.partition !== undefined) return r.partition;
      if (r?.key === null || r?.key === undefined)
        throw new Error(`record ${index}: null key without a partition`);
      return partitionForKey(r.key, partitions);
    };
    const expected = recomputeExpected(
      records.map((r) => r.value),
      {
        inputContract: {
          partitions: partitions,
          partitionOf,
          floorMs: EVENT_TIME_BOUNDS_DEFAULTS.floorMs,
          maxFutureMs: EVENT_TIME_BOUNDS_DEFAULTS.maxFutureMs,
          now: Date.now(),
        },
        ...options.recompute,
      },
    );
    const actual = await readResults(db);
    return {
      diffs: compareResults(expected, actual),
      expected: expected.counts,
      compared: {
        players: expected.players.size,
        windows: expected.windows.size,
        matches: expected.matches.size,
        servers: expected.servers.size,
      },
    };
  };
}

export async function cleanup(
  options: ScenarioOptions,
  prepared: Prepared,
  targets: readonly ScenarioTarget[],
): Promise<void> {
  try {
    if (options.keep === true) return;
    for (const t of targets) await prepared.client.db(t.mongoDb).dropDatabase();
    const topics = new Set(targets.flatMap((t) => [t.inputTopic, t.dlqTopic, t.lateTopic, t.outputTopic]));
    await deleteTopics(prepared.target.brokers, [...topics]).catch(() => undefined);
  } finally {
    await prepared.client.close();
  }
}

/** Waits until the group committed at least `fraction` of the input, or the process exits. */
export async function waitForProgress(
  t: ScenarioTarget,
  total: number,
  fraction: number,
  running: RunningProcessor,
  timeoutMs: number,
): Promise<void> {
  const goal = BigInt(Math.floor(total * fraction));
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void running.exited.then(() => (exited = true));
  while (!exited) {
    if ((await committedTotal(t.brokers, t.group, t.inputTopic)) >= goal) return;
    if (Date.now() > deadline)
      throw new Error(
        `no progress to ${fraction} within ${timeoutMs} ms:\n${running.output.slice(-20).join("\n")}`,
      );
    await sleep(100);
  }
}

/**
 * Correctness: a dataset with duplicates, out-of-order, late and malformed records, processed once to the end
 * (`--exit-when-caught-up`); MongoDB must equal the recomputation and valid + duplicates + dead-lettered = produced.
 */
export async function correctnessScenario(
  launcher: ProcessorLauncher,
  options: ScenarioOptions,
): Promise<ScenarioReport> {
  const prepared = await prepare(options, "correct");
  try {
    await runToCaughtUp(launcher, prepared.target, options.timeoutMs ?? 120_000, options.flags);
    return await verify("correctness", launcher.name, options, prepared, prepared.target, { exitCodes: [0] });
  } finally {
    await cleanup(options, prepared, [prepared.target]);
  }
}

/**
 * Crash: SIGKILL the processor `kills` times (default 5) while it works through the dataset — each time after the
 * group committed a further share of the input plus a random delay — restart it each time, then run it to the end.
 */
export async function crashScenario(
  launcher: ProcessorLauncher,
  options: ScenarioOptions & { readonly kills?: number },
): Promise<ScenarioReport> {
  const kills = options.kills ?? 5;
  const timeout = options.timeoutMs ?? 120_000;
  const prepared = await prepare(options, "crash");
  const t = prepared.target;
  try {
    let sent = 0;
    for (let i = 0; i < kills; i += 1) {
      const running = launch(launcher, processorFlags(t, options.flags));
      await waitForProgress(t, options.records.length, (i + 1) / (kills + 2), running, timeout);
      await sleep(Math.floor(Math.random() * 300));
      running.child.kill("SIGKILL");
      const { signal } = await running.exited;
      if (signal === "SIGKILL") sent += 1;
      options.log?.(
        `${launcher.name}: kill ${i + 1}/${kills} at ${await committedTotal(t.brokers, t.group, t.inputTopic)} committed`,
      );
    }
    await runToCaughtUp(launcher, t, timeout, options.flags);
    return await verify("crash", launcher.name, options, prepared, t, { kills: sent, exitCodes: [0] });
  } finally {
    await cleanup(options, prepared, [t]);
  }
}

/**
 * Rebalance: instance A starts; B joins the group late (after a quarter of the input); A leaves mid-run with
 * SIGTERM (graceful: finish batch, flush, commit, leave); B finishes with `--exit-when-caught-up`.
 */
export async function rebalanceScenario(
  launcher: ProcessorLauncher,
  options: ScenarioOptions,
): Promise<ScenarioReport> {
  const timeout = options.timeoutMs ?? 120_000;
  const prepared = await prepare(options, "rebal");
  const t = prepared.target;
  try {
    const a = launch(launcher, processorFlags(t, options.flags));
    await waitForProgress(t, options.records.length, 0.25, a, timeout);
    const b = launch(launcher, processorFlags(t, ["--exit-when-caught-up", ...(options.flags ?? [])]));
    options.log?.(`${launcher.name}: B joined`);
    await waitForProgress(t, options.records.length, 0.6, b, timeout);
    a.child.kill("SIGTERM");
    const aExit = await waitForExit(a, timeout, `${launcher.name} A after SIGTERM`);
    options.log?.(`${launcher.name}: A left with ${aExit.code ?? aExit.signal}`);
    const bExit = await waitForExit(b, timeout, `${launcher.name} B to caught up`);
    if (bExit.code !== 0)
      throw new Error(`B exited with ${bExit.code ?? bExit.signal}:\n${b.output.slice(-30).join("\n")}`);
    return await verify("rebalance", launcher.name, options, prepared, t, {
      exitCodes: [aExit.code, bExit.code],
    });
  } finally {
    await cleanup(options, prepared, [t]);
  }
}

/** Where the kill-inside-a-commit scenario kills: after write phase `phase`, at its `occurrence`-th pause. */
export interface CommitKill {
  readonly phase: 1 | 2 | 3;
  readonly occurrence: number;
}

/**
 * Kill inside a commit: with the test hook GAMETEL_TEST_PAUSE_IN_COMMIT_MS each commit pauses after each of its three
 * write phases and logs it; the processor is SIGKILLed during such a pause (after phase 1, after 2, and after 3 =
 * key states written but offsets not committed), restarted each time, then run to the end without the hook.
 */
export async function commitKillScenario(
  launcher: ProcessorLauncher,
  options: ScenarioOptions & { readonly kills?: readonly CommitKill[]; readonly pauseMs?: number },
): Promise<ScenarioReport> {
  const timeout = options.timeoutMs ?? 120_000;
  // Each kill is counted in its own process's output, so an early occurrence in every run: a later one may never come
  // when a run's share of the input needs fewer commits (the node-rdkafka engine's third run needed 16 phase-3
  // pauses and finished the input in 10).
  const kills = options.kills ?? [
    { phase: 1, occurrence: 3 },
    { phase: 2, occurrence: 3 },
    { phase: 3, occurrence: 3 },
  ];
  const paused: ProcessorLauncher = {
    ...launcher,
    env: { ...launcher.env, GAMETEL_TEST_PAUSE_IN_COMMIT_MS: String(options.pauseMs ?? 400) },
  };
  const prepared = await prepare(options, "cmkill");
  const t = prepared.target;
  try {
    let sent = 0;
    for (const kill of kills) {
      const running = launch(paused, processorFlags(t, options.flags));
      await waitForPause(running, kill, timeout);
      running.child.kill("SIGKILL");
      const { signal } = await running.exited;
      if (signal === "SIGKILL") sent += 1;
      options.log?.(
        `${launcher.name}: killed after commit phase ${kill.phase} (pause ${kill.occurrence}) at ${await committedTotal(t.brokers, t.group, t.inputTopic)} committed`,
      );
    }
    await runToCaughtUp(launcher, t, timeout, options.flags);
    return await verify("commit kill", launcher.name, options, prepared, t, { kills: sent, exitCodes: [0] });
  } finally {
    await cleanup(options, prepared, [t]);
  }
}

/** Waits until the processor logged its `occurrence`-th pause after write phase `phase`. */
async function waitForPause(running: RunningProcessor, kill: CommitKill, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const marker = `"phase":${kill.phase}`;
  let exited = false;
  void running.exited.then(() => (exited = true));
  for (;;) {
    const pauses = running.output.filter(
      (line) => line.includes("pausing inside a commit") && line.includes(marker),
    ).length;
    if (pauses >= kill.occurrence) return;
    if (exited || Date.now() > deadline) {
      running.child.kill("SIGKILL");
      throw new Error(
        `no pause ${kill.occurrence} after commit phase ${kill.phase} (${pauses} seen); last output:\n${running.output.slice(-30).join("\n")}`,
      );
    }
    await sleep(20);
  }
}

export interface EnginesAgreeReport {
  readonly engines: readonly [string, string];
  /** Differences between the two engines' player_stats documents (all fields but updated_at). */
  readonly diffs: readonly string[];
  readonly players: number;
  readonly reports: readonly [ScenarioReport, ScenarioReport];
}

/** JSON with keys sorted at every level (field order in a document is not part of its value). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

async function rawPlayerStats(db: Db): Promise<Map<string, Document>> {
  const out = new Map<string, Document>();
  for await (const doc of db.collection("player_stats").find({}, { projection: { updated_at: 0 } }))
    out.set(String(doc._id), doc);
  return out;
}

/** Both engines on the same input topic (separate groups and databases) must write identical player_stats. */
export async function enginesAgreeScenario(
  launchers: readonly [ProcessorLauncher, ProcessorLauncher],
  options: ScenarioOptions,
): Promise<EnginesAgreeReport> {
  const timeout = options.timeoutMs ?? 120_000;
  const prepared = await prepare(options, "agree");
  const first = prepared.target;
  const second = target(options, "agree", first);
  try {
    await runToCaughtUp(launchers[0], first, timeout, options.flags);
    await runToCaughtUp(launchers[1], second, timeout, options.flags);
    const [a, b] = await Promise.all([
      rawPlayerStats(prepared.client.db(first.mongoDb)),
      rawPlayerStats(prepared.client.db(second.mongoDb)),
    ]);
    const diffs: string[] = [];
    for (const [id, doc] of a) {
      const other = b.get(id);
      if (other === undefined) diffs.push(`${id}: only in ${launchers[0].name}`);
      else if (canonical(doc) !== canonical(other))
        diffs.push(`${id}: ${canonical(doc)} vs ${canonical(other)}`);
    }
    for (const id of b.keys()) if (!a.has(id)) diffs.push(`${id}: only in ${launchers[1].name}`);
    const reports = [
      await verify("engines-agree", launchers[0].name, options, prepared, first, { exitCodes: [0] }),
      await verify("engines-agree", launchers[1].name, options, prepared, second, { exitCodes: [0] }),
    ] as const;
    return {
      engines: [launchers[0].name, launchers[1].name],
      diffs: diffs.slice(0, 50),
      players: a.size,
      reports,
    };
  } finally {
    await cleanup(options, prepared, [first, second]);
  }
}
