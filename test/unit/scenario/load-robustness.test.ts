/**
 * Bad input gives a ScenarioLoadError, never a crash: every value of a rich valid file is replaced,
 * one at a time, by values of every other shape, and the loader must either accept the result or
 * throw a ScenarioLoadError whose problems all carry a location inside the file.
 */
import { expect, test } from '@playwright/test';
import { stringify } from 'yaml';
import { ScenarioLoadError, loadScenarioText } from '../../../runner/scenario/load.js';
import { FILE } from './helpers.js';

const RICH = {
  chapter: 'binding',
  title: 't',
  scenarios: [
    {
      id: 'binding.rich.one',
      title: 't',
      requirements: ['WS-04'],
      level: 'DEF',
      fhirVersions: ['R4'],
      preconditions: ['topic'],
      fixtures: [{ subscription: 'subA', channel: 'websocket', content: 'empty', heartbeatPeriod: 2 }],
      steps: [
        { getToken: { subscriptions: ['${subA.id}'], as: 'tok', via: 'auto' }, capture: { t: '$.a' } },
        { forgeToken: { from: '${tok.token}', class: 'truncate', length: 3, as: 'forged' } },
        { 'ws.connect': { url: '${tok.websocketUrl}', as: 'ws1', timeout: '2s' } },
        { 'ws.send': { socket: 'ws1', json: { a: ['${forged}'] } } },
        {
          'ws.expect': { socket: 'ws1', within: '1s', count: 2, match: { notification: 'any', json: [{ query: '$.a', not: { exists: true } }], text: { matches: 'x' } } },
          expect: { notification: true },
        },
        {
          http: { method: 'GET', path: 'metadata', query: { a: ['1', '2'] }, headers: { Accept: 'x' }, body: { x: 1 } },
          expect: {
            status: [200, '2xx'],
            headers: { 'content-type': { contains: 'json' } },
            body: [{ query: '$.a', count: { min: 1 } }],
            operationOutcome: { level: 'SHOULD' },
            anyOf: [{ label: 'a', status: 200 }],
          },
          record: { r: '${branch}' },
        },
        { wait: { until: '${tok.expiration}', offset: '-1s' } },
        { set: { x: '${t}' } },
      ],
    },
  ],
};

const REPLACEMENTS: unknown[] = [null, -1, '${', [null], { unknownKey: 1 }, true];

function paths(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  const children = Array.isArray(value)
    ? value.flatMap((item, index) => paths(item, [...path, index]))
    : typeof value === 'object' && value !== null
      ? Object.entries(value).flatMap(([key, item]) => paths(item, [...path, key]))
      : [];
  return [path, ...children];
}

function replaced(value: unknown, path: Array<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[path[path.length - 1]] = replacement;
  return copy;
}

test('the rich file itself loads', () => {
  expect(loadScenarioText(stringify(RICH), FILE).scenarios[0].steps).toHaveLength(8);
});

// One test per step (and one for everything outside the steps), so workers share the load.
const ALL_PATHS = paths(RICH);
const GROUPS = new Map<string, Array<Array<string | number>>>();
for (const path of ALL_PATHS) {
  const group = path[2] === 'steps' && path.length > 3 ? `step ${String(path[3])}` : 'outside the steps';
  GROUPS.set(group, [...(GROUPS.get(group) ?? []), path]);
}

for (const [group, groupPaths] of GROUPS) {
  test(`${group}: every value replaced by every other shape gives a located ScenarioLoadError or a model, never a crash`, () => {
    let rejected = 0;
    for (const path of groupPaths) {
      for (const replacement of REPLACEMENTS) {
        const variant = stringify(replaced(RICH, path, replacement));
        const lineCount = variant.split('\n').length;
        try {
          loadScenarioText(variant, FILE);
        } catch (error) {
          if (!(error instanceof ScenarioLoadError)) throw new Error(`${path.join('.')} = ${JSON.stringify(replacement)}: ${String(error)}`);
          for (const problem of error.problems) {
            expect(problem.location.file).toBe(FILE);
            expect(problem.location.line).toBeGreaterThanOrEqual(1);
            expect(problem.location.line).toBeLessThanOrEqual(lineCount);
            expect(problem.message.length).toBeGreaterThan(0);
          }
          rejected++;
        }
      }
    }
    expect(rejected).toBeGreaterThan(groupPaths.length); // most replacements are wrong somewhere
  });
}
