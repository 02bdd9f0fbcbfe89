import { createServer } from "node:net";
import { MongoClient } from "mongodb";
import { committedTotal, createTopic, produceRecords } from "./kafka.js";
import { launch, processorFlags, runToCaughtUp, sleep, waitForExit } from "./launcher.js";
import type { ProcessorLauncher, RunningProcessor, ScenarioTarget } from "./launcher.js";
import {
  cleanup,
  target,
  verify,
  waitForProgress,
  type Prepared,
  type ScenarioOptions,
  type ScenarioReport,
} from "./scenarios.js";

/**
 * Faults beyond SIGKILL (issue 16), shared by both processor apps: broker restart, MongoDB hung and restarted, a
 * zombie instance, scale-out and scale-in. Each runs against a PRIVATE stack the test started (its services are
 * stopped and paused) and ends with the exact batch recomputation, as the crash scenarios do.
 */

/** A service of the stack a fault scenario may stop, start, pause (SIGSTOP) or resume (SIGCONT). */
export type FaultService = "kafka" | "mongo";

/** What the scenarios need of a private stack (`@gametel/devstack/control`'s `startPrivateStack` gives one). */
export interface FaultStack {
  readonly brokers: readonly string[];
  readonly mongoUri: string;
  stop(service: FaultService): Promise<void>;
  start(service: FaultService): Promise<void>;
  pause(service: FaultService): void;
  resume(service: FaultService): void;
}

export interface FaultOptions extends Omit<ScenarioOptions, "brokers" | "mongoUri"> {
  readonly stack: FaultStack;
}

/** A scenario's report, what the fault did (`notes`), and a second report where a second group ran. */
export interface FaultReport extends ScenarioReport {
  readonly notes: Readonly<Record<string, unknown>>;
  readonly second?: ScenarioReport;
}

const PROGRESS_TIMEOUT_MS = 120_000;

/** Topic with the first `share` of the records; the rest is produced by the scenario after its fault. */
async function prepareFault(options: FaultOptions, prefix: string, share: number): Promise<Prepared> {
  const started = Date.now();
  const scenario = { ...options, brokers: options.stack.brokers, mongoUri: options.stack.mongoUri };
  const t = target(scenario, prefix);
  await createTopic(t.brokers, t.inputTopic, t.partitions, options.topicConfig);
  await produceRecords(t.brokers, t.inputTopic, options.records.slice(0, firstPart(options, share)));
  const client = await MongoClient.connect(t.mongoUri);
  return { target: t, client, started };
}

const firstPart = (options: FaultOptions, share: number) => Math.floor(options.records.length * share);

const produceRest = (options: FaultOptions, t: ScenarioTarget, share: number) =>
  produceRecords(t.brokers, t.inputTopic, options.records.slice(firstPart(options, share)));

const scenarioOptions = (options: FaultOptions): ScenarioOptions => ({
  ...options,
  brokers: options.stack.brokers,
  mongoUri: options.stack.mongoUri,
});

/** `waitForAll`, failing when the instances exited before committing everything. */
async function mustCommitAll(
  t: ScenarioTarget,
  total: number,
  running: readonly RunningProcessor[],
  what: string,
): Promise<void> {
  if ((await waitForAll(t, total, running, what)) === "exited") {
    const tails = running.map((r, i) => `--- instance ${i}:\n${r.output.slice(-15).join("\n")}`).join("\n");
    throw new Error(
      `${what}: every instance exited before the group committed all ${total} records\n${tails}`,
    );
  }
}

const hasExited = (run: RunningProcessor) => run.child.exitCode !== null || run.child.signalCode !== null;

/**
 * Waits until the group committed every record ("committed"), or every instance exited ("exited"); throws with the
 * instances' last lines after the timeout.
 */
async function waitForAll(
  t: ScenarioTarget,
  total: number,
  running: readonly RunningProcessor[],
  what: string,
  timeoutMs = PROGRESS_TIMEOUT_MS,
): Promise<"committed" | "exited"> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await committedTotal(t.brokers, t.group, t.inputTopic).catch(() => 0n)) >= BigInt(total))
      return "committed";
    if (running.every(hasExited)) return "exited";
    if (Date.now() > deadline) {
      const tails = running.map((r, i) => `--- instance ${i}:\n${r.output.slice(-15).join("\n")}`).join("\n");
      throw new Error(
        `${what}: the group did not commit all ${total} records within ${timeoutMs} ms\n${tails}`,
      );
    }
    await sleep(250);
  }
}

