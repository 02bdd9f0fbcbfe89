/** The one log line shape of every gametel app, as the docs state it (checked by `checkLogLine`). */
export const LOG_LINE_SHAPE =
  'one JSON object per line: "level" (trace|debug|info|warn|error|fatal), "time" (ISO 8601 UTC), "app", ' +
  'the line\'s fields, "msg"; no key twice';

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Top-level keys of a JSON object text in order, repeats included (JSON.parse would hide them). */
function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === "\\" ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(JSON.parse(line.slice(i, j + 1)) as string);
      expectKey = false;
      i = j;
    } else if (c === "{" || c === "[") {
      depth += 1;
      expectKey = c === "{" && depth === 1;
    } else if (c === "}" || c === "]") depth -= 1;
    else if (c === "," && depth === 1) expectKey = true;
  }
  return keys;
}

/** What is wrong with one log line against the shape (empty = fits); for tests of every app's output. */
export function checkLogLine(line: string): string[] {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return [`not JSON: ${line.slice(0, 80)}`];
  }
  const problems: string[] = [];
  if (typeof entry["level"] !== "string" || !LEVELS.has(entry["level"])) {
    problems.push(`level must be a name, got ${JSON.stringify(entry["level"])}`);
  }
  if (typeof entry["time"] !== "string" || !ISO_UTC.test(entry["time"])) {
    problems.push(`time must be ISO 8601 UTC, got ${JSON.stringify(entry["time"])}`);
  }
  if (typeof entry["app"] !== "string") problems.push("app is missing");
  if (typeof entry["msg"] !== "string") problems.push("msg is missing");
  const keys = topLevelKeys(line);
  const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (repeated.length > 0) problems.push(`repeated keys: ${[...new Set(repeated)].join(", ")}`);
  return problems;
}
