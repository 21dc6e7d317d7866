/** Timing truth: a bind is held against the token's stated expiration and arrival (runner/engine/bind-timing.ts). */
import { test, expect } from '@playwright/test';
import { BIND_SLACK_MS, EXPIRATION_JUDGE, bindTiming, closedAtExpiry } from '../../../runner/engine/bind-timing.js';
import type { IssuedToken } from '../../../runner/engine/scenario-context.js';

const EXPIRES = Date.parse('2026-01-01T00:00:10.000Z');
const token = (lifetimeMs: number | undefined, expiration = '2026-01-01T00:00:10.000Z'): IssuedToken =>
  ({ token: 't', expiration, subscriptions: ['a'], invocation: 'instance-post', lifetimeMs });

test('a bind well inside the token life is judged, with the numbers noted', () => {
  const timing = bindTiming(token(4000), EXPIRES - 3000, 'before-expiration')!;
  expect(timing.note).toBe("bind sent 3.0 s before the token's stated expiration (the token arrived 1.0 s before the bind)");
  expect(timing.unjudgeable).toBeUndefined();
});

test('a bind after expiration − slack is the harness being late: blocked with the numbers, never judged', () => {
  const late = bindTiming(token(4000), EXPIRES + 400, 'before-expiration')!;
  expect(late.unjudgeable).toEqual({ prerequisite: { harness: true }, why: 'bound 0.4 s after the stated expiration (within 1.0 s of it or later: the harness was late)' });
  const inSlack = bindTiming(token(4000), EXPIRES - BIND_SLACK_MS + 100, 'before-expiration')!;
  expect(inSlack.unjudgeable?.prerequisite).toEqual({ harness: true });
  expect(bindTiming(token(4000), EXPIRES - BIND_SLACK_MS, 'before-expiration')!.unjudgeable).toBeUndefined();
});

test('a token whose expiration was past on arrival is the server’s finding, judged by the outputs scenario', () => {
  const arrivedLate = bindTiming(token(-200), EXPIRES + 250, 'before-expiration')!;
  expect(arrivedLate.unjudgeable).toEqual({ prerequisite: { judgedBy: EXPIRATION_JUDGE }, why: "the token's stated expiration was already 0.2 s past when it arrived" });
  // also for a bind meant to come after the expiration: the refusal would prove nothing either
  expect(bindTiming(token(-3_600_000), EXPIRES + 3_600_100, 'after-expiration')!.unjudgeable?.prerequisite).toEqual({ judgedBy: EXPIRATION_JUDGE });
});

test('a bind meant to leave after the expiration must leave at least the slack after it', () => {
  expect(bindTiming(token(4000), EXPIRES + 1500, 'after-expiration')!.unjudgeable).toBeUndefined();
  expect(bindTiming(token(4000), EXPIRES + 100, 'after-expiration')!.unjudgeable).toEqual({
    prerequisite: { harness: true }, why: 'bound 0.1 s after the stated expiration, meant to be at least 1.0 s after it',
  });
});

test('no stated (or readable) expiration: nothing to hold the bind against', () => {
  expect(bindTiming(undefined, EXPIRES, 'before-expiration')).toBeUndefined();
  expect(bindTiming(token(4000, 'soon'), EXPIRES, 'before-expiration')).toBeUndefined();
});

test('the bind’s send time and the stated expiration are given side by side, for a failure about what followed', () => {
  const timing = bindTiming(token(4000, '2026-01-01T01:00:10+01:00'), EXPIRES + 1600, 'after-expiration')!;
  expect(timing.instants).toBe("the bind was sent 1.6 s after the token's stated expiration (bind 2026-01-01T00:00:11.600Z, expiration 2026-01-01T01:00:10+01:00)");
});

test('a server that closed the socket at the token\'s expiration revoked it (WS-21): a check still waiting is the run\'s, not the server\'s', () => {
  const timing = bindTiming(token(4000), EXPIRES - 3000, 'before-expiration')!;
  const atExpiry = closedAtExpiry(timing, { at: EXPIRES + 20, code: 1008, byClient: false })!;
  expect(atExpiry.prerequisite).toEqual({ harness: true });
  expect(atExpiry.why).toMatch(/^the server closed the socket \(code 1008\) 0\.0 s after the token's stated expiration, as it may \(WS-21\)/);
  expect(closedAtExpiry(timing, { at: EXPIRES - 2000, code: 1008, byClient: false }), 'closed while the token lived: the server\'s doing').toBeUndefined();
  expect(closedAtExpiry(timing, { at: EXPIRES + 20, code: 1000, byClient: true }), 'closed by the harness').toBeUndefined();
  expect(closedAtExpiry(timing, undefined)).toBeUndefined();
});