/** Stops an instance with SIGTERM and returns its exit code (a timeout kills it and throws). */
async function terminate(run: RunningProcessor, what: string): Promise<number | null> {
  if (!hasExited(run)) run.child.kill("SIGTERM");
  const { code, signal } = await waitForExit(run, 60_000, what);
  return code ?? (signal === null ? null : -1);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** One metric's value (summed over label sets) from an instance's /metrics; null when it does not answer. */
export async function scrapeMetric(port: number, name: string): Promise<number | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(3_000) });
    const text = await response.text();
    let sum = 0;
    for (const line of text.split("\n"))
      if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.split(" ").pop());
    return sum;
  } catch {
    return null;
  }
}

/** Waits until an instance printed a line matching `pattern`. */
async function waitForLine(run: RunningProcessor, pattern: RegExp, what: string): Promise<void> {
  const deadline = Date.now() + PROGRESS_TIMEOUT_MS;
  while (!run.output.some((line) => pattern.test(line))) {
    if (hasExited(run) || Date.now() > deadline)
      throw new Error(
        `${what}: not seen within ${PROGRESS_TIMEOUT_MS} ms:\n${run.output.slice(-15).join("\n")}`,
      );
    await sleep(200);
  }
}

const linesWith = (run: RunningProcessor, text: string) => run.output.filter((l) => l.includes(text));

/**
 * Broker restart mid-run. Instance A (default patience) works through the first half of the input; the broker is
 * stopped for `downMs` and started again; the second half is produced; A must ride the outage out (its gauge
 * `gametel_stream_broker_unreachable_seconds` rising meanwhile, its reconnect counter at least 1 afterwards), finish
 * and stop with 0. Meanwhile instance P, another group on the same topic with `--broker-patience-ms 5000`, must give
 * up with exit 1 and one line naming the patience, and a restart of P must finish exactly.
 */
export async function brokerRestartScenario(
  launcher: ProcessorLauncher,
  options: FaultOptions & { readonly downMs?: number },
): Promise<FaultReport> {
  const { stack } = options;
  const share = 0.5;
  const prepared = await prepareFault(options, "broker", share);
  const t = prepared.target;
  const p = target(scenarioOptions(options), "broker-p", t);
  const metricsPort = await freePort();
  const flags = options.flags ?? [];
  const a = launch(
    launcher,
    processorFlags(t, [...flags, "--log-level", "info", "--metrics-port", String(metricsPort)]),
  );
  const patient = launch(launcher, processorFlags(p, [...flags, "--broker-patience-ms", "5000"]));
  let brokerDown = false;
  try {
    await waitForProgress(t, options.records.length, share * 0.6, a, PROGRESS_TIMEOUT_MS);
    await waitForProgress(p, options.records.length, share * 0.2, patient, PROGRESS_TIMEOUT_MS);
    brokerDown = true;
    await stack.stop("kafka");
    const downAt = Date.now();
    options.log?.(`${launcher.name}: broker stopped`);
    const pExit = await waitForExit(
      patient,
      60_000,
      `${launcher.name} P (--broker-patience-ms 5000) while the broker is down`,
    );
    const unreachableSeconds = await scrapeMetric(metricsPort, "gametel_stream_broker_unreachable_seconds");
    await sleep(Math.max(0, (options.downMs ?? 15_000) - (Date.now() - downAt)));
    await stack.start("kafka");
    brokerDown = false;
    const downForMs = Date.now() - downAt;
    options.log?.(`${launcher.name}: broker started again after ${downForMs} ms`);
    await produceRest(options, t, share);
    let aExit: number | null;
    if (
      (await waitForAll(t, options.records.length, [a], `${launcher.name} A after the broker restart`)) ===
      "committed"
    ) {
      const reconnects = await scrapeMetric(metricsPort, "gametel_stream_broker_reconnects_total");
      aExit = await terminate(a, `${launcher.name} A after SIGTERM`);
      options.log?.(`${launcher.name}: A rode it out (reconnects ${reconnects}), exit ${aExit}`);
      await runToCaughtUp(launcher, p, PROGRESS_TIMEOUT_MS, flags);
      return {
        ...(await verify("broker-restart", launcher.name, scenarioOptions(options), prepared, t, {
          exitCodes: [aExit],
        })),
        second: await verify("broker-restart-p", launcher.name, scenarioOptions(options), prepared, p, {
          exitCodes: [pExit.code, 0],
        }),
        notes: {
          downForMs,
          aRodeOut: true,
          unreachableSeconds,
          reconnects,
          waitLines: linesWith(a, "Kafka unreachable for").length,
          pExit: pExit.code,
          pExitLine: linesWith(patient, "--broker-patience-ms").at(-1) ?? null,
        },
      };
    }
    // A did not ride it out: show how it ended, and that a restart still finishes exactly.
    aExit = (await a.exited).code;
    options.log?.(`${launcher.name}: A exited ${aExit} during the outage:\n${a.output.slice(-8).join("\n")}`);
    await runToCaughtUp(launcher, t, PROGRESS_TIMEOUT_MS, flags);
    await runToCaughtUp(launcher, p, PROGRESS_TIMEOUT_MS, flags);
    return {
      ...(await verify("broker-restart", launcher.name, scenarioOptions(options), prepared, t, {
        exitCodes: [aExit],
      })),
      second: await verify("broker-restart-p", launcher.name, scenarioOptions(options), prepared, p, {
        exitCodes: [pExit.code, 0],
      }),
      notes: {
        downForMs,
        aRodeOut: false,
        aLastLines: a.output.slice(-5),
        unreachableSeconds,
        pExit: pExit.code,
        pExitLine: linesWith(patient, "--broker-patience-ms").at(-1) ?? null,
      },
    };
  } finally {
    for (const run of [a, patient]) if (run.child.exitCode === null) run.child.kill("SIGKILL");
    // The next scenarios need the broker.
    if (brokerDown) await stack.start("kafka");
    await cleanup(scenarioOptions(options), prepared, [t, p]);
  }
}

