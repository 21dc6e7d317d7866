import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { buildScenarioSchema } from '../../../runner/scenario/schema.js';
import { STEP_BASE_KEYS, STEP_KINDS } from '../../../runner/scenario/vocabulary.js';
import { SCHEMA_FILE, renderSchema } from '../../../runner/scenario/write-schema.js';
import { HEAD, problemsOf, yaml } from './helpers.js';

test('suites/scenario.schema.json is up to date (npx tsx runner/scenario/write-schema.ts)', () => {
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderSchema());
});

test('the schema knows every step kind and common step field', () => {
  const step = (buildScenarioSchema().definitions as Record<string, { properties: object }>).step;
  expect(Object.keys(step.properties).sort()).toEqual([...STEP_BASE_KEYS, ...STEP_KINDS].sort());
});

test('every object in the schema forbids unknown keys and every field has a description', () => {
  const loose: string[] = [];
  const undocumented: string[] = [];
  const visit = (node: unknown, path: string) => {
    if (typeof node !== 'object' || node === null) return;
    const schema = node as Record<string, unknown>;
    // An `if` holds a condition, not an object definition.
    if (schema.properties && schema.additionalProperties !== false && !path.endsWith('/if')) loose.push(path);
    for (const [name, field] of Object.entries((schema.properties as Record<string, Record<string, unknown>>) ?? {})) {
      if (!field.description) undocumented.push(`${path}.${name}`);
    }
    for (const [key, child] of Object.entries(schema)) visit(child, `${path}/${key}`);
  };
  visit(buildScenarioSchema(), '#');
  expect(loose).toEqual([]);
  expect(undocumented.filter((path) => !path.includes('/if'))).toEqual([]);
});

/**
 * What editors see (the written JSON file, checked by a plain draft-07 Ajv) and what the loader
 * says about the shape must agree: a corpus of valid and invalid files.
 */
test.describe('the written schema and the loader agree', () => {
  const scenario = (...lines: string[]) =>
    yaml(...HEAD, '  - id: binding.corpus.one', '    title: t', '    requirements: [WS-04]', '    level: DEF', ...lines);
  const corpus: Array<[string, string]> = [
    ['minimal', scenario('    steps: [{ read: { resourceType: X, id: y } }]')],
    ['durations', scenario('    steps:', '      - ws.connect: { url: "wss://x", as: s, timeout: 1.5s }', '      - ws.expectClose: { socket: s, within: 250 }')],
    ['anyOf', scenario('    steps:', '      - read: { resourceType: X, id: y }', '        expect: { anyOf: [{ label: a, status: [200, "2xx"] }] }')],
    ['unknown key', scenario('    steps: [{ read: { resourceType: X, id: y }, expectt: {} }]')],
    ['two kinds', scenario('    steps: [{ read: { resourceType: X, id: y }, delete: { resourceType: X, id: y } }]')],
    ['no kind', scenario('    steps: [{ name: x }]')],
    ['bad duration', scenario('    steps: [{ ws.connect: { url: "wss://x", as: s, timeout: 2 seconds } }]')],
    ['negative duration', scenario('    steps: [{ wait: { duration: -1s } }]')],
    ['bad level', scenario('    steps: [{ read: { resourceType: X, id: y }, level: MUST }]')],
    ['missing field', scenario('    steps: [{ read: { resourceType: X } }]')],
    ['two predicates', scenario('    steps: [{ read: { resourceType: X, id: y }, expect: { body: [{ query: $.a, equals: 1, exists: true }] } }]')],
    ['bad status', scenario('    steps: [{ read: { resourceType: X, id: y }, expect: { status: 600 } }]')],
    ['instance without id', scenario('    steps: [{ operation: { level: instance, method: POST } }]')],
    ['empty steps', scenario('    steps: []')],
  ];
  const fileSchema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(fileSchema);

  for (const [name, text] of corpus) {
    test(name, () => {
      const editorAccepts = validate(parse(text));
      const loaderAccepts = problemsOf(text).length === 0;
      expect(editorAccepts).toBe(loaderAccepts);
    });
  }
});
