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