/**
 * MongoDB hung for `pausedMs` (SIGSTOP: connections stay open, nothing answers) at a quarter of the input, then
 * restarted (stopped and started) at 60 %. The instance must ride both out on its bounded, metered retries, finish
 * and stop with 0.
 */
export async function mongoFaultsScenario(
  launcher: ProcessorLauncher,
  options: FaultOptions & { readonly pausedMs?: number },
): Promise<FaultReport> {
  const { stack } = options;
  const share = 0.6;
  const prepared = await prepareFault(options, "mongo", share);
  const t = prepared.target;
  const metricsPort = await freePort();
  // A commit per batch (`--commit-interval-ms 0`) keeps MongoDB writes in flight at the instants of the faults, so the
  // retry path is exercised: with the default interval this small input is applied in a few commits and the
  // instance may sit idle (no write to fail) while MongoDB is down. The commit interval's own crash safety is the
  // commit-kill scenario's.
  const flags = [...(options.flags ?? []), "--commit-interval-ms", "0"];
  // Operations issued while MongoDB is down wait for server selection; 5 s (the driver's default is 30 s) makes them
  // fail, and so be retried, within the outage below, while 8 attempts still outlast the 30 s pause.
  const uri = new URL(t.mongoUri);
  uri.searchParams.set("serverSelectionTimeoutMS", "5000");
  const flagsOf = processorFlags({ ...t, mongoUri: uri.toString() }, [
    ...flags,
    "--metrics-port",
    String(metricsPort),
  ]);
  const a = launch(launcher, flagsOf);
  try {
    await waitForProgress(t, options.records.length, 0.25, a, PROGRESS_TIMEOUT_MS);
    stack.pause("mongo");
    await sleep(options.pausedMs ?? 30_000);
    stack.resume("mongo");
    options.log?.(`${launcher.name}: MongoDB paused ${options.pausedMs ?? 30_000} ms and resumed`);
    await waitForProgress(t, options.records.length, share * 0.9, a, PROGRESS_TIMEOUT_MS);
    // MongoDB goes away before the rest of the input arrives, so the instance has writes to make while it is down
    // (whatever its speed): they fail and are retried until MongoDB is back.
    await stack.stop("mongo");
    await produceRest(options, t, share);
    const retrying = Date.now();
    while (linesWith(a, "MongoDB operation failed, retrying").length === 0 && Date.now() - retrying < 30_000)
      await sleep(200);
    await stack.start("mongo");
    options.log?.(`${launcher.name}: MongoDB restarted`);
    await mustCommitAll(t, options.records.length, [a], `${launcher.name} after the MongoDB faults`);
    const retries = await scrapeMetric(metricsPort, "gametel_stream_store_write_retries_total");
    const aExit = await terminate(a, `${launcher.name} after SIGTERM`);
    return {
      ...(await verify("mongo-faults", launcher.name, scenarioOptions(options), prepared, t, {
        exitCodes: [aExit],
      })),
      notes: { retries, retryLines: linesWith(a, "MongoDB operation failed, retrying").length },
    };
  } finally {
    stack.resume("mongo");
    if (a.child.exitCode === null) a.child.kill("SIGKILL");
    await cleanup(scenarioOptions(options), prepared, [t]);
  }
}

