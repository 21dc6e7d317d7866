/**
 * The scenario keys the connections chapter added (ws.observe, ws.events, subscription.query,
 * ws.soak, the xml matcher, fixture contentType / ifRefused) load into the model and keep the
 * loader's file:line:col diagnostics.
 */
import { expect, test } from '@playwright/test';
import { loadScenarioText } from '../../../runner/scenario/load.js';
import { FILE, HEAD, problemsOf, yaml } from './helpers.js';

/** Steps start on line 14; fixture a on line 9. */
function withSteps(...steps: string[]): string {
  return yaml(
    ...HEAD,
    '  - id: connections.test.one', // 4
    '    title: A test scenario', // 5
    '    requirements: [WS-04]', // 6
    '    level: DEF', // 7
    '    fixtures:', // 8
    '      - subscription: a', // 9
    '        channel: websocket', // 10
    '        contentType: application/fhir+xml', // 11
    '        ifRefused: { skip: refused, record: xmlNotifications }', // 12
    '    steps:', // 13
    '      - getToken: { subscriptions: ["${a.id}"], as: tok }', // 14
    '      - ws.connect: { url: "${tok.websocketUrl}", as: s }', // 15
    ...steps, // 16…
  );
}

test('the new steps and keys load into the model, durations in ms', () => {
  const file = loadScenarioText(
    withSteps(
      '      - ws.observe: { socket: s, within: 2s, since: now, match: { xml: { root: Bundle } }, record: k, values: { none: stopped } }',
      '      - ws.events: { socket: s, subscription: "${a.id}", within: 3s, after: "1", missed: 1, as: n }',
      '      - subscription.query: { operation: status, subscription: "${a.id}", after: "${n.last}", missed: 1 }',
      '      - ws.soak: { socket: s, subscription: "${a.id}", heartbeatPeriod: 5, tolerance: 500ms }',
    ),
    FILE,
  );
  const [scenario] = file.scenarios;
  expect(scenario!.fixtures[0]).toMatchObject({ contentType: 'application/fhir+xml', ifRefused: { skip: 'refused', record: 'xmlNotifications' } });
  const steps = scenario!.steps.slice(2) as unknown as Array<Record<string, Record<string, unknown>>>;
  expect(steps.map((s) => s.kind)).toEqual(['ws.observe', 'ws.events', 'subscription.query', 'ws.soak']);
  expect(steps[0]!['ws.observe']).toMatchObject({ within: 2000, match: { xml: { root: 'Bundle' } }, values: { none: 'stopped' } });
  expect(steps[1]!['ws.events']).toMatchObject({ within: 3000 });
  expect(steps[3]!['ws.soak']).toMatchObject({ tolerance: 500 });
});

test('an unknown observation word is reported at its key', () => {
  const problems = problemsOf(withSteps('      - ws.observe: { socket: s, match: { notification: heartbeat }, record: k, values: { arived: x } }'));
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/^16:\d+ FWC_ERR_SCENARIO_SCHEMA unknown key "arived" \(did you mean "arrived"\?\)/);
});

test('ws.observe needs record; ws.events needs as', () => {
  expect(problemsOf(withSteps('      - ws.observe: { socket: s, match: { notification: heartbeat } }'))[0]).toMatch(/^16:\d+ FWC_ERR_SCENARIO_SCHEMA .*record/);
  expect(problemsOf(withSteps('      - ws.events: { socket: s, subscription: x }'))[0]).toMatch(/^16:\d+ FWC_ERR_SCENARIO_SCHEMA .*as/);
});

test('ws.events as: defines first, last and count; other members and unknown sockets are caught', () => {
  const problems = problemsOf(
    withSteps(
      '      - ws.events: { socket: s, subscription: x, as: n }',
      '      - subscription.query: { operation: status, subscription: x, after: "${n.lats}" }',
      '      - ws.soak: { socket: nope, subscription: x, heartbeatPeriod: 1 }',
    ),
  );
  expect(problems).toHaveLength(2);
  expect(problems[0]).toMatch(/^17:\d+ FWC_ERR_SCENARIO_UNDEFINED_VARIABLE .*lats/);
  expect(problems[1]).toMatch(/^18:\d+ FWC_ERR_SCENARIO_UNDEFINED_VARIABLE unknown socket "nope"/);
});

test('subscription.query operation is a closed word list', () => {
  expect(problemsOf(withSteps('      - subscription.query: { operation: stats, subscription: x }'))[0]).toMatch(/^16:\d+ FWC_ERR_SCENARIO_SCHEMA .*status/);
});

test('continues: names a socket opened earlier, like socket:', () => {
  const ok = problemsOf(withSteps(
    '      - ws.close: { socket: s }',
    '      - ws.events: { socket: s, subscription: x, continues: s, missed: 1, as: n }',
    '      - subscription.query: { operation: status, subscription: x, continues: s, missed: 1 }',
  ));
  expect(ok).toEqual([]);
  const problems = problemsOf(withSteps('      - subscription.query: { operation: status, subscription: x, continues: frist }'));
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/^16:\d+ FWC_ERR_SCENARIO_UNDEFINED_VARIABLE unknown socket "frist"/);
});
