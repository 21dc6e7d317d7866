/**
 * Load mode's fan-out (runner/load/fan-out.ts) against the reference server: with every socket
 * bound, one create reaches every socket (none lost, p50 ≤ p95 ≤ max); sockets whose Subscription
 * the create does not fire are counted lost once the window ends (and not before it); a refused
 * trigger is reported with its status and nothing is waited for.
 */
import { test, expect } from '@playwright/test';
import { startReferenceServer, type ReferenceServer } from '../../reference-server/src/server.js';
import { runLoad, type LoadOptions } from '../../runner/load/load-test.js';
import { renderLoad } from '../../runner/report/html-run-sections.js';
import { validateResults } from '../../runner/report/results-file.js';
import { sampleResults } from '../report/fixtures/sample-results.js';
import { createSubscription, http } from '../reference-server/helpers.js';

const TIMEOUTS = { httpMs: 15_000, connectMs: 15_000, handshakeMs: 15_000, silenceMs: 500 };
/** A short window, for the tests where notifications must not come. */
const SHORT = { httpMs: 2_000, connectMs: 15_000, handshakeMs: 1_000, silenceMs: 500 };
const PATIENT_TOPIC = 'http://example.org/fhir/SubscriptionTopic/patient-create';
const OBSERVATION_TOPIC = 'http://example.org/fhir/SubscriptionTopic/observation-create';
const PATIENT = { resourceType: 'Patient', name: [{ family: 'FanOutProbe' }] };

let server: ReferenceServer;
test.beforeAll(async () => {
  server = await startReferenceServer({
    port: 0,
    fhirVersion: 'R5',
    topics: [{ id: 'observation-create', url: OBSERVATION_TOPIC, resourceType: 'Observation', interactions: ['create'] }],
  });
});
test.afterAll(() => server.close());

function options(extra: Partial<LoadOptions>): LoadOptions {
  return { baseUrl: server.url, topic: PATIENT_TOPIC, clients: 40, timeouts: TIMEOUTS, fhirVersion: 'R5', deadlineMs: 30_000, fanOutTrigger: PATIENT, ...extra };
}

test('one create reaches every bound socket: 40 notified over the 10-Subscription pool, none lost', async () => {
  const result = await runLoad(options({}));
  expect(result.succeeded).toBe(40);
  const fanOut = result.fanOut!;
  expect(fanOut).toMatchObject({ sockets: 40, subscriptions: 10, notified: 40, lost: 0, closed: 0, trigger: { resourceType: 'Patient', status: 201 } });
  expect(fanOut.windowMs).toBe(TIMEOUTS.httpMs + TIMEOUTS.handshakeMs);
  const { p50, p95, max } = fanOut.latencyMs;
  expect(p50).not.toBeNull();
  expect(p50!).toBeLessThanOrEqual(p95!);
  expect(p95!).toBeLessThanOrEqual(max!);
});

test('sockets whose Subscription the create does not fire are lost, after the window and not before', async () => {
  const patientSub = await createSubscription(server, { topic: PATIENT_TOPIC });
  const observationSub = await createSubscription(server, { topic: OBSERVATION_TOPIC });
  const started = Date.now();
  const result = await runLoad(options({ clients: 10, subscriptionIds: [patientSub, observationSub], timeouts: SHORT }));
  expect(result.succeeded).toBe(10);
  expect(result.fanOut).toMatchObject({ sockets: 10, subscriptions: 2, notified: 5, lost: 5, closed: 0, windowMs: 3_000 });
  expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
});

test('no fan-out without a trigger; a refused trigger is reported with its status and nothing is waited for', async () => {
  expect((await runLoad(options({ clients: 5, fanOutTrigger: undefined }))).fanOut).toBeUndefined();
  const started = Date.now();
  const refused = await runLoad(options({ clients: 5, fanOutTrigger: { resourceType: 'Organization' } }));
  expect(refused.fanOut).toMatchObject({ sockets: 5, notified: 0, lost: 0, trigger: { resourceType: 'Organization', status: 404, error: 'POST Organization → HTTP 404' } });
  expect(refused.fanOut!.latencyMs).toEqual({ p50: null, p95: null, max: null });
  expect(Date.now() - started).toBeLessThan(TIMEOUTS.httpMs + TIMEOUTS.handshakeMs);
});

test('the Subscriptions the fan-out used are still cleaned up', async () => {
  const before = (await http(server, 'GET', 'Subscription')).json!.total as number;
  await runLoad(options({ clients: 12 }));
  expect((await http(server, 'GET', 'Subscription')).json!.total).toBe(before);
});

test('results.json takes load.fanOut (schema) and the report renders it, escaped', async () => {
  const load = await runLoad(options({ clients: 5 }));
  const results = sampleResults();
  results.load = load;
  expect(validateResults(JSON.parse(JSON.stringify(results)))).toEqual([]);
  const page = String(renderLoad({ ...load, fanOut: { ...load.fanOut!, trigger: { resourceType: '<b>Patient</b>', status: 201 } } }));
  expect(page).toContain('<h3>Fan-out</h3>');
  expect(page).toContain('Notified</dt><dd>5 of 5');
  expect(page).toContain('&lt;b&gt;Patient&lt;/b&gt;');
  const broken = JSON.parse(JSON.stringify(results)) as { load: { fanOut: Record<string, unknown> } };
  delete broken.load.fanOut.lost;
  expect(validateResults(broken)).toContain("/load/fanOut must have required property 'lost'");
});