/**
 * Zombie: A is SIGSTOPed mid-run (mid-batch, as far as a signal can aim); B joins the group, takes A's partitions
 * once A's session expired, and commits every record, the second half produced meanwhile; then A is SIGCONTed. Its
 * late writes must change nothing (offset fences), its commits are refused; it must rejoin (or stop) cleanly:
 * both stop with 0 on SIGTERM and the group's commit stays at the end of the input.
 */
export async function zombieScenario(
  launcher: ProcessorLauncher,
  options: FaultOptions,
): Promise<FaultReport> {
  const share = 0.5;
  const prepared = await prepareFault(options, "zombie", share);
  const t = prepared.target;
  const flags = options.flags ?? [];
  const a = launch(launcher, processorFlags(t, [...flags, "--log-level", "info"]));
  let b: RunningProcessor | undefined;
  try {
    await waitForProgress(t, options.records.length, share * 0.4, a, PROGRESS_TIMEOUT_MS);
    a.child.kill("SIGSTOP");
    const pausedAt = await committedTotal(t.brokers, t.group, t.inputTopic);
    b = launch(launcher, processorFlags(t, [...flags, "--log-level", "info"]));
    await produceRest(options, t, share);
    await mustCommitAll(
      t,
      options.records.length,
      [a, b],
      `${launcher.name} B taking over from the paused A`,
    );
    const aLinesBefore = a.output.length;
    a.child.kill("SIGCONT");
    options.log?.(
      `${launcher.name}: A paused at ${pausedAt} committed, resumed after B committed everything`,
    );
    // A wakes up with whatever it had in flight; give it two session timeouts to be fenced and rejoin.
    await sleep(12_000);
    const committedAfter = await committedTotal(t.brokers, t.group, t.inputTopic);
    const aLog = a.output.slice(aLinesBefore);
    const aExit = await terminate(a, `${launcher.name} A (the zombie) after SIGTERM`);
    const bExit = await terminate(b, `${launcher.name} B after SIGTERM`);
    return {
      ...(await verify("zombie", launcher.name, scenarioOptions(options), prepared, t, {
        exitCodes: [aExit, bExit],
      })),
      notes: {
        pausedAt: Number(pausedAt),
        committedAfter: Number(committedAfter),
        zombieLines: aLog.filter((l) => /refused|rebalanc|revoked|assigned|fenc/i.test(l)).length,
      },
    };
  } finally {
    for (const run of [a, b]) {
      if (run === undefined || run.child.exitCode !== null) continue;
      run.child.kill("SIGCONT");
      run.child.kill("SIGKILL");
    }
    await cleanup(scenarioOptions(options), prepared, [t]);
  }
}

/**
 * Scale-out and scale-in: three instances in one group from the start; at 30 % of the input one is SIGTERMed, and a
 * fourth is added; the second half is produced meanwhile. All stop with 0; results exact.
 */
export async function scaleScenario(
  launcher: ProcessorLauncher,
  options: FaultOptions,
): Promise<FaultReport> {
  const share = 0.6;
  const prepared = await prepareFault(options, "scale", share);
  const t = prepared.target;
  const flags = options.flags ?? [];
  const running = [0, 1, 2].map(() => launch(launcher, processorFlags(t, flags)));
  try {
    await waitForProgress(t, options.records.length, 0.3, running[0]!, PROGRESS_TIMEOUT_MS);
    const leftExit = await terminate(running[0]!, `${launcher.name} instance 0 scaled in (SIGTERM)`);
    const added = launch(launcher, processorFlags(t, [...flags, "--log-level", "info"]));
    running.push(added);
    // Scale-out for real: the new instance owns partitions before the rest of the input arrives.
    await waitForLine(added, /"partitions":\[\d/, `${launcher.name} instance 3 to be assigned partitions`);
    await produceRest(options, t, share);
    await mustCommitAll(t, options.records.length, running.slice(1), `${launcher.name} after scaling`);
    const exits = [leftExit];
    for (const [i, run] of running.slice(1).entries())
      exits.push(await terminate(run, `${launcher.name} instance ${i + 1}`));
    return {
      ...(await verify("scale", launcher.name, scenarioOptions(options), prepared, t, { exitCodes: exits })),
      notes: {},
    };
  } finally {
    for (const run of running) if (run.child.exitCode === null) run.child.kill("SIGKILL");
    await cleanup(scenarioOptions(options), prepared, [t]);
  }
}
