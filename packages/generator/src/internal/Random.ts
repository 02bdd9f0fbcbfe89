import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const hex16 = (n: number): string => (HEX[(n >>> 8) & 0xff] as string) + (HEX[n & 0xff] as string);
const hex32 = (n: number): string => hex16(n >>> 16) + hex16(n);

/**
 * A seeded source of randomness (xoroshiro128+ from pure-rand) with the few distributions the simulation needs.
 * Independent streams come from `fork()`, which jumps 2^64 steps ahead, so adding a draw to one stream
 * never shifts the numbers of another (the simulation, fault decisions and malformed payloads each own one).
 */
export class Random {
  private constructor(private readonly rng: JumpableRandomGenerator) {}

  static fromSeed(seed: number): Random {
    return new Random(xoroshiro128plus(seed | 0));
  }

  /** A new independent stream; this one is unchanged. */
  fork(): Random {
    const next = this.rng.clone();
    next.jump();
    return new Random(next);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.rng, from, to);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  /** Normal distribution (Box-Muller; always consumes two draws). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.float();
    const v = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Exponential distribution with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** A random UUID in version 4 layout (RFC 9562), drawn from this stream so it is reproducible. */
  uuid(): string {
    const a = this.rng.next();
    const b = (this.rng.next() & 0xffff0fff) | 0x00004000;
    const c = (this.rng.next() & 0x3fffffff) | 0x80000000;
    const d = this.rng.next();
    return `${hex32(a)}-${hex16(b >>> 16)}-${hex16(b)}-${hex16(c >>> 16)}-${hex16(c)}${hex32(d)}`;
  }
}
