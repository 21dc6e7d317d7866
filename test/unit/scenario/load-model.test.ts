import { expect, test } from '@playwright/test';
import { loadScenarioText } from '../../../runner/scenario/load.js';
import type { GetTokenStep, OperationStep, WaitStep, WsExpectStep } from '../../../runner/scenario/model.js';
import { FILE, yaml } from './helpers.js';

// The example of the suite format, as the project describes it.
const EXAMPLE = yaml(
  'chapter: binding', // 1
  'title: Binding with issued tokens', // 2
  'scenarios:', // 3
  '  - id: binding.handshake.single', // 4
  '    title: One handshake names the bound Subscription', // 5
  '    description: What it checks', // 6
  '    requirements: [WS-04, WS-05]', // 7
  '    level: DEF', // 8
  '    fhirVersions: [R4, R4B, R5]', // 9
  '    preconditions: [create-subscriptions]', // 10
  '    fixtures:', // 11
  '      - subscription: subA', // 12
  '        channel: websocket', // 13
  '        content: id-only', // 14
  '        heartbeatPeriod: 2', // 15
  '    steps:', // 16
  '      - getToken: { subscriptions: ["${subA.id}"], as: tok }', // 17
  '      - ws.connect: { url: "${tok.websocketUrl}", as: ws1 }', // 18
  '      - ws.bind: { socket: ws1, token: "${tok.token}" }', // 19
  '      - ws.expect:', // 20
  '          socket: ws1', // 21
  '          within: 5s', // 22
  '          match: { notification: handshake, subscription: "${subA.id}", json: [{ query: $.type, equals: history }] }', // 23
  '        expect: { notification: true }', // 24
  '      - operation: { level: instance, id: "${subA.id}", method: POST }', // 25
  `        capture: { token: "$.parameter[?(@.name=='token')].valueString" }`, // 26
  '        expect:', // 27
  '          status: 2xx', // 28
  '          headers: { content-type: { matches: "json" } }', // 29
  '          parameters: out', // 30
  '          body:', // 31
  "            - query: $.parameter[?(@.name=='expiration')].valueDateTime", // 32
  '              after: now', // 33
  '              requirement: OP-12', // 34
  '      - wait: { until: "${tok.expiration}", offset: -1.5s, skipReason: token lives too long }', // 35
  '      - set: { last: "${token}" }', // 36
);

test('the documented example loads into the typed model', () => {
  const file = loadScenarioText(EXAMPLE, FILE, { requirements: new Set(['WS-04', 'WS-05', 'OP-12']) });
  expect(file.file).toBe(FILE);
  expect(file.chapter).toBe('binding');
  expect(file.title).toBe('Binding with issued tokens');
  const [scenario] = file.scenarios;
  expect(scenario).toMatchObject({
    id: 'binding.handshake.single',
    title: 'One handshake names the bound Subscription',
    description: 'What it checks',
    requirements: ['WS-04', 'WS-05'],
    level: 'DEF',
    fhirVersions: ['R4', 'R4B', 'R5'],
    preconditions: ['create-subscriptions'],
    file: FILE,
    location: { file: FILE, line: 4, column: 5 },
  });
  expect(scenario.fixtures).toEqual([
    {
      subscription: 'subA',
      channel: 'websocket',
      content: 'id-only',
      heartbeatPeriod: 2,
      location: { file: FILE, line: 12, column: 9 },
    },
  ]);
  expect(scenario.steps.map((step) => step.kind)).toEqual([
    'getToken',
    'ws.connect',
    'ws.bind',
    'ws.expect',
    'operation',
    'wait',
    'set',
  ]);
  expect(scenario.steps.map((step) => step.location.line)).toEqual([17, 18, 19, 20, 25, 35, 36]);
});

test('step bodies keep their fields; durations become milliseconds', () => {
  const [scenario] = loadScenarioText(EXAMPLE, FILE).scenarios;
  const getToken = scenario.steps[0] as GetTokenStep;
  expect(getToken.getToken).toEqual({ subscriptions: ['${subA.id}'], as: 'tok' });
  const expectStep = scenario.steps[3] as WsExpectStep;
  expect(expectStep['ws.expect'].within).toBe(5000);
  expect(expectStep['ws.expect'].match.json).toEqual([
    { query: '$.type', equals: 'history', location: { file: FILE, line: 23, column: 80 } },
  ]);
  expect(expectStep.expect).toEqual({ notification: true });
  const wait = scenario.steps[5] as WaitStep;
  expect(wait.wait).toEqual({ until: '${tok.expiration}', offset: -1500, skipReason: 'token lives too long' });
});

test('expectations keep status, headers and parameters; assertions get their location', () => {
  const [scenario] = loadScenarioText(EXAMPLE, FILE).scenarios;
  const operation = scenario.steps[4] as OperationStep;
  expect(operation.operation).toEqual({ level: 'instance', id: '${subA.id}', method: 'POST' });
  expect(operation.capture).toEqual({ token: "$.parameter[?(@.name=='token')].valueString" });
  expect(operation.expect).toEqual({
    status: '2xx',
    headers: { 'content-type': { matches: 'json' } },
    parameters: 'out',
    body: [
      {
        query: "$.parameter[?(@.name=='expiration')].valueDateTime",
        after: 'now',
        requirement: 'OP-12',
        location: { file: FILE, line: 32, column: 15 },
      },
    ],
  });
});

test('defaults: no preconditions, no fixtures; anyOf branches get assertion locations', () => {
  const text = yaml(
    'chapter: discovery',
    'title: t',
    'scenarios:',
    '  - id: discovery.one',
    '    title: t',
    '    requirements: [FW-04]',
    '    level: SHOULD',
    '    steps:',
    '      - read: { resourceType: OperationDefinition, id: x }', // 9
    '        expect:',
    '          anyOf:',
    '            - label: served',
    '              status: 200',
    '              body: [{ query: $.id, equals: x }]', // 14
    '            - { label: not-served, status: [404, "4xx"] }',
    '        record: { opdef: "${branch}" }',
  );
  const [scenario] = loadScenarioText(text, FILE).scenarios;
  expect(scenario.preconditions).toEqual([]);
  expect(scenario.fixtures).toEqual([]);
  expect(scenario.fhirVersions).toBeUndefined();
  expect(scenario.description).toBeUndefined();
  const [step] = scenario.steps;
  expect(step.record).toEqual({ opdef: '${branch}' });
  expect(step.expect?.anyOf).toEqual([
    { label: 'served', status: 200, body: [{ query: '$.id', equals: 'x', location: { file: FILE, line: 14, column: 22 } }] },
    { label: 'not-served', status: [404, '4xx'] },
  ]);
});
