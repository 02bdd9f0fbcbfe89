import type { PipelineHealth } from "../health/PipelineHealth.js";
import type { ResultsReader } from "../results/ResultsReader.js";
import type { LeaderboardSort, MinSampleBasis } from "./ViewTypes.js";
import { DEFAULT_MIN_SAMPLE, LEADERBOARD_SORTS, MIN_SAMPLE_BASES } from "./ViewTypes.js";

/** A page's data: validated parameters in, JSON-ready data out. Served once (GET) or live (SSE). */
export interface View {
  readonly name: string;
  /** Validated, canonical parameters (their JSON is the view's identity in the live hub). */
  parse(params: URLSearchParams): Readonly<Record<string, string>>;
  load(params: Readonly<Record<string, string>>): Promise<unknown>;
}

export class ViewParamError extends Error {
  override readonly name = "ViewParamError";
}

const MAX_ID = 128;

interface ParamSpec {
  readonly required?: boolean;
  readonly pattern?: RegExp;
  readonly values?: readonly string[];
  readonly fallback?: string;
}

/** Checks the query against a table of known parameters; unknown or malformed ones are refused. */
function params(
  spec: Readonly<Record<string, ParamSpec>>,
): (query: URLSearchParams) => Readonly<Record<string, string>> {
  return (query) => {
    const out: Record<string, string> = {};
    for (const [name, value] of query) {
      const rule = spec[name];
      if (rule === undefined) throw new ViewParamError(`unknown parameter "${name}"`);
      if (name in out) throw new ViewParamError(`parameter "${name}" is given twice`);
      if (value.length > MAX_ID || [...value].some((ch) => ch < " " || ch === "\u007f")) {
        throw new ViewParamError(`parameter "${name}" is too long or has control characters`);
      }
      if (rule.values !== undefined && !rule.values.includes(value)) {
        throw new ViewParamError(`parameter "${name}" must be one of ${rule.values.join(", ")}`);
      }
      if (rule.pattern !== undefined && !rule.pattern.test(value)) {
        throw new ViewParamError(`parameter "${name}" is malformed`);
      }
      out[name] = value;
    }
    for (const [name, rule] of Object.entries(spec)) {
      if (out[name] === undefined || out[name] === "") {
        if (rule.required) throw new ViewParamError(`parameter "${name}" is required`);
        if (rule.fallback !== undefined) out[name] = rule.fallback;
        else delete out[name];
      }
    }
    // Canonical order, so equal views share one entry in the live hub.
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  };
}

const LIMIT = /^(?:[1-9]\d?|1\d\d|200)$/; // 1..200
const MIN_SAMPLE = /^(?:0|[1-9]\d{0,3}|10000)$/; // 0..10000 (MAX_MIN_SAMPLE)
const opt = (p: Readonly<Record<string, string>>, name: string): string | null => p[name] ?? null;
const req = (p: Readonly<Record<string, string>>, name: string): string => p[name] ?? "";

/** The dashboard's views, by name. */
export function createViews(reader: ResultsReader, health: PipelineHealth): ReadonlyMap<string, View> {
  const views: View[] = [
    { name: "games", parse: params({}), load: async () => ({ games: await reader.games() }) },
    {
      name: "leaderboard",
      parse: params({
        game: {},
        sort: { values: LEADERBOARD_SORTS, fallback: "kd_ratio" },
        q: { fallback: "" },
        limit: { pattern: LIMIT, fallback: "20" },
        basis: { values: MIN_SAMPLE_BASES, fallback: DEFAULT_MIN_SAMPLE.basis },
        min: { pattern: MIN_SAMPLE, fallback: String(DEFAULT_MIN_SAMPLE.min) },
      }),
      load: (p) =>
        reader.leaderboard({
          game: opt(p, "game"),
          sort: req(p, "sort") as LeaderboardSort,
          q: req(p, "q"),
          limit: Number(p.limit),
          basis: req(p, "basis") as MinSampleBasis,
          min: Number(p.min),
        }),
    },
    {
      name: "player",
      parse: params({ game: { required: true }, player: { required: true } }),
      load: (p) => reader.player(req(p, "game"), req(p, "player"), 288),
    },
    {
      name: "matches",
      parse: params({ game: {}, limit: { pattern: LIMIT, fallback: "50" } }),
      load: (p) => reader.matches(opt(p, "game"), Number(p.limit)),
    },
    {
      name: "match",
      parse: params({ game: { required: true }, match: { required: true } }),
      load: (p) => reader.match(req(p, "game"), req(p, "match")),
    },
    {
      name: "servers",
      parse: params({ game: {}, server: {} }),
      load: (p) => reader.servers(opt(p, "game"), opt(p, "server"), 288),
    },
    // Sampled in the background (createDashboard), so the history is there when the page opens.
    { name: "health", parse: params({}), load: async () => health.latest() ?? (await health.sample()) },
  ];
  return new Map(views.map((v) => [v.name, v]));
}
