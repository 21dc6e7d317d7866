/** BindingLedger on a fake clock: the variants and fault about connections over time. */
import { expect, test } from '@playwright/test';
import { BindingLedger, IDLE_HEARTBEAT_CUTOFF_MS } from '../../reference-server/src/binding-ledger.js';
import { ActiveFaults, type FaultName } from '../../reference-server/src/faults.js';

function ledger(faults: FaultName[]): { ledger: BindingLedger; clock: { ms: number } } {
  const clock = { ms: 1_000_000 };
  return { ledger: new BindingLedger(new ActiveFaults(faults), () => clock.ms), clock };
}

test('by default: one copy per event, before and after the token expires; heartbeats always due', () => {
  const { ledger: l, clock } = ledger([]);
  l.noteBind('a', clock.ms + 1_000);
  expect(l.eventCopies('a')).toBe(1);
  clock.ms += 60_000;
  expect(l.eventCopies('a')).toBe(1);
  expect(l.heartbeatDue('a')).toBe(true);
});

test('events-stop-at-expiry: no copies once the binding token has expired; a renewal resumes', () => {
  const { ledger: l, clock } = ledger(['events-stop-at-expiry']);
  l.noteBind('a', clock.ms + 1_000);
  expect(l.eventCopies('a')).toBe(1);
  clock.ms += 1_000;
  expect(l.eventCopies('a')).toBe(0);
  l.noteBind('a', clock.ms + 1_000);
  expect(l.eventCopies('a')).toBe(1);
});

test('renewal-duplicates: one copy per bind on the socket; forgetting the binding resets it', () => {
  const { ledger: l } = ledger(['renewal-duplicates']);
  l.noteBind('a');
  l.noteBind('a');
  expect(l.eventCopies('a')).toBe(2);
  l.forget('a');
  l.noteBind('a');
  expect(l.eventCopies('a')).toBe(1);
});

test('heartbeats-stop-after-30s-idle: heartbeats stop 30 s after the last event, and resume after one', () => {
  const { ledger: l, clock } = ledger(['heartbeats-stop-after-30s-idle']);
  l.noteBind('a');
  clock.ms += IDLE_HEARTBEAT_CUTOFF_MS - 1;
  expect(l.heartbeatDue('a')).toBe(true);
  clock.ms += 1;
  expect(l.heartbeatDue('a')).toBe(false);
  l.eventCopies('a'); // an event is traffic
  expect(l.heartbeatDue('a')).toBe(true);
});
