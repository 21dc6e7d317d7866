/** The entropy estimate of opaque binding tokens: alphabet × length, less a repeated prefix; no number for JWTs. */
import { test, expect } from '@playwright/test';
import { randomBytes, randomUUID } from 'node:crypto';
import { estimateTokenEntropy } from '../../../runner/engine/token-entropy.js';

test('256 random bits as base64url (43 characters): 258 bits at most, the alphabet and length named', () => {
  // '-' and '_' placed for certain: three random tokens lack both about once in 60 runs, and the
  // estimate then (rightly) names the smaller alphabet it saw
  const withSymbol = (token: string, at: number, symbol: string) => `${token.slice(0, at)}${symbol}${token.slice(at + 1)}`;
  const random = () => randomBytes(32).toString('base64url').replace(/^[-_]/, 'A');
  const tokens = [withSymbol(random(), 10, '-'), withSymbol(random(), 20, '_'), random()];
  const estimate = estimateTokenEntropy(tokens);
  expect(estimate.bits).toBeGreaterThanOrEqual(252); // a shared first character by chance costs 6 bits
  expect(estimate.description).toMatch(/^≈ \d+ bits at most: 64 symbols \(base64url\) × 43 characters/);
  expect(estimate.description).toMatch(/3 tokens seen$/);
});

test('a prefix every token shares is not randomness: it is subtracted and said', () => {
  const tokens = ['tok_live_0000a1b2c3d4', 'tok_live_0000f9e8d7c6', 'tok_live_0000aa11bb22'];
  const estimate = estimateTokenEntropy(tokens);
  expect(estimate.bits).toBe(Math.floor(8 * Math.log2(64))); // 21 characters, 13 shared ("tok_live_0000")
  expect(estimate.description).toContain('of which the first 13 are the same in every token seen');
});

test('UUID v4: 122 bits; short decimal tokens: few bits; hex keeps its 16 symbols', () => {
  expect(estimateTokenEntropy([randomUUID(), randomUUID()]).bits).toBe(122);
  expect(estimateTokenEntropy(['123456']).bits).toBe(Math.floor(6 * Math.log2(10)));
  expect(estimateTokenEntropy(['deadbeef00', 'cafebabe11'])).toMatchObject({ bits: 40 });
});

test('JWTs, tokens outside printable ASCII and no token at all are not estimated, saying why', () => {
  const jwt = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.c2ln`;
  expect(estimateTokenEntropy([jwt])).toEqual({ description: expect.stringMatching(/^not estimated: a signed JWT/) });
  expect(estimateTokenEntropy(['tøken'])).toEqual({ description: expect.stringMatching(/^not estimated: characters outside printable ASCII/) });
  expect(estimateTokenEntropy([])).toEqual({ description: 'not estimated: no token was obtained' });
});
