/** Backlog (produced but not yet visible) observed at time `t` (seconds since production started). */
export interface BacklogSample {
  readonly t: number;
  readonly backlog: number;
}

/** Least-squares slope of backlog over time (events per second); 0 for fewer than two samples. */
export function backlogSlope(samples: readonly BacklogSample[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mt = samples.reduce((a, s) => a + s.t, 0) / n;
  const mb = samples.reduce((a, s) => a + s.backlog, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - mt) * (s.backlog - mb);
    den += (s.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export interface SustainVerdict {
  readonly sustained: boolean;
  /** Backlog growth over the second half of the production period, events/s. */
  readonly slope: number;
  /** Backlog when production stopped. */
  readonly finalBacklog: number;
}

/**
 * A rate is sustained when the backlog does not grow over the second half of the production period (slope at
 * most 5% of the input rate, to allow for batching noise) and, when production stops, at most `maxLagSeconds`
 * of input is waiting.
 */
export function sustainVerdict(
  samples: readonly BacklogSample[],
  rate: number,
  durationSeconds: number,
  maxLagSeconds = 2,
): SustainVerdict {
  const during = samples.filter((s) => s.t <= durationSeconds);
  const secondHalf = during.filter((s) => s.t >= durationSeconds / 2);
  const slope = backlogSlope(secondHalf);
  const finalBacklog = during.at(-1)?.backlog ?? 0;
  return {
    sustained: slope <= 0.05 * rate && finalBacklog <= rate * maxLagSeconds,
    slope,
    finalBacklog,
  };
}
