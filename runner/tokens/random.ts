/**
 * Sources of randomness for forging: cryptographic by default, seeded when a run must be
 * reproducible (the seed goes in the report, so a failing forged token can be forged again).
 */
import { randomInt } from 'node:crypto';

/** A number in [0, 1), like Math.random. */
export type RandomSource = () => number;

export const cryptoRandom: RandomSource = () => randomInt(0, 2 ** 32) / 2 ** 32;

/** mulberry32: small, fast, and good enough to pick characters; the same seed gives the same sequence. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function pick<T>(items: readonly T[], random: RandomSource): T {
  const index = Math.min(items.length - 1, Math.floor(random() * items.length));
  return items[index];
}
