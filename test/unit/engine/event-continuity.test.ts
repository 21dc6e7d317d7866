/**
 * ws.events with `continues:` (runner/engine/steps/event-number-steps.ts), on real sockets against
 * a scripted websocket server: the bound is the last number the earlier socket received, a repeat
 * of an event it had is a replayed backlog (DIGEST §8), history from before it is a replay too, and
 * only a new event under a number it received (a count that restarted) fails.
 */
import { test, expect } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { defaultRunConfig } from '../../../runner/config/run-config.js';
import { runScenario } from '../../../runner/engine/run-scenario.js';
import { nothingLearned, type Target } from '../../../runner/engine/target.js';
import { loadScenarioText } from '../../../runner/scenario/load.js';

type Scripted = [number, string]; // eventNumber, focus

const target = (): Target => ({
  baseUrl: 'http://127.0.0.1:9/fhir', fhirVersion: 'R5', fhirVersionSource: 'config', operationDefinition: {},
  triggerResourceType: 'Patient', capabilities: new Set(), missingCapabilityReasons: {},
  config: defaultRunConfig(), authHeaders: {}, secrets: [], learned: nothingLearned(),
});

function notification([eventNumber, focus]: Scripted): string {
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'subscription-notification',
    entry: [{
      resource: {
        resourceType: 'SubscriptionStatus',
        status: 'active',
        type: 'event-notification',
        subscription: { reference: 'Subscription/a' },
        notificationEvent: [{ eventNumber: String(eventNumber), focus: { reference: focus } }],
      },
    }],
  });
}

/** A server that answers "go" on its n-th connection with the n-th script's notifications. */
async function scriptedServer(scripts: Scripted[][]): Promise<{ url: string; close: () => Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  let connections = 0;
  server.on('connection', (socket) => {
    const script = scripts[connections++] ?? [];
    socket.on('message', () => script.forEach((event) => socket.send(notification(event))));
  });
  const { port } = server.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function scenario(url: string) {
  return loadScenarioText(`chapter: engine
title: Event continuity
scenarios:
  - id: engine.continuity
    title: Numbers continue across a reconnect
    requirements: [NB-05]
    level: DEF
    steps:
      - ws.connect: { url: "${url}", as: first }
      - ws.send: { socket: first, text: go }
      - ws.events: { socket: first, subscription: a, focus: Patient/p1, within: 5s, as: before }
      - ws.close: { socket: first }
      - ws.connect: { url: "${url}", as: second }
      - ws.send: { socket: second, text: go }
      - ws.events: { socket: second, subscription: a, focus: Patient/p3, within: 5s, continues: first, missed: 1, as: after }
`, 'suites/engine.yaml').scenarios[0]!;
}

async function checksAfterReconnect(first: Scripted[], second: Scripted[]) {
  const server = await scriptedServer([first, second]);
  try {
    const { result } = await runScenario(scenario(server.url), target());
    const last = result.steps!.at(-1)!;
    return { outcome: result.outcome, checks: Object.fromEntries(last.checks.map((c) => [c.id.replace(/^step\d+\./, ''), c])) };
  } finally {
    await server.close();
  }
}

test('a count that goes on past the missed event passes; the bound is the last number the earlier socket received', async () => {
  const { outcome, checks } = await checksAfterReconnect([[1, 'Patient/p1'], [2, 'Patient/other']], [[4, 'Patient/p3']]);
  expect(outcome).toBe('passed');
  expect(checks['continuity']).toMatchObject({ passed: true, expected: 'every eventNumber ≥ 4' });
  expect(checks['continuity.reused']).toMatchObject({ passed: true });
});

test('another scenario\'s event counted on the earlier socket raises the bound: 3 after 1 and 2 plus one missed is a restart', async () => {
  const { outcome, checks } = await checksAfterReconnect([[1, 'Patient/p1'], [2, 'Patient/other']], [[3, 'Patient/p3']]);
  expect(outcome).toBe('failed');
  expect(checks['continuity']).toMatchObject({ passed: false, expected: 'every eventNumber ≥ 4', actual: 'eventNumber 3' });
});

test('a replayed backlog (events the earlier socket had, the missed one) and older history pass', async () => {
  const earlier: Scripted[] = [[5, 'Patient/p1'], [6, 'Patient/other']];
  const replayed: Scripted[] = [[2, 'Patient/before-the-first-bind'], [6, 'http://example.org/fhir/Patient/other'], [7, 'Patient/p2'], [8, 'Patient/p3']];
  const { outcome, checks } = await checksAfterReconnect(earlier, replayed);
  expect(outcome).toBe('passed');
  expect(checks['continuity.reused']).toMatchObject({ passed: true, actual: 'eventNumber 2, 6, 7, 8' });
});

test('a count restarted with the connection fails even when other events lifted it past the bound', async () => {
  const restarted: Scripted[] = [[1, 'Patient/q'], [2, 'Patient/r'], [3, 'Patient/s'], [4, 'Patient/p3']];
  const { outcome, checks } = await checksAfterReconnect([[1, 'Patient/p1'], [2, 'Patient/other']], restarted);
  expect(outcome).toBe('failed');
  expect(checks['continuity']).toMatchObject({ passed: true }); // the lower bound alone is fooled
  expect(checks['continuity.reused']).toMatchObject({
    passed: false,
    requirement: 'NB-05',
    actual: '1 about Patient/q, which on first was 1 about Patient/p1; 2 about Patient/r, which on first was 2 about Patient/other',
  });
});
