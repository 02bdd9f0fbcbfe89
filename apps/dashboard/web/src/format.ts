const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

export const fmtInt = (n: number | null | undefined): string => (n == null ? "–" : integer.format(n));
export const fmtDec = (n: number | null | undefined): string => (n == null ? "–" : decimal.format(n));
export const fmtPct = (n: number | null | undefined): string => (n == null ? "–" : percent.format(n));
export const fmtSeconds = (ms: number | null | undefined): string =>
  ms == null ? "–" : `${decimal.format(ms / 1000)} s`;

/** A duration as h:mm:ss or m:ss. */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms == null) return "–";
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60));
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${mm.padStart(2, "0")}:${ss}` : `${mm}:${ss}`;
}

// One time format everywhere: the browser's time zone, ISO-like date and 24-hour time, and the zone's name.
const parts = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short",
});

function fields(ms: number): Record<string, string> {
  return Object.fromEntries(parts.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/** The time zone the dashboard shows times in (the browser's), e.g. "UTC" or "GMT+1". */
export const timeZone = (): string => fields(Date.now()).timeZoneName ?? "";

/** `2026-12-07 21:05:03 UTC`: the one time format of the dashboard. */
export function fmtTime(ms: number | null | undefined): string {
  if (ms == null) return "–";
  const f = fields(ms);
  return `${f.year}-${f.month}-${f.day} ${f.hour}:${f.minute}:${f.second} ${f.timeZoneName}`;
}

/** `21:05` (axis ticks, window bounds; the zone is in the axis label). */
export function fmtClock(ms: number): string {
  const f = fields(ms);
  return `${f.hour}:${f.minute}`;
}

/** `21:05:03`. */
export function fmtClockSeconds(ms: number): string {
  const f = fields(ms);
  return `${f.hour}:${f.minute}:${f.second}`;
}

/** A window as `21:05–21:10 UTC`. */
export const fmtWindow = (start: number, end: number): string =>
  `${fmtClock(start)}–${fmtClock(end)} ${fields(start).timeZoneName}`;
