import { expect, test } from '@playwright/test';
import { randomTokenBytes } from '../../reference-server/src/random-pool.js';

test('pooled token bytes: the length asked for, never repeated across refills, copies not views', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const bytes = randomTokenBytes(32);
    expect(bytes.length).toBe(32);
    seen.add(bytes.toString('hex'));
  }
  expect(seen.size).toBe(1000);
  const kept = randomTokenBytes(32);
  const copy = Buffer.from(kept);
  for (let i = 0; i < 300; i++) randomTokenBytes(32); // past a refill of the 8 KiB pool
  expect(kept.equals(copy)).toBe(true);
  expect(() => randomTokenBytes(10_000)).toThrow(RangeError);
});
