const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

export const fmtInt = (n: number | null | undefined): string => (n == null ? "–" : integer.format(n));
export const fmtDec = (n: number | null | undefined): string => (n == null ? "–" : decimal.format(n));
export const fmtPct = (n: number | null | undefined): string => (n == null ? "–" : percent.format(n));
export const fmtSeconds = (ms: number | null | undefined): string =>
  ms == null ? "–" : `${decimal.format(ms / 1000)} s`;

export function fmtDuration(ms: number | null | undefined): string {
  if (ms == null) return "–";
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function fmtTime(ms: number | null | undefined): string {
  if (ms == null) return "–";
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}
