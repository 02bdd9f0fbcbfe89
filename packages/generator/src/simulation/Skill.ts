import type { Random } from "../internal/Random.js";

/**
 * A player's hidden skill in (0, 1). It never appears in the events; it only shapes them, so that the
 * insights computed downstream (K/D, kills per match, survival time, accuracy) differ between players.
 */
export interface SkillProfile {
  readonly skill: number;
  /** Probability that a shot hits. */
  readonly accuracy: number;
  /** Probability that a hit is a headshot. */
  readonly headshotRate: number;
  /** Multiplier on the weapon's shot interval (< 1 shoots faster). */
  readonly tempo: number;
  /** Mean time until the player looks for a fight again, in ms (better players take fewer idle walks). */
  readonly seekMeanMs: number;
  /** Chance, each time the player moves on, to die from the environment (falls, zone). */
  readonly environmentDeathRate: number;
}

export const skillProfile = (skill: number): SkillProfile => ({
  skill,
  accuracy: 0.12 + 0.5 * skill,
  headshotRate: 0.04 + 0.4 * skill,
  tempo: 1.25 - 0.5 * skill,
  seekMeanMs: 16000 - 8000 * skill,
  environmentDeathRate: 0.035 * (1 - skill),
});

/** Skill is a logistic of a standard normal: most players are average, a few are very good or very bad. */
export const drawSkill = (random: Random): number => {
  const z = random.normal(0, 1.1);
  return 1 / (1 + Math.exp(-z));
};
