/**
 * delivery-window.ts: once every token a scenario holds for a Subscription has expired, a server may
 * stop events while heartbeats go on, so a heartbeat's counter is not judged — from the stated
 * expiration on, with no slack after it (a held-back event and the heartbeat counting it both come
 * after the expiration).
 */
import { test, expect } from '@playwright/test';
import { groupsFor } from '../../../runner/engine/steps/delivery-window.js';
import type { Frame } from '../../../runner/net/ws-client.js';
import type { ScenarioContext } from '../../../runner/engine/scenario-context.js';

const EXPIRATION = '2030-01-01T00:00:10Z';
const AT_EXPIRATION = Date.parse(EXPIRATION);

function ctx(expirations: string[]): ScenarioContext {
  const tokens = new Map(expirations.map((expiration, i) => [`t${i}`, { subscriptions: ['a'], expiration }]));
  return { tokens } as unknown as ScenarioContext;
}

const frame = (at: number) => ({ at }) as Frame;

test('counters are judged up to the expiration and not after it, even 0.2 s after', () => {
  expect(groupsFor(frame(AT_EXPIRATION - 1), 'heartbeat', 'a', ctx([EXPIRATION]), undefined)).toBeUndefined();
  expect(groupsFor(frame(AT_EXPIRATION + 200), 'heartbeat', 'a', ctx([EXPIRATION]), undefined)).not.toContain('counters');
  expect(groupsFor(frame(AT_EXPIRATION + 200), 'heartbeat', 'a', ctx([EXPIRATION]), undefined)).toContain('structure');
});

test('a later token for the Subscription keeps the window open; events and other Subscriptions are judged as ever', () => {
  expect(groupsFor(frame(AT_EXPIRATION + 200), 'heartbeat', 'a', ctx([EXPIRATION, '2030-01-01T00:01:00Z']), undefined)).toBeUndefined();
  expect(groupsFor(frame(AT_EXPIRATION + 200), 'event-notification', 'a', ctx([EXPIRATION]), undefined)).toBeUndefined();
  expect(groupsFor(frame(AT_EXPIRATION + 200), 'heartbeat', 'b', ctx([EXPIRATION]), ['counters'])).toEqual(['counters']);
});
