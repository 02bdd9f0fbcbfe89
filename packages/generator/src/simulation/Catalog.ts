// The game's static content: what a match, a weapon and a client look like.

export const MAPS = ["dust_yard", "harbor", "skyline", "foundry", "glacier"] as const;
export const MODES = ["team_deathmatch", "domination", "search_and_destroy"] as const;
export const TEAMS = ["red", "blue"] as const;
export type Team = (typeof TEAMS)[number];

export const PLATFORMS = ["pc", "ps5", "xbox", "switch"] as const;
export const CLIENT_VERSIONS = ["1.8.2", "1.8.3", "1.9.0"] as const;

/** Regions with the base round-trip time their players see to the servers. */
export const REGIONS = [
  { name: "eu-west", basePingMs: 22 },
  { name: "us-east", basePingMs: 38 },
  { name: "ap-south", basePingMs: 65 },
  { name: "sa-east", basePingMs: 85 },
] as const;

export interface Weapon {
  readonly name: string;
  /** Body-shot damage range; a headshot multiplies it. */
  readonly damageMin: number;
  readonly damageMax: number;
  readonly headshotMultiplier: number;
  /** Mean time between shots in a fight, in ms, for an average player. */
  readonly shotIntervalMs: number;
  /** How often players pick it. */
  readonly weight: number;
}

export const WEAPONS: readonly Weapon[] = [
  { name: "rifle", damageMin: 22, damageMax: 30, headshotMultiplier: 2.5, shotIntervalMs: 260, weight: 5 },
  { name: "smg", damageMin: 14, damageMax: 20, headshotMultiplier: 2, shotIntervalMs: 160, weight: 3 },
  { name: "sniper", damageMin: 70, damageMax: 95, headshotMultiplier: 2, shotIntervalMs: 1200, weight: 1 },
  { name: "shotgun", damageMin: 30, damageMax: 60, headshotMultiplier: 1.5, shotIntervalMs: 800, weight: 1 },
  { name: "pistol", damageMin: 16, damageMax: 24, headshotMultiplier: 2, shotIntervalMs: 380, weight: 1 },
];

/** Deaths without a killer. */
export const ENVIRONMENT_CAUSES = ["fall", "out_of_bounds", "explosion"] as const;

/** Arena bounds in metres. */
export const ARENA = { width: 200, depth: 200, height: 20 } as const;
