/**
 * Sums of the named metrics in a Prometheus text exposition (every label set of a name added up; `_total` names as
 * written). Names absent from the text are absent from the result.
 */
export function sumMetrics(text: string, names: readonly string[]): Partial<Record<string, number>> {
  const wanted = new Set(names);
  const out: Partial<Record<string, number>> = {};
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{.*\})?\s+(\S+)/.exec(line);
    if (m === null || !wanted.has(m[1]!)) continue;
    const value = Number(m[3]);
    if (Number.isFinite(value)) out[m[1]!] = (out[m[1]!] ?? 0) + value;
  }
  return out;
}

/**
 * One metric's values summed by the value of one label (e.g. bytes written by `collection`); lines without the label
 * are left out.
 */
export function sumByLabel(text: string, name: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  const labelPattern = new RegExp(`(?:^|,)${label}="((?:[^"\\\\]|\\\\.)*)"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const m = /^[A-Za-z_:][A-Za-z0-9_:]*\{(.*)\}\s+(\S+)/.exec(line);
    if (m === null) continue;
    const value = Number(m[2]);
    const labelled = labelPattern.exec(m[1]!);
    if (labelled === null || !Number.isFinite(value)) continue;
    out[labelled[1]!] = (out[labelled[1]!] ?? 0) + value;
  }
  return out;
}
