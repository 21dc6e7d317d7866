/**
 * The token registry at scale (issue 11 item 18): expired grants are swept, revocation and binds do
 * not scan every grant. Time is injected, so the sweep is checked without waiting.
 */
import { expect, test } from '@playwright/test';
import { ActiveFaults } from '../../reference-server/src/faults.js';
import { FORGET_AFTER_MS, TokenService } from '../../reference-server/src/tokens.js';

function service(clock: { ms: number }, faults: string[] = []): TokenService {
  return new TokenService({
    format: 'opaque',
    ttlSeconds: 60,
    faults: new ActiveFaults(faults as never),
    allWebsocketSubscriptionIds: () => [],
    now: () => clock.ms,
  });
}

test('an expired grant is refused as expired, then swept once FORGET_AFTER_MS has passed', () => {
  const clock = { ms: 1_000_000 };
  const tokens = service(clock);
  const { token, expiresAtMs } = tokens.issue(['a']);
  expect(tokens.grantCount).toBe(1);
  clock.ms = expiresAtMs + 1;
  expect(tokens.resolve(token)).toMatchObject({ ok: false, reason: 'expired' });
  expect(FORGET_AFTER_MS).toBeLessThanOrEqual(10 * 60 * 1000);
  clock.ms = expiresAtMs + FORGET_AFTER_MS + 1;
  expect(tokens.resolve(token)).toMatchObject({ ok: false, reason: 'unknown' });
  expect(tokens.grantCount).toBe(0);
});

test('revoking a Subscription drops exactly the grants covering it', () => {
  const clock = { ms: 1_000_000 };
  const tokens = service(clock);
  const a = tokens.issue(['a']);
  const ab = tokens.issue(['a', 'b']);
  const b = tokens.issue(['b']);
  tokens.revokeSubscription('a');
  expect(tokens.resolve(a.token).ok).toBe(false);
  expect(tokens.resolve(ab.token).ok).toBe(false);
  expect(tokens.resolve(b.token)).toEqual({ ok: true, subscriptionIds: ['b'], expiresAtMs: expect.any(Number) });
  expect(tokens.grantCount).toBe(1);
});

test('fault token-case-insensitive still finds a token by its lower-cased form', () => {
  const clock = { ms: 1_000_000 };
  const tokens = service(clock, ['token-case-insensitive']);
  const { token } = tokens.issue(['a']);
  expect(tokens.resolve(token.toUpperCase())).toEqual({ ok: true, subscriptionIds: ['a'], expiresAtMs: expect.any(Number) });
});
